/** The three fix scopes and suppressions, applied in a real VS Code and checked in the text. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { api, codeActionsAt as actionsAt, FixtureSnapshot, FIXTURE_SOURCES, idle, ours, sleep, until, uri } from './ext-helpers';

describe('code actions', () => {
  let saved: FixtureSnapshot;
  before(async () => {
    await api();
    saved = new FixtureSnapshot(FIXTURE_SOURCES);
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await saved.restore();
  });

  it('offers a preferred QuickFix "Rename to <new name>" that rewrites the reference and keeps its form', async () => {
    const file = uri('sql/build_training.sql');
    const doc = await vscode.workspace.openTextDocument(file);
    const [d] = ours(file, 'legacy-reference');
    assert.ok(d);
    const actions = await actionsAt(file, d.range);
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix, `no preferred action among ${actions.map((a) => a.title).join(' | ')}`);
    assert.match(fix.title, /training\.zl_training_prod_allhistory_1m/);
    assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
    assert.ok(fix.edit && (await vscode.workspace.applyEdit(fix.edit)));
    assert.equal(doc.lineAt(3).text, 'FROM `cbi-v14.training.zl_training_prod_allhistory_1m`');
    assert.equal(doc.lineAt(7).text, 'FROM models_v4.production_training_data_3m AS t', 'only the one reference changed');
  });

  it('"Fix all bqmigrate problems in this file" fixes every reference of the file', async function () {
    // The first TypeScript file of the session activates VS Code's TypeScript extension, and the
    // code-action request waits for every provider of the file, TypeScript's too: its server starts
    // first (over 40 s on a loaded 2-core machine). Its providers registering mid-request cancel
    // the request; codeActionsAt asks again.
    this.timeout(180_000);
    const file = uri('src/loadTraining.ts');
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    const [d] = ours(file, 'legacy-reference');
    assert.ok(d);
    const all = (await actionsAt(file, d.range)).find((a) => a.title === 'Fix all bqmigrate problems in this file');
    assert.ok(all?.edit, 'the file fix-all is offered next to the QuickFix');
    assert.equal(await vscode.commands.executeCommand('bqmigrate.fixAllInFile', file), true);
    assert.match(doc.lineAt(1).text, /'training\.zl_training_prod_allhistory_1m'/);
    assert.match(doc.lineAt(4).text, /\\`cbi-v14\.training\.zl_training_full_crisis2008_1m\\`/, 'escaped backticks inside the template literal are kept');
    assert.match(doc.lineAt(4).text, /LIMIT \$\{limit\}`;$/, 'the template literal around it is intact');
  });

  it('source.fixAll.bqmigrate is offered for its kind and applied by editor.codeActionsOnSave', async () => {
    const file = uri('sql/build_training.sql');
    const kindOnly = await actionsAt(file, new vscode.Range(0, 0, 0, 0), 'source.fixAll.bqmigrate');
    assert.equal(kindOnly.length, 1);
    assert.equal(kindOnly[0]!.kind?.value, 'source.fixAll.bqmigrate');
    const config = vscode.workspace.getConfiguration('editor');
    await config.update('codeActionsOnSave', { 'source.fixAll.bqmigrate': 'explicit' }, vscode.ConfigurationTarget.Workspace);
    await until('the setting to reach the extension host', () => JSON.stringify(vscode.workspace.getConfiguration('editor').get('codeActionsOnSave')).includes('bqmigrate'));
    // The workbench (renderer) reads the setting on its own side; give it a moment to arrive there too.
    await sleep(750);
    try {
      const doc = await vscode.workspace.openTextDocument(file);
      const editor = await vscode.window.showTextDocument(doc);
      await editor.edit((b) => b.insert(new vscode.Position(0, 0), '-- touched\n'));
      await vscode.commands.executeCommand('workbench.action.files.save');
      await until('the save to finish', () => !doc.isDirty);
      const onDisk = fs.readFileSync(file.fsPath, 'utf8');
      assert.match(onDisk, /`cbi-v14\.training\.zl_training_prod_allhistory_1m`/);
      assert.match(onDisk, /FROM training\.zl_training_prod_allhistory_3m AS t/);
      assert.doesNotMatch(onDisk, /models_v4/);
    } finally {
      await config.update('codeActionsOnSave', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('the workspace fix rewrites files that are not open, saves them, and leaves unmapped references alone', async () => {
    const result = (await vscode.commands.executeCommand('bqmigrate.fixAllInWorkspace', { preview: false })) as { files: number; edits: number; applied: boolean };
    assert.equal(result.applied, true);
    assert.ok(result.files >= 4, `fixed ${result.files} files`);
    const py = fs.readFileSync(uri('scripts/export_training_data.py').fsPath, 'utf8');
    assert.match(py, /`cbi-v14\.training\.zl_training_prod_allhistory_1w`/);
    assert.match(py, /"training\.zl_training_prod_allhistory_12m"/);
    const md = fs.readFileSync(uri('docs/migration-notes.md').fsPath, 'utf8');
    assert.match(md, /moved from `training\.zl_training_prod_allhistory_6m`/);
    const regimes = fs.readFileSync(uri('sql/regimes.sql').fsPath, 'utf8');
    assert.match(regimes, /models_v4\.vertex_ai_training_1m_base/, 'an unmapped table has no fix');
    assert.match(regimes, /models_v4\.trump_rich_2023_2025/, 'a planned mapping\'s rename is unsafe: not applied workspace-wide');
    assert.match(regimes, /training\.horizon_1m_production/);
    await idle();
    await until('the legacy references with a safe fix to be gone', () =>
      ['sql/build_training.sql', 'docs/migration-notes.md'].every((rel) => ours(uri(rel), 'legacy-reference').length === 0) &&
      ours(uri('src/loadTraining.ts'), 'legacy-reference').length === 1,
    );
  });

  it('the workspace fix goes through the refactor preview by default (needsConfirmation on every edit)', async () => {
    // Applying with the preview would wait for a person; a dry run returns what would be applied.
    const dry = (await vscode.commands.executeCommand('bqmigrate.fixAllInWorkspace', { dryRun: true })) as { files: number; edits: number; applied: boolean; needsConfirmation: boolean };
    assert.equal(dry.applied, false);
    assert.ok(dry.edits >= 6, `${dry.edits} edits`);
    assert.equal(dry.needsConfirmation, true);
    assert.match(fs.readFileSync(uri('sql/build_training.sql').fsPath, 'utf8'), /models_v4\.production_training_data_1m/, 'a dry run changes nothing');
  });

  it('suppresses a rule for one line in the file\'s comment syntax', async () => {
    const file = uri('sql/regimes.sql');
    const doc = await vscode.workspace.openTextDocument(file);
    const [d] = ours(file, 'naming-convention');
    assert.ok(d);
    const disable = (await actionsAt(file, d.range)).find((a) => a.title === 'Disable bqmigrate naming-convention for this line');
    assert.ok(disable?.edit);
    assert.ok(await vscode.workspace.applyEdit(disable.edit));
    assert.equal(doc.lineAt(4).text, '-- bqmigrate-disable-next-line naming-convention');
    await until('the naming diagnostic to be suppressed', () => ours(file, 'naming-convention').length === 0);
  });

  it('suppresses a rule for the whole file, in Python with #', async () => {
    const file = uri('scripts/export_training_data.py');
    const doc = await vscode.workspace.openTextDocument(file);
    const [d] = ours(file, 'legacy-reference');
    assert.ok(d);
    const disable = (await actionsAt(file, d.range)).find((a) => a.title === 'Disable bqmigrate legacy-reference for the entire file');
    assert.ok(disable?.edit);
    assert.ok(await vscode.workspace.applyEdit(disable.edit));
    assert.equal(doc.lineAt(0).text, '# bqmigrate-disable legacy-reference');
    await until('all legacy-reference diagnostics of the file to be suppressed', () => ours(file, 'legacy-reference').length === 0);
  });
});
