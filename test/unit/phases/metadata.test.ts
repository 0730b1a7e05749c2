/**
 * Copies that keep everything: after archive and create-targets, the archive copies and the new
 * tables have the legacy tables' partitioning, clustering, partition-filter requirement,
 * descriptions, labels and policy tags; archives never expire; targets that are the legacy
 * table renamed are copy jobs; the manifest's `metadata` is honoured (then SQL); validate's
 * metadata check proves it and names what is missing. On the local warehouse and on the fake.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LoadedManifest } from '../../../src/core/manifest/load';
import { planPhase, rollbackPhase, runPhases, takeSnapshot, validateMigration } from '../../../src/core/phases/index';
import { openWarehouse, seedSampleWarehouse, type LocalWarehouse } from '../../../src/core/warehouse/index';
import { SAMPLE_POLICY_TAG } from '../../../src/core/warehouse/sample';
import type { TableInfo, Warehouse } from '../../../src/core/warehouse/types';
import { startFakeBigQuery, type FakeBigQuery } from '../../fake-bigquery/server';
import { archived, HORIZONS, legacy, makeWorkspace, quiet, target, type Workspace } from './helpers';

process.env.METADATA_SERVER_DETECTION = 'none';

function assertKept(t: TableInfo | undefined, h: string, what: string): void {
  assert.ok(t, `${what} ${h} exists`);
  assert.equal(t.partitioning, 'DAY(date)', `${what} ${h} partitioning`);
  assert.deepEqual(t.clustering, ['market_regime'], `${what} ${h} clustering`);
  assert.equal(t.description, `Production training surface, ${h} horizon, all history`, `${what} ${h} description`);
  assert.deepEqual(t.labels, { team: 'forecasting', surface: 'prod', horizon: h }, `${what} ${h} labels`);
  assert.equal(t.schema.find((c) => c.name === 'date')!.description, 'Trading day (business days only)', `${what} ${h} column description`);
  assert.deepEqual(t.schema.find((c) => c.name === 'zl_volume')!.policyTags, [SAMPLE_POLICY_TAG], `${what} ${h} policy tag`);
  assert.equal(t.expirationTime, undefined, `${what} ${h} never expires`);
}

/** The same scenario on either backend; `direct` is the DuckDB behind it, for arranging legacy tables. */
function keepsEverything(name: string, setup: (ws: Workspace) => Promise<{ wh: Warehouse; direct: LocalWarehouse; fake?: FakeBigQuery; close(): Promise<void> }>) {
  describe(`copies keep everything on ${name}`, () => {
    let ws: Workspace;
    let wh: Warehouse;
    let direct: LocalWarehouse;
    let fake: FakeBigQuery | undefined;
    let close: () => Promise<void>;
    before(async () => {
      ws = await makeWorkspace((t) => t.replace('"status": "planned" }', '"status": "planned", "key": ["date"] }'), { seed: false });
      ({ wh, direct, fake, close } = await setup(ws));
      await seedSampleWarehouse(direct);
      // The archive dataset expires new tables after 60 days: an archive copy must not.
      await wh.createDataset({ dataset: 'archive', description: 'archive', defaultTableExpirationMs: 60 * 86_400_000 });
      // 1m requires a partition filter; 3m is ingestion-time partitioned.
      await direct.setTableOptions(legacy('1m'), { requirePartitionFilter: true });
      await direct.setTableOptions(legacy('3m'), { partitioning: 'DAY(_PARTITIONTIME)' });
    });
    after(async () => {
      await close();
      ws.cleanup();
    });

    it('plans CREATE TABLE with PARTITION BY, CLUSTER BY and OPTIONS for archives, copy jobs for targets', async () => {
      const snapshot = await takeSnapshot(wh, ws.load());
      const archive = planPhase(ws.load(), 'archive', snapshot, wh).steps[0]!.actions.find((a) => a.id.endsWith('_1w'))!;
      assert.match(archive.sql[0]!, /PARTITION BY .date.\nCLUSTER BY .market_regime.\nOPTIONS \(description = 'Production training surface, 1w horizon, all history', labels = \[\('team', 'forecasting'\), \('surface', 'prod'\), \('horizon', '1w'\)\]\)\nAS\nSELECT \*, DATE '2025-11-14' AS/);
      const a3m = planPhase(ws.load(), 'archive', snapshot, wh).steps[0]!.actions.find((a) => a.id.endsWith('_3m'))!;
      assert.match(a3m.sql[0]!, /^-- copy job: models_v4\.production_training_data_3m → archive\._bqm_tmp_/);
      assert.match(a3m.sql[1]!, /^ALTER TABLE .* ADD COLUMN .archived_date. DATE$/);
      const t1m = planPhase(ws.load(), 'targets', snapshot, wh).steps[0]!.actions.find((a) => a.id.endsWith('_1m'))!;
      assert.match(t1m.sql[0]!, /^-- copy job: models_v4\.production_training_data_1m → training\._bqm_tmp_zl_training_prod_allhistory_1m \(free;/);
      assert.ok(t1m.sql.some((s) => /^-- tables\.patch training\.zl_training_prod_allhistory_1m: require partition filter/.test(s)));
      assert.ok(!t1m.sql.some((s) => /CREATE/.test(s)), 'a renamed table is not rebuilt with SQL');
    });

    it('archive and create-targets keep partitioning, clustering, descriptions, labels, policy tags; archives never expire', async () => {
      const r = await runPhases({ wh, loaded: ws.load(), phases: ['datasets', 'archive', 'targets'], yes: true, concurrency: 1, ...quiet });
      assert.equal(r.status, 'ok', r.error);
      for (const h of HORIZONS) {
        const a = await wh.getTable(archived(h));
        const t = await wh.getTable(target(h));
        if (h === '3m') {
          assert.equal(a?.partitioning, 'DAY(_PARTITIONTIME)', 'ingestion-time partitioning kept by the copy job');
          assert.equal(t?.partitioning, 'DAY(_PARTITIONTIME)');
        } else {
          assertKept(a, h, 'archive');
          assertKept(t, h, 'target');
        }
        assert.deepEqual(a!.schema.slice(-3).map((c) => c.name), ['archived_date', 'original_location', 'migration_version']);
        assert.equal(a!.requirePartitionFilter, h === '1m' ? true : undefined, `archive ${h} partition filter`);
        assert.equal(t!.requirePartitionFilter, h === '1m' ? true : undefined, `target ${h} partition filter`);
      }
      const notes = r.steps.flatMap((s) => s.actions.map((x) => x.outcome?.detail ?? ''));
      assert.ok(notes.some((d) => /copy job\); metadata carried over: description, labels/.test(d)), notes.join('\n'));
      if (fake) {
        // On BigQuery every target is a copy job; no CREATE TABLE … AS SELECT of a target was billed.
        const jobs = fake.jobBodies();
        const copies = jobs.filter((j) => (j.configuration as { copy?: { destinationTable: { tableId: string } } }).copy?.destinationTable.tableId.startsWith('_bqm_tmp_zl_training'));
        assert.equal(copies.length, 5);
        assert.ok(!jobs.some((j) => /CREATE OR REPLACE TABLE `cbi-v14\.training\./.test(String((j.configuration as { query?: { query?: string } }).query?.query ?? ''))));
      }
    });

    it('validate proves the metadata, and names what is missing when it is not', async () => {
      let report = await validateMigration(wh, ws.load(), { write: false });
      const meta = report.checks.filter((c) => c.id.startsWith('metadata:'));
      assert.equal(meta.length, 10, meta.map((c) => c.id).join(', '));
      assert.deepEqual(meta.filter((c) => !c.pass).map((c) => `${c.id}: ${c.detail}`), []);
      assert.match(String(meta.find((c) => c.id === 'metadata:training.zl_training_prod_allhistory_1w')!.legacy), /^DAY\(date\), by market_regime, 3 labels, 4 described, 1 tagged$/);
      await wh.patchTable(target('6m'), { labels: { team: null }, columns: { zl_volume: { policyTags: null } } });
      report = await validateMigration(wh, ws.load(), { write: false });
      const failed = report.checks.filter((c) => c.id.startsWith('metadata:') && !c.pass);
      assert.deepEqual(failed.map((c) => c.id), ['metadata:training.zl_training_prod_allhistory_6m']);
      assert.match(failed[0]!.detail, /label team: expected forecasting, got \(none\); column zl_volume policy tags: expected projects\/cbi-v14\/.*, got \(none\)/);
      // Running the targets phase again repairs it: the resumed build carries what is missing.
      const again = await runPhases({ wh, loaded: ws.load(), phases: ['targets'], yes: true, concurrency: 1, ...quiet });
      assert.equal(again.status, 'ok', again.error);
      report = await validateMigration(wh, ws.load(), { write: false });
      assert.deepEqual(report.checks.filter((c) => c.id.startsWith('metadata:') && !c.pass).map((c) => c.detail), []);
    });

    it('once shimmed, the archive is checked against the journaled legacy metadata; a rollback restores it', async () => {
      const r = await runPhases({ wh, loaded: ws.load(), phases: ['shims'], yes: true, concurrency: 1, ...quiet });
      assert.equal(r.status, 'ok', r.error);
      const report = await validateMigration(wh, ws.load(), { write: false });
      const archive1w = report.checks.find((c) => c.id === `metadata:archive.${archived('1w').table}`)!;
      assert.equal(archive1w.pass, true, archive1w.detail);
      assert.ok(!archive1w.skipped, 'checked against the journal, not skipped');
      assert.equal(report.checks.find((c) => c.id === 'metadata:training.zl_training_prod_allhistory_1w')!.description, 'metadata = archive');
      const back = await rollbackPhase({ wh, loaded: ws.load(), phase: 'shims', yes: true, concurrency: 1, ...quiet });
      assert.equal(back.status, 'ok', back.error);
      assertKept(await wh.getTable(legacy('1w')), '1w', 'restored legacy');
    });
  });
}

keepsEverything('the local warehouse', async (ws) => {
  const wh = (await ws.open()) as LocalWarehouse;
  return { wh, direct: wh, close: () => wh.close() };
});

keepsEverything('BigQuery (the loopback fake)', async (ws: Workspace) => {
  const fake = await startFakeBigQuery({ project: 'cbi-v14' });
  const wh = await openWarehouse({ backend: 'bigquery', loaded: ws.load(), bigquery: { apiEndpoint: fake.url, retryBaseDelayMs: 1, maxRetries: 3, timeoutMs: 60_000 } });
  return {
    wh,
    direct: fake.engine.wh,
    fake,
    async close() {
      await wh.close();
      await fake.close();
    },
  };
});

describe('the manifest states a difference', () => {
  let ws: Workspace;
  let loaded: LoadedManifest;
  before(async () => {
    ws = await makeWorkspace((t) =>
      t.replace('"status": "planned" }', '"status": "planned", "metadata": { "clustering": ["date", "market_regime"], "description": "Rebuilt by bqmigrate", "labels": { "owner": "data-eng" } } }'),
    );
    loaded = ws.load();
  });
  after(() => ws.cleanup());

  it('a changed layout is built with SQL that says so, and validate expects the stated metadata', async () => {
    const wh = await ws.open();
    try {
      const plan = planPhase(loaded, 'targets', await takeSnapshot(wh, loaded), wh);
      const sql = plan.steps[0]!.actions[0]!.sql[0]!;
      assert.match(sql, /^CREATE OR REPLACE TABLE "training"\."_bqm_tmp_zl_training_prod_allhistory_1w"\nPARTITION BY "date"\nCLUSTER BY "date", "market_regime"\nOPTIONS \(description = 'Rebuilt by bqmigrate', labels = \[.*\('owner', 'data-eng'\)\]\)\nAS\nSELECT \* FROM "models_v4"\."production_training_data_1w"$/);
      const r = await runPhases({ wh, loaded, phases: ['datasets', 'archive', 'targets'], yes: true, ...quiet });
      assert.equal(r.status, 'ok', r.error);
      const t = (await wh.getTable(target('1w')))!;
      assert.deepEqual(t.clustering, ['date', 'market_regime']);
      assert.equal(t.description, 'Rebuilt by bqmigrate');
      assert.deepEqual(t.labels, { team: 'forecasting', surface: 'prod', horizon: '1w', owner: 'data-eng' });
      assert.deepEqual(t.schema.find((c) => c.name === 'zl_volume')!.policyTags, [SAMPLE_POLICY_TAG]);
      const report = await validateMigration(wh, ws.load(), { write: false });
      assert.deepEqual(report.checks.filter((c) => c.id.startsWith('metadata:') && !c.pass).map((c) => c.detail), []);
    } finally {
      await wh.close();
    }
  });
});
