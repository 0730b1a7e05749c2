/**
 * A `sql` step whose script starts with CREATE TEMP TABLE, on BigQuery (the loopback fake): the
 * plan prices it as "not estimable" (never 0 bytes, never free) and the run is not refused for it.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { it } from 'node:test';
import { formatPlanCost, previewPhase, runPhases } from '../../../src/core/phases/index';
import { openWarehouse, seedSampleWarehouse } from '../../../src/core/warehouse/index';
import { startFakeBigQuery } from '../../fake-bigquery/server';
import { makeWorkspace, quiet } from './helpers';

process.env.METADATA_SERVER_DETECTION = 'none';

const SCRIPT = [
  'CREATE TEMP TABLE recent AS SELECT date, zl_price_current FROM `cbi-v14.models_v4.production_training_data_1m` WHERE date >= \'2020-06-01\';',
  'CREATE OR REPLACE TABLE `cbi-v14.models_v5.recent_1m` AS SELECT * FROM recent;',
].join('\n');

it('a sql step starting with CREATE TEMP TABLE: plan says "not estimable", run runs it', async () => {
  const ws = await makeWorkspace((t) => t.replace('"phases": [', '"phases": [\n    { "id": "script", "title": "Script", "steps": [{ "sql": "sql/recent.sql" }] },'), { seed: false });
  fs.mkdirSync(path.join(ws.dir, 'sql'));
  fs.writeFileSync(path.join(ws.dir, 'sql', 'recent.sql'), SCRIPT);
  const fake = await startFakeBigQuery({ project: 'cbi-v14' });
  try {
    await seedSampleWarehouse(fake.engine.wh);
    const wh = await openWarehouse({ backend: 'bigquery', loaded: ws.load(), bigquery: { apiEndpoint: fake.url, retryBaseDelayMs: 1, maxRetries: 3, timeoutMs: 30_000 } });
    const { cost } = await previewPhase(wh, ws.load(), 'script');
    assert.equal(cost.unknown, 1);
    assert.equal(cost.processed, 0);
    const statement = cost.steps[0]!.actions[0]!.statements[0]!;
    assert.equal(statement.processed, undefined, 'not 0 bytes');
    assert.match(statement.unknown!, /CREATE TEMP TABLE, which BigQuery cannot dry-run/);
    assert.match(formatPlanCost(cost), /script\/\S+\s+not estimable \(1 statement\)/);
    const r = await runPhases({ wh, loaded: ws.load(), phases: ['script'], yes: true, ...quiet });
    assert.equal(r.status, 'ok', r.error);
    const made = await fake.engine.wh.getTable({ dataset: 'models_v5', table: 'recent_1m' });
    assert.ok(made && made.rowCount! > 0);
  } finally {
    await fake.close();
    ws.cleanup();
  }
});
