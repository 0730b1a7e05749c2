/**
 * The fake BigQuery server keeps partitioning and clustering and returns them from tables.get, and
 * refuses a query that reads a table with requirePartitionFilter without a filter on its
 * partitioning column — dry run (400) and job (DONE with errorResult) alike. Plain HTTP.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFakeBigQuery, type FakeBigQuery } from '../../fake-bigquery/server';

describe('the fake BigQuery server: partitioning, clustering and requirePartitionFilter', () => {
  let fake: FakeBigQuery;
  const base = () => `${fake.url}/bigquery/v2/projects/cbi-v14`;
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${base()}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return { status: r.status, json: (await r.json()) as Record<string, any> };
  };
  const query = async (sql: string, dryRun: boolean) => {
    const jobId = `p_${Math.random().toString(36).slice(2)}`;
    const r = await call('POST', '/jobs', { jobReference: { jobId, location: 'US' }, configuration: { dryRun, query: { query: sql, useLegacySql: false } } });
    if (dryRun || r.status !== 200) return r;
    await call('GET', `/jobs/${jobId}?location=US`);
    return call('GET', `/jobs/${jobId}?location=US`);
  };
  before(async () => {
    fake = await startFakeBigQuery({ project: 'cbi-v14' });
    await call('POST', '/datasets', { datasetReference: { projectId: 'cbi-v14', datasetId: 'p' } });
    const created = await call('POST', '/datasets/p/tables', {
      tableReference: { projectId: 'cbi-v14', datasetId: 'p', tableId: 'daily' },
      schema: { fields: [{ name: 'date', type: 'DATE' }, { name: 'region', type: 'STRING' }, { name: 'v', type: 'INTEGER' }] },
      timePartitioning: { type: 'DAY', field: 'date' },
      clustering: { fields: ['region'] },
      requirePartitionFilter: true,
    });
    assert.equal(created.status, 200, JSON.stringify(created.json));
  });
  after(() => fake.close());

  it('tables.insert keeps time partitioning, clustering and requirePartitionFilter; tables.get returns them', async () => {
    const t = (await call('GET', '/datasets/p/tables/daily')).json;
    assert.deepEqual(t.timePartitioning, { type: 'DAY', field: 'date' });
    assert.deepEqual(t.clustering, { fields: ['region'] });
    assert.equal(t.requirePartitionFilter, true);
    assert.equal(t.numRows, '0');
  });

  it('CREATE TABLE … PARTITION BY … CLUSTER BY keeps both; a copy job keeps both', async () => {
    const r = await query('CREATE TABLE `cbi-v14.p.ranged` PARTITION BY RANGE_BUCKET(v, GENERATE_ARRAY(0, 100, 10)) CLUSTER BY region AS SELECT 1 AS v, \'eu\' AS region', false);
    assert.equal(r.json.status?.errorResult, undefined, JSON.stringify(r.json.status));
    const t = (await call('GET', '/datasets/p/tables/ranged')).json;
    assert.deepEqual(t.rangePartitioning, { field: 'v', range: { start: '0', end: '100', interval: '10' } });
    assert.deepEqual(t.clustering, { fields: ['region'] });
    const jobId = `copy_${Math.random().toString(36).slice(2)}`;
    await call('POST', '/jobs', { jobReference: { jobId, location: 'US' }, configuration: { copy: { sourceTables: [{ projectId: 'cbi-v14', datasetId: 'p', tableId: 'daily' }], destinationTable: { projectId: 'cbi-v14', datasetId: 'p', tableId: 'daily_copy' } } } });
    const c = (await call('GET', '/datasets/p/tables/daily_copy')).json;
    assert.deepEqual([c.timePartitioning, c.clustering], [{ type: 'DAY', field: 'date' }, { fields: ['region'] }]);
  });

  it('a scan without a filter on the partitioning column is refused, dry run (400) and job (errorResult) alike; with one it runs', async () => {
    for (const sql of ['SELECT COUNT(*) AS n FROM `cbi-v14.p.daily`', 'SELECT * FROM `cbi-v14.p.daily` WHERE region = \'eu\'']) {
      const dry = await query(sql, true);
      assert.equal(dry.status, 400, sql);
      assert.equal(dry.json.error.errors[0].reason, 'invalidQuery');
      assert.match(dry.json.error.message, /Cannot query over table 'cbi-v14\.p\.daily' without a filter over column\(s\) 'date'/);
      const job = await query(sql, false);
      assert.equal(job.json.status.errorResult.reason, 'invalidQuery');
    }
    const ok = await query("SELECT COUNT(*) AS n FROM `cbi-v14.p.daily` WHERE (`date` >= DATE '0001-01-01' OR `date` IS NULL)", false);
    assert.equal(ok.json.status.errorResult, undefined);
  });
});
