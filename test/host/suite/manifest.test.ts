/** The manifest in the editor: problems at their exact position, and a broken manifest never stops the extension. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { api, codeOf, FixtureSnapshot, idle, ours, until, uri } from './ext-helpers';

describe('manifest', () => {
  let saved: FixtureSnapshot;
  let original: string;
  before(async () => {
    await api();
    saved = new FixtureSnapshot(['bqmigrate.json', 'sql/clean.sql']);
    original = fs.readFileSync(uri('bqmigrate.json').fsPath, 'utf8');
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await saved.restore();
  });

  it('contributes the JSON schema for bqmigrate.json', () => {
    const pkg = vscode.extensions.getExtension('cbi-v14.bqmigrate')!.packageJSON;
    const entry = pkg.contributes.jsonValidation.find((j: { fileMatch: string[] }) => j.fileMatch.includes('bqmigrate.json'));
    assert.ok(entry);
    assert.ok(fs.existsSync(vscode.Uri.joinPath(vscode.extensions.getExtension('cbi-v14.bqmigrate')!.extensionUri, entry.url).fsPath), `${entry.url} exists`);
  });

  it('a schema error shows at the exact value, and the last good manifest keeps serving', async () => {
    const broken = original.replace('"status": "migrated"', '"status": "done"');
    assert.notEqual(broken, original);
    fs.writeFileSync(uri('bqmigrate.json').fsPath, broken);
    const [problem] = await until('a manifest diagnostic', () => ours(uri('bqmigrate.json'), 'manifest').length > 0 && ours(uri('bqmigrate.json'), 'manifest'));
    assert.ok(problem);
    const offset = broken.indexOf('"done"');
    const before = broken.slice(0, offset).split('\n');
    assert.equal(problem.range.start.line, before.length - 1);
    assert.equal(problem.range.start.character, before[before.length - 1]!.length);
    assert.equal(problem.range.end.character, problem.range.start.character + '"done"'.length);
    assert.match(problem.message, /mappings\.0\.status/);
    assert.match(problem.message, /last good manifest/);
    const stats = await idle();
    assert.equal(stats.manifest.stale, true);
    // Linting goes on with the last good manifest: closed files keep their diagnostics, edits are linted.
    assert.equal(ours(uri('sql/build_training.sql'), 'legacy-reference').length, 2);
    const doc = await vscode.workspace.openTextDocument(uri('sql/clean.sql'));
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), 'SELECT 1 FROM models_v4.crisis_2008_historical;\n'));
    await until('the edit to be linted with the last good manifest', () => ours(doc.uri, 'legacy-reference').length === 1);
    await vscode.commands.executeCommand('undo');
  });

  it('a JSON syntax error shows at its position', async () => {
    const broken = original.replace('"location": "US",', '"location": "US"');
    fs.writeFileSync(uri('bqmigrate.json').fsPath, broken);
    const [problem] = await until('a syntax diagnostic', () => {
      const ds = ours(uri('bqmigrate.json'), 'manifest');
      return ds.length > 0 && ds.some((d) => /invalid JSON/.test(d.message)) && ds;
    });
    assert.ok(problem);
    const line = broken.split('\n').findIndex((l) => l.includes('"datasets"'));
    assert.equal(problem.range.start.line, line, 'the missing comma is reported where the next property starts');
    assert.equal(codeOf(problem), 'manifest');
  });

  it('fixing the manifest clears its problems and adopts it', async () => {
    fs.writeFileSync(uri('bqmigrate.json').fsPath, original.replace('"status": "migrated"', '"status": "shimmed"'));
    await until('the problems to clear', () => ours(uri('bqmigrate.json'), 'manifest').length === 0);
    const stats = await until('the manifest to be current again', async () => {
      const s = await idle();
      return s.manifest.stale === false && s;
    });
    assert.equal(stats.manifest.problems, 0);
    const { ctx } = await api();
    assert.equal(ctx.manifest.loaded?.manifest.mappings[0]?.status, 'shimmed');
  });

  it('Import Inventory… adds the unmapped legacy tables of a CSV export to the manifest, keeping comments', async () => {
    const csv = uri('inventory.csv');
    fs.writeFileSync(
      csv.fsPath,
      [
        'dataset_name,table_name,table_type,row_count',
        'models_v4,crisis_2008_historical,BASE TABLE,5000',
        'models_v4,recovery_2010_2016_historical,BASE TABLE,1200',
        'models_v4,scratch_copy,BASE TABLE,0',
        'training,zl_training_prod_allhistory_1m,BASE TABLE,1404',
      ].join('\n') + '\n',
    );
    try {
      const { ctx } = await api();
      const before = ctx.manifest.loaded!.manifest.mappings.length;
      const summary = (await vscode.commands.executeCommand('bqmigrate.importInventory', csv)) as { added: number; covered: number; empty: number };
      assert.equal(summary.added, 2);
      assert.equal(summary.covered, 2, 'one already mapped, one in an approved dataset');
      assert.equal(summary.empty, 1);
      await until('the manifest in use to have the new mappings', () => ctx.manifest.loaded!.manifest.mappings.length === before + 2);
      const text = fs.readFileSync(uri('bqmigrate.json').fsPath, 'utf8');
      assert.match(text, /"from": "models_v4\.recovery_2010_2016_historical"/);
      assert.match(text, /\/\/ Fixture manifest for the host tests/);
    } finally {
      fs.rmSync(csv.fsPath, { force: true });
    }
  });
});
