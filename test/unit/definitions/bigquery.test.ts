/**
 * Definitions on BigQuery, against the loopback fake: pull through INFORMATION_SCHEMA + tables.get /
 * routines.get and the Data Transfer API (REST, no credentials), push with repoint-definitions under
 * injected 503s, rate limits and dropped connections — one backup per object, journaled before the
 * change, never replaced by what a retry applied — and roll back to the original files byte for byte.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pullDefinitions } from '../../../src/core/definitions/pull';
import { previewPhase, readJournal, rollbackPhase, runPhases } from '../../../src/core/phases/index';
import { openWarehouse, seedSampleWarehouse, type Warehouse } from '../../../src/core/warehouse/index';
import { startFakeBigQuery, type FakeBigQuery } from '../../fake-bigquery/server';
import { bqmigrate, buildOnce } from '../cli/cli-helpers';
import { HORIZONS, makeWorkspace, quiet, type Workspace } from '../phases/helpers';
import { createLegacyDefinitions, createScheduledQueries, filesOf, rowsOf, VIEWS, withDefinitionsPhase } from './helpers';

process.env.METADATA_SERVER_DETECTION = 'none';

const MORE = [
  "CREATE MATERIALIZED VIEW `cbi-v14.models_v4.mv_daily_1w`\nCLUSTER BY market_regime\nOPTIONS (enable_refresh = true, refresh_interval_minutes = 60, friendly_name = 'Daily 1w')\nAS\nSELECT date, market_regime, AVG(zl_price_current) AS avg_price FROM `cbi-v14.models_v4.production_training_data_1w` GROUP BY date, market_regime",
  'CREATE FUNCTION `cbi-v14.models_v4.clean_regime`(s STRING) RETURNS STRING LANGUAGE js OPTIONS (description = \'lower-case, no spaces\', library = [\'gs://cbi-libs/regimes.js\']) AS r"""\n  return s.toLowerCase().replace(/ /g, "_");\n"""',
  'CREATE PROCEDURE `cbi-v14.models_v4.refresh_summary`(IN since DATE)\nBEGIN\n  DECLARE n INT64;\n  SET n = (SELECT COUNT(*) FROM `cbi-v14.models_v4.production_training_data_1m` WHERE date >= since);\n  IF n = 0 THEN\n    SELECT \'nothing new\';\n  END IF;\nEND',
];

describe('definitions on BigQuery (the loopback fake)', () => {
  let fake: FakeBigQuery;
  let ws: Workspace;
  let wh: Warehouse;
  let first: Record<string, string>;
  before(async () => {
    buildOnce();
    fake = await startFakeBigQuery({ project: 'cbi-v14', maxPageSize: 3 });
    const store = fake.engine.wh;
    await seedSampleWarehouse(store);
    await store.createDataset({ dataset: 'training', location: 'US' });
    for (const h of HORIZONS) await store.query(`CREATE TABLE "training"."zl_training_prod_allhistory_${h}" AS SELECT * FROM "models_v4"."production_training_data_${h}"`);
    await createLegacyDefinitions(store);
    for (const ddl of MORE) await store.query(ddl);
    await createScheduledQueries(store);
    ws = await makeWorkspace((t) => withDefinitionsPhase(t).replace('"status": "planned"', '"status": "migrated"'), { seed: false });
    wh = await openWarehouse({ backend: 'bigquery', loaded: ws.load(), bigquery: { apiEndpoint: fake.url, retryBaseDelayMs: 5, timeoutMs: 60_000 } });
  });
  after(async () => {
    await wh?.close();
    await fake?.close();
    ws?.cleanup();
  });

  it('pulls every kind, with options, from INFORMATION_SCHEMA, tables.get, routines.get and the Data Transfer API', async () => {
    const r = await pullDefinitions(wh, ws.load());
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.counts, { views: 4, materializedViews: 1, routines: 4, scheduled: 2 });
    first = filesOf(path.join(ws.dir, 'warehouse'));
    assert.equal(first['models_v4/mv_daily_1w.sql'], "CREATE OR REPLACE MATERIALIZED VIEW `cbi-v14.models_v4.mv_daily_1w`\nCLUSTER BY market_regime\nOPTIONS (\n  friendly_name = 'Daily 1w',\n  enable_refresh = TRUE,\n  refresh_interval_minutes = 60\n)\nAS\nSELECT date, market_regime, AVG(zl_price_current) AS avg_price FROM `cbi-v14.models_v4.production_training_data_1w` GROUP BY date, market_regime\n");
    assert.equal(first['models_v4/clean_regime.sql'], 'CREATE OR REPLACE FUNCTION `cbi-v14.models_v4.clean_regime`(s STRING)\nRETURNS STRING\nLANGUAGE js\nOPTIONS (\n  description = \'lower-case, no spaces\',\n  library = [\'gs://cbi-libs/regimes.js\']\n)\nAS r"""\n  return s.toLowerCase().replace(/ /g, "_");\n"""\n');
    assert.match(first['models_v4/refresh_summary.sql']!, /^CREATE OR REPLACE PROCEDURE `cbi-v14\.models_v4\.refresh_summary`\(since DATE\)\nBEGIN\n  DECLARE n INT64;/);
    assert.equal(first['_scheduled/Daily 1m summary.sql'], [
      '-- bqmigrate scheduled query (BigQuery Data Transfer Service). Edit the query below and the destination line; the repoint-definitions step applies them.',
      '-- config: projects/cbi-v14/locations/us/transferConfigs/6f1e2d3c',
      '-- display name: Daily 1m summary',
      '-- schedule: every 24 hours',
      '-- destination: models_v4.production_training_data_1m_summary',
      '-- write disposition: WRITE_TRUNCATE',
      'SELECT date, AVG(zl_price_current) AS avg_price',
      'FROM `cbi-v14.models_v4.production_training_data_1m`',
      'GROUP BY date',
      '',
    ].join('\n'));
    assert.match(first['_scheduled/Paused_ weekly 1w export.sql']!, /^-- disabled: true$/m);
    // Read through the real endpoints, with no credentials at all.
    assert.ok(fake.requests.some((q) => /INFORMATION_SCHEMA\.ROUTINES/.test(JSON.stringify(q.body ?? ''))));
    assert.ok(fake.requests.some((q) => q.method === 'GET' && /\/routines\/clean_regime$/.test(q.path)));
    assert.ok(fake.requests.some((q) => q.method === 'GET' && q.path.startsWith('/v1/projects/cbi-v14/locations/us/transferConfigs')));
    assert.ok(fake.requests.every((q) => q.headers.authorization === undefined), 'no request carries credentials');
    // A second pull rewrites nothing.
    const again = await pullDefinitions(wh, ws.load());
    assert.ok(again.entries.every((e) => e.state === 'unchanged'), JSON.stringify(again.entries.filter((e) => e.state !== 'unchanged')));
  });

  it('repoints under 503s, rate limits and dropped connections: one journaled backup per object, the disabled config left alone', async () => {
    const fix = bqmigrate(['fix', 'warehouse'], ws.dir);
    assert.equal(fix.code, 0, fix.stdout + fix.stderr);
    const before = new Map<string, string>();
    for (const v of VIEWS) before.set(v, await rowsOf(wh, 'models_v4', v));
    const { plan } = await previewPhase(wh, ws.load(), 'definitions');
    const step = plan.steps[0]!;
    assert.ok(step.notes.some((n) => /Paused: weekly 1w export" is disabled; left alone \(pass --include-disabled/.test(n)), step.notes.join('\n'));
    assert.ok(step.actions.some((a) => a.id === 'repoint:scheduled:6f1e2d3c'));
    assert.ok(!step.actions.some((a) => a.id === 'repoint:scheduled:0a9b8c7d'));
    fake.faults
      .add({ kind: 'unavailable', match: { method: 'POST', path: '/jobs', bodyIncludes: 'CREATE OR REPLACE VIEW' } })
      .add({ kind: 'dropAfter', match: { method: 'POST', path: '/jobs', jobType: 'query', dryRun: false, bodyIncludes: 'v_regimes' } })
      .add({ kind: 'rateLimit', match: { method: 'PATCH', path: '/transferConfigs/' } })
      .add({ kind: 'dropAfter', match: { method: 'PATCH', path: '/transferConfigs/' } })
      .add({ kind: 'drop', match: { method: 'GET', path: '/routines/' } });
    const run = await runPhases({ wh, loaded: ws.load(), phases: ['definitions'], yes: true, ...quiet });
    assert.equal(run.status, 'ok', run.error);
    assert.ok(fake.faults.fired.length >= 5, JSON.stringify(fake.faults.fired));
    for (const v of VIEWS) {
      assert.doesNotMatch((await wh.getDefinition('VIEW', { dataset: 'models_v4', table: v }))!.body, /production_training_data/);
      assert.equal(await rowsOf(wh, 'models_v4', v), before.get(v));
    }
    const q = (await wh.listScheduledQueries()).find((c) => c.name.endsWith('6f1e2d3c'))!;
    assert.match(q.query, /zl_training_prod_allhistory_1m/);
    assert.equal(q.writeDisposition, 'WRITE_TRUNCATE', 'other params kept');
    assert.deepEqual(fake.transferPatches.map((p) => p.paths), [['params'], ['params']], 'the patch (sent again after the lost answer) names only params');
    const paused = (await wh.listScheduledQueries()).find((c) => c.name.endsWith('0a9b8c7d'))!;
    assert.match(paused.query, /production_training_data_1w/, 'the disabled config is untouched');
    const notes = readJournal(ws.dir).filter((e) => e.runId === run.runId && e.event === 'action-note');
    const perAction = new Map<string, number>();
    for (const n of notes) perAction.set(n.action!, (perAction.get(n.action!) ?? 0) + 1);
    assert.ok([...perAction.values()].every((n) => n === 1), JSON.stringify([...perAction]));
    const regimes = notes.find((n) => n.action === 'repoint:view:models_v4.v_regimes')!.details as { backup: { definition: { statement: string } } };
    assert.match(regimes.backup.definition.statement, /production_training_data_1w/, 'the backup is the definition before the change');
  });

  it('--include-disabled updates the disabled config too; rollback restores every definition and config exactly', async () => {
    const inc = await runPhases({ wh, loaded: ws.load(), phases: ['definitions'], yes: true, includeDisabled: true, ...quiet });
    assert.equal(inc.status, 'ok', inc.error);
    assert.match((await wh.getScheduledQuery('projects/cbi-v14/locations/us/transferConfigs/0a9b8c7d'))!.query, /zl_training_prod_allhistory_1w/);
    const rb = await rollbackPhase({ wh, loaded: ws.load(), phase: 'definitions', yes: true, ...quiet });
    assert.equal(rb.status, 'ok', rb.error);
    const r = await pullDefinitions(wh, ws.load(), { dir: 'warehouse-after-rollback' });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(filesOf(path.join(ws.dir, 'warehouse-after-rollback')), first);
    fs.rmSync(path.join(ws.dir, 'warehouse-after-rollback'), { recursive: true });
  });
});
