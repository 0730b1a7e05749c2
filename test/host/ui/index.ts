/** The UI tests, in the order run-code-server runs them (each on a fresh workspace copy and page). */
import type { UiTest } from './types';

export const uiTests: UiTest[] = [];
