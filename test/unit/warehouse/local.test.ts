import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isWarehouseError } from '../../../src/core/warehouse/errors';
import { openWarehouse } from '../../../src/core/warehouse/index';
import type { LocalWarehouse } from '../../../src/core/warehouse/local';
import { HORIZONS, seedSampleWarehouse } from '../../../src/core/warehouse/sample';
import { tempDir, writeManifest } from './helpers';

describe('local warehouse (DuckDB)', () => {
  let dir: string;
  let wh: LocalWarehouse;
  before(async () => {
    dir = tempDir();
    wh = (await openWarehouse({ backend: 'local', loaded: writeManifest(dir) })) as LocalWarehouse;
    await seedSampleWarehouse(wh);
  });
  after(async () => {
    await wh.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lives in <manifest dir>/.bqmigrate/local.duckdb', () => {
    assert.ok(fs.existsSync(path.join(dir, '.bqmigrate', 'local.duckdb')));
    assert.equal(wh.kind, 'local');
    assert.equal(wh.project, 'cbi-v14');
  });

  it('seeds the five horizons with identical schemas, BigQuery type names and the log\'s row counts', async () => {
    const tables = await Promise.all(HORIZONS.map((h) => wh.getTable({ dataset: 'models_v4', table: `production_training_data_${h}` })));
    const schemas = tables.map((t) => JSON.stringify(t!.schema));
    assert.equal(new Set(schemas).size, 1, 'identical schemas across horizons');
    assert.deepEqual(tables.map((t) => t!.rowCount), [1472, 1404, 1475, 1473, 1473]);
    const types = Object.fromEntries(tables[0]!.schema.map((c) => [c.name, c.type]));
    assert.equal(types.date, 'DATE');
    assert.equal(types.zl_volume, 'INT64');
    assert.equal(types.zl_price_current, 'FLOAT64');
    assert.equal(types.market_regime, 'STRING');
    assert.ok(tables[0]!.sizeBytes! > 1472 * 8 * 10, 'size estimate counts every column');
    assert.equal(tables[0]!.partitioning, 'DAY(date)');
  });

  it('is deterministic: seeding twice gives the same data', async () => {
    const q = 'SELECT sum(zl_price_current) AS s, min(date) AS lo, max(date) AS hi FROM `cbi-v14.models_v4.production_training_data_1m`';
    const first = (await wh.query(q)).rows[0];
    await seedSampleWarehouse(wh);
    assert.deepEqual((await wh.query(q)).rows[0], first);
    assert.equal(typeof first!.s, 'number');
    assert.match(String(first!.lo), /^\d{4}-\d{2}-\d{2}$/);
  });

  it('lists datasets as schemas and hides its own bookkeeping', async () => {
    const names = (await wh.listDatasets()).map((d) => d.dataset);
    assert.deepEqual(names, ['forecasting_data_warehouse', 'models_v4', 'models_v5']);
    assert.equal((await wh.getDataset('models_v4'))!.location, 'US');
    const objects = await wh.listTables('forecasting_data_warehouse');
    const empty = objects.find((t) => t.table === 'news_sentiment_staging')!;
    assert.equal(empty.rowCount, 0);
    const view = objects.find((t) => t.type === 'VIEW')!;
    assert.equal(view.rowCount, null);
    assert.match(view.viewQuery!, /soybean_oil_prices/);
  });

  it('dry-runs a query: validates it and reports bytes without running it', async () => {
    const r = await wh.query('CREATE TABLE `models_v4.should_not_exist` AS SELECT * FROM `models_v4.production_training_data_1w`', { dryRun: true });
    assert.ok(r.totalBytesProcessed! > 0);
    assert.equal(await wh.getTable({ dataset: 'models_v4', table: 'should_not_exist' }), undefined);
    await assert.rejects(wh.query('SELEC 1', { dryRun: true }), (e) => isWarehouseError(e, 'invalidQuery'));
  });

  it('enforces maximumBytesBilled like BigQuery', async () => {
    await assert.rejects(wh.query('SELECT * FROM `models_v4.production_training_data_1w`', { maximumBytesBilled: 10 }), (e) => isWarehouseError(e, 'bytesBilledLimitExceeded'));
  });

  it('measures a table once, and again after anything that may have written it', async () => {
    await wh.query('CREATE SCHEMA IF NOT EXISTS sizes');
    await wh.query(`CREATE OR REPLACE TABLE sizes.t AS SELECT i AS id, 'é' || i AS s FROM range(10) r(i)`);
    const id = { dataset: 'sizes', table: 't' };
    const logical = async () => Number((await wh.query('SELECT 10 * 8 + SUM(octet_length(encode(s))) + 2 * COUNT(s) AS b FROM sizes.t')).rows[0]!.b);
    const first = (await wh.getTable(id))!;
    assert.deepEqual([first.rowCount, first.sizeBytes], [10, await logical()], 'STRING bytes are UTF-8 bytes (é is two), + 2 per value');
    await wh.query('INSERT INTO `sizes.t` SELECT id + 10, s FROM `sizes.t`');
    assert.equal((await wh.getTable(id))!.rowCount, 20, 'a DML statement through query()');
    await wh.withConnection((c) => c.run(`DELETE FROM sizes.t WHERE id >= 15`));
    assert.equal((await wh.getTable(id))!.rowCount, 15, 'a write through a connection of its own');
    await wh.query(`UPDATE sizes.t SET s = s || 'ééé' WHERE id < 3`);
    assert.equal((await wh.getTable(id))!.sizeBytes, 15 * 8 + Number((await wh.query('SELECT SUM(octet_length(encode(s))) + 2 * COUNT(s) AS b FROM sizes.t')).rows[0]!.b));
    // A measurement racing a write is not kept: the next read sees the write.
    await Promise.all([wh.getTable(id), wh.query('INSERT INTO `sizes.t` SELECT id + 100, s FROM `sizes.t`'), wh.getTable(id)]);
    assert.equal((await wh.getTable(id))!.rowCount, 30);
    await wh.query('DROP SCHEMA sizes CASCADE');
  });

  it('copies with WRITE_EMPTY by default and refuses to overwrite data', async () => {
    await wh.createDataset({ dataset: 'archive' });
    const src = { dataset: 'models_v4', table: 'crisis_2008_historical' };
    const dst = { dataset: 'archive', table: 'copy_of_crisis' };
    await wh.copyTable(src, dst, { labels: { run: 'r1', phase: 'archive', step: 'copy' } });
    assert.equal((await wh.getTable(dst))!.rowCount, (await wh.getTable(src))!.rowCount);
    await assert.rejects(wh.copyTable(src, dst), (e) => isWarehouseError(e, 'duplicate'));
    await wh.copyTable(src, dst, { writeDisposition: 'WRITE_APPEND' });
    assert.equal((await wh.getTable(dst))!.rowCount, 2 * (await wh.getTable(src))!.rowCount!);
    await assert.rejects(wh.copyTable({ dataset: 'models_v4', table: 'nope' }, dst), (e) => isWarehouseError(e, 'notFound'));
    const jobs = await wh.jobs();
    assert.ok(jobs.some((j) => j.kind === 'copy' && j.labels?.['bqmigrate-phase'] === 'archive' && j.labels['bqmigrate-run'] === 'r1'));
  });

  it('creates, replaces and drops views; drop of a missing table is notFound unless ifExists', async () => {
    await wh.createDataset({ dataset: 'training' });
    const id = { dataset: 'training', table: 'v_latest' };
    await wh.createView(id, 'SELECT * FROM `cbi-v14.models_v4.production_training_data_1m` WHERE date > DATE \'2024-01-01\'');
    assert.equal((await wh.getTable(id))!.type, 'VIEW');
    const n = (await wh.query('SELECT count(*) AS n FROM `training.v_latest`')).rows[0]!.n;
    assert.ok(Number(n) > 0);
    await wh.createView(id, 'SELECT 1 AS one', { replace: true });
    assert.deepEqual((await wh.query('SELECT * FROM "training"."v_latest"')).rows, [{ one: 1 }]);
    await wh.dropTable(id);
    assert.equal(await wh.getTable(id), undefined);
    await assert.rejects(wh.dropTable(id), (e) => isWarehouseError(e, 'notFound'));
    await wh.dropTable(id, { ifExists: true });
  });

  it('reads a table page by page and writes parquet atomically', async () => {
    const id = { dataset: 'models_v4', table: 'production_training_data_12m' };
    let pages = 0;
    let rows = 0;
    let last = 0;
    for await (const page of wh.readTable(id, { pageSize: 500, onProgress: (n) => (last = n) })) {
      pages++;
      rows += page.rows.length;
    }
    assert.equal(pages, 3);
    assert.equal(rows, 1473);
    assert.equal(last, 1473);
    const out = path.join(dir, 'exports', 'h12.parquet');
    const r = await wh.extractTable(id, out);
    assert.equal(r.rows, 1473);
    assert.deepEqual(fs.readdirSync(path.dirname(out)), ['h12.parquet'], 'no temp file left behind');
    const back = await wh.query(`SELECT count(*) AS n FROM read_parquet('${out.replace(/'/g, "''")}')`);
    assert.equal(back.rows[0]!.n, 1473);
    await assert.rejects(wh.extractTable(id, 'gs://bucket/x.parquet'), /local files only/);
  });

  it('loads CSV and parquet files into a table', async () => {
    const csv = path.join(dir, 'prices.csv');
    fs.writeFileSync(csv, 'date,close\n2024-01-02,47.5\n2024-01-03,48.1\n');
    const r = await wh.loadFile({ dataset: 'staging', table: 'prices' }, csv);
    assert.equal(r.rows, 2);
    const t = (await wh.getTable({ dataset: 'staging', table: 'prices' }))!;
    assert.deepEqual(t.schema.map((c) => c.type), ['DATE', 'FLOAT64']);
    await assert.rejects(wh.loadFile({ dataset: 'staging', table: 'x' }, path.join(dir, 'missing.csv')), /no such file/);
  });

  it('reports SQL errors with BigQuery reasons', async () => {
    await assert.rejects(wh.query('SELECT * FROM `models_v4.no_such_table`'), (e) => isWarehouseError(e, 'notFound'));
    await assert.rejects(wh.query('SELECT FROM WHERE'), (e) => isWarehouseError(e, 'invalidQuery'));
  });

  it('binds @params', async () => {
    const r = await wh.query('SELECT count(*) AS n FROM `models_v4.production_training_data_1m` WHERE market_regime = @regime', { params: { regime: 'trump_2023_2025' } });
    assert.ok(Number(r.rows[0]!.n) > 0);
  });
});
