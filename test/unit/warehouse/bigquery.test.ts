import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { openBigQueryWarehouse, type BigQueryWarehouse } from '../../../src/core/warehouse/bigquery';
import { isWarehouseError } from '../../../src/core/warehouse/errors';
import { seedSampleWarehouse } from '../../../src/core/warehouse/sample';
import type { FakeBigQuery } from '../../fake-bigquery/server';
import { fakeWarehouse } from './helpers';

const labels = { run: 'run-42', phase: 'archive', step: 'archive.models_v4' };
const H1W = { dataset: 'models_v4', table: 'production_training_data_1w' };

describe('BigQuery warehouse against the loopback fake', () => {
  let fake: FakeBigQuery;
  let wh: BigQueryWarehouse;
  before(async () => {
    ({ fake, wh } = await fakeWarehouse({ maxPageSize: 2, incompletePolls: 1 }, { timeoutMs: 30_000 }));
    await seedSampleWarehouse(fake.engine.wh);
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.faults.clear();
    fake.requests.length = 0;
  });

  const count = (method: string, fragment: string) => fake.requests.filter((r) => r.method === method && r.path.includes(fragment)).length;

  it('sends no credentials to the emulator endpoint', async () => {
    await wh.getDataset('models_v4');
    assert.ok(fake.requests.length > 0);
    for (const r of fake.requests) assert.equal(r.headers.authorization, undefined);
  });

  it('lists every dataset and table across pages (pageToken/maxResults)', async () => {
    const datasets = (await wh.listDatasets()).map((d) => d.dataset).sort();
    assert.deepEqual(datasets, ['forecasting_data_warehouse', 'models_v4', 'models_v5']);
    assert.ok(fake.requests.some((r) => r.path.endsWith('/datasets') && r.query.pageToken), 'a second page was requested');
    const tables = await wh.listTables('models_v4');
    assert.equal(tables.length, 15);
    assert.equal(tables.find((t) => t.table === 'production_training_data_1m')!.rowCount, 1404);
    assert.equal(tables.find((t) => t.table === 'production_training_data_1m')!.partitioning, 'DAY(date)');
    assert.ok(count('GET', '/datasets/models_v4/tables') > 5, 'tables.list paged through');
  });

  it('maps table metadata: standard type names, view query, created/modified', async () => {
    const t = (await wh.getTable(H1W))!;
    assert.equal(t.type, 'TABLE');
    assert.deepEqual(t.schema.slice(0, 5).map((c) => c.type), ['DATE', 'FLOAT64', 'FLOAT64', 'FLOAT64', 'INT64']);
    assert.match(t.created!, /^\d{4}-\d\d-\d\dT/);
    const v = (await wh.getTable({ dataset: 'forecasting_data_warehouse', table: 'vw_soybean_oil_latest' }))!;
    assert.equal(v.type, 'VIEW');
    assert.equal(v.rowCount, null);
    assert.equal(await wh.getTable({ dataset: 'models_v4', table: 'nope' }), undefined);
  });

  it('dry-runs before every query, reports totalBytesProcessed, labels every job', async () => {
    const dry = await wh.query('SELECT * FROM `cbi-v14.models_v4.production_training_data_1w`', { dryRun: true, labels });
    assert.ok(dry.totalBytesProcessed! > 100_000);
    assert.equal(fake.jobBodies().length, 1);
    assert.equal((fake.jobBodies()[0]!.configuration as { dryRun: boolean }).dryRun, true);
    const real = await wh.query('SELECT count(*) AS n, min(date) AS first FROM `cbi-v14.models_v4.production_training_data_1w`', { labels });
    assert.deepEqual(real.rows, [{ n: 1472, first: '2019-12-02' }]);
    assert.equal(real.totalBytesProcessed, dry.totalBytesProcessed);
    const bodies = fake.jobBodies();
    assert.equal(bodies.length, 3);
    assert.deepEqual(bodies.map((b) => Boolean((b.configuration as { dryRun?: boolean }).dryRun)), [true, true, false], 'a dry run precedes the execution');
    for (const b of bodies) {
      assert.deepEqual((b.configuration as { labels: unknown }).labels, { 'bqmigrate-run': 'run-42', 'bqmigrate-phase': 'archive', 'bqmigrate-step': 'archive_models_v4' });
    }
  });

  it('labels ad-hoc jobs too, and jobs of copy and extract', async () => {
    await wh.query('SELECT 1 AS one');
    await wh.createDataset({ dataset: 'archive' });
    await wh.copyTable(H1W, { dataset: 'archive', table: 'h1w_copy' }, { labels });
    await wh.extractTable(H1W, 'gs://cbi-exports/h1w.parquet', { labels });
    const bodies = fake.jobBodies();
    assert.equal(bodies.length, 4);
    for (const b of bodies) {
      const l = (b.configuration as { labels: Record<string, string> }).labels;
      assert.ok(l['bqmigrate-run'] && l['bqmigrate-phase'] && l['bqmigrate-step'], JSON.stringify(b));
    }
  });

  it('caps bytes billed: refuses after the dry run and sends the cap with the job', async () => {
    await assert.rejects(wh.query('SELECT * FROM `models_v4.production_training_data_1w`', { maximumBytesBilled: 1000 }), (e) => isWarehouseError(e, 'bytesBilledLimitExceeded'));
    assert.equal(fake.jobBodies().filter((b) => !(b.configuration as { dryRun?: boolean }).dryRun).length, 0, 'nothing executed');
    await wh.query('SELECT 1 AS one', { maximumBytesBilled: 10_000_000 });
    const exec = fake.jobBodies().find((b) => !(b.configuration as { dryRun?: boolean }).dryRun)!;
    assert.equal((exec.configuration as { query: { maximumBytesBilled: string } }).query.maximumBytesBilled, '10000000');
  });

  it('pages through query results and waits for jobComplete', async () => {
    const r = await wh.query('SELECT date FROM `models_v4.production_training_data_1m` ORDER BY date LIMIT 41');
    assert.equal(r.rows.length, 41);
    assert.equal(r.rows[0]!.date, '2019-12-02');
    assert.equal(count('GET', '/queries/'), 1 + 21, 'one jobComplete:false answer, then 21 pages of 2');
  });

  for (const kind of ['unavailable', 'rateLimit', 'internalError', 'drop'] as const) {
    it(`retries a ${kind} answer on every kind of call`, async () => {
      fake.faults.add({ kind, match: { method: 'GET', path: '/datasets/models_v4/tables/production_training_data_1w' } });
      fake.faults.add({ kind, match: { method: 'POST', path: '/jobs', dryRun: true } });
      fake.faults.add({ kind, match: { method: 'POST', path: '/jobs', dryRun: false } });
      fake.faults.add({ kind, match: { method: 'GET', path: '/queries/' } });
      assert.equal((await wh.getTable(H1W))!.rowCount, 1472);
      const r = await wh.query('SELECT count(*) AS n FROM `models_v4.production_training_data_1w`');
      assert.equal(r.rows[0]!.n, 1472);
      assert.equal(fake.faults.fired.filter((f) => f.kind === kind).length >= 4, true);
      assert.equal(count('GET', '/tables/production_training_data_1w'), 2, 'one failure, one retry');
      assert.equal(count('GET', '/queries/'), 3, 'the failure, jobComplete:false, the rows');
    });
  }

  it('retries a response slower than the request timeout, and waits for one that is merely slow', async () => {
    // A client with a short request timeout; the rest of the suite uses a generous one (loaded CI machines).
    const impatient = await openBigQueryWarehouse({ project: fake.project, location: 'US', apiEndpoint: fake.url, retryBaseDelayMs: 2, timeoutMs: 1500 });
    await wh.getTable({ dataset: 'models_v4', table: 'production_training_data_3m' }); // warm the fake's cache
    fake.requests.length = 0;
    fake.faults.add({ kind: 'slow', delayMs: 4000, match: { method: 'GET', path: '/tables/production_training_data_3m' } });
    assert.equal((await impatient.getTable({ dataset: 'models_v4', table: 'production_training_data_3m' }))!.rowCount, 1475);
    assert.equal(count('GET', '/tables/production_training_data_3m'), 2);
    fake.faults.add({ kind: 'slow', delayMs: 300, match: { method: 'GET', path: '/tables/production_training_data_6m' } });
    assert.equal((await wh.getTable({ dataset: 'models_v4', table: 'production_training_data_6m' }))!.rowCount, 1473);
    assert.equal(count('GET', '/tables/production_training_data_6m'), 1);
  });

  it('gives up after maxRetries with the attempts counted', async () => {
    fake.faults.add({ kind: 'unavailable', times: Infinity, match: { path: '/datasets/models_v5' } });
    await assert.rejects(wh.getDataset('models_v5'), (e) => isWarehouseError(e, 'backendError') && e.details.attempts === 5);
    assert.equal(count('GET', '/datasets/models_v5'), 5);
  });

  it('never retries invalidQuery, notFound, accessDenied or duplicate', async () => {
    await assert.rejects(wh.query('SELEC broken'), (e) => isWarehouseError(e, 'invalidQuery'));
    assert.equal(count('POST', '/jobs'), 1);
    await assert.rejects(wh.query('SELECT * FROM `models_v4.no_such_table`'), (e) => isWarehouseError(e, 'notFound'));
    assert.equal(count('POST', '/jobs'), 2);
    await assert.rejects(wh.dropTable({ dataset: 'models_v4', table: 'no_such_table' }), (e) => isWarehouseError(e, 'notFound'));
    assert.equal(count('DELETE', '/tables/no_such_table'), 1);
    fake.faults.add({ kind: 'accessDenied', permission: 'bigquery.tables.getData', match: { path: '/jobs' } });
    await assert.rejects(wh.query('SELECT 1 AS x'), (e) => isWarehouseError(e, 'accessDenied') && e.details.permission === 'bigquery.tables.getData');
    assert.equal(count('POST', '/jobs'), 3);
    await assert.rejects(wh.copyTable(H1W, { dataset: 'archive', table: 'h1w_copy' }), (e) => isWarehouseError(e, 'duplicate'));
  });

  it('a copy whose answer was lost is not run twice: the retry attaches to the job by id', async () => {
    const dst = { dataset: 'archive', table: 'once' };
    await wh.copyTable(H1W, dst, { writeDisposition: 'WRITE_APPEND' });
    fake.requests.length = 0;
    fake.faults.add({ kind: 'dropAfter', match: { method: 'POST', path: '/jobs', jobType: 'copy' } });
    await wh.copyTable(H1W, dst, { writeDisposition: 'WRITE_APPEND' });
    const inserts = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/jobs'));
    assert.equal(inserts.length, 2);
    assert.equal((inserts[0]!.body as { jobReference: { jobId: string } }).jobReference.jobId, (inserts[1]!.body as { jobReference: { jobId: string } }).jobReference.jobId);
    assert.equal(inserts[1]!.status, 409);
    assert.equal((await wh.getTable(dst))!.rowCount, 2 * 1472, 'appended exactly twice, not three times');
  });

  it('creates and replaces views through tables.insert/patch, and extracts to gs://', async () => {
    const id = { dataset: 'archive', table: 'v_h1w' };
    await wh.createView(id, 'SELECT date FROM `cbi-v14.models_v4.production_training_data_1w`', { labels });
    assert.equal((await wh.getTable(id))!.type, 'VIEW');
    await wh.createView(id, 'SELECT 1 AS one', { replace: true });
    assert.ok(fake.requests.some((r) => r.method === 'PATCH'));
    await assert.rejects(wh.createView({ dataset: 'archive', table: 'once' }, 'SELECT 1', { replace: true }), /not a view/);
    const r = await wh.extractTable(H1W, 'gs://cbi-exports/training/h1w.parquet');
    assert.ok(r.jobId);
    const file = path.join(fake.gcsDir, 'cbi-exports', 'training', 'h1w.parquet');
    assert.ok(fs.existsSync(file));
    const back = await fake.engine.wh.query(`SELECT count(*) AS n FROM read_parquet('${file}')`);
    assert.equal(back.rows[0]!.n, 1472);
    await assert.rejects(wh.extractTable(H1W, '/tmp/x.parquet'), /Cloud Storage/);
  });

  it('reads a table through tabledata.list pages with progress', async () => {
    let pages = 0;
    let rows = 0;
    const progress: number[] = [];
    for await (const p of wh.readTable({ dataset: 'models_v4', table: 'crisis_2008_historical' }, { pageSize: 100, onProgress: (n) => progress.push(n) })) {
      pages++;
      rows += p.rows.length;
    }
    const total = (await fake.engine.wh.getTable({ dataset: 'models_v4', table: 'crisis_2008_historical' }))!.rowCount!;
    assert.equal(total, 261, 'business days of 2008');
    assert.equal(rows, total);
    assert.equal(pages, Math.ceil(total / 2), 'the fake caps pages at 2 rows');
    assert.equal(progress.at(-1), total);
    assert.ok(fake.requests.some((r) => r.path.endsWith('/data') && r.query.pageToken));
  });

  it('honours BIGQUERY_EMULATOR_HOST without a scheme', async () => {
    const saved = process.env.BIGQUERY_EMULATOR_HOST;
    process.env.BIGQUERY_EMULATOR_HOST = fake.url.replace('http://', '');
    try {
      const viaEnv = await openBigQueryWarehouse({ project: 'cbi-v14', location: 'US' });
      assert.equal((await viaEnv.getDataset('models_v4'))!.dataset, 'models_v4');
    } finally {
      if (saved === undefined) delete process.env.BIGQUERY_EMULATOR_HOST;
      else process.env.BIGQUERY_EMULATOR_HOST = saved;
    }
  });
});
