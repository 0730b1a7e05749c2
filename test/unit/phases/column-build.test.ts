/**
 * Column mappings through the phases on the real local warehouse (DuckDB) and the BigQuery backend
 * (the loopback fake): create-targets builds the canonical columns by their combine rules (plan shows
 * the statement), the shim view gives the legacy columns back under their old names, validate checks
 * the columns and each canonical column's values and lists the dropped columns, statuses follow.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { previewPhase, runPhases } from '../../../src/core/phases/index';
import { planPhase } from '../../../src/core/phases/plan';
import { takeSnapshot } from '../../../src/core/phases/snapshot';
import { validateMigration } from '../../../src/core/phases/validate';
import { openWarehouse, seedSampleWarehouse } from '../../../src/core/warehouse/index';
import type { Warehouse } from '../../../src/core/warehouse/types';
import { startFakeBigQuery } from '../../fake-bigquery/server';
import { cli, legacy, makeWorkspace, quiet, target, type Workspace } from './helpers';

process.env.METADATA_SERVER_DETECTION = 'none';

const TABLE_MAPPING = '{ "from": "models_v4.production_training_data_{horizon}", "to": "training.zl_training_prod_allhistory_{horizon}", "status": "planned" }';
const COLUMN_MAPPINGS = [
  '{ "kind": "column", "table": "models_v4.production_training_data_{horizon}", "from": "feature_sentiment", "to": "sentiment_score" }',
  '{ "kind": "column", "table": "models_v4.production_training_data_{horizon}", "from": ["zl_price_lag1", "zl_price_lag7"], "to": "zl_price_lag", "combine": "coalesce" }',
  '{ "kind": "column", "table": "training.zl_training_prod_allhistory_{horizon}", "from": ["palm_oil_price", "corn_price"], "to": "veg_price_mean", "combine": "sql", "expression": "ROUND((palm_oil_price + corn_price) / 2, 4)" }',
  '{ "kind": "column", "table": "models_v4.production_training_data_{horizon}", "from": "market_regime", "to": "regime" }',
];
const withColumns = (extra: string[] = []) => (text: string) => {
  assert.ok(text.includes(TABLE_MAPPING), 'the init manifest maps the five horizons');
  return text.replace(TABLE_MAPPING, [TABLE_MAPPING, ...COLUMN_MAPPINGS, ...extra].join(',\n    '));
};

const LEGACY_COLUMNS = ['date', 'zl_price_current', 'zl_price_lag1', 'zl_price_lag7', 'zl_volume', 'palm_oil_price', 'corn_price', 'crude_oil_price', 'usd_brl_rate', 'vix_close', 'feature_sentiment', 'market_regime', 'training_weight', 'target_1w', 'target_1m', 'target_3m', 'target_6m', 'target_12m'];
const NEW_COLUMNS = ['date', 'zl_price_current', 'zl_price_lag', 'zl_volume', 'veg_price_mean', 'crude_oil_price', 'usd_brl_rate', 'vix_close', 'sentiment_score', 'regime', 'training_weight', 'target_1w', 'target_1m', 'target_3m', 'target_6m', 'target_12m'];

async function rows(wh: Warehouse, sql: string): Promise<Record<string, unknown>[]> {
  return (await wh.query(sql)).rows;
}

describe('column mappings: build, shim, validate (local warehouse)', () => {
  let ws: Workspace;
  before(async () => {
    ws = await makeWorkspace(withColumns());
  });
  after(() => ws.cleanup());

  it('plan shows the exact build statement: canonical columns by their combine rule, clustering on the new name, the dropped columns named', async () => {
    assert.equal((await cli(ws.dir, ['run', '--phase', 'datasets'])).code, 0);
    const r = await cli(ws.dir, ['plan', '--phase', 'targets', '--json']);
    assert.equal(r.code, 0, r.err);
    const plan = JSON.parse(r.out) as { steps: { actions: { id: string; title: string; sql: string[] }[]; blockers?: string[] }[] }[];
    const action = plan[0]!.steps[0]!.actions.find((a) => a.id === 'target:training.zl_training_prod_allhistory_1m')!;
    assert.match(action.title, /with 4 column mapping\(s\)/);
    const sql = action.sql.join('\n');
    assert.match(sql, /-- column mappings mappings\[1\], mappings\[2\], mappings\[3\], mappings\[4\]: legacy columns dropped: feature_sentiment \(renamed into sentiment_score\); zl_price_lag1, zl_price_lag7 \(consolidated into zl_price_lag\); palm_oil_price, corn_price \(consolidated into veg_price_mean\); market_regime \(renamed into regime\)/);
    assert.match(sql, /CLUSTER BY "?regime"?\n/, 'clustering follows the renamed column');
    assert.match(sql, /COALESCE\("?zl_price_lag1"?, "?zl_price_lag7"?\) AS "?zl_price_lag"?,/);
    assert.match(sql, /\(ROUND\(\("?palm_oil_price"?|\(round\(\(palm_oil_price/i);
    assert.match(sql, /"?feature_sentiment"? AS "?sentiment_score"?,/);
    assert.match(sql, /FROM "?models_v4"?\."?production_training_data_1m"?/);
  });

  it('create-targets builds the canonical columns, keeps partitioning, clustering (renamed) and column metadata; statuses follow', async () => {
    const r = await cli(ws.dir, ['run', '--phase', 'archive']);
    assert.equal(r.code, 0, r.err + r.out);
    const t = await cli(ws.dir, ['run', '--phase', 'targets']);
    assert.equal(t.code, 0, t.err + t.out);
    const wh = await ws.open();
    try {
      const info = (await wh.getTable(target('1m')))!;
      assert.deepEqual(info.schema.map((c) => c.name), NEW_COLUMNS);
      assert.equal(info.partitioning, 'DAY(date)');
      assert.deepEqual(info.clustering, ['regime']);
      assert.match(info.schema.find((c) => c.name === 'regime')!.description ?? '', /Regime label/, 'the renamed column keeps its description');
      assert.equal(info.schema.find((c) => c.name === 'zl_volume')!.policyTags?.length, 1, 'a kept column keeps its policy tag');
      const diff = await rows(wh, `SELECT COUNT(*) AS n FROM models_v4.production_training_data_1m l JOIN training.zl_training_prod_allhistory_1m t USING (date)
        WHERE t.zl_price_lag IS DISTINCT FROM COALESCE(l.zl_price_lag1, l.zl_price_lag7) OR t.sentiment_score IS DISTINCT FROM l.feature_sentiment
           OR t.veg_price_mean IS DISTINCT FROM ROUND((l.palm_oil_price + l.corn_price) / 2, 4) OR t.regime IS DISTINCT FROM l.market_regime`);
      assert.equal(Number(diff[0]!.n), 0);
    } finally {
      await wh.close();
    }
    const manifest = fs.readFileSync(ws.file, 'utf8');
    for (const to of ['sentiment_score', 'zl_price_lag', 'veg_price_mean', 'regime']) {
      const entry = manifest.slice(manifest.indexOf(`"to": "${to}"`) - 200, manifest.indexOf(`"to": "${to}"`) + 200);
      assert.match(entry, /"status": "migrated"/, `${to} is marked migrated with its table`);
    }
  });

  it('the shim view gives old readers the legacy columns, in their order, read from the canonical ones', async () => {
    const r = await cli(ws.dir, ['run', '--phase', 'shims', '--yes']);
    assert.equal(r.code, 0, r.err + r.out);
    const wh = await ws.open();
    try {
      const view = (await wh.getTable(legacy('1m')))!;
      assert.equal(view.type, 'VIEW');
      assert.deepEqual(view.schema.map((c) => c.name), LEGACY_COLUMNS);
      const old = await rows(wh, `SELECT COUNT(*) AS n FROM models_v4.production_training_data_1m v JOIN training.zl_training_prod_allhistory_1m t USING (date)
        WHERE v.feature_sentiment IS DISTINCT FROM t.sentiment_score OR v.zl_price_lag1 IS DISTINCT FROM t.zl_price_lag OR v.zl_price_lag7 IS DISTINCT FROM t.zl_price_lag
           OR v.market_regime IS DISTINCT FROM t.regime OR v.corn_price IS DISTINCT FROM t.veg_price_mean`);
      assert.equal(Number(old[0]!.n), 0);
    } finally {
      await wh.close();
    }
    assert.match(fs.readFileSync(ws.file, 'utf8'), /"to": "zl_price_lag", "combine": "coalesce", "status": "shimmed"/);
  });

  it("validate's plan prices each column check by dry run: one statement per column-mapped table, reading its source and its new table", async () => {
    const wh = await ws.open();
    try {
      const preview = await previewPhase(wh, ws.load(), 'validate');
      const statements = preview.cost.steps.flatMap((s) => s.actions.flatMap((a) => a.statements));
      const columns = statements.filter((s) => s.what.startsWith('columns '));
      assert.equal(columns.length, 5, columns.map((s) => s.what).join('\n'));
      const one = columns.find((s) => s.what.endsWith(' ↔ training.zl_training_prod_allhistory_1m'))!;
      assert.ok(one, 'the 1m table is priced');
      assert.equal(one.kind, 'query', `dry-run, not a size guess: ${one.unknown ?? ''}`);
      assert.equal(one.unknown, undefined);
      assert.ok((one.processed ?? 0) > 0, 'the check reads both tables');
    } finally {
      await wh.close();
    }
  });

  it('validate checks the columns and each canonical column against its rule, lists the dropped columns, and fails on a changed value', async () => {
    const r = await cli(ws.dir, ['validate', '--json']);
    assert.equal(r.code, 0, r.out + r.err);
    const report = JSON.parse(r.out) as { checks: { id: string; pass: boolean; skipped?: boolean; detail: string; new?: unknown; legacy?: unknown }[] };
    const byId = (id: string) => report.checks.find((c) => c.id === id)!;
    const cols = byId('columns:training.zl_training_prod_allhistory_1m');
    assert.equal(cols.pass, true, cols.detail);
    assert.match(cols.detail, /^legacy columns dropped: feature_sentiment \(renamed into sentiment_score\); zl_price_lag1, zl_price_lag7 \(consolidated into zl_price_lag\); palm_oil_price, corn_price \(consolidated into veg_price_mean\); market_regime \(renamed into regime\)$/);
    assert.deepEqual([cols.legacy, cols.new], [18, 16]);
    for (const to of ['sentiment_score', 'zl_price_lag', 'veg_price_mean', 'regime']) {
      const c = byId(`column:training.zl_training_prod_allhistory_1m.${to}`);
      assert.equal(c.pass, true, c.detail);
      assert.match(c.detail, /equal in all 1404 row group\(s\), matched by the 12 unchanged column\(s\)/);
    }
    assert.equal(byId('content:training.zl_training_prod_allhistory_1m').pass, true, byId('content:training.zl_training_prod_allhistory_1m').detail);
    assert.equal(byId('metadata:training.zl_training_prod_allhistory_1m').pass, true, byId('metadata:training.zl_training_prod_allhistory_1m').detail);

    const wh = await ws.open();
    try {
      await wh.query(`UPDATE training.zl_training_prod_allhistory_1m SET zl_price_lag = zl_price_lag + 1 WHERE date < DATE '2020-01-01'`);
    } finally {
      await wh.close();
    }
    const bad = await cli(ws.dir, ['validate', '--json']);
    assert.equal(bad.code, 1);
    const after = JSON.parse(bad.out) as typeof report;
    const lag = after.checks.find((c) => c.id === 'column:training.zl_training_prod_allhistory_1m.zl_price_lag')!;
    assert.equal(lag.pass, false);
    assert.equal(lag.new, 22, lag.detail);
    assert.match(lag.detail, /22 of 1404 row group\(s\) differ/);
    assert.equal(after.checks.find((c) => c.id === 'column:training.zl_training_prod_allhistory_1m.sentiment_score')!.pass, true, 'the other columns still pass');
  });
});

describe('column mappings that cannot be built are refused at plan time, with the manifest position', () => {
  let ws: Workspace;
  before(async () => {
    ws = await makeWorkspace(withColumns(['{ "kind": "column", "table": "models_v4.production_training_data_{horizon}", "from": ["vix_close", "vix_open"], "to": "vix", "combine": "coalesce" }', '{ "kind": "column", "table": "models_v4.production_training_data_{horizon}", "from": "crude_oil_price", "to": "usd_brl_rate" }', '{ "kind": "column", "table": "features.weather_stations_daily", "from": "temp_c", "to": "temperature_c" }']));
  });
  after(() => ws.cleanup());

  it('a missing source column and a name that collides with a kept column block the run; nothing is built', async () => {
    assert.equal((await cli(ws.dir, ['run', '--phase', 'datasets'])).code, 0);
    assert.equal((await cli(ws.dir, ['run', '--phase', 'archive'])).code, 0);
    const plan = await cli(ws.dir, ['plan', '--phase', 'targets']);
    assert.match(plan.out + plan.err, /mappings\[5\] \(.*bqmigrate\.json:42:5\): "vix_open" is not a column of models_v4\.production_training_data_1w \(its columns: date, .*\(and 4 more table\(s\) like it\)/);
    const r = await cli(ws.dir, ['run', '--phase', 'targets']);
    assert.notEqual(r.code, 0);
    const text = r.out + r.err;
    assert.match(text, /mappings\[5\] \(.*bqmigrate\.json:42:5\): "vix_open" is not a column of models_v4\.production_training_data_1w \(its columns: date, /);
    assert.match(text, /mappings\[6\] \(.*bqmigrate\.json:43:\d+\): "to" column "usd_brl_rate" collides with the column usd_brl_rate/);
    assert.doesNotMatch(text, /production_training_data_3m \(its columns/, 'a family\'s problem is said once');
    // A column mapping on a table no table mapping moves is built by no phase: the plan says so, with its position.
    assert.match(plan.out + plan.err, /mappings\[7\] \(features\.weather_stations_daily\.temp_c → temperature_c, .*bqmigrate\.json:44:5\): no table mapping moves features\.weather_stations_daily, so no phase builds its new columns/);
    const wh = await ws.open();
    try {
      assert.equal(await wh.getTable(target('1m')), undefined);
    } finally {
      await wh.close();
    }
  });
});

describe('a source whose columns were not read when the plan was made', () => {
  let ws: Workspace;
  before(async () => {
    ws = await makeWorkspace(withColumns());
  });
  after(() => ws.cleanup());

  it('the plan says so, and the run reads them and applies the column mappings instead of failing', async () => {
    assert.equal((await cli(ws.dir, ['run', '--phase', 'datasets'])).code, 0);
    const wh = await ws.open();
    try {
      const loaded = ws.load();
      const snapshot = await takeSnapshot(wh, loaded);
      // Listed, then unreadable (dropped and recreated between the listing and the read): no schema in the snapshot.
      delete snapshot.tables![`${legacy('1m').dataset}.${legacy('1m').table}`];
      const plan = planPhase(loaded, 'targets', snapshot, wh);
      const action = plan.steps[0]!.actions.find((a) => a.id === 'target:training.zl_training_prod_allhistory_1m')!;
      assert.match(action.sql.join('\n'), /the columns of models_v4\.production_training_data_1m were not read/);
      const notes: Record<string, unknown>[] = [];
      await action.execute({ wh, loaded, runId: 'r1', phase: 'targets', step: plan.steps[0]!.id, note: (d) => notes.push(d), history: () => [], log: () => undefined, runCommand: () => Promise.reject(new Error('no commands here')) });
      assert.deepEqual((await wh.getTable(target('1m')))!.schema.map((c) => c.name), NEW_COLUMNS);
    } finally {
      await wh.close();
    }
  });
});

describe('column mappings on the BigQuery backend (loopback fake)', () => {
  let ws: Workspace;
  before(async () => {
    ws = await makeWorkspace(withColumns(), { seed: false });
  });
  after(() => ws.cleanup());

  it('the BigQuery statements build, shim and validate the canonical columns', async () => {
    const fake = await startFakeBigQuery({ project: 'cbi-v14' });
    await seedSampleWarehouse(fake.engine.wh);
    const wh = await openWarehouse({ backend: 'bigquery', loaded: ws.load(), bigquery: { apiEndpoint: fake.url, retryBaseDelayMs: 1, maxRetries: 3, timeoutMs: 10_000 } });
    try {
      assert.equal((await runPhases({ wh, loaded: ws.load(), phases: ['datasets', 'archive'], yes: true, concurrency: 1, ...quiet })).status, 'ok');
      const { plan } = await previewPhase(wh, ws.load(), 'targets');
      const sql = plan.steps[0]!.actions.find((a) => a.id === 'target:training.zl_training_prod_allhistory_3m')!.sql.join('\n');
      assert.match(sql, /CREATE OR REPLACE TABLE `cbi-v14\.training\._bqm_tmp_zl_training_prod_allhistory_3m`\nPARTITION BY `date`\nCLUSTER BY `regime`\n/);
      assert.match(sql, /\n {2}COALESCE\(`zl_price_lag1`, `zl_price_lag7`\) AS `zl_price_lag`,\n {2}`zl_volume`,\n/);
      assert.match(sql, /\(ROUND\(\(palm_oil_price \+ corn_price\) \/ 2, 4\)\) AS `veg_price_mean`/, 'the expression as written (BigQuery SQL)');
      assert.match(sql, /FROM `cbi-v14\.models_v4\.production_training_data_3m`/);
      const log: string[] = [];
      const run = await runPhases({ wh, loaded: ws.load(), phases: ['targets', 'shims'], yes: true, concurrency: 1, log: (l: string) => log.push(l) });
      assert.equal(run.status, 'ok', log.join('\n'));
      const info = (await wh.getTable(target('3m')))!;
      assert.deepEqual(info.schema.map((c) => c.name), NEW_COLUMNS);
      assert.deepEqual(info.clustering, ['regime']);
      const view = (await wh.getTable(legacy('3m')))!;
      assert.equal(view.type, 'VIEW');
      assert.match(view.viewQuery ?? '', /`zl_price_lag` AS `zl_price_lag1`, `zl_price_lag` AS `zl_price_lag7`/);
      const report = await validateMigration(wh, ws.load(), { write: false });
      const col = report.checks.find((c) => c.id === 'column:training.zl_training_prod_allhistory_3m.zl_price_lag')!;
      assert.equal(col.pass, true, col.detail);
      assert.match(col.detail, /equal in all 1475 row group\(s\)/);
      assert.equal(report.checks.find((c) => c.id === 'columns:training.zl_training_prod_allhistory_3m')?.pass, true);
    } finally {
      await wh.close();
      await fake.close();
    }
  });
});
