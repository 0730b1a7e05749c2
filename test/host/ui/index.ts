/** The UI tests, in the order run-code-server runs them (each on a fresh workspace copy and page). */
import { mappingTreeTest } from './mapping-tree.ui';
import { problemsPanelTest } from './problems-panel.ui';
import { quickFixTest } from './quick-fix.ui';
import { refactorPreviewApplyTest, refactorPreviewDiscardTest } from './refactor-preview.ui';
import type { UiTest } from './types';

export const uiTests: UiTest[] = [problemsPanelTest, mappingTreeTest, quickFixTest, refactorPreviewApplyTest, refactorPreviewDiscardTest];
