/**
 * "Fix All Legacy References in Workspace…" from the command palette goes through VS Code's
 * Refactor Preview, as a person meets it: the panel lists every file and rename that
 * bqmigrate.json implies, unticked (VS Code leaves edits that need confirmation for the
 * person to tick); the ticked files are written on Apply, one unticked again is left alone,
 * Undo brings them back; Discard changes nothing.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { expectedWorkspaceFix, type ExpectedFileFix, type ExpectedRename } from './expected';
import type { UiContext, UiTest } from './types';
import { escape, openFile, pollUntil, problemsTotal, runCommand, waitForEditorFocus, waitForWorkbench } from './workbench-actions';

const COMMAND = 'bqmigrate: Fix All Legacy References in Workspace';
/** Unticked in the preview: a file that is not open, of another language than the others. */
const UNTICKED = 'docs/migration-notes.md';
/** Where Undo is pressed: an edited file, opened after the fix. */
const UNDO_IN = 'sql/build_training.sql';

/** A file's row in the preview tree: "sql/build_training.sql, making text edits". */
function fileRow(tree: Locator, file: string): Locator {
  return tree.getByRole('checkbox', { name: new RegExp(`(?:^|/)${escape(file)}, making text edits$`) });
}

/** A rename's row: "line 4, replacing <legacy> with <new>". */
function renameRow(tree: Locator, r: ExpectedRename): Locator {
  return tree.getByRole('checkbox', { name: new RegExp(`^line ${r.line}, replacing ${escape(r.from)} with ${escape(r.to)}$`) });
}

/** The tick box inside a row (the row's own checkbox role carries no checked state). */
async function ticked(row: Locator): Promise<boolean> {
  return (await row.getByRole('checkbox').getAttribute('aria-checked')) === 'true';
}

function readAll(workspace: string, fixes: ExpectedFileFix[]): Map<string, string> {
  return new Map(fixes.map((f) => [f.file, fs.readFileSync(path.join(workspace, f.file), 'utf8')]));
}

/**
 * Runs the command from the palette and waits for the Refactor Preview to list every
 * expected file and rename, unticked, with the legacy and the new name on each rename's row.
 */
async function openPreview({ page, workspace, log }: UiContext): Promise<{ tree: Locator; fixes: ExpectedFileFix[] }> {
  const fixes = await expectedWorkspaceFix(workspace);
  assert.ok(fixes.length >= 2, `bqmigrate.json should give safe renames in several fixture files, got ${fixes.map((f) => f.file).join(', ')}`);
  assert.ok(fixes.some((f) => f.file === UNTICKED) && fixes.some((f) => f.file === UNDO_IN), `${UNTICKED} and ${UNDO_IN} should have safe renames`);
  log(`expected: ${fixes.map((f) => `${f.file} (${f.renames.length})`).join(', ')}`);
  await waitForWorkbench(page);
  // The fix is built from the workspace scan: let it report first, as a person would see it.
  await pollUntil('bqmigrate diagnostics', async () => (await problemsTotal(page)) > 0, 60_000);
  await runCommand(page, COMMAND);
  await page.getByRole('tab', { name: /^Refactor Preview/ }).first().waitFor({ timeout: 30_000 });
  const tree = page.getByRole('tree', { name: 'Bulk Edit' });
  await tree.waitFor({ timeout: 30_000 });
  await maximizePanel(page);
  for (const f of fixes) {
    const row = fileRow(tree, f.file);
    await row.waitFor({ timeout: 30_000 });
    assert.equal(await ticked(row), false, `${f.file} starts unticked (needsConfirmation)`);
    for (const r of f.renames) {
      const edit = renameRow(tree, r).first();
      await edit.waitFor({ timeout: 10_000 });
      assert.equal(await ticked(edit), false, `${f.file}:${r.line} starts unticked`);
      const text = await edit.innerText();
      // The row shows the line with the legacy name struck through and the new one inserted.
      assert.ok(text.includes(r.from) && text.includes(r.to), `${f.file}:${r.line} row shows "${text}"`);
    }
  }
  const renames = fixes.reduce((n, f) => n + f.renames.length, 0);
  assert.equal(await tree.getByRole('checkbox', { name: /^line \d+, replacing / }).count(), renames, 'one row per rename, nothing else');
  assert.equal(await tree.getByRole('checkbox', { name: /, making text edits$/ }).count(), fixes.length, 'one row per file, nothing else');
  return { tree, fixes };
}

/** The tree is virtualised: rows below the panel's fold are not rendered, so give it the window. */
async function maximizePanel(page: Page): Promise<void> {
  const maximize = page.getByRole('button', { name: /^Maximize Panel/ });
  const restore = page.getByRole('button', { name: /^Restore Panel/ });
  // Layout only, and the panel may still be maximised from an earlier preview: click until it is.
  await pollUntil('the panel to be maximised', async () => {
    if (await restore.isVisible()) return true;
    if (await maximize.isVisible()) await maximize.click({ timeout: 2_000 }).catch(() => undefined);
    return false;
  }, 20_000);
}

async function previewClosed(page: Page): Promise<void> {
  await page.getByRole('tree', { name: 'Bulk Edit' }).waitFor({ state: 'hidden', timeout: 30_000 });
}

/** Ticks a file's row in the preview and waits until its renames are ticked with it. */
async function tick(tree: Locator, fix: ExpectedFileFix): Promise<void> {
  const row = fileRow(tree, fix.file);
  await row.getByRole('checkbox').click();
  await pollUntil(`${fix.file} to be ticked`, async () => await ticked(row), 10_000);
  for (const r of fix.renames) await pollUntil(`${fix.file}:${r.line} to be ticked with its file`, async () => await ticked(renameRow(tree, r).first()), 10_000);
}

export const refactorPreviewApplyTest: UiTest = {
  name: 'workspace fix through the Refactor Preview: tick, untick one, apply, undo',
  async run(ctx) {
    const { page, workspace, screenshot, log } = ctx;
    const { tree, fixes } = await openPreview(ctx);
    const original = readAll(workspace, fixes);

    // Tick every file, then untick one again: that one must not change.
    for (const f of fixes) await tick(tree, f);
    const untick = fileRow(tree, UNTICKED);
    await untick.getByRole('checkbox').click();
    await pollUntil(`${UNTICKED} to be unticked`, async () => !(await ticked(untick)), 10_000);
    for (const r of fixes.find((f) => f.file === UNTICKED)!.renames) await pollUntil(`${UNTICKED}:${r.line} to be unticked with its file`, async () => !(await ticked(renameRow(tree, r).first())), 10_000);
    const applied = fixes.filter((f) => f.file !== UNTICKED);
    for (const f of applied) assert.equal(await ticked(fileRow(tree, f.file)), true, `${f.file} still ticked`);

    // A rename's row opens the before/after diff, as a click does for a person.
    await page.getByRole('button', { name: /^Restore Panel/ }).click();
    const shown = fixes.find((f) => f.file === UNDO_IN)!;
    await renameRow(tree, shown.renames[0]!).first().click();
    await pollUntil('the Refactor Preview diff editor', async () => (await page.getByRole('tab', { name: /^Refactor Preview/ }).count()) >= 2, 30_000);
    // The diff has loaded when an editor in it shows the new name.
    await page.getByRole('code').filter({ hasText: shown.renames[0]!.to }).first().waitFor({ timeout: 30_000 });
    await screenshot('refactor-preview');

    const problemsBefore = await problemsTotal(page);
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    await previewClosed(page);
    await pollUntil('the ticked files to be fixed on disk', async () => applied.every((f) => fs.readFileSync(path.join(workspace, f.file), 'utf8') === f.after), 30_000).catch((err) => {
      const now = readAll(workspace, applied);
      throw new Error(`${(err as Error).message}\n${applied.filter((f) => now.get(f.file) !== f.after).map((f) => `${f.file}:\n--- expected\n${f.after}\n--- on disk\n${now.get(f.file)}`).join('\n')}`);
    });
    assert.equal(fs.readFileSync(path.join(workspace, UNTICKED), 'utf8'), original.get(UNTICKED), `${UNTICKED} was unticked: left alone`);
    // The notification goes to the notification centre and the screen reader's alert. It counts what
    // landed (the ticked files), out of what was offered.
    const landed = applied.reduce((n, f) => n + f.renames.length, 0);
    const offered = fixes.reduce((n, f) => n + f.renames.length, 0);
    const wording = `bqmigrate: fixed ${landed} of ${offered} offered reference${landed === 1 ? '' : 's'} in ${applied.length} file${applied.length === 1 ? '' : 's'}`;
    const message = page.getByRole('alert').filter({ hasText: wording }).first();
    await message.waitFor({ state: 'attached', timeout: 15_000 }).catch(async (err) => {
      throw new Error(`${(err as Error).message}\nexpected "${wording}"; alerts: ${JSON.stringify(await page.getByRole('alert').allTextContents())}`);
    });
    log(`notification: ${await message.textContent()}`);

    const problemsFixed = await pollUntil('fewer problems after the fix', async () => {
      const n = await problemsTotal(page);
      return n < problemsBefore ? n : false;
    }, 30_000);
    log(`problems: ${problemsBefore} before, ${problemsFixed} after the fix`);

    // Ctrl+Z in one edited file takes back the whole fix, in every file it touched.
    await openFile(page, UNDO_IN);
    const editor = page.getByRole('code').filter({ hasText: shown.renames[0]!.to }).first();
    // Click into the text first: under load the keys could otherwise reach Quick Open as it closes.
    await editor.click();
    await waitForEditorFocus(page);
    await page.keyboard.press('Control+Z');
    await pollUntil(`the Problems total back to ${problemsBefore}`, async () => (await problemsTotal(page)) === problemsBefore, 30_000);
    await page.getByRole('code').filter({ hasText: shown.renames[0]!.from }).first().waitFor({ timeout: 15_000 });
    // Undo leaves the files modified in memory; saving them puts the originals back on disk.
    await runCommand(page, 'File: Save All Files');
    await pollUntil('every file back to its original text on disk', async () => {
      const now = readAll(workspace, fixes);
      return fixes.every((f) => now.get(f.file) === f.before);
    }, 30_000);
  },
};

export const refactorPreviewDiscardTest: UiTest = {
  name: 'workspace fix through the Refactor Preview: discard changes nothing',
  async run(ctx) {
    const { page, workspace } = ctx;
    const { tree, fixes } = await openPreview(ctx);
    const problems = await problemsTotal(page);
    // Everything ticked, then Discard: nothing may be written.
    for (const f of fixes) await tick(tree, f);
    await page.getByRole('button', { name: 'Discard', exact: true }).click();
    await previewClosed(page);
    for (const [file, text] of readAll(workspace, fixes)) assert.equal(text, fixes.find((f) => f.file === file)!.before, `${file} unchanged on disk`);
    assert.equal(await problemsTotal(page), problems, 'the Problems total is unchanged');
    // Nothing changed in memory either: the fix is built from the open or scanned text, so
    // running it again must offer the same files and renames.
    await runCommand(page, COMMAND);
    await tree.waitFor({ timeout: 30_000 });
    await maximizePanel(page);
    for (const f of fixes) {
      await fileRow(tree, f.file).waitFor({ timeout: 30_000 });
      for (const r of f.renames) await renameRow(tree, r).first().waitFor({ timeout: 10_000 });
    }
    await page.getByRole('button', { name: 'Discard', exact: true }).click();
    await previewClosed(page);
    for (const [file, text] of readAll(workspace, fixes)) assert.equal(text, fixes.find((f) => f.file === file)!.before, `${file} unchanged on disk`);
  },
};
