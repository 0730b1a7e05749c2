/**
 * The client's dry run of scripts against the fake's documented behaviour: a script BigQuery
 * cannot dry-run (CREATE TEMP TABLE) is never refused for that alone; what can be estimated is,
 * the rest is "not estimable" (never 0 bytes); a LOWER_BOUND is reported as such and a lower
 * bound over the cap is refused.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { BigQueryWarehouse } from '../../../src/core/warehouse/bigquery';
import { isWarehouseError } from '../../../src/core/warehouse/errors';
import { seedSampleWarehouse } from '../../../src/core/warehouse/sample';
import type { FakeBigQuery } from '../../fake-bigquery/server';
import { fakeWarehouse } from './helpers';

const H1W = '`cbi-v14.models_v4.production_training_data_1w`';
const TEMP_SCRIPT = `CREATE TEMP TABLE recent AS SELECT * FROM ${H1W} WHERE date >= '2020-01-01';\nSELECT COUNT(*) AS n FROM recent`;

describe('BigQuery dry runs of scripts', () => {
  let fake: FakeBigQuery;
  let wh: BigQueryWarehouse;
  before(async () => {
    ({ fake, wh } = await fakeWarehouse());
    await seedSampleWarehouse(fake.engine.wh);
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.requests.length = 0;
  });
  const executions = () => fake.jobBodies().filter((b) => !(b.configuration as { dryRun?: boolean }).dryRun);

  it('a script starting with CREATE TEMP TABLE is not estimable (no bytes, not 0) and still runs', async () => {
    const dry = await wh.query(TEMP_SCRIPT, { dryRun: true });
    assert.equal(dry.totalBytesProcessed, undefined, 'never 0 bytes for "unknown"');
    assert.equal(dry.bytesAccuracy, 'UNKNOWN');
    assert.match(dry.notEstimable!, /statement 1 of 2 is CREATE TEMP TABLE, which BigQuery cannot dry-run/);
    const r = await wh.query(TEMP_SCRIPT);
    assert.equal(typeof r.rows[0]!.n, 'number');
    assert.equal(executions().length, 1);
  });

  it('statements before the first CREATE TEMP TABLE are dry-run: validated, and their bytes a lower bound', async () => {
    const one = (await wh.query(`SELECT * FROM ${H1W}`, { dryRun: true })).totalBytesProcessed!;
    const dry = await wh.query(`SELECT * FROM ${H1W};\n${TEMP_SCRIPT}`, { dryRun: true });
    assert.equal(dry.totalBytesProcessed, one);
    assert.equal(dry.bytesAccuracy, 'LOWER_BOUND');
    assert.match(dry.notEstimable!, /statement 2 of 3/);
    await assert.rejects(wh.query(`SELEC broken;\n${TEMP_SCRIPT}`, { dryRun: true }), (e) => isWarehouseError(e, 'invalidQuery'), 'an invalid statement before it is still refused');
  });

  it('a script BigQuery estimates only up to its first DDL is a LOWER_BOUND, and one over the cap is refused before it runs', async () => {
    const script = `SELECT * FROM ${H1W};\nCREATE TABLE \`cbi-v14.models_v5.dry_ddl\` AS SELECT 1 AS one;\nSELECT * FROM ${H1W}`;
    const dry = await wh.query(script, { dryRun: true });
    assert.equal(dry.bytesAccuracy, 'LOWER_BOUND');
    assert.ok(dry.totalBytesProcessed! > 0);
    await assert.rejects(wh.query(script, { maximumBytesBilled: 1_000_000 }), (e) => isWarehouseError(e, 'bytesBilledLimitExceeded') && /at least \d+ bytes processed/.test(e.message));
    assert.equal(executions().length, 0);
    assert.equal(await fake.engine.wh.getTable({ dataset: 'models_v5', table: 'dry_ddl' }), undefined);
  });

  it('a script that cannot be estimated still carries the cap on its job', async () => {
    await wh.query(TEMP_SCRIPT, { maximumBytesBilled: 50 * 2 ** 20 });
    const job = executions()[0]!;
    assert.equal((job.configuration as { query: { maximumBytesBilled: string } }).query.maximumBytesBilled, String(50 * 2 ** 20));
  });
});
