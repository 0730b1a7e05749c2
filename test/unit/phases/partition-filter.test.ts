/**
 * Legacy tables with requirePartitionFilter on BigQuery (the loopback fake, which refuses
 * unfiltered scans of them): archive, create-targets, shim-views and validate still work —
 * counts come from table metadata (numRows) where exact, and scans carry a filter every
 * partition passes.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { it } from 'node:test';
import { runPhases } from '../../../src/core/phases/index';
import { openWarehouse, seedSampleWarehouse } from '../../../src/core/warehouse/index';
import { startFakeBigQuery } from '../../fake-bigquery/server';
import { archived, count, HORIZONS, legacy, makeWorkspace, quiet, target } from './helpers';

process.env.METADATA_SERVER_DETECTION = 'none';

it('phases on BigQuery over legacy tables that require a partition filter', async () => {
  // The manifest's own check must filter on the partitioning column too, as on BigQuery.
  const ws = await makeWorkspace((t) => t.replace('zl_training_prod_allhistory_1m` GROUP BY', 'zl_training_prod_allhistory_1m` WHERE date IS NOT NULL GROUP BY'), { seed: false });
  const fake = await startFakeBigQuery({ project: 'cbi-v14' });
  try {
    await seedSampleWarehouse(fake.engine.wh);
    for (const h of HORIZONS) await fake.engine.wh.setTableOptions(legacy(h), { requirePartitionFilter: true });
    const wh = await openWarehouse({ backend: 'bigquery', loaded: ws.load(), bigquery: { apiEndpoint: fake.url, retryBaseDelayMs: 1, maxRetries: 3, timeoutMs: 30_000 } });
    await assert.rejects(wh.query('SELECT COUNT(*) AS n FROM `cbi-v14.models_v4.production_training_data_1m`'), /without a filter over column\(s\) 'date'/, 'the fake refuses what BigQuery refuses');
    for (const phase of ['datasets', 'archive', 'targets', 'shims', 'validate']) {
      const r = await runPhases({ wh, loaded: ws.load(), phases: [phase], yes: true, concurrency: 1, ...quiet });
      const report = path.join(ws.dir, '.bqmigrate', 'validation-latest.json');
      const failed = fs.existsSync(report) ? JSON.stringify((JSON.parse(fs.readFileSync(report, 'utf8')) as { checks: { pass: boolean }[] }).checks.filter((c) => !c.pass)) : '';
      assert.equal(r.status, 'ok', `${phase}: ${r.error} ${failed}`);
    }
    for (const h of HORIZONS) {
      assert.equal(await count(fake.engine.wh, archived(h)), await count(fake.engine.wh, target(h)));
      assert.equal((await fake.engine.wh.getTable(archived(h)))?.requirePartitionFilter, true, 'the archive keeps the flag');
    }
    const queries = fake.jobBodies().map((b) => (b.configuration as { query?: { query: string } }).query?.query ?? '');
    assert.ok(queries.some((q) => /FROM `cbi-v14\.models_v4\.production_training_data_1m` WHERE \(`date` >= DATE '0001-01-01' OR `date` IS NULL\)/.test(q)), 'the archive copy scans with an all-partitions filter');
    assert.ok(!queries.some((q) => /^SELECT COUNT\(\*\)[^\n]*production_training_data_\w+`$/.test(q)), 'no unfiltered count of a legacy table');
  } finally {
    await fake.close();
    ws.cleanup();
  }
});
