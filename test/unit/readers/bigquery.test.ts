/**
 * `bqmigrate readers` on BigQuery (the loopback fake): readers come from backdated jobs in the
 * fake's INFORMATION_SCHEMA.JOBS — by referenced_tables, and by the query text of cache hits and of
 * reads of a shim (a view, which referenced_tables lists under its base table); bqmigrate's own
 * labelled jobs do not count, `bqmigrate query` jobs do; --days bounds the window; other projects
 * come from JOBS_BY_ORGANIZATION only when the credentials allow it.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runPhases } from '../../../src/core/phases/index';
import type { ReadersReport } from '../../../src/core/readers/index';
import { openWarehouse, seedSampleWarehouse } from '../../../src/core/warehouse/index';
import type { Warehouse } from '../../../src/core/warehouse/types';
import { startFakeBigQuery, type FakeBigQuery } from '../../fake-bigquery/server';
import { cli, makeWorkspace, quiet, type Workspace } from '../phases/helpers';

process.env.METADATA_SERVER_DETECTION = 'none';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);
const legacyName = (h: string) => `models_v4.production_training_data_${h}`;

describe('bqmigrate readers on BigQuery', () => {
  let ws: Workspace;
  let fake: FakeBigQuery;
  let wh: Warehouse;
  let args: string[];
  before(async () => {
    ws = await makeWorkspace(undefined, { seed: false });
    fake = await startFakeBigQuery({ project: 'cbi-v14' });
    await seedSampleWarehouse(fake.engine.wh);
    wh = await openWarehouse({ backend: 'bigquery', loaded: ws.load(), bigquery: { apiEndpoint: fake.url, retryBaseDelayMs: 1, maxRetries: 3, timeoutMs: 10_000 } });
    const setup = await runPhases({ wh, loaded: ws.load(), phases: ['datasets', 'archive', 'targets'], yes: true, concurrency: 1, ...quiet });
    assert.equal(setup.status, 'ok', setup.error);
    // 1m is a shim: a view on the legacy name over its new table.
    await fake.engine.wh.query('DROP TABLE `cbi-v14.models_v4.production_training_data_1m`');
    await fake.engine.wh.query('CREATE VIEW `cbi-v14.models_v4.production_training_data_1m` AS SELECT * FROM `cbi-v14.training.zl_training_prod_allhistory_1m`');
    args = ['readers', '--manifest', ws.file, '--backend', 'bigquery', '--api-endpoint', fake.url];

    await fake.engine.seedJobs([
      // A read of the shim: referenced_tables names only the view's base table.
      { jobId: 'alice_1', userEmail: 'alice@example.com', creationTime: ago(2), query: `SELECT AVG(zl_price_current) FROM \`cbi-v14.${legacyName('1m')}\`` },
      { jobId: 'alice_2', userEmail: 'alice@example.com', creationTime: ago(1), query: `SELECT COUNT(*) FROM ${legacyName('1m')} WHERE date > '2024-01-01'` },
      // A cache hit: empty referenced_tables, found by its query text.
      { jobId: 'bob_cached', userEmail: 'bob@example.com', creationTime: ago(1), cacheHit: true, query: `SELECT * FROM \`cbi-v14.${legacyName('3m')}\` LIMIT 10` },
      // Twenty days ago: outside --days 7, inside --days 30.
      { jobId: 'carol_old', userEmail: 'carol@example.com', creationTime: ago(20), query: `SELECT * FROM \`cbi-v14.${legacyName('1w')}\`` },
      // bqmigrate's own step job: not a reader.
      { jobId: 'own_archive', creationTime: ago(1), labels: { 'bqmigrate-run': 'r1', 'bqmigrate-phase': 'archive', 'bqmigrate-step': 'archive' }, query: `SELECT COUNT(*) FROM \`cbi-v14.${legacyName('6m')}\`` },
      // `bqmigrate query` runs a person's SQL: a reader.
      { jobId: 'dave_cli', userEmail: 'dave@example.com', creationTime: ago(3), labels: { 'bqmigrate-run': 'cli-20261201', 'bqmigrate-phase': 'adhoc', 'bqmigrate-step': 'query' }, query: `SELECT MAX(date) FROM \`cbi-v14.${legacyName('12m')}\`` },
      // Another project's job: only JOBS_BY_ORGANIZATION shows it.
      { jobId: 'erin_other', userEmail: 'erin@example.com', projectId: 'analytics-prod', creationTime: ago(1), query: `SELECT * FROM \`cbi-v14.${legacyName('6m')}\`` },
    ]);
  });
  after(async () => {
    await wh.close();
    await fake.close();
    ws.cleanup();
  });

  const byName = (r: ReadersReport) => new Map(r.names.map((n) => [n.name, n]));

  it('the fake lists a view read under its base table and a cache hit with no tables', () => {
    const alice = fake.engine.jobLog.find((j) => j.jobId === 'alice_1')!;
    assert.deepEqual(alice.referencedTables.map((r) => `${r.datasetId}.${r.tableId}`), ['training.zl_training_prod_allhistory_1m']);
    assert.deepEqual(fake.engine.jobLog.find((j) => j.jobId === 'bob_cached')!.referencedTables, []);
  });

  it('--json: readers per legacy name from referenced_tables and query text, own jobs left out, other projects not verified', async () => {
    const r = await cli(ws.dir, [...args, '--days', '7', '--json']);
    assert.equal(r.code, 1, r.err);
    const report = JSON.parse(r.out) as ReadersReport;
    const names = byName(report);
    assert.deepEqual([...names.keys()].sort(), ['1m', '1w', '3m', '6m', '12m'].map(legacyName).sort());

    const shim = names.get(legacyName('1m'))!;
    assert.equal(shim.shim, true);
    assert.deepEqual(shim.readers.map((x) => [x.principal, x.jobs, x.sampleJobId, x.via]), [['alice@example.com', 2, 'alice_2', ['query text']]]);

    const cached = names.get(legacyName('3m'))!;
    assert.deepEqual(cached.readers.map((x) => [x.principal, x.jobs, x.cacheHits, x.via]), [['bob@example.com', 1, 1, ['query text']]]);

    assert.deepEqual(names.get(legacyName('1w'))!.readers, [], 'a read 20 days ago is outside 7 days');
    assert.deepEqual(names.get(legacyName('6m'))!.readers, [], "bqmigrate's own labelled job is no read, and the other project's job is not visible");
    assert.deepEqual(names.get(legacyName('12m'))!.readers.map((x) => x.principal), ['dave@example.com']);

    assert.equal(report.coverage.otherProjects, 'not verified');
    assert.match(report.coverage.otherProjectsReason ?? '', /JOBS_BY_ORGANIZATION.*bigquery\.jobs\.listAll/);
    for (const n of report.names) assert.equal(n.quiet, false, `${n.name}: not verified for other projects is not quiet`);
    assert.ok(report.notes.some((x) => /cache-hit jobs have empty referenced_tables/i.test(x)));
    const saved = JSON.parse(fs.readFileSync(path.join(ws.dir, '.bqmigrate', 'readers.json'), 'utf8')) as ReadersReport;
    assert.deepEqual(saved.names, report.names, 'the report is written for the editor');
  });

  it('text output and --days 30', async () => {
    const r = await cli(ws.dir, [...args, '--days', '30']);
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /models_v4\.production_training_data_1w: still read — 1 job\(s\) by 1 principal\(s\)/);
    assert.match(r.out, /carol@example\.com: 1 job\(s\), last .*, e\.g\. job carol_old \[referenced_tables \+ query text\]/);
    assert.match(r.out, /models_v4\.production_training_data_1m \(shim\): still read — 2 job\(s\)/);
    assert.match(r.out, /Cache-hit jobs have empty referenced_tables/);
    assert.match(r.out, /Other projects: not verified for other projects/);
  });

  it('with organization access: other projects by referenced_tables; shims stay not verified (no query text there)', async () => {
    fake.engine.organizationAccess = true;
    try {
      const r = await cli(ws.dir, [...args, '--days', '7', '--json']);
      assert.equal(r.code, 1, r.err);
      const report = JSON.parse(r.out) as ReadersReport;
      const names = byName(report);
      assert.equal(report.coverage.otherProjects, 'verified');
      assert.deepEqual(names.get(legacyName('6m'))!.readers.map((x) => [x.principal, x.project, x.via]), [['erin@example.com', 'analytics-prod', ['referenced_tables']]]);
      assert.equal(names.get(legacyName('1m'))!.otherProjects, 'not verified', 'a shim read from another project shows only its base table');
      assert.equal(names.get(legacyName('1w'))!.otherProjects, 'verified');
      assert.equal(names.get(legacyName('1w'))!.quiet, true, '1w: nobody in 7 days, everywhere');
    } finally {
      fake.engine.organizationAccess = false;
    }
  });

  it('--days out of range is a usage error', async () => {
    const r = await cli(ws.dir, [...args, '--days', '0']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--days must be a whole number of days from 1 to 180/);
  });
});
