/** The Mappings view: groups, items, counts, badge, grouping, filter, and the item commands. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import * as fs from 'node:fs';
import { writeReadersFile } from '../../../src/core/readers/report';
import type { ReadersReport } from '../../../src/core/readers/types';
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

  it('shows who still reads a legacy name from the last `bqmigrate readers` report: a badge and the readers in the tooltip', async () => {
    const t = await tree();
    await vscode.commands.executeCommand('bqmigrate.mappings.groupBy', 'legacyDataset');
    const prod = t.entries().findIndex((e) => e.mapping.from === 'models_v4.production_training_data_{horizon}');
    const root = (await api()).ctx.manifest.loaded!.root;
    const report: ReadersReport = {
      version: 1,
      generatedAt: '2026-11-23T15:30:00.000Z',
      backend: 'bigquery',
      project: 'cbi-v14',
      days: 7,
      since: '2026-11-16T15:30:00.000Z',
      jobsScanned: 4,
      cacheHitJobs: 1,
      coverage: { ownProject: 'INFORMATION_SCHEMA.JOBS', otherProjects: 'not verified', otherProjectsReason: 'JOBS_BY_ORGANIZATION could not be read' },
      names: [
        { name: 'models_v4.production_training_data_1m', mappingIndex: prod, to: 'training.zl_training_prod_allhistory_1m', shim: true, exists: true, jobs: 3, lastRead: '2026-11-22T09:00:00.000Z', otherProjects: 'not verified', quiet: false, readers: [{ principal: 'analyst@example.com', project: 'cbi-v14', jobs: 3, lastRead: '2026-11-22T09:00:00.000Z', sampleJobId: 'bquxjob_42', cacheHits: 1, via: ['query text'] }] },
        { name: 'models_v4.production_training_data_1w', mappingIndex: prod, to: 'training.zl_training_prod_allhistory_1w', shim: false, exists: true, jobs: 0, otherProjects: 'not verified', quiet: false, readers: [] },
      ],
      notes: [],
    };
    const file = writeReadersFile(root, report);
    try {
      const row = () => items(t).find((r) => r.label.startsWith('models_v4.production_training_data_{horizon}'));
      await until('the row to say it is still read', () => /· still read$/.test(row()?.description ?? ''));
      const node = t.nodeOf(prod)!;
      const tip = (t.getTreeItem(node).tooltip as vscode.MarkdownString).value;
      assert.match(tip, /`models_v4\.production_training_data_1m` \(shim\): still read, 3 job\(s\)/);
      assert.match(tip, /analyst@example\.com: 3 job\(s\) \(1 cache hit\(s\)\), last 2026-11-22, e\.g\. job `bquxjob_42`/);
      assert.match(tip, /Not verified for other projects: JOBS_BY_ORGANIZATION could not be read/);
    } finally {
      fs.rmSync(file, { force: true });
    }
    await until('the badge to go with the report', () => !/still read/.test(items(t).find((r) => r.label.startsWith('models_v4.production_training_data_{horizon}'))?.description ?? ''));
  });

  it('fixes all references of one mapping across the workspace and leaves other mappings alone', async () => {
    // Files written under .bqmigrate/ by the test before (the readers report) start a re-scan: fix from its results.
    await idle();
    const t = await tree();
    const prod = t.entries().findIndex((e) => e.mapping.from === 'models_v4.production_training_data_{horizon}');
    // A re-scan still settling (the test before wrote and removed a report under .bqmigrate/) can leave
    // the fix with nothing to apply for a moment: ask again once the scan is idle, a bounded number of times.
    let result = { files: 0, edits: 0, applied: false };
    for (let attempt = 0; attempt < 5 && !result.applied; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 1000)).then(idle);
      result = (await vscode.commands.executeCommand('bqmigrate.mapping.fixAll', { index: prod }, { preview: false })) as typeof result;
    }
    assert.equal(result.applied, true, JSON.stringify(result));
    assert.equal(result.edits, 6);
    const ts = fs.readFileSync(uri('src/loadTraining.ts').fsPath, 'utf8');
    assert.match(ts, /'training\.zl_training_prod_allhistory_1m'/);
    assert.match(ts, /models_v4\.crisis_2008_historical/, 'another mapping is untouched');
    await until('the mapping to show no references left', () => t.entries()[prod]?.references === 0);
  });
  it('nests column mappings under their table row with their own status and references left; a table no mapping moves gets a row of its own', async () => {
    const t = await tree();
    await vscode.commands.executeCommand('bqmigrate.mappings.groupBy', 'legacyDataset');
    await vscode.commands.executeCommand('bqmigrate.mappings.filter', 'all');
    const doc = await vscode.workspace.openTextDocument((await api()).ctx.manifest.current.file!);
    const text = doc.getText();
    const anchor = '"kind": "path",\n      "status": "planned"\n    }';
    assert.ok(text.includes(anchor), 'the fixture manifest ends its mappings with the path mapping');
    const columns = [
      '{ "kind": "column", "table": "models_v4.production_training_data_{horizon}", "from": "zl_price_current", "to": "zl_price_settle" }',
      '{ "kind": "column", "table": "training.zl_training_prod_allhistory_{horizon}", "from": ["target_1m", "target_3m"], "to": "target_near", "combine": "coalesce", "status": "migrated" }',
      '{ "kind": "column", "table": "training.regime_calendar", "from": "regime", "to": "regime_name" }',
    ];
    const at = doc.positionAt(text.indexOf(anchor) + anchor.length);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, at, `,\n    ${columns.join(',\n    ')}`);
    assert.ok(await vscode.workspace.applyEdit(edit));
    await doc.save();
    const prodRow = () => (t.getChildren() as MappingTreeNode[]).flatMap((g) => (g.kind === 'group' ? t.getChildren(g) : [])).find((n) => n.kind === 'mapping' && n.mapping.from === 'models_v4.production_training_data_{horizon}');
    await until('the production row to hold its column mappings and their counts', () => {
      const row = prodRow();
      const kids = row ? t.getChildren(row) : [];
      return kids.length === 2 && kids.some((k) => String(t.getTreeItem(k).description) === 'rename · 1 reference left');
    });
    const row = prodRow()!;
    const rowItem = t.getTreeItem(row);
    assert.equal(rowItem.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    assert.match(String(rowItem.description), / · 2 column mappings$/);
    const kids = t.getChildren(row).map((k) => ({ node: k, item: t.getTreeItem(k) }));
    assert.deepEqual(kids.map((k) => [String(k.item.label), String(k.item.description), (k.item.iconPath as vscode.ThemeIcon).id, k.item.contextValue]), [
      ['zl_price_current → zl_price_settle', 'rename · 1 reference left', 'circle-large-outline', 'column:planned'],
      // The fix-all test before moved build_training.sql to the new table name, which this mapping names.
      ['target_1m, target_3m → target_near', 'coalesce · 1 reference left', 'pass', 'column:migrated'],
    ]);
    const parent = t.getParent(kids[0]!.node);
    assert.equal(parent?.kind, 'mapping');
    assert.equal(parent?.kind === 'mapping' && parent.mapping.from, 'models_v4.production_training_data_{horizon}');
    // The table rows' counts still add up to the workspace total: column findings are counted apart.
    const stats = await idle();
    assert.equal(t.entries().reduce((n, e) => n + e.references, 0), stats.totals.references);
    const own = (t.getChildren() as MappingTreeNode[]).find((n) => n.kind === 'columnTable');
    assert.ok(own, 'a row for the table no mapping moves');
    assert.equal(String(t.getTreeItem(own).label), 'training.regime_calendar');
    assert.equal(String(t.getTreeItem(own).description), 'columns only · 1 column mapping · no references left');
    assert.deepEqual(t.getChildren(own).map((k) => String(t.getTreeItem(k).label)), ['regime → regime_name']);
    await vscode.commands.executeCommand('bqmigrate.mappings.filter', 'withReferences');
    assert.equal((t.getChildren() as MappingTreeNode[]).filter((n) => n.kind === 'columnTable').length, 0, 'its one column has no references left');
    await vscode.commands.executeCommand('bqmigrate.mappings.filter', 'all');
  });
});
