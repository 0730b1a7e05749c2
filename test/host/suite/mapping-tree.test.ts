/** The Mappings view: groups, items, counts, badge, grouping, filter, and the item commands. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import * as fs from 'node:fs';
import { api, FixtureSnapshot, FIXTURE_SOURCES, idle, until, uri } from './ext-helpers';
import type { MappingTreeNode, MappingTreeProvider } from '../../../src/extension/mapping-tree/provider';

async function tree(): Promise<MappingTreeProvider> {
  const t = (await api()).mappingTree();
  assert.ok(t, 'the mapping tree is registered');
  return t;
}

function items(t: MappingTreeProvider): { group: string; label: string; description: string; context: string; icon: string }[] {
  const out = [];
  for (const g of t.getChildren() as MappingTreeNode[]) {
    const gi = t.getTreeItem(g);
    for (const m of t.getChildren(g)) {
      const ti = t.getTreeItem(m);
      out.push({ group: String(gi.label), label: String(ti.label), description: String(ti.description), context: String(ti.contextValue), icon: (ti.iconPath as vscode.ThemeIcon).id });
    }
  }
  return out;
}

describe('mapping tree', () => {
  let saved: FixtureSnapshot;
  before(async () => {
    await api();
    saved = new FixtureSnapshot(FIXTURE_SOURCES);
  });
  after(async () => {
    await vscode.commands.executeCommand('bqmigrate.mappings.groupBy', 'legacyDataset');
    await vscode.commands.executeCommand('bqmigrate.mappings.filter', 'all');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await saved.restore();
  });

  it('groups by legacy dataset and shows legacy → new, a status icon and the references left', async () => {
    const t = await tree();
    await vscode.commands.executeCommand('bqmigrate.mappings.groupBy', 'legacyDataset');
    const rows = items(t);
    const prod = rows.find((r) => r.label === 'models_v4.production_training_data_{horizon} → training.zl_training_prod_allhistory_{horizon}');
    assert.ok(prod, rows.map((r) => r.label).join('\n'));
    assert.equal(prod.group, 'models_v4');
    assert.equal(prod.icon, 'pass', 'migrated');
    assert.equal(prod.description, '6 references left');
    const vertex = rows.find((r) => r.label === 'models_v4.vertex_ai_training_1m_base → (unmapped)');
    assert.ok(vertex);
    assert.equal(vertex.icon, 'question');
    assert.equal(vertex.context, 'mapping:planned:unmapped');
    assert.equal(vertex.description, '1 reference left');
    assert.equal(rows.find((r) => r.label.startsWith('models_v4.trump_rich_2023_2025'))?.description, '1 reference left');
    assert.equal(rows.find((r) => r.label.startsWith('production_training_data_{horizon}.parquet'))?.group, '(paths)');
  });

  it('the counts add up to the workspace total that the badge and status bar show', async () => {
    const t = await tree();
    const stats = await idle();
    const sum = t.entries().reduce((n, e) => n + e.references, 0);
    assert.equal(sum, stats.totals.references);
  });

  it('switches grouping to status and to target dataset', async () => {
    const t = await tree();
    await vscode.commands.executeCommand('bqmigrate.mappings.groupBy', 'status');
    assert.deepEqual((t.getChildren() as MappingTreeNode[]).map((g) => String(t.getTreeItem(g).label)), ['planned', 'migrated']);
    await vscode.commands.executeCommand('bqmigrate.mappings.groupBy', 'targetDataset');
    assert.deepEqual((t.getChildren() as MappingTreeNode[]).map((g) => String(t.getTreeItem(g).label)), ['training', '(paths)', '(unmapped)']);
  });

  it('filters to unmapped mappings only', async () => {
    const t = await tree();
    await vscode.commands.executeCommand('bqmigrate.mappings.filter', 'unmapped');
    assert.deepEqual(items(t).map((r) => r.label), ['models_v4.vertex_ai_training_1m_base → (unmapped)']);
    await vscode.commands.executeCommand('bqmigrate.mappings.clearFilter');
    assert.equal(items(t).length, 5);
  });

  it('set target name rejects a name that breaks the convention and writes a valid one to the manifest', async () => {
    const t = await tree();
    const vertexIndex = t.entries().findIndex((e) => e.mapping.from === 'models_v4.vertex_ai_training_1m_base');
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('bqmigrate.mapping.setTarget', { index: vertexIndex }, 'training.vertex_1m')), /does not follow/);
    await vscode.commands.executeCommand('bqmigrate.mapping.setTarget', { index: vertexIndex }, 'training.zl_training_full_vertex_1m');
    await until('the tree to show the new target', () => items(t).some((r) => r.label === 'models_v4.vertex_ai_training_1m_base → training.zl_training_full_vertex_1m'));
    await vscode.commands.executeCommand('bqmigrate.mapping.setStatus', { index: vertexIndex }, 'shimmed');
    await until('the status to change', () => t.entries()[vertexIndex]?.mapping.status === 'shimmed');
    const text = (await vscode.workspace.openTextDocument((await api()).ctx.manifest.current.file!)).getText();
    const entry = text.slice(text.indexOf('"from": "models_v4.vertex_ai_training_1m_base"'));
    const object = entry.slice(0, entry.indexOf('}'));
    assert.match(object, /"to": "training\.zl_training_full_vertex_1m"/);
    assert.match(object, /"status": "shimmed"/);
    assert.match(object, /"note": "Not mapped yet/, 'other fields are kept');
  });

  it('copies the new name and reveals references', async () => {
    const t = await tree();
    const crisis = t.entries().findIndex((e) => e.mapping.from === 'models_v4.crisis_2008_historical');
    assert.equal(await vscode.commands.executeCommand('bqmigrate.mapping.copyNewName', { index: crisis }), 'training.zl_training_full_crisis2008_1m');
    assert.equal(await vscode.env.clipboard.readText(), 'training.zl_training_full_crisis2008_1m');
    const locations = (await vscode.commands.executeCommand('bqmigrate.mapping.revealReferences', { index: crisis })) as vscode.Location[];
    assert.deepEqual(locations.map((l) => vscode.workspace.asRelativePath(l.uri)), ['src/loadTraining.ts']);
  });

  it('fixes all references of one mapping across the workspace and leaves other mappings alone', async () => {
    const t = await tree();
    const prod = t.entries().findIndex((e) => e.mapping.from === 'models_v4.production_training_data_{horizon}');
    const result = (await vscode.commands.executeCommand('bqmigrate.mapping.fixAll', { index: prod }, { preview: false })) as { files: number; edits: number; applied: boolean };
    assert.equal(result.applied, true);
    assert.equal(result.edits, 6);
    const ts = fs.readFileSync(uri('src/loadTraining.ts').fsPath, 'utf8');
    assert.match(ts, /'training\.zl_training_prod_allhistory_1m'/);
    assert.match(ts, /models_v4\.crisis_2008_historical/, 'another mapping is untouched');
    await until('the mapping to show no references left', () => t.entries()[prod]?.references === 0);
  });
});
