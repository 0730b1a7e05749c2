/** Hover, Go to Definition, Find All References and Rename on the fixture workspace. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, FixtureSnapshot, ours, uri } from './ext-helpers';

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}

describe('navigation', () => {
  before(async () => {
    await api();
  });

  it('hover on a legacy reference: legacy → new, status, dataset descriptions and the naming verdict', async () => {
    const file = uri('sql/build_training.sql');
    const [d] = ours(file, 'legacy-reference');
    assert.ok(d);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', file, d.range.start.translate(0, 12));
    const text = hoverText(hovers);
    assert.match(text, /`models_v4\.production_training_data_1m` → `training\.zl_training_prod_allhistory_1m`/);
    assert.match(text, /Status: \*\*migrated\*\*/);
    assert.match(text, /Legacy model workspace, retired by the naming migration/);
    assert.match(text, /Training surfaces, named/);
    assert.match(text, /follows \{asset\}_\{function\}_\{scope\}_\{regime\}_\{horizon\}/);
  });

  it('hover on a name that breaks the convention says which segment fails', async () => {
    const file = uri('sql/regimes.sql');
    const [d] = ours(file, 'naming-convention');
    assert.ok(d);
    const text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', file, d.range.start.translate(0, 3)));
    assert.match(text, /training\.horizon_1m_production/);
    assert.match(text, /does not follow/);
    assert.match(text, /segment \{asset\}/);
  });

  it('Go to Definition jumps from a reference to its mapping in bqmigrate.json', async () => {
    const file = uri('src/loadTraining.ts');
    const [, crisis] = ours(file, 'legacy-reference');
    assert.ok(crisis);
    const defs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', file, crisis.range.start.translate(0, 20));
    assert.equal(defs.length, 1);
    const def = defs[0]!;
    const target = 'targetUri' in def ? def.targetUri : def.uri;
    const range = 'targetRange' in def ? def.targetRange : def.range;
    assert.equal(target.fsPath, uri('bqmigrate.json').fsPath);
    const manifest = await vscode.workspace.openTextDocument(target);
    assert.match(manifest.getText(range), /"from": "models_v4\.crisis_2008_historical"/);
  });

  it('Find All References from a mapping in the manifest lists every reference in the workspace', async () => {
    const manifest = await vscode.workspace.openTextDocument(uri('bqmigrate.json'));
    const line = manifest.getText().split('\n').findIndex((l) => l.includes('"from": "models_v4.production_training_data_{horizon}"'));
    assert.ok(line > 0);
    const refs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', manifest.uri, new vscode.Position(line, 15));
    const files = new Set(refs.map((r) => vscode.workspace.asRelativePath(r.uri)));
    for (const f of ['sql/build_training.sql', 'src/loadTraining.ts', 'scripts/export_training_data.py', 'docs/migration-notes.md']) assert.ok(files.has(f), `${f} missing from ${[...files].join(', ')}`);
    assert.ok(!files.has('sql/clean.sql'));
  });

  it('Explain a Table Name gives the segment-by-segment verdict', async () => {
    const good = (await vscode.commands.executeCommand('bqmigrate.explainName', 'training.zl_training_prod_allhistory_1m')) as { ok: boolean; segments: { name: string; value?: string }[] };
    assert.equal(good.ok, true);
    assert.deepEqual(good.segments.map((s) => `${s.name}=${s.value}`), ['asset=zl', 'function=training', 'scope=prod', 'regime=allhistory', 'horizon=1m']);
    const bad = (await vscode.commands.executeCommand('bqmigrate.explainName', 'training.zl_training_prod_allhistory_2y')) as { ok: boolean; failure?: { segment?: string } };
    assert.equal(bad.ok, false);
    assert.equal(bad.failure?.segment, 'horizon');
  });

  it('Show Problems opens the Problems panel', async () => {
    await vscode.commands.executeCommand('bqmigrate.showProblems');
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });

  describe('rename', () => {
    let saved: FixtureSnapshot;
    before(() => {
      saved = new FixtureSnapshot(['sql/regimes.sql', 'bqmigrate.json']);
    });
    after(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await saved.restore();
    });

    it('F2 on a legacy reference renames it everywhere and updates the mapping in the manifest', async () => {
      const file = uri('sql/regimes.sql');
      const trump = ours(file, 'legacy-reference').find((d) => d.range.start.line === 1);
      assert.ok(trump);
      const pos = trump.range.start.translate(0, 12);
      const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', file, pos, 'training.zl_training_prod_trump2023_3m');
      assert.ok(edit);
      const byFile = new Map(edit.entries().map(([u, e]) => [vscode.workspace.asRelativePath(u), e]));
      assert.ok(byFile.has('sql/regimes.sql'));
      assert.ok(byFile.has('bqmigrate.json'));
      assert.ok(await vscode.workspace.applyEdit(edit));
      const doc = await vscode.workspace.openTextDocument(file);
      assert.equal(doc.lineAt(1).text, 'SELECT * FROM training.zl_training_prod_trump2023_3m;');
      const manifest = await vscode.workspace.openTextDocument(uri('bqmigrate.json'));
      assert.match(manifest.getText(), /"from": "models_v4\.trump_rich_2023_2025",\s*"to": "training\.zl_training_prod_trump2023_3m"/);
      assert.match(manifest.getText(), /\/\/ Fixture manifest for the host tests/, 'comments survive');
    });

    it('rejects a new name that breaks the naming convention, naming the segment', async () => {
      const file = uri('sql/regimes.sql');
      const unmapped = ours(file, 'legacy-reference').find((d) => d.range.start.line === 2);
      assert.ok(unmapped);
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand('vscode.executeDocumentRenameProvider', file, unmapped.range.start.translate(0, 12), 'training.zl_scoring_prod_vertex_1m')),
        /\{function\}/,
      );
    });
  });
});
