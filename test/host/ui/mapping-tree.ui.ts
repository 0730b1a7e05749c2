/** The Mappings tree in the bqmigrate activity-bar container lists every mapping of the manifest. */
import * as assert from 'node:assert/strict';
import { tableMappings } from './expected';
import type { UiTest } from './types';
import { escape, openFile, pollUntil, waitForWorkbench } from './workbench-actions';

export const mappingTreeTest: UiTest = {
  name: 'mapping tree renders a row per mapping',
  async run({ page, workspace, screenshot }) {
    await waitForWorkbench(page);
    await page.getByRole('tab', { name: /^bqmigrate/ }).click();
    const tree = page.getByRole('tree', { name: /Mappings/ });
    await tree.waitFor({ timeout: 30_000 });
    // Legacy dataset group, expanded by default.
    await tree.getByRole('treeitem', { name: /^models_v4\b/ }).first().waitFor({ timeout: 30_000 });
    for (const m of tableMappings(workspace)) {
      // The row's accessible name is "<from> to <to|unmapped>, <status>, <references>".
      const row = tree.getByRole('treeitem', { name: new RegExp(`^${escape(m.from)} to ${escape(m.to ?? 'unmapped')}(?:,|$)`) });
      await pollUntil(`a tree row for ${m.from}`, async () => (await row.count()) === 1);
    }
    const rows = await tree.getByRole('treeitem').allInnerTexts();
    assert.ok(rows.some((r) => r.includes('→') || r.includes('models_v4')), `unexpected rows: ${rows.join(' | ')}`);
    // Beside the tree, a file with legacy references, as a person would have it open.
    await openFile(page, 'sql/build_training.sql');
    await page.waitForTimeout(2500); // cosmetic only: let the squiggles paint before the picture
    await screenshot('mapping-tree');
  },
};
