/** A quick fix through the lightbulb (Ctrl+.) rewrites the legacy name, and the saved file changes. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { UiTest } from './types';
import { escape, goTo, openFile, pollUntil, problemsTotal, waitForWorkbench } from './workbench-actions';

const FILE = 'sql/regimes.sql';
const LEGACY = 'models_v4.trump_rich_2023_2025';
const NEW = 'training.zl_training_prod_trump2023_1m';

export const quickFixTest: UiTest = {
  name: 'quick fix through the lightbulb renames the reference',
  async run({ page, workspace, screenshot }) {
    const file = path.join(workspace, FILE);
    const before = fs.readFileSync(file, 'utf8');
    const lineIndex = before.split('\n').findIndex((l) => l.includes(LEGACY));
    assert.ok(lineIndex >= 0, `${FILE} should mention ${LEGACY}`);
    const column = before.split('\n')[lineIndex]!.indexOf(LEGACY) + 5;

    await waitForWorkbench(page);
    // Wait for the workspace scan's diagnostics before asking for fixes.
    await pollUntil('bqmigrate diagnostics', async () => (await problemsTotal(page)) > 0, 60_000);
    await openFile(page, FILE);
    const fix = page.getByRole('option', { name: new RegExp(`Rename to ${escape(NEW)}`) }).first();
    // Opening the file re-lints it, and VS Code cancels a code-action request that overlaps a
    // diagnostics update or a provider registration: then Ctrl+. shows no menu, or one without
    // the fix. A person would press it again; so does the test, a bounded number of times.
    await pollUntil(`the "Rename to ${NEW}" quick fix`, async () => {
      await page.keyboard.press('Escape');
      await goTo(page, lineIndex + 1, column);
      await page.keyboard.press('Control+.');
      return fix.waitFor({ timeout: 5_000 }).then(() => true, () => false);
    }, 40_000);
    await screenshot('quick-fix');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+S');
    const after = await pollUntil('the fixed file on disk', async () => {
      const text = fs.readFileSync(file, 'utf8');
      return text !== before ? text : false;
    }, 15_000);
    const expected = before.replace(LEGACY, NEW);
    assert.equal(after, expected, 'only the legacy name under the cursor changes');
  },
};
