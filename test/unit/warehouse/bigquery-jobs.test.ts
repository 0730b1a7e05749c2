/**
 * The BigQuery client's job handling against the fake's documented job behaviour: jobs that
 * fail by themselves (DONE with errorResult backendError / rateLimitExceeded) are resubmitted
 * under a new job id, bounded, with backoff, and reported; HTTP-level retries keep the id;
 * the bytes-billed cap is compared with what BigQuery bills, not bytes processed.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { BigQueryWarehouse } from '../../../src/core/warehouse/bigquery';
import { isWarehouseError } from '../../../src/core/warehouse/errors';
import { seedSampleWarehouse } from '../../../src/core/warehouse/sample';
import type { JobResubmission } from '../../../src/core/warehouse/types';
import type { FakeBigQuery } from '../../fake-bigquery/server';
import { fakeWarehouse } from './helpers';

const H1W = { dataset: 'models_v4', table: 'production_training_data_1w' };
const jobIdOf = (b: Record<string, unknown>) => (b.jobReference as { jobId: string }).jobId;

describe('BigQuery jobs: resubmission after job-level failures', () => {
  let fake: FakeBigQuery;
  let wh: BigQueryWarehouse;
  const retries: string[] = [];
  before(async () => {
    ({ fake, wh } = await fakeWarehouse({}, { maxJobResubmits: 2, onRetry: (r) => retries.push(`${r.reason}: ${r.what}`) }));
    await seedSampleWarehouse(fake.engine.wh);
    await wh.createDataset({ dataset: 'archive' });
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.faults.clear();
    fake.requests.length = 0;
    retries.length = 0;
  });
  const executions = () => fake.jobBodies().filter((b) => !(b.configuration as { dryRun?: boolean }).dryRun);

  for (const reason of ['backendError', 'rateLimitExceeded', 'jobRateLimitExceeded'] as const) {
    it(`a query whose job ends DONE with ${reason} is run again as a new job, and the resubmission is reported`, async () => {
      fake.faults.add({ kind: 'jobError', reason, match: { method: 'POST', path: '/jobs', dryRun: false } });
      const seen: JobResubmission[] = [];
      const r = await wh.query('SELECT COUNT(*) AS n FROM `cbi-v14.models_v4.production_training_data_1w`', { onResubmit: (x) => seen.push(x) });
      assert.deepEqual(r.rows, [{ n: 1472 }]);
      const runs = executions();
      assert.equal(runs.length, 2, 'the failed job and its resubmission');
      assert.notEqual(jobIdOf(runs[0]!), jobIdOf(runs[1]!), 'a NEW job id');
      assert.equal(r.jobId, jobIdOf(runs[1]!));
      assert.equal(seen.length, 1);
      assert.equal(seen[0]!.failedJobId, jobIdOf(runs[0]!));
      assert.equal(seen[0]!.reason, reason);
      assert.deepEqual(r.resubmissions, seen);
      assert.match(retries.join('\n'), new RegExp(`${reason}: query: job ${jobIdOf(runs[0]!)} failed`));
    });
  }

  it('a copy job that fails by itself is resubmitted too, and copies once', async () => {
    fake.faults.add({ kind: 'jobError', reason: 'backendError', match: { method: 'POST', path: '/jobs', jobType: 'copy' } });
    const dst = { dataset: 'archive', table: 'resubmitted_copy' };
    const r = await wh.copyTable(H1W, dst, { writeDisposition: 'WRITE_APPEND' });
    assert.equal(executions().length, 2);
    assert.equal(r.jobId, jobIdOf(executions()[1]!));
    assert.equal((await fake.engine.wh.getTable(dst))!.rowCount, 1472, 'the failed job ran nothing; the new one copied once');
  });

  it('resubmissions are bounded: after maxJobResubmits the last failure is thrown with the attempts counted', async () => {
    fake.faults.add({ kind: 'jobError', reason: 'backendError', times: Infinity, match: { method: 'POST', path: '/jobs', dryRun: false } });
    await assert.rejects(wh.query('SELECT 1 AS one'), (e) => isWarehouseError(e, 'backendError') && e.details.attempts === 3 && /job bqmigrate_/.test(e.message));
    assert.equal(executions().length, 3, 'the first job and two resubmissions');
  });

  it('a job that failed for a reason retrying cannot fix is never resubmitted', async () => {
    await assert.rejects(wh.query('SELECT * FROM `cbi-v14.models_v4.production_training_data_1w` WHERE no_such_column = 1'), (e) => isWarehouseError(e) && e.reason !== 'backendError');
    assert.ok(executions().length <= 1);
  });

  it('a multi-statement script that fails by itself is not resubmitted: its completed statements would run again', async () => {
    fake.faults.add({ kind: 'jobError', reason: 'backendError', match: { method: 'POST', path: '/jobs', dryRun: false } });
    await assert.rejects(wh.query('SELECT 1 AS a; SELECT 2 AS b'), (e) => isWarehouseError(e, 'backendError') && /not resubmitted: a multi-statement script/.test(e.message));
    assert.equal(executions().length, 1);
  });

  it('an HTTP-level failure of jobs.insert is retried with the SAME job id, not resubmitted', async () => {
    fake.faults.add({ kind: 'unavailable', match: { method: 'POST', path: '/jobs', dryRun: false } });
    await wh.query('SELECT 1 AS one');
    const inserts = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/jobs') && !(r.body as { configuration: { dryRun?: boolean } }).configuration.dryRun);
    assert.equal(inserts.length, 2);
    assert.equal(jobIdOf(inserts[0]!.body as Record<string, unknown>), jobIdOf(inserts[1]!.body as Record<string, unknown>));
  });

  it('waits for DONE over several polls and asks for the job in its location', async () => {
    await wh.query('SELECT 1 AS one');
    const polls = fake.requests.filter((r) => r.method === 'GET' && r.path.includes('/jobs/'));
    assert.equal(polls.length, 2, 'PENDING at insert, RUNNING, then DONE');
    for (const p of polls) assert.equal(p.query.location, 'US');
  });

  it('the bytes-billed cap is compared with bytes billed (at least 10 MiB per table read), before anything runs', async () => {
    // ~200 KB processed, but BigQuery would bill 10 MiB: a 1 MB cap must refuse, not fail the job later.
    await assert.rejects(wh.query('SELECT * FROM `cbi-v14.models_v4.production_training_data_1w`', { maximumBytesBilled: 1_000_000 }), (e) => isWarehouseError(e, 'bytesBilledLimitExceeded') && /10485760 or higher required/.test(e.message));
    assert.equal(executions().length, 0);
    const ok = await wh.query('SELECT COUNT(*) AS n FROM `cbi-v14.models_v4.production_training_data_1w`', { maximumBytesBilled: 10 * 2 ** 20 });
    assert.deepEqual(ok.rows, [{ n: 1472 }]);
  });
});
