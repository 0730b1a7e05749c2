/**
 * drop-shims on BigQuery (the loopback fake): a shim is dropped after its grace period only when
 * `region-us`.INFORMATION_SCHEMA.JOBS shows no unlabelled read of it for shims.quietDays days (a
 * read of a view is listed under its base table, so reads are found by their query text), its
 * reads from other projects are verified or --assume-quiet says so, and its archive copy exists.
 * The fake's JOBS view is its own job log; the test backdates entries.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runPhases } from '../../../src/core/phases/index';
import { openWarehouse, seedSampleWarehouse } from '../../../src/core/warehouse/index';
import type { Warehouse } from '../../../src/core/warehouse/types';
import { startFakeBigQuery, type FakeBigQuery } from '../../fake-bigquery/server';
import { archived, HORIZONS, legacy, makeWorkspace, quiet, target, type Workspace } from './helpers';

process.env.METADATA_SERVER_DETECTION = 'none';

const DAY = 86_400_000;
const shimName = (h: string) => `cbi-v14.models_v4.production_training_data_${h}`;

describe('drop-shims on BigQuery reads INFORMATION_SCHEMA.JOBS', () => {
  let ws: Workspace;
  let fake: FakeBigQuery;
  let wh: Warehouse;
  before(async () => {
    ws = await makeWorkspace(undefined, { seed: false });
    fake = await startFakeBigQuery({ project: 'cbi-v14' });
    await seedSampleWarehouse(fake.engine.wh);
    wh = await openWarehouse({ backend: 'bigquery', loaded: ws.load(), bigquery: { apiEndpoint: fake.url, retryBaseDelayMs: 1, maxRetries: 3, timeoutMs: 10_000 } });
  });
  after(async () => {
    await wh.close();
    await fake.close();
    ws.cleanup();
  });

  it('keeps a shim read recently or without a verified archive copy; drops the quiet ones past the grace period', async () => {
    // The shims went up 40 days ago (grace 30 days, quietDays 7 in the manifest).
    const shimmedAt = new Date(Date.now() - 40 * DAY);
    const setup = await runPhases({ wh, loaded: ws.load(), phases: ['datasets', 'archive', 'targets', 'shims'], yes: true, concurrency: 1, today: shimmedAt, ...quiet });
    assert.equal(setup.status, 'ok', setup.error);
    assert.equal(ws.load().manifest.shims.quietDays, 7);
    for (const h of HORIZONS) assert.equal((await wh.getTable(legacy(h)))?.type, 'VIEW', `${h} is a shim view`);

    // Other clients' (unlabelled) reads of the shims: 1m today, 3m ten days ago; 1w, 6m and 12m not at all.
    const userRead = (h: string) => fake.engine.insertJob({ configuration: { query: { query: `SELECT COUNT(*) AS n FROM \`${shimName(h)}\``, useLegacySql: false } } });
    assert.equal((await userRead('1m')).failure, undefined);
    assert.equal((await userRead('3m')).failure, undefined);
    const reads = (h: string) => fake.engine.jobLog.filter((j) => j.query?.includes(shimName(h)) && !j.labels['bqmigrate-run']);
    const old = reads('3m');
    assert.equal(old.length, 1, 'the fake logged the 3m read');
    assert.deepEqual(old[0]!.referencedTables.map((r) => r.tableId), ['zl_training_prod_allhistory_3m'], "a read of the shim view is listed under the view's base table");
    old[0]!.creationTime = new Date(Date.now() - 10 * DAY);
    // bqmigrate's own (labelled) jobs referenced every legacy name within the last days: they do not count as reads.
    assert.ok(fake.engine.jobLog.some((j) => j.labels['bqmigrate-run'] && j.referencedTables.some((r) => r.tableId === 'production_training_data_1w')));
    // 6m's archive copy is gone: its shim must stay whatever the reads say.
    await wh.dropTable(archived('6m'));

    // The journal says the archive step made it: the run refuses, naming it, until told to reconcile.
    await assert.rejects(runPhases({ wh, loaded: ws.load(), phases: ['cleanup'], yes: true, concurrency: 1, ...quiet }), /archive copy archive\.legacy_20251114__models_v4__production_training_data_6m is missing/);
    // Nobody in the project read 1w, but the credentials cannot see other projects: "not verified" is not quiet.
    const unverified = await runPhases({ wh, loaded: ws.load(), phases: ['cleanup'], yes: true, concurrency: 1, reconcile: true, ...quiet });
    assert.equal(unverified.status, 'failed', unverified.error);
    assert.match(String(unverified.error), /refusing to drop models_v4\.production_training_data_1w: no reads in the last 7 days in cbi-v14's own jobs, but not verified for other projects \(.*JOBS_BY_ORGANIZATION.*\); kept — .*--assume-quiet/);
    assert.equal((await wh.getTable(legacy('1w')))?.type, 'VIEW', '1w is kept');
    // The step stops at the first shim it must keep (actions run in mapping order: 1w, 1m, 3m, 6m, 12m).
    const first = await runPhases({ wh, loaded: ws.load(), phases: ['cleanup'], yes: true, concurrency: 1, resume: true, assumeQuiet: true, ...quiet });
    assert.equal(first.status, 'failed', first.error);
    assert.match(String(first.error), /production_training_data_1m was read by 1 job\(s\) in the last 7 days \(tester@cbi-v14\.iam\.gserviceaccount\.com: 1, last \d{4}-\d\d-\d\d, e\.g\. job \S+\); kept/);
    assert.equal(await wh.getTable(legacy('1w')), undefined, '1w was never read: dropped');
    assert.equal((await wh.getTable(legacy('1m')))?.type, 'VIEW', '1m was read today: kept');
    assert.equal((await wh.getTable(legacy('3m')))?.type, 'VIEW', 'nothing after the kept shim ran');

    // The 1m readers moved away 8 days ago: now it is quiet too.
    for (const j of reads('1m')) j.creationTime = new Date(Date.now() - 8 * DAY);
    const second = await runPhases({ wh, loaded: ws.load(), phases: ['cleanup'], yes: true, resume: true, assumeQuiet: true, concurrency: 1, ...quiet });
    assert.equal(second.status, 'failed', second.error);
    assert.match(String(second.error), /refusing to drop models_v4\.production_training_data_6m: archive copy .* is missing/);
    assert.equal((await wh.getTable(legacy('6m')))?.type, 'VIEW', '6m has no archive copy: kept');
    for (const h of ['1w', '1m', '3m']) {
      assert.equal(await wh.getTable(legacy(h)), undefined, `${h} was quiet for 7 days: dropped`);
      assert.ok(await wh.getTable(archived(h)), `${h}'s archive copy stays`);
      assert.ok(await wh.getTable(target(h)), `${h}'s new table stays`);
    }
    // Reads were checked for 1w (refused, then dropped) and 1m, then 1m and 3m; 6m was refused on its archive before any read check.
    const jobsQueries = [...fake.engine.jobs.values()].filter((j) => /region-us\.INFORMATION_SCHEMA\.JOBS`/.test(JSON.stringify(j.resource.configuration)));
    assert.equal(jobsQueries.length, 5);
    for (const j of jobsQueries) assert.equal((j.resource.configuration as { labels?: Record<string, string> }).labels?.['bqmigrate-step'], 'drop-shims', 'the read checks carry the step labels');
  });
});
