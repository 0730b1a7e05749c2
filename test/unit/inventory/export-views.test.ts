/**
 * Exports on BigQuery (the loopback fake, which refuses to list or extract views and to write a
 * table over the single-file limit to one file): a view is exported through a temporary table that
 * is dropped afterwards; a large table without a wildcard URI is refused with the URI to use;
 * `compression` reaches the Parquet files.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exportTables } from '../../../src/core/inventory/index';
import type { LoadedManifest } from '../../../src/core/manifest/load';
import type { BigQueryWarehouse } from '../../../src/core/warehouse/bigquery';
import { seedSampleWarehouse } from '../../../src/core/warehouse/sample';
import type { FakeBigQuery } from '../../fake-bigquery/server';
import { fakeWarehouse, tempDir, writeManifest } from '../warehouse/helpers';

const VIEW = 'forecasting_data_warehouse.vw_soybean_oil_latest';

describe('exports of views, large tables and compression on BigQuery', () => {
  let fake: FakeBigQuery;
  let wh: BigQueryWarehouse;
  let loaded: LoadedManifest;
  let dir: string;
  before(async () => {
    ({ fake, wh } = await fakeWarehouse({ singleFileLimitBytes: 100_000 }));
    await seedSampleWarehouse(fake.engine.wh);
    dir = tempDir();
    loaded = writeManifest(dir);
  });
  after(async () => {
    await fake.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const leftovers = async () => (await fake.engine.wh.listTables('forecasting_data_warehouse')).filter((t) => t.table.startsWith('_bqmigrate_export_'));
  const compressionOf = async (file: string) => (await fake.engine.wh.query(`SELECT DISTINCT compression FROM parquet_metadata('${file}')`)).rows.map((r) => r.compression);

  it('a view is exported through a temporary table, to gs:// and to a local file, and the table is dropped', async () => {
    const expected = Number((await fake.engine.wh.query(`SELECT count(*) AS n FROM ${'`cbi-v14.' + VIEW + '`'}`)).rows[0]!.n);
    const [gcs] = await exportTables(wh, { tables: VIEW, to: 'gs://exports/{table}.parquet' }, { loaded });
    assert.equal(gcs!.status, 'exported', gcs!.error);
    assert.match(gcs!.via!, /^forecasting_data_warehouse\._bqmigrate_export_[0-9a-f]{12} \(a view cannot be exported directly\)$/);
    const file = path.join(fake.gcsDir, 'exports', 'vw_soybean_oil_latest.parquet');
    assert.equal(Number((await fake.engine.wh.query(`SELECT count(*) AS n FROM read_parquet('${file}')`)).rows[0]!.n), expected);
    const [local] = await exportTables(wh, { tables: VIEW, to: 'out/{table}.parquet' }, { loaded });
    assert.equal(local!.status, 'exported', local!.error);
    assert.equal(local!.rows, expected);
    assert.deepEqual(await leftovers(), [], 'the temporary tables are dropped');
  });

  it('extractTable itself refuses a view with the reason', async () => {
    await assert.rejects(wh.extractTable({ dataset: 'forecasting_data_warehouse', table: 'vw_soybean_oil_latest' }, 'gs://exports/v.parquet'), /is a view: BigQuery extract jobs export tables only/);
  });

  it('a table over the single-file limit needs a wildcard URI: refused with the URI to use, exported with it', async () => {
    const [refused] = await exportTables(wh, { tables: 'models_v4.production_training_data_1w', to: 'gs://exports/{table}.parquet' }, { loaded, singleFileLimitBytes: 100_000 });
    assert.equal(refused!.status, 'failed');
    assert.match(refused!.error!, /at most 100000 bytes \(1 GB\) to a single file — give a wildcard URI such as gs:\/\/exports\/production_training_data_1w-\*\.parquet/);
    const [sharded] = await exportTables(wh, { tables: 'models_v4.production_training_data_1w', to: 'gs://exports/{table}-*.parquet' }, { loaded, singleFileLimitBytes: 100_000 });
    assert.equal(sharded!.status, 'exported', sharded!.error);
    assert.ok(fs.existsSync(path.join(fake.gcsDir, 'exports', 'production_training_data_1w-000000000000.parquet')));
  });

  it('compression: snappy by default, zstd or gzip when asked, on gs:// and local files', async () => {
    await exportTables(wh, { tables: 'models_v5.soybean_oil_prices', to: 'gs://exports/default.parquet' }, { loaded });
    assert.deepEqual(await compressionOf(path.join(fake.gcsDir, 'exports', 'default.parquet')), ['SNAPPY']);
    await exportTables(wh, { tables: 'models_v5.soybean_oil_prices', to: 'gs://exports/z.parquet', compression: 'zstd' }, { loaded });
    assert.deepEqual(await compressionOf(path.join(fake.gcsDir, 'exports', 'z.parquet')), ['ZSTD']);
    const [local] = await exportTables(wh, { tables: 'models_v5.soybean_oil_prices', to: 'out/g.parquet', compression: 'gzip' }, { loaded });
    assert.equal(local!.status, 'exported', local!.error);
    assert.deepEqual(await compressionOf(path.join(dir, 'out', 'g.parquet')), ['GZIP']);
  });
});
