/** "Check Warehouse Access" and "Export Tables…" against the embedded local (DuckDB) warehouse, run without prompts. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AccessCheck, ExportOutcome } from '../../../src/core/inventory/index';
import { localWarehouseFile, openLocalWarehouse, seedSampleWarehouse } from '../../../src/core/warehouse/index';
import { api, FixtureSnapshot, root } from './ext-helpers';

const APPROVED = ['training', 'archive', 'features', 'predictions'];
const HORIZONS = ['1w', '1m', '3m', '6m', '12m'];
const TABLES = 'training.zl_training_prod_allhistory_{horizon}';

async function withWarehouse<T>(work: (wh: Awaited<ReturnType<typeof openLocalWarehouse>>) => Promise<T>): Promise<T> {
  const wh = await openLocalWarehouse({ file: localWarehouseFile(root()), project: 'cbi-v14', location: 'US' });
  try {
    return await work(wh);
  } finally {
    await wh.close();
  }
}

function journalLines(): { runId: string; event: string; action?: string; rows?: number; details?: Record<string, unknown> }[] {
  const file = path.join(root(), '.bqmigrate', 'journal.jsonl');
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

describe('warehouse tools', () => {
  let saved: FixtureSnapshot;
  let hadJournal: boolean;
  const exportsDir = () => path.join(root(), 'exports');

  before(async function () {
    this.timeout(60_000);
    await api();
    saved = new FixtureSnapshot(['bqmigrate.json']);
    hadJournal = fs.existsSync(path.join(root(), '.bqmigrate', 'journal.jsonl'));
    // The sample legacy warehouse, the approved datasets, and the new training tables copied from the legacy ones.
    await withWarehouse(async (wh) => {
      await seedSampleWarehouse(wh);
      for (const dataset of APPROVED) if (!(await wh.getDataset(dataset))) await wh.createDataset({ dataset, location: 'US' });
      for (const h of HORIZONS) {
        await wh.dropTable({ dataset: 'training', table: `zl_training_prod_allhistory_${h}` }, { ifExists: true });
        await wh.copyTable({ dataset: 'models_v4', table: `production_training_data_${h}` }, { dataset: 'training', table: `zl_training_prod_allhistory_${h}` });
      }
    });
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await saved.restore();
    fs.rmSync(exportsDir(), { recursive: true, force: true });
    for (const f of ['local.duckdb', 'local.duckdb.wal', ...(hadJournal ? [] : ['journal.jsonl'])]) fs.rmSync(path.join(root(), '.bqmigrate', f), { force: true });
  });

  it('Check Warehouse Access passes every approved dataset, removes its probes, journals and shows the table', async function () {
    this.timeout(60_000);
    const checks = (await vscode.commands.executeCommand('bqmigrate.checkAccess')) as AccessCheck[];
    assert.deepEqual(checks.map((c) => c.dataset).sort(), [...APPROVED].sort());
    for (const c of checks) {
      assert.equal(c.ok, true, `${c.dataset}: ${c.error}`);
      assert.deepEqual([c.exists, c.locationOk, c.create, c.read, c.drop], [true, true, 'ok', 'ok', 'ok'], c.dataset);
    }
    await withWarehouse(async (wh) => {
      for (const dataset of APPROVED) {
        const probes = (await wh.listTables(dataset)).filter((t) => t.table.startsWith('_bqmigrate_probe_'));
        assert.deepEqual(probes, [], `no probe table is left in ${dataset}`);
      }
    });
    const events = journalLines().filter((e) => e.details?.command === 'check-access');
    const runId = events.at(-1)?.runId;
    const ends = events.filter((e) => e.runId === runId && e.event === 'action-end').map((e) => e.action).sort();
    assert.deepEqual(ends, APPROVED.map((d) => `check-access:${d}`).sort());
    const report = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'bqmigrate-report', path: '/check-access.md' }));
    for (const d of APPROVED) assert.match(report.getText(), new RegExp(`\\| \`${d}\` \\| yes \\| US \\| ok \\| ok \\| ok \\| ✅ ok \\|`));
  });

  it('Export Tables… writes verified Parquet files and then refuses to overwrite them unless told', async function () {
    this.timeout(120_000);
    fs.rmSync(exportsDir(), { recursive: true, force: true });
    const expected = await withWarehouse(async (wh) => {
      const rows = new Map<string, number>();
      for (const h of HORIZONS) rows.set(`training.zl_training_prod_allhistory_${h}`, Number((await wh.getTable({ dataset: 'training', table: `zl_training_prod_allhistory_${h}` }))!.rowCount));
      return rows;
    });
    const first = (await vscode.commands.executeCommand('bqmigrate.exportTables', { tables: TABLES, to: 'exports/{table}.parquet', confirm: true })) as ExportOutcome[];
    assert.deepEqual(first.map((o) => o.status), HORIZONS.map(() => 'exported'));
    const duck = await openLocalWarehouse({ file: ':memory:', project: 'read-back' });
    const mtimes = new Map<string, number>();
    try {
      for (const o of first) {
        const file = path.join(exportsDir(), `${o.table.split('.')[1]}.parquet`);
        assert.equal(o.destination, file);
        assert.equal(o.verified, 'file');
        const n = Number((await duck.query(`SELECT count(*) AS n FROM read_parquet('${file.replace(/'/g, "''")}')`)).rows[0]!.n);
        assert.equal(n, expected.get(o.table), `${file} holds every row of ${o.table}`);
        assert.equal(o.rows, n);
        mtimes.set(file, fs.statSync(file).mtimeMs);
      }
    } finally {
      await duck.close();
    }
    const exportEnds = journalLines().filter((e) => e.details?.command === 'export' && e.event === 'action-end');
    assert.deepEqual(exportEnds.slice(-5).map((e) => [e.action, e.rows]), first.map((o) => [`export:${o.table}`, o.rows]));

    const second = (await vscode.commands.executeCommand('bqmigrate.exportTables', { tables: TABLES, to: 'exports/{table}.parquet', confirm: true })) as ExportOutcome[];
    assert.deepEqual(second.map((o) => o.status), HORIZONS.map(() => 'skipped-newer'));
    for (const [file, mtime] of mtimes) assert.equal(fs.statSync(file).mtimeMs, mtime, `${file} was not rewritten`);

    const third = (await vscode.commands.executeCommand('bqmigrate.exportTables', { tables: TABLES, to: 'exports/{table}.parquet', confirm: true, overwrite: true })) as ExportOutcome[];
    assert.deepEqual(third.map((o) => [o.status, o.rows]), first.map((o) => ['exported', o.rows]));
  });
});
