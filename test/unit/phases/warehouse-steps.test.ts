/** The inventory, check-access and export as phase steps on the local warehouse: planned, run, journaled. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { planPhase, readJournal, runPhases, takeSnapshot } from '../../../src/core/phases/index';
import type { Warehouse } from '../../../src/core/warehouse/types';
import { makeWorkspace, quiet, type Workspace } from './helpers';

describe('inventory, check-access and export steps', () => {
  let ws: Workspace;
  let wh: Warehouse;
  before(async () => {
    ws = await makeWorkspace((t) =>
      t.replace(
        '"phases": [',
        `"phases": [
    { "id": "inventory", "title": "Inventory & access", "steps": [
      { "run": "inventory", "out": "inventory/warehouse.csv" },
      { "run": "create-datasets" },
      { "run": "check-access" }
    ] },
    { "id": "export", "title": "Export training data", "steps": [
      { "run": "export", "tables": "models_v4.production_training_data_{horizon}", "to": "exports/{table}.parquet" }
    ] },`,
      ),
    );
    wh = await ws.open();
  });
  after(async () => {
    await wh.close();
    ws.cleanup();
  });

  it('inventory writes the CSV; check-access probes every approved dataset; both journaled', async () => {
    const r = await runPhases({ wh, loaded: ws.load(), phases: ['inventory'], ...quiet });
    assert.equal(r.status, 'ok', r.error);
    const csv = fs.readFileSync(path.join(ws.dir, 'inventory', 'warehouse.csv'), 'utf8');
    assert.match(csv, /production_training_data_1m/);
    const checks = r.steps.find((s) => s.step === 'check-access')!.actions;
    assert.equal(checks.length, 7);
    assert.ok(checks.every((c) => c.status === 'ok'));
    const note = readJournal(ws.dir).find((e) => e.action === 'inventory' && e.event === 'action-note');
    assert.ok(Number(note?.details?.objects) >= 15);
    assert.equal((await wh.listTables('training')).filter((t) => t.table.startsWith('_bqmigrate_probe_')).length, 0, 'probes removed');
  });

  it('export plans one action per horizon and writes verified parquet files; a re-run keeps newer files', async () => {
    const plan = planPhase(ws.load(), 'export', await takeSnapshot(wh, ws.load()), wh);
    assert.deepEqual(plan.steps[0]!.actions.map((a) => a.id), ['1w', '1m', '3m', '6m', '12m'].map((h) => `export:models_v4.production_training_data_${h}`));
    const r = await runPhases({ wh, loaded: ws.load(), phases: ['export'], ...quiet });
    assert.equal(r.status, 'ok', r.error);
    assert.equal(r.steps[0]!.actions.find((a) => a.id.endsWith('_1m'))!.outcome!.rows, 1404);
    assert.ok(fs.existsSync(path.join(ws.dir, 'exports', 'production_training_data_12m.parquet')));
    const again = await runPhases({ wh, loaded: ws.load(), phases: ['export'], ...quiet });
    assert.equal(again.status, 'ok', again.error);
    assert.ok(again.steps[0]!.actions.every((a) => a.status === 'skipped'), JSON.stringify(again.steps[0]!.actions.map((a) => a.outcome?.detail)));
  });
});
