/**
 * The fake BigQuery server exports as BigQuery documents: tabledata.list and extract jobs refuse
 * views; a table over the single-file limit needs a `*` URI; Parquet compression is NONE unless
 * asked. Plain HTTP, no client library.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { seedSampleWarehouse } from '../../../src/core/warehouse/sample';
import { startFakeBigQuery, type FakeBigQuery } from '../../fake-bigquery/server';

describe('the fake BigQuery server: exports', () => {
  let fake: FakeBigQuery;
  before(async () => {
    fake = await startFakeBigQuery({ project: 'cbi-v14', singleFileLimitBytes: 100_000 });
    await seedSampleWarehouse(fake.engine.wh);
  });
  after(() => fake.close());
  const call = async (method: string, p: string, body?: unknown) => {
    const r = await fetch(`${fake.url}/bigquery/v2/projects/cbi-v14${p}`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return { status: r.status, json: (await r.json()) as Record<string, any> };
  };
  const extract = (dataset: string, table: string, uri: string, compression?: string) =>
    call('POST', '/jobs', { jobReference: { jobId: `x_${Math.random().toString(36).slice(2)}`, location: 'US' }, configuration: { extract: { sourceTable: { projectId: 'cbi-v14', datasetId: dataset, tableId: table }, destinationUris: [uri], destinationFormat: 'PARQUET', ...(compression ? { compression } : {}) } } });
  const compressionOf = async (file: string) => (await fake.engine.wh.query(`SELECT DISTINCT compression FROM parquet_metadata('${file}')`)).rows.map((r) => r.compression);

  it('tabledata.list and extract jobs refuse a view', async () => {
    const list = await call('GET', '/datasets/forecasting_data_warehouse/tables/vw_soybean_oil_latest/data');
    assert.deepEqual([list.status, list.json.error.errors[0].reason], [400, 'invalid']);
    const job = await extract('forecasting_data_warehouse', 'vw_soybean_oil_latest', 'gs://b/view.parquet');
    assert.equal(job.status, 400);
    assert.match(job.json.error.message, /not allowed for this operation because it is currently a VIEW/);
  });

  it('a table over the single-file limit needs a wildcard URI; with one, the shard is written', async () => {
    const big = await extract('models_v4', 'production_training_data_1w', 'gs://b/h1w.parquet');
    assert.equal(big.status, 400);
    assert.match(big.json.error.message, /too large to be exported to a single file\. Specify a uri including a \*/);
    const sharded = await extract('models_v4', 'production_training_data_1w', 'gs://b/h1w-*.parquet');
    assert.equal(sharded.status, 200);
    assert.ok(fs.existsSync(path.join(fake.gcsDir, 'b', 'h1w-000000000000.parquet')));
  });

  it('Parquet is uncompressed unless compression is asked for', async () => {
    assert.equal((await extract('models_v5', 'soybean_oil_prices', 'gs://b/plain.parquet')).status, 200);
    assert.deepEqual(await compressionOf(path.join(fake.gcsDir, 'b', 'plain.parquet')), ['UNCOMPRESSED']);
    assert.equal((await extract('models_v5', 'soybean_oil_prices', 'gs://b/z.parquet', 'ZSTD')).status, 200);
    assert.deepEqual(await compressionOf(path.join(fake.gcsDir, 'b', 'z.parquet')), ['ZSTD']);
  });
});
