import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { approvedDatasets, checkAccess, exportTables, formatAccessTable, inventoryCsv, mergeInventory, PROBE_PREFIX, runInventory, type WarehouseEvent } from '../../../src/core/inventory/index';
import { parseManifest, type LoadedManifest } from '../../../src/core/manifest/load';
import type { BigQueryWarehouse } from '../../../src/core/warehouse/bigquery';
import { openWarehouse } from '../../../src/core/warehouse/index';
import type { LocalWarehouse } from '../../../src/core/warehouse/local';
import { seedSampleWarehouse } from '../../../src/core/warehouse/sample';
import type { FakeBigQuery } from '../../fake-bigquery/server';
import { fakeWarehouse, tempDir, writeManifest } from '../warehouse/helpers';

describe('inventory, access check and export on the local warehouse', () => {
  let dir: string;
  let loaded: LoadedManifest;
  let wh: LocalWarehouse;
  before(async () => {
    dir = tempDir('bqm-inv-');
    loaded = writeManifest(dir);
    wh = (await openWarehouse({ backend: 'local', loaded })) as LocalWarehouse;
    await seedSampleWarehouse(wh);
  });
  after(async () => {
    await wh.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists every object with facts and reports empty, duplicate and missing objects', async () => {
    const events: WarehouseEvent[] = [];
    const inv = await runInventory(wh, { loaded, onEvent: (e) => events.push(e) });
    assert.equal(inv.objects.length, 23);
    const h1m = inv.objects.find((o) => o.table === 'production_training_data_1m')!;
    assert.equal(h1m.rows, 1404);
    assert.equal(h1m.type, 'TABLE');
    assert.equal(h1m.location, 'US');
    assert.equal(h1m.partitioning, 'DAY(date)');
    assert.deepEqual(h1m.clustering, ['market_regime']);
    assert.ok(h1m.created && h1m.modified && h1m.sizeBytes! > 0);
    assert.deepEqual(inv.empty.map((o) => `${o.dataset}.${o.table}`), ['forecasting_data_warehouse.news_sentiment_staging']);
    assert.deepEqual(inv.duplicates, [{ table: 'soybean_oil_prices', datasets: ['forecasting_data_warehouse', 'models_v5'] }]);
    assert.deepEqual(inv.missing, [{ name: 'models_v4.gone_table_2019', mappingIndex: 2 }]);
    assert.deepEqual(events.map((e) => e.event), ['action-start', 'action-end']);
    assert.equal(events[1]!.rows, 23);
  });

  it('writes the team\'s CSV shape, readable back by CORE\'s import', async () => {
    const inv = await runInventory(wh);
    const csv = inventoryCsv(inv.objects);
    const [header] = csv.split('\n');
    assert.equal(header, 'dataset_name,table_name,table_type,row_count,created,modified,location,partitioning,clustering');
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    assert.equal(rows.length, 23);
    const view = rows.find((r) => r.table_name === 'vw_soybean_oil_latest')!;
    assert.equal(view.table_type, 'VIEW');
    assert.equal(view.row_count, '');
  });

  it('--merge adds the unmapped objects to the manifest, keeping comments, and is idempotent', async () => {
    const inv = await runInventory(wh);
    const first = mergeInventory(loaded, inv.objects);
    const text = fs.readFileSync(loaded.file, 'utf8');
    assert.match(text, /\/\/ test manifest/);
    assert.ok(first.added > 0);
    const reparsed = parseManifest(text, loaded.file);
    assert.ok(reparsed.ok);
    const froms = reparsed.loaded.manifest.mappings.map((m) => m.from);
    assert.ok(froms.includes('forecasting_data_warehouse.corn_prices'));
    assert.ok(!froms.includes('models_v4.production_training_data_1m'), 'mapped by the template already');
    const again = mergeInventory(reparsed.loaded, inv.objects);
    assert.equal(again.added, 0);
    fs.writeFileSync(loaded.file, loaded.text);
  });

  it('checks access per approved dataset and always removes its probe', async () => {
    await wh.createDataset({ dataset: 'training' });
    const checks = await checkAccess(wh, approvedDatasets(loaded));
    const training = checks.find((c) => c.dataset === 'training')!;
    assert.deepEqual([training.exists, training.locationOk, training.create, training.read, training.drop, training.ok], [true, true, 'ok', 'ok', 'ok', true]);
    const archive = checks.find((c) => c.dataset === 'archive')!;
    assert.equal(archive.exists, false);
    assert.equal(archive.ok, false);
    assert.match(archive.error!, /does not exist/);
    const probes = (await wh.listTables('training')).filter((t) => t.table.startsWith(PROBE_PREFIX));
    assert.equal(probes.length, 0);
    const table = formatAccessTable(checks);
    assert.match(table, /^dataset\s+exists\s+location\s+create\s+read\s+drop\s+result/);
    assert.match(table, /training\s+yes\s+US\s+ok\s+ok\s+ok\s+ok/);
  });

  it('exports a templated family to parquet, verifies row counts, refuses to overwrite a newer file', async () => {
    await wh.createDataset({ dataset: 'training' });
    for (const h of ['1w', '1m', '3m', '6m', '12m']) {
      await wh.copyTable({ dataset: 'models_v4', table: `production_training_data_${h}` }, { dataset: 'training', table: `zl_training_prod_allhistory_${h}` }, { writeDisposition: 'WRITE_TRUNCATE' });
    }
    const spec = { tables: 'training.zl_training_{surface}_allhistory_{horizon}', to: 'exports/{table}.parquet' };
    const events: WarehouseEvent[] = [];
    const first = await exportTables(wh, spec, { loaded, onEvent: (e) => events.push(e) });
    assert.deepEqual(first.map((o) => [path.basename(o.destination), o.status, o.rows, o.verified]), [
      ['zl_training_prod_allhistory_1w.parquet', 'exported', 1472, 'file'],
      ['zl_training_prod_allhistory_1m.parquet', 'exported', 1404, 'file'],
      ['zl_training_prod_allhistory_3m.parquet', 'exported', 1475, 'file'],
      ['zl_training_prod_allhistory_6m.parquet', 'exported', 1473, 'file'],
      ['zl_training_prod_allhistory_12m.parquet', 'exported', 1473, 'file'],
    ]);
    assert.equal(events.filter((e) => e.event === 'action-end').length, 5);
    const second = await exportTables(wh, spec, { loaded });
    assert.ok(second.every((o) => o.status === 'skipped-newer'));
    assert.match(second[0]!.error!, /--force/);
    const forced = await exportTables(wh, spec, { loaded, force: true });
    assert.ok(forced.every((o) => o.status === 'exported'));
  });

  it('reports a missing table as a failed export and keeps going', async () => {
    const r = await exportTables(wh, { tables: 'training.nope_{horizon}', to: 'exports/{table}.parquet' }, { loaded });
    assert.equal(r.length, 5);
    assert.ok(r.every((o) => o.status === 'failed' && /Not found/.test(o.error!)));
  });
});

describe('inventory, access check and export on BigQuery (fake)', () => {
  let dir: string;
  let loaded: LoadedManifest;
  let fake: FakeBigQuery;
  let wh: BigQueryWarehouse;
  before(async () => {
    dir = tempDir('bqm-inv-bq-');
    loaded = writeManifest(dir);
    ({ fake, wh } = await fakeWarehouse({ maxPageSize: 2, maxRowsPerPage: 200 }));
    await seedSampleWarehouse(fake.engine.wh);
    await fake.engine.wh.createDataset({ dataset: 'training' });
    await fake.engine.wh.createDataset({ dataset: 'archive', location: 'EU' });
    for (const h of ['1w', '1m', '3m', '6m', '12m']) {
      await fake.engine.wh.copyTable({ dataset: 'models_v4', table: `production_training_data_${h}` }, { dataset: 'training', table: `zl_training_prod_allhistory_${h}` });
    }
  });
  after(async () => {
    await fake.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('inventories every dataset through paginated datasets.list / tables.list', async () => {
    const inv = await runInventory(wh, { loaded });
    assert.equal(inv.datasets.length, 5);
    assert.equal(inv.objects.length, 23 + 5);
    assert.ok(fake.requests.some((r) => r.path.endsWith('/datasets') && r.query.pageToken));
    assert.ok(fake.requests.some((r) => r.path.endsWith('/tables') && r.query.pageToken));
    assert.equal(inv.objects.find((o) => o.table === 'production_training_data_1m')!.partitioning, 'DAY(date)');
    assert.deepEqual(inv.empty.map((o) => o.table), ['news_sentiment_staging']);
    assert.deepEqual(inv.missing.map((m) => m.name), ['models_v4.gone_table_2019']);
  });

  it('check-access names the missing permission and still removes the probe', async () => {
    fake.faults.add({ kind: 'accessDenied', permission: 'bigquery.tables.getData', match: { method: 'POST', path: '/jobs', bodyIncludes: 'SELECT COUNT(*)' }, times: Infinity });
    const checks = await checkAccess(wh, approvedDatasets(loaded), { labels: { run: 'r', phase: 'datasets', step: 'check-access' } });
    fake.faults.clear();
    const training = checks.find((c) => c.dataset === 'training')!;
    assert.deepEqual([training.create, training.read, training.drop, training.ok], ['ok', 'failed', 'ok', false]);
    assert.equal(training.permission, 'bigquery.tables.getData');
    assert.match(formatAccessTable(checks), /FAILED: missing bigquery\.tables\.getData/);
    const archive = checks.find((c) => c.dataset === 'archive')!;
    assert.equal(archive.locationOk, false);
    assert.match(archive.error!, /in EU, the manifest expects US/);
    for (const ds of ['training', 'archive']) {
      assert.equal((await fake.engine.wh.listTables(ds)).filter((t) => t.table.startsWith(PROBE_PREFIX)).length, 0);
    }
    const deletes = fake.requests.filter((r) => r.method === 'DELETE' && r.path.includes(PROBE_PREFIX));
    assert.equal(deletes.length, 2);
  });

  it('check-access reports a denied create with its permission', async () => {
    fake.faults.add({ kind: 'accessDenied', permission: 'bigquery.tables.create', match: { method: 'POST', path: '/jobs', bodyIncludes: 'CREATE TABLE' }, times: Infinity });
    const [training] = await checkAccess(wh, [{ dataset: 'training', location: 'US' }]);
    fake.faults.clear();
    assert.deepEqual([training!.create, training!.read, training!.drop], ['failed', 'skipped', 'skipped']);
    assert.equal(training!.permission, 'bigquery.tables.create');
  });

  it('exports to gs:// through extract jobs and to local paths through tabledata.list', async () => {
    const gcs = await exportTables(wh, { tables: 'training.zl_training_prod_allhistory_{horizon}', to: 'gs://cbi-exports/{table}.parquet' }, { loaded });
    assert.ok(gcs.every((o) => o.status === 'exported' && o.jobId && o.verified === 'table'));
    const extracts = fake.jobBodies().filter((b) => 'extract' in (b.configuration as object));
    assert.equal(extracts.length, 5);
    assert.equal((extracts[0]!.configuration as { extract: { destinationFormat: string } }).extract.destinationFormat, 'PARQUET');
    assert.ok(fs.existsSync(path.join(fake.gcsDir, 'cbi-exports', 'zl_training_prod_allhistory_1m.parquet')));
    const progress: string[] = [];
    const local = await exportTables(wh, { tables: 'training.zl_training_prod_allhistory_1m', to: 'exports/{table}.parquet' }, { loaded, onProgress: (m) => progress.push(m) });
    assert.deepEqual(local.map((o) => [o.status, o.rows, o.verified]), [['exported', 1404, 'file']]);
    assert.equal(progress.length, 8, '1404 rows in pages of 200');
    assert.ok(progress.at(-1)!.endsWith('1404/1404 rows'));
    const duck = fake.engine.wh;
    const cmp = await duck.query(`SELECT count(*) AS n FROM (SELECT * FROM read_parquet('${local[0]!.destination}') EXCEPT SELECT * FROM "training"."zl_training_prod_allhistory_1m")`);
    assert.equal(cmp.rows[0]!.n, 0, 'the downloaded file has the same rows and values');
  });
});
