/**
 * A view created with a column list keeps it through pull and repoint, on the local warehouse and on
 * BigQuery (the loopback fake: tables.get says `view.useExplicitColumnNames`, and the names and
 * descriptions come back in its schema): create → pull (the file has the list) → edit a description
 * → the repoint-definitions step applies it and reads it back → a second pull rewrites nothing. A list
 * that only renames columns (`CREATE VIEW v (x, y) AS SELECT a, b`) is pulled and repointed too.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pullDefinitions } from '../../../src/core/definitions/pull';
import { runPhases } from '../../../src/core/phases/index';
import { openWarehouse, seedSampleWarehouse, type Warehouse } from '../../../src/core/warehouse/index';
import { startFakeBigQuery, type FakeBigQuery } from '../../fake-bigquery/server';
import { makeWorkspace, quiet, type Workspace } from '../phases/helpers';
import { withDefinitionsPhase } from './helpers';

process.env.METADATA_SERVER_DETECTION = 'none';

const DDL =
  "CREATE OR REPLACE VIEW models_v4.v_prices (day OPTIONS(description=\"the trading day\"), price OPTIONS(description='price in USD'), regime)\nOPTIONS(description = 'prices by day')\nAS SELECT date, zl_price_current, market_regime FROM `cbi-v14.models_v4.production_training_data_1m`";

const PULLED = [
  'CREATE OR REPLACE VIEW `cbi-v14.models_v4.v_prices` (',
  "  `day` OPTIONS (description = 'the trading day'),",
  "  `price` OPTIONS (description = 'price in USD'),",
  '  `regime`',
  ')',
  'OPTIONS (',
  "  description = 'prices by day'",
  ')',
  'AS',
  'SELECT date, zl_price_current, market_regime FROM `cbi-v14.models_v4.production_training_data_1m`',
  '',
].join('\n');

/** The scenario, against whichever warehouse `open` gives; `wh` is the store DDL runs in. */
async function roundTrip(ws: Workspace, wh: Warehouse): Promise<void> {
  const file = path.join(ws.dir, 'warehouse', 'models_v4', 'v_prices.sql');
  const first = await pullDefinitions(wh, ws.load(), { datasets: ['models_v4'], scheduled: false });
  assert.deepEqual(first.errors, []);
  assert.equal(fs.readFileSync(file, 'utf8'), PULLED);
  const unchanged = await pullDefinitions(wh, ws.load(), { datasets: ['models_v4'], scheduled: false });
  assert.ok(unchanged.entries.every((e) => e.state === 'unchanged'), JSON.stringify(unchanged.entries));

  // Edit one description, drop another: the step applies the list and reads it back.
  const edited = PULLED.replace("'price in USD'", "'settlement price, USD per short ton'").replace(" OPTIONS (description = 'the trading day')", '');
  fs.writeFileSync(file, edited);
  const run = await runPhases({ wh, loaded: ws.load(), phases: ['definitions'], yes: true, ...quiet });
  assert.equal(run.status, 'ok', run.error);
  const back = await wh.getDefinition('VIEW', { dataset: 'models_v4', table: 'v_prices' });
  assert.deepEqual(back?.columns, [{ name: 'day' }, { name: 'price', description: 'settlement price, USD per short ton' }, { name: 'regime' }]);
  const schema = (await wh.getTable({ dataset: 'models_v4', table: 'v_prices' }))!.schema;
  assert.deepEqual(schema.map((c) => [c.name, c.description]), [['day', undefined], ['price', 'settlement price, USD per short ton'], ['regime', undefined]]);

  const again = await pullDefinitions(wh, ws.load(), { datasets: ['models_v4'], scheduled: false });
  assert.ok(again.entries.every((e) => e.state === 'unchanged'), JSON.stringify(again.entries));
  assert.equal(fs.readFileSync(file, 'utf8'), edited, 'byte-identical after the repoint');
  const noop = await runPhases({ wh, loaded: ws.load(), phases: ['definitions'], yes: true, ...quiet });
  assert.equal(noop.status, 'ok', noop.error);

  // Without any description left the list still names the columns (the view uses explicit column names): the file keeps it.
  const bareText = edited.replace(" OPTIONS (description = 'settlement price, USD per short ton')", '');
  fs.writeFileSync(file, bareText);
  const bare = await runPhases({ wh, loaded: ws.load(), phases: ['definitions'], yes: true, ...quiet });
  assert.equal(bare.status, 'ok', bare.error);
  await pullDefinitions(wh, ws.load(), { datasets: ['models_v4'], scheduled: false });
  assert.equal(fs.readFileSync(file, 'utf8'), bareText, 'the list without descriptions is pulled back as written');
  assert.doesNotMatch(bareText, /OPTIONS \(description = '(?:the trading day|settlement)/);
}

const RENAMING = 'CREATE VIEW models_v4.v_renamed (day, price) AS SELECT date, zl_price_current FROM `cbi-v14.models_v4.production_training_data_1m`';

const RENAMING_PULLED = [
  'CREATE OR REPLACE VIEW `cbi-v14.models_v4.v_renamed` (',
  '  `day`,',
  '  `price`',
  ')',
  'AS',
  'SELECT date, zl_price_current FROM `cbi-v14.models_v4.production_training_data_1m`',
  '',
].join('\n');

/** A column list that renames columns without describing any: pulled with the list, repointed keeping the names. */
async function renamingRoundTrip(ws: Workspace, wh: Warehouse): Promise<void> {
  await wh.query(RENAMING);
  const file = path.join(ws.dir, 'warehouse', 'models_v4', 'v_renamed.sql');
  const first = await pullDefinitions(wh, ws.load(), { datasets: ['models_v4'], scheduled: false });
  assert.deepEqual(first.errors, []);
  assert.equal(fs.readFileSync(file, 'utf8'), RENAMING_PULLED, 'the file recreates the names');
  const d = await wh.getDefinition('VIEW', { dataset: 'models_v4', table: 'v_renamed' });
  assert.equal(d?.explicitColumnNames, true);
  assert.deepEqual(d?.columns, [{ name: 'day' }, { name: 'price' }]);
  const unchanged = await pullDefinitions(wh, ws.load(), { datasets: ['models_v4'], scheduled: false });
  assert.ok(unchanged.entries.every((e) => e.state === 'unchanged'), JSON.stringify(unchanged.entries));

  // Edit the body: the step applies the file with its list, and the view keeps day and price.
  const repointed = RENAMING_PULLED.replace('production_training_data_1m`\n', 'production_training_data_1m` WHERE TRUE\n');
  assert.notEqual(repointed, RENAMING_PULLED);
  fs.writeFileSync(file, repointed);
  const run = await runPhases({ wh, loaded: ws.load(), phases: ['definitions'], yes: true, ...quiet });
  assert.equal(run.status, 'ok', run.error);
  assert.deepEqual((await wh.getTable({ dataset: 'models_v4', table: 'v_renamed' }))!.schema.map((c) => c.name), ['day', 'price']);
  const again = await pullDefinitions(wh, ws.load(), { datasets: ['models_v4'], scheduled: false });
  assert.ok(again.entries.every((e) => e.state === 'unchanged'), JSON.stringify(again.entries));
  assert.equal(fs.readFileSync(file, 'utf8'), repointed, 'byte-identical after the repoint');
}

describe('a view column list with descriptions round-trips', () => {
  describe('on the local warehouse', () => {
    let ws: Workspace;
    let wh: Warehouse;
    before(async () => {
      ws = await makeWorkspace(withDefinitionsPhase);
      wh = await ws.open();
      await wh.query(DDL);
    });
    after(async () => {
      await wh?.close();
      ws?.cleanup();
    });

    it('create → pull → repoint an edited description → pull again identical', async () => {
      await roundTrip(ws, wh);
    });

    it('a list that renames columns without descriptions: pulled with the list, repointed keeping the names', async () => {
      await renamingRoundTrip(ws, wh);
    });

    it('a CREATE OR REPLACE without the list drops the descriptions, as on BigQuery', async () => {
      await wh.query(DDL);
      assert.equal((await wh.getDefinition('VIEW', { dataset: 'models_v4', table: 'v_prices' }))?.columns?.length, 3);
      await wh.query('CREATE OR REPLACE VIEW models_v4.v_prices AS SELECT date AS day FROM `cbi-v14.models_v4.production_training_data_1m`');
      const d = await wh.getDefinition('VIEW', { dataset: 'models_v4', table: 'v_prices' });
      assert.equal(d?.columns, undefined);
      assert.deepEqual((await wh.getTable({ dataset: 'models_v4', table: 'v_prices' }))!.schema.map((c) => c.description), [undefined]);
    });
  });

  describe('on BigQuery (the loopback fake)', () => {
    let fake: FakeBigQuery;
    let ws: Workspace;
    let wh: Warehouse;
    before(async () => {
      fake = await startFakeBigQuery({ project: 'cbi-v14' });
      await seedSampleWarehouse(fake.engine.wh);
      ws = await makeWorkspace(withDefinitionsPhase, { seed: false });
      wh = await openWarehouse({ backend: 'bigquery', loaded: ws.load(), bigquery: { apiEndpoint: fake.url, retryBaseDelayMs: 5, timeoutMs: 60_000 } });
      await wh.query(DDL);
    });
    after(async () => {
      await wh?.close();
      await fake?.close();
      ws?.cleanup();
    });

    it('create → pull (descriptions from tables.get schema) → repoint an edited description → pull again identical', async () => {
      await roundTrip(ws, wh);
      const views = fake.requests.filter((q) => q.method === 'GET' && q.path.endsWith('/tables/v_prices'));
      assert.ok(views.length > 0, 'the column descriptions are read through tables.get');
      assert.ok(fake.requests.some((q) => /CREATE OR REPLACE VIEW `cbi-v14\.models_v4\.v_prices` \(\\n  `day`/.test(JSON.stringify(q.body ?? ''))), 'the step sent the column list');
    });

    it('a list that renames columns without descriptions: tables.get says useExplicitColumnNames, the file keeps the list', async () => {
      await renamingRoundTrip(ws, wh);
      const gets = fake.requests.filter((q) => q.method === 'GET' && q.path.endsWith('/tables/v_renamed'));
      assert.ok(gets.length > 0, 'read through tables.get');
      const t = await fake.engine.wh.getDefinition('VIEW', { dataset: 'models_v4', table: 'v_renamed' });
      assert.equal(t?.explicitColumnNames, true, 'the fake keeps that the view was created with a column list');
    });
  });
});
