/** Preview, Run and Validate phases from the command palette against the embedded local (DuckDB) warehouse, without prompts. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { previewPhase } from '../../../src/core/phases/index';
import type { ValidationReport } from '../../../src/core/phases/types';
import { localWarehouseFile, openLocalWarehouse, seedSampleWarehouse } from '../../../src/core/warehouse/index';
import { api, FixtureSnapshot, root, until } from './ext-helpers';
import type { BqmigrateApi } from '../../../src/extension/extension';

const HORIZONS = ['1w', '1m', '3m', '6m', '12m'];
const archiveName = (h: string) => `legacy_20251114__models_v4__production_training_data_${h}`;

// The fixture manifest has no phases: the test adds these to it and restores it afterwards.
const PHASES = `"archive": { "dataset": "archive", "name": "legacy_{date}__{dataset}__{table}", "date": "20251114", "migrationVersion": "naming-v1" },
  "shims": { "graceDays": 30, "quietDays": 7 },
  "phases": [
    { "id": "datasets", "title": "Create new datasets", "steps": [{ "run": "create-datasets" }] },
    { "id": "archive", "title": "Archive legacy tables", "steps": [{ "run": "archive" }] },
    { "id": "targets", "title": "Build training tables", "steps": [{ "run": "create-targets" }] },
    { "id": "shims", "title": "Shim views on legacy names", "steps": [{ "run": "shim-views" }] }
  ]`;

async function withWarehouse<T>(work: (wh: Awaited<ReturnType<typeof openLocalWarehouse>>) => Promise<T>): Promise<T> {
  const wh = await openLocalWarehouse({ file: localWarehouseFile(root()), project: 'cbi-v14', location: 'US' });
  try {
    return await work(wh);
  } finally {
    await wh.close();
  }
}

const journalFile = () => path.join(root(), '.bqmigrate', 'journal.jsonl');
function journalLines(): { runId: string; event: string; phase?: string; step?: string }[] {
  if (!fs.existsSync(journalFile())) return [];
  return fs.readFileSync(journalFile(), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

describe('phases in the editor', () => {
  let ext: BqmigrateApi;
  let saved: FixtureSnapshot;
  let journal: string | undefined;
  const bq = (f: string) => path.join(root(), '.bqmigrate', f);
  const hadValidation = () => fs.existsSync(bq('validation-latest.json'));
  let validationBefore: boolean;

  before(async function () {
    this.timeout(60_000);
    ext = await api();
    const manifest = path.join(root(), 'bqmigrate.json');
    const text = fs.readFileSync(manifest, 'utf8');
    assert.doesNotMatch(text, /"phases"/, 'the fixture manifest has no phases of its own');
    saved = new FixtureSnapshot(['bqmigrate.json']);
    journal = fs.existsSync(journalFile()) ? fs.readFileSync(journalFile(), 'utf8') : undefined;
    validationBefore = hadValidation();
    fs.rmSync(journalFile(), { force: true });
    for (const f of ['local.duckdb', 'local.duckdb.wal']) fs.rmSync(bq(f), { force: true });
    await withWarehouse((wh) => seedSampleWarehouse(wh));
    fs.writeFileSync(manifest, text.replace(/"exclude": \["README.md"\]/, `"exclude": ["README.md"],\n  ${PHASES}`));
    await until('the manifest with phases to load', () => ext.ctx.manifest.loaded?.manifest.phases.length === 4 && !ext.ctx.manifest.current.stale, 20_000);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await saved.restore();
    for (const f of ['local.duckdb', 'local.duckdb.wal', ...(validationBefore ? [] : ['validation-latest.json'])]) fs.rmSync(bq(f), { force: true });
    if (journal === undefined) fs.rmSync(journalFile(), { force: true });
    else fs.writeFileSync(journalFile(), journal);
  });

  it('Preview Phase shows the exact SQL of the archive phase and runs nothing', async function () {
    this.timeout(60_000);
    await vscode.commands.executeCommand('bqmigrate.phases.run', { phase: 'datasets', confirm: true });
    const md = (await vscode.commands.executeCommand('bqmigrate.phases.preview', { phase: 'archive' })) as string;
    const loaded = ext.ctx.manifest.loaded!;
    const { plan } = await withWarehouse((wh) => previewPhase(wh, loaded, 'archive'));
    const sql = plan.steps.flatMap((s) => s.actions.flatMap((a) => a.sql));
    assert.ok(sql.length > 0, 'the archive phase plans SQL');
    const shown = ext.phases()!.docs.text('plan-archive');
    assert.equal(shown, md);
    for (const h of HORIZONS) assert.ok(md.includes(archiveName(h)), `the preview names ${archiveName(h)}`);
    for (const line of sql) assert.ok(md.includes(line), `the preview contains: ${line}`);
    await withWarehouse(async (wh) => assert.equal(await wh.getTable({ dataset: 'archive', table: archiveName('1m') }), undefined, 'preview created nothing'));
  });

  it('Run Phase archives every legacy table, journals its steps and shows the phase complete', async function () {
    this.timeout(120_000);
    const status = await vscode.commands.executeCommand('bqmigrate.phases.run', { phase: 'archive', confirm: true });
    assert.equal(status, 'ok');
    await withWarehouse(async (wh) => {
      for (const h of HORIZONS) {
        const legacy = await wh.getTable({ dataset: 'models_v4', table: `production_training_data_${h}` });
        const copy = await wh.getTable({ dataset: 'archive', table: archiveName(h) });
        assert.ok(legacy && copy, `archive.${archiveName(h)} exists`);
        assert.equal(copy.rowCount, legacy.rowCount, `${h}: same row count`);
        assert.ok((legacy.rowCount ?? 0) > 0);
        const cols = copy.schema.map((c) => c.name);
        for (const c of ['archived_date', 'original_location', 'migration_version']) assert.ok(cols.includes(c), `${h} has ${c}`);
      }
    });
    const events = journalLines().filter((e) => e.phase === 'archive');
    assert.ok(events.some((e) => e.event === 'step-start' && e.step === 'archive'), 'step-start journaled');
    assert.ok(events.some((e) => e.event === 'step-end' && e.step === 'archive'), 'step-end journaled');
    const tree = ext.phases()!.tree;
    await tree.refresh();
    const archive = await until('the archive phase to show complete', () => tree.getChildren().find((n) => n.kind === 'phase' && n.phase.id === 'archive' && n.phase.state === 'complete'));
    const item = tree.getTreeItem(archive);
    assert.match(String(item.description), /archive · complete/);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'pass-filled');
    const other = tree.getChildren().find((n) => n.kind === 'phase' && n.phase.id === 'shims');
    assert.equal(other?.kind === 'phase' && other.phase.state, 'not-started');
  });

  it('a destructive phase without confirmation is refused and changes nothing', async function () {
    this.timeout(60_000);
    assert.equal(await vscode.commands.executeCommand('bqmigrate.phases.run', { phase: 'targets', confirm: true }), 'ok');
    const before = journalLines().length;
    const status = await vscode.commands.executeCommand('bqmigrate.phases.run', { phase: 'shims', confirm: false });
    assert.equal(status, 'not confirmed');
    assert.equal(journalLines().filter((e) => e.phase === 'shims' && e.event === 'step-start').length, 0, 'no shim step started');
    assert.ok(journalLines().length >= before);
    await withWarehouse(async (wh) => {
      for (const h of HORIZONS) assert.equal((await wh.getTable({ dataset: 'models_v4', table: `production_training_data_${h}` }))?.type, 'TABLE', `${h} is still a table`);
    });
  });

  it('Validate Migration writes .bqmigrate/validation-latest.json with passing checks', async function () {
    this.timeout(120_000);
    fs.rmSync(bq('validation-latest.json'), { force: true });
    const report = (await vscode.commands.executeCommand('bqmigrate.phases.validate')) as ValidationReport;
    const onDisk = JSON.parse(fs.readFileSync(bq('validation-latest.json'), 'utf8')) as ValidationReport;
    assert.equal(onDisk.ts, report.ts);
    assert.ok(onDisk.checks.length > 0);
    const failed = onDisk.checks.filter((c) => !c.pass);
    assert.deepEqual(failed, [], 'every check passes');
    assert.equal(onDisk.failed, 0);
    assert.equal(onDisk.passed, onDisk.checks.filter((c) => c.pass).length);
    for (const h of HORIZONS) assert.ok(onDisk.checks.some((c) => c.subject === `training.zl_training_prod_allhistory_${h}` && c.pass), `a passing check on the ${h} target`);
  });
});
