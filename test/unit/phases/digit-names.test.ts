/**
 * Table names that start with a digit (`models_v4.2019_soy_prices`) are legal in BigQuery: every
 * statement the phases generate quotes a table name by the table-name rule, never the column-name
 * rule. Planned and run end to end on both backends: the local DuckDB warehouse and BigQuery (the
 * loopback fake, which refuses names BigQuery refuses).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { previewPhase, runPhases } from '../../../src/core/phases/index';
import { openWarehouse, seedSampleWarehouse } from '../../../src/core/warehouse/index';
import type { Warehouse } from '../../../src/core/warehouse/types';
import { startFakeBigQuery } from '../../fake-bigquery/server';
import { count, makeWorkspace, quiet } from './helpers';

process.env.METADATA_SERVER_DETECTION = 'none';

const LEGACY = { dataset: 'models_v4', table: '2019_soy_prices' };
const TARGET = { dataset: 'raw_intelligence', table: '2019_soy_prices_daily' };
const ARCHIVE = { dataset: 'archive', table: 'legacy_20251114__models_v4__2019_soy_prices' };
const withDigitMapping = (text: string) =>
  text.replace('"status": "planned" }', '"status": "planned" },\n    { "from": "models_v4.2019_soy_prices", "to": "raw_intelligence.2019_soy_prices_daily" }');
const CREATE = 'CREATE TABLE `cbi-v14.models_v4.2019_soy_prices` AS SELECT DATE \'2019-01-02\' AS date, 1.5 AS price UNION ALL SELECT DATE \'2019-01-03\', 1.7';

async function planAndRun(wh: Warehouse, load: () => Parameters<typeof runPhases>[0]['loaded'], direct: Warehouse): Promise<void> {
  const statements: string[] = [];
  for (const phase of ['datasets', 'archive', 'targets', 'shims']) {
    if (phase !== 'datasets') {
      const { plan } = await previewPhase(wh, load(), phase);
      for (const step of plan.steps) for (const a of step.actions) for (const s of a.sql) statements.push(s);
    }
    const r = await runPhases({ wh, loaded: load(), phases: [phase], yes: true, concurrency: 1, ...quiet });
    assert.equal(r.status, 'ok', `${phase}: ${r.error}`);
  }
  const renames = statements.filter((s) => /RENAME TO/.test(s) && /2019_soy_prices/.test(s));
  assert.ok(renames.length >= 2, `archive and target renames planned: ${renames.join('\n')}`);
  for (const s of renames) assert.match(s, /RENAME TO [`"](?:legacy_20251114__models_v4__)?2019_soy_prices(?:_daily)?[`"]$/);
  assert.equal((await direct.getTable(LEGACY))?.type, 'VIEW', 'the legacy name is a shim view');
  assert.equal(await count(direct, ARCHIVE), 2);
  assert.equal(await count(direct, TARGET), 2);
  assert.equal(await count(direct, LEGACY), 2, 'the shim reads the new table');
}

describe('table names that start with a digit', () => {
  it('local warehouse: every phase plans and runs', async () => {
    const ws = await makeWorkspace(withDigitMapping);
    const wh = await ws.open();
    try {
      await wh.query(CREATE);
      await planAndRun(wh, ws.load, wh);
    } finally {
      await wh.close();
      ws.cleanup();
    }
  });

  it('BigQuery (the fake): every phase plans and runs', async () => {
    const ws = await makeWorkspace(withDigitMapping, { seed: false });
    const fake = await startFakeBigQuery({ project: 'cbi-v14' });
    try {
      await seedSampleWarehouse(fake.engine.wh);
      await fake.engine.wh.query(CREATE);
      const wh = await openWarehouse({ backend: 'bigquery', loaded: ws.load(), bigquery: { apiEndpoint: fake.url, retryBaseDelayMs: 1, maxRetries: 3, timeoutMs: 30_000 } });
      await planAndRun(wh, ws.load, fake.engine.wh);
    } finally {
      await fake.close();
      ws.cleanup();
    }
  });
});
