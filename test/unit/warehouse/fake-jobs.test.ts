/**
 * The fake BigQuery server holds to BigQuery's documented job behaviour, checked over plain HTTP
 * (no client library), one test per rule, so a client cannot pass by a misunderstanding it shares
 * with the fake: job states over several looks, location on jobs.get / getQueryResults,
 * maximumBytesBilled, job-level failures as DONE with errorResult.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { seedSampleWarehouse } from '../../../src/core/warehouse/sample';
import { startFakeBigQuery, type FakeBigQuery } from '../../fake-bigquery/server';

interface Job {
  jobReference: { jobId: string; location: string };
  status: { state: string; errorResult?: { reason: string; message: string } };
  statistics: { endTime?: string; query?: { totalBytesProcessed?: string; totalBytesBilled?: string; statementType?: string } };
}

describe('the fake BigQuery server: jobs as BigQuery documents them', () => {
  let fake: FakeBigQuery;
  let n = 0;
  before(async () => {
    fake = await startFakeBigQuery({ project: 'cbi-v14' });
    await seedSampleWarehouse(fake.engine.wh);
  });
  after(() => fake.close());
  beforeEach(() => fake.faults.clear());

  const api = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
    const r = await fetch(`${fake.url}/bigquery/v2/projects/cbi-v14${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    const text = await r.text();
    return { status: r.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const insertQuery = async (query: string, extra: Record<string, unknown> = {}, location = 'US') => {
    const jobId = `fidelity_${++n}`;
    const r = await api('POST', '/jobs', { jobReference: { jobId, location }, configuration: { query: { query, useLegacySql: false, ...extra } } });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    return { jobId, job: r.json as unknown as Job };
  };
  const get = (jobId: string, location = 'US') => api('GET', `/jobs/${jobId}?location=${location}`);

  it('a job is PENDING, then RUNNING, then DONE, one state per jobs.get; only DONE shows statistics and results', async () => {
    const { jobId, job } = await insertQuery('SELECT COUNT(*) AS n FROM `cbi-v14.models_v4.production_training_data_1w`');
    assert.equal(job.status.state, 'PENDING');
    assert.equal(job.statistics.query, undefined);
    const early = await api('GET', `/queries/${jobId}?location=US`);
    assert.equal(early.json.jobComplete, false, 'getQueryResults before DONE has no rows');
    const second = (await get(jobId)).json as unknown as Job;
    assert.equal(second.status.state, 'DONE', 'getQueryResults counted as a look: PENDING → RUNNING, then this get → DONE');
    const { jobId: other } = await insertQuery('SELECT 1 AS one');
    assert.deepEqual([((await get(other)).json as unknown as Job).status.state, ((await get(other)).json as unknown as Job).status.state], ['RUNNING', 'DONE']);
    const done = (await get(other)).json as unknown as Job;
    assert.ok(done.statistics.endTime && done.statistics.query, 'statistics once DONE');
  });

  it('jobs.get and getQueryResults find a job only in its own location', async () => {
    const { jobId } = await insertQuery('SELECT 1 AS one');
    assert.equal((await get(jobId, 'EU')).status, 404);
    assert.equal((await api('GET', `/queries/${jobId}?location=EU`)).status, 404);
    assert.equal((await get(jobId, 'us')).status, 200, 'location is case-insensitive');
    assert.equal((await api('GET', `/jobs/${jobId}`)).status, 200, 'a US job is found without a location');
    const { jobId: tokyo } = await insertQuery('SELECT 1 AS one', {}, 'asia-northeast1');
    assert.equal((await api('GET', `/jobs/${tokyo}`)).status, 404, 'outside US and EU the location is required');
    assert.equal((await get(tokyo, 'asia-northeast1')).status, 200);
    assert.equal((await api('POST', `/jobs/${tokyo}/cancel?location=US`)).status, 404);
  });

  it('maximumBytesBilled: a job over it fails DONE with bytesBilledLimitExceeded, billed as at least 10 MiB per table read, and changes nothing', async () => {
    const { jobId } = await insertQuery('CREATE TABLE `cbi-v14.models_v5.capped` AS SELECT * FROM `cbi-v14.models_v4.production_training_data_1w`', { maximumBytesBilled: '1000000' });
    await get(jobId);
    const done = (await get(jobId)).json as unknown as Job;
    assert.equal(done.status.state, 'DONE');
    assert.equal(done.status.errorResult?.reason, 'bytesBilledLimitExceeded');
    assert.match(done.status.errorResult!.message, /Query exceeded limit for bytes billed: 1000000\. 10485760 or higher required\./);
    assert.equal(await fake.engine.wh.getTable({ dataset: 'models_v5', table: 'capped' }), undefined, 'nothing ran');
    const { jobId: ok } = await insertQuery('SELECT COUNT(*) AS n FROM `cbi-v14.models_v4.production_training_data_1w`', { maximumBytesBilled: String(10 * 2 ** 20) });
    await get(ok);
    const fine = (await get(ok)).json as unknown as Job;
    assert.equal(fine.status.errorResult, undefined);
    assert.equal(fine.statistics.query?.totalBytesBilled, String(10 * 2 ** 20));
  });

  for (const reason of ['backendError', 'rateLimitExceeded'] as const) {
    it(`a job-level ${reason} is injectable: the insert succeeds, the job ends DONE with errorResult and ran nothing`, async () => {
      fake.faults.add({ kind: 'jobError', reason, match: { method: 'POST', path: '/jobs', dryRun: false } });
      const { jobId, job } = await insertQuery(`CREATE TABLE \`cbi-v14.models_v5.failed_${reason}\` AS SELECT 1 AS one`);
      assert.equal(job.status.state, 'PENDING');
      assert.equal(job.status.errorResult, undefined);
      await get(jobId);
      const done = (await get(jobId)).json as unknown as Job;
      assert.equal(done.status.state, 'DONE');
      assert.equal(done.status.errorResult?.reason, reason);
      assert.equal(await fake.engine.wh.getTable({ dataset: 'models_v5', table: `failed_${reason}` }), undefined);
      const results = await api('GET', `/queries/${jobId}?location=US`);
      assert.equal((results.json.error as { errors: { reason: string }[] }).errors[0]!.reason, reason);
    });
  }

  it('a multi-statement request is a script (statementType SCRIPT)', async () => {
    const { jobId } = await insertQuery('SELECT 1 AS a; SELECT 2 AS b');
    await get(jobId);
    assert.equal(((await get(jobId)).json as unknown as Job).statistics.query?.statementType, 'SCRIPT');
  });
});
