/**
 * The fake BigQuery server dry-runs scripts as BigQuery documents ("Work with multi-statement
 * queries" → dry run): it stops after the first DDL statement (LOWER_BOUND), refuses
 * CREATE TEMP TABLE, and estimates a single statement as PRECISE. Plain HTTP, no client library.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedSampleWarehouse } from '../../../src/core/warehouse/sample';
import { startFakeBigQuery, type FakeBigQuery } from '../../fake-bigquery/server';

const H1W = '`cbi-v14.models_v4.production_training_data_1w`';
const H1M = '`cbi-v14.models_v4.production_training_data_1m`';

describe('the fake BigQuery server: dry runs of scripts', () => {
  let fake: FakeBigQuery;
  before(async () => {
    fake = await startFakeBigQuery({ project: 'cbi-v14' });
    await seedSampleWarehouse(fake.engine.wh);
  });
  after(() => fake.close());

  const dryRun = async (query: string) => {
    const r = await fetch(`${fake.url}/bigquery/v2/projects/cbi-v14/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ configuration: { dryRun: true, query: { query, useLegacySql: false } } }) });
    const json = (await r.json()) as { statistics?: { query: { totalBytesProcessed: string; totalBytesProcessedAccuracy: string } }; error?: { errors: { reason: string }[]; message: string } };
    return { status: r.status, bytes: Number(json.statistics?.query.totalBytesProcessed), accuracy: json.statistics?.query.totalBytesProcessedAccuracy, reason: json.error?.errors[0]?.reason, message: json.error?.message };
  };

  it('a single statement is estimated as a whole, PRECISE', async () => {
    const r = await dryRun(`SELECT * FROM ${H1W}`);
    assert.equal(r.status, 200);
    assert.ok(r.bytes > 100_000);
    assert.equal(r.accuracy, 'PRECISE');
  });

  it('a script is estimated up to its first DDL statement, then stops: LOWER_BOUND, later statements neither counted nor validated', async () => {
    const one = (await dryRun(`SELECT * FROM ${H1W}`)).bytes;
    const r = await dryRun(`SELECT * FROM ${H1W}; CREATE TABLE \`cbi-v14.models_v5.dry\` AS SELECT 1 AS one; SELECT * FROM ${H1M}; SELEC broken`);
    assert.equal(r.status, 200, r.message);
    assert.equal(r.bytes, one, 'only the statements up to the DDL');
    assert.equal(r.accuracy, 'LOWER_BOUND');
    const all = await dryRun(`SELECT * FROM ${H1W}; SELECT * FROM ${H1M}`);
    assert.equal(all.accuracy, 'PRECISE');
    assert.ok(all.bytes > one, 'SELECTs and DML are all counted');
  });

  it('CREATE TEMP TABLE cannot be dry-run (400 invalidQuery), alone or reached in a script; the same script runs', async () => {
    for (const q of [`CREATE TEMP TABLE t AS SELECT * FROM ${H1W}`, `SELECT 1 AS x; CREATE TEMPORARY TABLE t AS SELECT 1 AS one; SELECT * FROM t`]) {
      const r = await dryRun(q);
      assert.deepEqual([r.status, r.reason], [400, 'invalidQuery'], q);
      assert.match(r.message!, /CREATE TEMP TABLE/);
    }
    assert.equal((await dryRun(`CREATE TABLE \`cbi-v14.models_v5.first\` AS SELECT 1 AS one; CREATE TEMP TABLE t AS SELECT 1 AS one`)).status, 200, 'not reached: the dry run stopped at the first DDL');
  });
});
