/** Pull Warehouse Definitions in a real VS Code: the files are written, their problems are in the Problems panel, the Mappings view counts them apart. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { localWarehouseFile, openLocalWarehouse, seedSampleWarehouse } from '../../../src/core/warehouse/index';
import type { BqmigrateApi } from '../../../src/extension/extension';
import type { PullSummary } from '../../../src/extension/warehouse/definitions';
import { api, idle, root, until } from './ext-helpers';

const DEFINITIONS = [
  "CREATE VIEW `cbi-v14.models_v4.v_recent_1m` OPTIONS (description = 'recent 1m rows') AS\nSELECT date, zl_price_current\nFROM `cbi-v14.models_v4.production_training_data_1m`\nWHERE date >= '2024-01-01'",
  'CREATE TABLE FUNCTION models_v4.rows_since(d DATE) AS SELECT * FROM `cbi-v14.models_v4.production_training_data_12m` WHERE date >= d',
];

describe('Pull Warehouse Definitions', () => {
  let ext: BqmigrateApi;
  const bq = (f: string) => path.join(root(), '.bqmigrate', f);
  const dir = () => path.join(root(), 'warehouse');

  before(async function () {
    this.timeout(120_000);
    ext = await api();
    for (const f of ['local.duckdb', 'local.duckdb.wal']) fs.rmSync(bq(f), { force: true });
    fs.rmSync(dir(), { recursive: true, force: true });
    const wh = await openLocalWarehouse({ file: localWarehouseFile(root()), project: 'cbi-v14', location: 'US' });
    try {
      await seedSampleWarehouse(wh);
      for (const ddl of DEFINITIONS) await wh.query(ddl);
    } finally {
      await wh.close();
    }
  });
  after(async () => {
    fs.rmSync(dir(), { recursive: true, force: true });
    for (const f of ['local.duckdb', 'local.duckdb.wal']) fs.rmSync(bq(f), { force: true });
    await vscode.commands.executeCommand('bqmigrate.lintWorkspace');
    await idle();
  });

  it('pulls every definition into warehouse/ and the Problems panel shows their legacy references at once', async function () {
    this.timeout(120_000);
    const summary = (await vscode.commands.executeCommand('bqmigrate.definitions.pull')) as PullSummary;
    assert.deepEqual(summary.errors, []);
    assert.equal(summary.refused, 0);
    assert.ok(summary.counts.views >= 1 && summary.counts.routines === 1, JSON.stringify(summary.counts));
    const view = path.join(dir(), 'models_v4', 'v_recent_1m.sql');
    const fn = path.join(dir(), 'models_v4', 'rows_since.sql');
    assert.ok(summary.files.includes(view) && summary.files.includes(fn), summary.files.join(', '));
    assert.match(fs.readFileSync(view, 'utf8'), /^CREATE OR REPLACE VIEW `cbi-v14\.models_v4\.v_recent_1m`\nOPTIONS \(\n  description = 'recent 1m rows'\n\)\nAS\nSELECT date, zl_price_current\nFROM `cbi-v14\.models_v4\.production_training_data_1m`\n/);
    // Linted before the command returned: no waiting for the file watcher.
    const diags = vscode.languages.getDiagnostics(vscode.Uri.file(view)).filter((d) => d.source === 'bqmigrate');
    assert.equal(diags.length, 1, JSON.stringify(diags.map((d) => d.message)));
    assert.equal(diags[0]!.range.start.line, 6, "the FROM line");
    assert.match(diags[0]!.message, /models_v4\.production_training_data_1m .*training\.zl_training_prod_allhistory_1m/);
    const fnDiags = vscode.languages.getDiagnostics(vscode.Uri.file(fn)).filter((d) => d.source === 'bqmigrate');
    assert.ok(fnDiags.some((d) => /production_training_data_12m/.test(d.message)));
    // The Mappings view counts the references in the warehouse apart from code.
    const totals = ext.ctx.linter.totals();
    assert.equal(totals.warehouseByMapping.get(0), 2, 'the horizon mapping: 1m in the view, 12m in the table function');
    assert.ok((totals.byMapping.get(0) ?? 0) > 2, 'and more in code');
    // A second pull writes nothing.
    const again = (await vscode.commands.executeCommand('bqmigrate.definitions.pull')) as PullSummary;
    assert.equal(again.written, 0);
    assert.equal(again.unchanged, summary.written + summary.unchanged);
  });

  it('the Problems panel lists the pulled file (UI)', async function () {
    this.timeout(60_000);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    const view = vscode.Uri.file(path.join(dir(), 'models_v4', 'v_recent_1m.sql'));
    await until('the view file to have diagnostics', () => vscode.languages.getDiagnostics(view).length > 0);
    const all = vscode.languages.getDiagnostics().filter(([uri, d]) => uri.fsPath.startsWith(dir()) && d.some((x) => x.source === 'bqmigrate'));
    assert.ok(all.length >= 2, all.map(([u]) => u.fsPath).join(', '));
  });
});
