/**
 * Table metadata on both backends: partitioning, clustering, the partition-filter requirement,
 * table and column descriptions, labels, policy tags and expiration are kept through DDL,
 * tables.insert/get/patch, copies and renames — on the local warehouse (DuckDB keeps them in
 * bqmigrate_meta) and through BigQuery's REST API against the loopback fake.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { extractDdl, partitionFromExpression } from '../../../src/core/warehouse/ddl-options';
import { openWarehouse } from '../../../src/core/warehouse/index';
import type { LocalWarehouse } from '../../../src/core/warehouse/local';
import { SAMPLE_POLICY_TAG, seedSampleWarehouse } from '../../../src/core/warehouse/sample';
import { allPartitionsFilter, compareMetadata, createTableClauses, metadataPatch, parsePartitioning, tableOptionsFrom } from '../../../src/core/warehouse/table-meta';
import { bigQueryDialect, duckDbDialect } from '../../../src/core/warehouse/identifiers';
import type { TableInfo, Warehouse } from '../../../src/core/warehouse/types';
import { fakeWarehouse, tempDir, writeManifest } from './helpers';

const legacy1m = { dataset: 'models_v4', table: 'production_training_data_1m' };

describe('DDL options the local warehouse records', () => {
  it('reads PARTITION BY expressions into the stored text', () => {
    assert.equal(partitionFromExpression('date'), 'DAY(date)');
    assert.equal(partitionFromExpression('DATE(ts)'), 'DAY(ts)');
    assert.equal(partitionFromExpression('TIMESTAMP_TRUNC(ts, HOUR)'), 'HOUR(ts)');
    assert.equal(partitionFromExpression('DATE_TRUNC(d, MONTH)'), 'MONTH(d)');
    assert.equal(partitionFromExpression('_PARTITIONDATE'), 'DAY(_PARTITIONTIME)');
    assert.equal(partitionFromExpression('RANGE_BUCKET(customer_id, GENERATE_ARRAY(0, 100, 10))'), 'RANGE(customer_id, 0, 100, 10)');
    assert.throws(() => partitionFromExpression('MOD(x, 3)'), /does not understand PARTITION BY MOD\(x, 3\)/);
  });

  it('strips the clauses DuckDB lacks and keeps the rest of the statement byte for byte', () => {
    const sql = "CREATE OR REPLACE TABLE `cbi-v14.training.t`\nPARTITION BY date\nCLUSTER BY market_regime, `date`\nOPTIONS (description = 'it\\'s \"x\"', labels = [('team', 'ml'), (\"k\", \"v\")], require_partition_filter = TRUE, friendly_name = \"T\")\nAS SELECT * FROM `cbi-v14.models_v4.x` WHERE s = 'PARTITION BY'";
    const r = extractDdl(sql);
    assert.match(r.sql, /^CREATE OR REPLACE TABLE `cbi-v14\.training\.t`\s+AS SELECT \* FROM `cbi-v14\.models_v4\.x` WHERE s = 'PARTITION BY'$/);
    assert.deepEqual(r.effects, [
      {
        kind: 'create',
        target: { dataset: 'training', table: 't' },
        replace: true,
        partitioning: 'DAY(date)',
        clustering: ['market_regime', 'date'],
        patch: { description: 'it\'s "x"', labels: { team: 'ml', k: 'v' }, requirePartitionFilter: true, friendlyName: 'T' },
      },
    ]);
    const alter = extractDdl('ALTER TABLE `p-123456.d.t` SET OPTIONS (expiration_timestamp = NULL, description = "d"); SELECT 1');
    assert.equal(alter.sql.trim(), 'SELECT 1');
    assert.deepEqual(alter.effects, [{ kind: 'patch', target: { dataset: 'd', table: 't' }, patch: { expirationTime: null, description: 'd' } }]);
    const col = extractDdl('CREATE TABLE "d"."t" ("a" BIGINT OPTIONS(description = \'the a\'), b VARCHAR) PARTITION BY RANGE_BUCKET(a, GENERATE_ARRAY(0, 9, 3))');
    assert.equal(col.sql.replace(/\s+/g, ' ').trim(), 'CREATE TABLE "d"."t" ("a" BIGINT , b VARCHAR)');
    assert.deepEqual(col.effects[0], { kind: 'create', target: { dataset: 'd', table: 't' }, replace: false, partitioning: 'RANGE(a, 0, 9, 3)', patch: { columns: { a: { description: 'the a' } } } });
  });

  it('writes the clauses that recreate a table, leaving require_partition_filter for after the verification', () => {
    const info = { partitioning: 'DAY(date)', clustering: ['market_regime'], schema: [{ name: 'date', type: 'DATE' }], options: { description: "o'k", labels: { a: 'b' }, requirePartitionFilter: true } };
    assert.deepEqual(createTableClauses(bigQueryDialect('cbi-v14'), info), ['PARTITION BY `date`', 'CLUSTER BY `market_regime`', "OPTIONS (description = 'o\\'k', labels = [('a', 'b')])"]);
    assert.deepEqual(createTableClauses(duckDbDialect, { ...info, schema: [{ name: 'date', type: 'TIMESTAMP' }] }, false), ['PARTITION BY DATE("date")', 'CLUSTER BY "market_regime"', "OPTIONS (description = 'o''k', labels = [('a', 'b')], require_partition_filter = TRUE)"]);
    // Clauses we write are clauses we read back.
    const r = extractDdl(`CREATE TABLE "d"."t" ${createTableClauses(duckDbDialect, info, false).join(' ')} AS SELECT 1`);
    assert.deepEqual(r.effects[0], { kind: 'create', target: { dataset: 'd', table: 't' }, replace: false, partitioning: 'DAY(date)', clustering: ['market_regime'], patch: { description: "o'k", labels: { a: 'b' }, requirePartitionFilter: true } });
    assert.deepEqual(parsePartitioning('RANGE(x, -5, 5, 1)'), { kind: 'range', field: 'x', start: -5, end: 5, interval: 1 });
    assert.equal(allPartitionsFilter('bigquery', { partitioning: 'DAY(date)', requirePartitionFilter: true, schema: [{ name: 'date', type: 'DATE' }] }, (n) => `\`${n}\``), "(`date` >= DATE '0001-01-01' OR `date` IS NULL)");
    assert.equal(allPartitionsFilter('bigquery', { partitioning: 'DAY(date)', schema: [] }, (n) => n), undefined);
  });
});

/** The same expectations on either backend: `wh` is what the product talks to, `direct` what the test inspects. */
function metadataSuite(name: string, open: () => Promise<{ wh: Warehouse; local: LocalWarehouse; close(): Promise<void> }>) {
  describe(`table metadata on ${name}`, () => {
    let wh: Warehouse;
    let local: LocalWarehouse;
    let close: () => Promise<void>;
    before(async () => {
      ({ wh, local, close } = await open());
      await seedSampleWarehouse(local);
      await wh.createDataset({ dataset: 'training' });
      await wh.createDataset({ dataset: 'archive', defaultTableExpirationMs: 60 * 86_400_000 });
    });
    after(async () => close());

    it('returns the sample\'s partitioning, clustering, descriptions, labels and policy tags', async () => {
      const t = (await wh.getTable(legacy1m))!;
      assert.equal(t.partitioning, 'DAY(date)');
      assert.deepEqual(t.clustering, ['market_regime']);
      assert.equal(t.description, 'Production training surface, 1m horizon, all history');
      assert.deepEqual(t.labels, { team: 'forecasting', surface: 'prod', horizon: '1m' });
      assert.equal(t.schema.find((c) => c.name === 'zl_price_current')!.description, 'Soybean oil front-month settle, USD/cwt');
      assert.deepEqual(t.schema.find((c) => c.name === 'zl_volume')!.policyTags, [SAMPLE_POLICY_TAG]);
      assert.equal(t.schema.find((c) => c.name === 'zl_price_lag1')!.policyTags, undefined);
    });

    it('a CREATE TABLE … PARTITION BY … CLUSTER BY … OPTIONS (…) AS SELECT keeps them; CREATE OR REPLACE without them clears them', async () => {
      const id = { dataset: 'training', table: 'ddl_copy' };
      const t = wh.dialect.table(id);
      await wh.query(`CREATE TABLE ${t} PARTITION BY ${wh.dialect.ident('date')} CLUSTER BY ${wh.dialect.ident('market_regime')} OPTIONS (description = 'built by DDL', labels = [('k', 'v')], friendly_name = 'DDL copy', require_partition_filter = TRUE, partition_expiration_days = 3650) AS SELECT * FROM ${wh.dialect.table(legacy1m)}`);
      const info = (await wh.getTable(id))!;
      assert.equal(info.rowCount, 1404);
      assert.equal(info.partitioning, 'DAY(date)');
      assert.deepEqual(info.clustering, ['market_regime']);
      assert.equal(info.description, 'built by DDL');
      assert.equal(info.friendlyName, 'DDL copy');
      assert.deepEqual(info.labels, { k: 'v' });
      assert.equal(info.requirePartitionFilter, true);
      assert.equal(info.partitionExpirationMs, 3650 * 86_400_000);
      await wh.query(`ALTER TABLE ${t} SET OPTIONS (description = 'changed', labels = [('k2', 'v2')])`);
      const changed = (await wh.getTable(id))!;
      assert.equal(changed.description, 'changed');
      assert.deepEqual(changed.labels, { k: 'v', k2: 'v2' });
      await wh.query(`ALTER TABLE ${t} ALTER COLUMN ${wh.dialect.ident('date')} SET OPTIONS (description = 'the day')`);
      assert.equal((await wh.getTable(id))!.schema.find((c) => c.name === 'date')!.description, 'the day');
      await wh.query(`CREATE OR REPLACE TABLE ${t} AS SELECT 1 AS x`);
      const replaced = (await wh.getTable(id))!;
      assert.equal(replaced.partitioning, undefined);
      assert.equal(replaced.description, undefined);
      await assert.rejects(wh.query(`ALTER TABLE ${wh.dialect.table({ dataset: 'training', table: 'nope' })} SET OPTIONS (description = 'x')`), /Not found/);
    });

    it('a copy keeps the schema\'s descriptions and policy tags, partitioning and clustering; tables.patch carries the rest', async () => {
      const dest = { dataset: 'training', table: 'copied_1m' };
      await wh.copyTable(legacy1m, dest);
      const source = (await wh.getTable(legacy1m))!;
      let copy = (await wh.getTable(dest))!;
      assert.equal(copy.partitioning, 'DAY(date)');
      assert.deepEqual(copy.clustering, ['market_regime']);
      assert.deepEqual(copy.schema.find((c) => c.name === 'zl_volume')!.policyTags, [SAMPLE_POLICY_TAG]);
      assert.equal(copy.description, undefined, 'table options stay behind');
      const patch = metadataPatch(source, copy)!;
      assert.deepEqual(patch, { description: source.description, labels: source.labels });
      await wh.patchTable(dest, patch);
      copy = (await wh.getTable(dest))!;
      assert.deepEqual(compareMetadata(source, copy, { options: tableOptionsFrom(source) }), []);
      assert.equal(metadataPatch(source, copy), undefined, 'nothing left to carry');
      await wh.patchTable(dest, { labels: { horizon: null }, columns: { zl_volume: { policyTags: null, description: 'x' } } });
      copy = (await wh.getTable(dest))!;
      assert.deepEqual(copy.labels, { team: 'forecasting', surface: 'prod' });
      assert.equal(copy.schema.find((c) => c.name === 'zl_volume')!.policyTags, undefined);
      const diffs = compareMetadata(source, copy, { options: tableOptionsFrom(source) });
      assert.deepEqual(diffs.map((d) => d.property).sort(), ['column zl_volume description', 'column zl_volume policy tags', 'label horizon']);
      await assert.rejects(wh.patchTable(dest, { columns: { no_such_column: { description: 'x' } } }), /no column no_such_column/);
    });

    it('a rename keeps everything; new tables in a dataset with a default expiration expire, and a patch removes it', async () => {
      const temp = { dataset: 'archive', table: '_bqm_tmp_meta' };
      await wh.query(`CREATE TABLE ${wh.dialect.table(temp)} CLUSTER BY ${wh.dialect.ident('market_regime')} OPTIONS (description = 'kept') AS SELECT * FROM ${wh.dialect.table(legacy1m)}`);
      await wh.patchTable(temp, { columns: { zl_volume: { policyTags: [SAMPLE_POLICY_TAG] } } });
      const created = (await wh.getTable(temp))!;
      assert.ok(created.expirationTime, 'the dataset default applies');
      assert.ok(Date.parse(created.expirationTime!) - Date.now() > 59 * 86_400_000);
      await wh.query(`ALTER TABLE ${wh.dialect.table(temp)} RENAME TO ${wh.dialect.ident('renamed_meta')}`);
      const renamed = (await wh.getTable({ dataset: 'archive', table: 'renamed_meta' }))!;
      assert.equal(renamed.description, 'kept');
      assert.deepEqual(renamed.clustering, ['market_regime']);
      assert.deepEqual(renamed.schema.find((c) => c.name === 'zl_volume')!.policyTags, [SAMPLE_POLICY_TAG]);
      await wh.patchTable({ dataset: 'archive', table: 'renamed_meta' }, { expirationTime: null });
      assert.equal((await wh.getTable({ dataset: 'archive', table: 'renamed_meta' }))!.expirationTime, undefined);
    });
  });
}

metadataSuite('the local warehouse (DuckDB)', async () => {
  const dir = tempDir();
  const wh = (await openWarehouse({ backend: 'local', loaded: writeManifest(dir) })) as LocalWarehouse;
  return {
    wh,
    local: wh,
    async close() {
      await wh.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

metadataSuite('BigQuery (the loopback fake)', async () => {
  const { fake, wh } = await fakeWarehouse();
  return {
    wh,
    local: fake.engine.wh,
    async close() {
      await wh.close();
      await fake.close();
    },
  };
});

describe('the fake BigQuery server\'s table resources', () => {
  it('tables.insert keeps and tables.get returns everything BigQuery keeps', async () => {
    const { fake, wh } = await fakeWarehouse();
    try {
      await wh.createDataset({ dataset: 'training' });
      await wh.client.dataset('training').createTable('inserted', {
        schema: { fields: [{ name: 'date', type: 'DATE', description: 'day' }, { name: 'v', type: 'FLOAT', policyTags: { names: [SAMPLE_POLICY_TAG] } }, { name: 'n', type: 'INTEGER', mode: 'REQUIRED' }] },
        timePartitioning: { type: 'MONTH', field: 'date', expirationMs: '86400000' },
        clustering: { fields: ['n'] },
        requirePartitionFilter: true,
        description: 'inserted table',
        friendlyName: 'Inserted',
        labels: { a: 'b' },
      } as never);
      const [raw] = await wh.client.dataset('training').table('inserted').getMetadata();
      assert.deepEqual(raw.timePartitioning, { type: 'MONTH', field: 'date', expirationMs: '86400000' });
      assert.deepEqual(raw.clustering, { fields: ['n'] });
      assert.equal(raw.requirePartitionFilter, true);
      assert.equal(raw.description, 'inserted table');
      assert.equal(raw.friendlyName, 'Inserted');
      assert.deepEqual(raw.labels, { a: 'b' });
      assert.deepEqual(raw.schema.fields, [
        { name: 'date', type: 'DATE', mode: 'NULLABLE', description: 'day' },
        { name: 'v', type: 'FLOAT', mode: 'NULLABLE', policyTags: { names: [SAMPLE_POLICY_TAG] } },
        { name: 'n', type: 'INTEGER', mode: 'NULLABLE' },
      ]);
      const info = (await wh.getTable({ dataset: 'training', table: 'inserted' })) as TableInfo;
      assert.equal(info.partitioning, 'MONTH(date)');
      assert.equal(info.partitionExpirationMs, 86_400_000);
      const patchRequests = fake.requests.length;
      await wh.patchTable({ dataset: 'training', table: 'inserted' }, { description: null, columns: { v: { description: 'value' } } });
      const patch = fake.requests.slice(patchRequests).find((r) => r.method === 'PATCH')!;
      // The whole top-level schema goes back, with only the one column changed.
      assert.deepEqual((patch.body as { schema: { fields: unknown[] } }).schema.fields.length, 3);
      const [after] = await wh.client.dataset('training').table('inserted').getMetadata();
      assert.equal(after.description, undefined);
      assert.deepEqual(after.schema.fields[1], { name: 'v', type: 'FLOAT', mode: 'NULLABLE', description: 'value', policyTags: { names: [SAMPLE_POLICY_TAG] } });
    } finally {
      await wh.close();
      await fake.close();
    }
  });
});
