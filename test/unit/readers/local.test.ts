/**
 * `bqmigrate readers` on the local warehouse: its job log records what runs through bqmigrate on
 * the file, with the OS user and the job labels; `bqmigrate query` jobs are reads, phase jobs and
 * dry runs are not. drop-shims refuses a shim read within shims.quietDays, naming the reader.
 */
import assert from 'node:assert/strict';
import * as os from 'node:os';
import { after, before, describe, it } from 'node:test';
import { runPhases } from '../../../src/core/phases/index';
import type { ReadersReport } from '../../../src/core/readers/index';
import type { LocalWarehouse } from '../../../src/core/warehouse/local';
import { META_SCHEMA } from '../../../src/core/warehouse/local-meta';
import { cli, HORIZONS, legacy, makeWorkspace, quiet, type Workspace } from '../phases/helpers';

const legacyName = (h: string) => `models_v4.production_training_data_${h}`;
const me = `local:${os.userInfo().username}`;

describe('bqmigrate readers on the local warehouse', () => {
  let ws: Workspace;
  before(async () => {
    ws = await makeWorkspace();
  });
  after(() => ws.cleanup());

  /** Moves the recorded `bqmigrate query` jobs that name `name` back by `days`. */
  async function backdate(name: string, days: number): Promise<void> {
    const wh = (await ws.open()) as LocalWarehouse;
    try {
      await wh.withConnection((c) => c.run(`UPDATE ${META_SCHEMA}.jobs SET created = created - INTERVAL ${days} DAY WHERE statement LIKE '%${name}%' AND labels LIKE '%"query"%'`));
    } finally {
      await wh.close();
    }
  }

  it('a `bqmigrate query` read is a reader; dry runs and bqmigrate phase jobs are not', async () => {
    assert.equal((await cli(ws.dir, ['query', `SELECT COUNT(*) AS n FROM ${legacyName('1m')}`])).code, 0);
    assert.equal((await cli(ws.dir, ['query', '--dry-run', `SELECT COUNT(*) AS n FROM ${legacyName('3m')}`])).code, 0);
    const wh = await ws.open();
    try {
      const setup = await runPhases({ wh, loaded: ws.load(), phases: ['datasets', 'archive'], yes: true, ...quiet });
      assert.equal(setup.status, 'ok', setup.error);
    } finally {
      await wh.close();
    }
    const r = await cli(ws.dir, ['readers', '--json']);
    assert.equal(r.code, 1, r.err);
    const report = JSON.parse(r.out) as ReadersReport;
    assert.equal(report.backend, 'local');
    assert.equal(report.days, 7, 'the default window is shims.quietDays');
    const names = new Map(report.names.map((n) => [n.name, n]));
    assert.deepEqual(names.get(legacyName('1m'))!.readers.map((x) => [x.principal, x.jobs, x.via]), [[me, 1, ['query text']]]);
    for (const h of HORIZONS.filter((x) => x !== '1m')) assert.equal(names.get(legacyName(h))!.quiet, true, `${h}: quiet`);
    assert.equal(report.coverage.otherProjects, 'verified');
    assert.ok(report.notes.some((n) => /records only what runs through bqmigrate on this file/.test(n)), 'says what the local job log cannot see');
  });

  it('--days: a read ten days ago is outside 7 days and inside 30; quiet everywhere exits 0', async () => {
    await backdate(legacyName('1m'), 10);
    const quietRun = await cli(ws.dir, ['readers', '--days', '7']);
    assert.equal(quietRun.code, 0, quietRun.out + quietRun.err);
    assert.match(quietRun.out, /5 legacy name\(s\): 0 still read, 0 not verified, 5 quiet/);
    assert.match(quietRun.out, /records only what runs through bqmigrate on this file/);
    const wide = await cli(ws.dir, ['readers', '--days', '30']);
    assert.equal(wide.code, 1);
    assert.match(wide.out, /models_v4\.production_training_data_1m: still read — 1 job\(s\)/);
  });

  it('drop-shims refuses a shim read within shims.quietDays, naming the reader, and drops it once quiet', async () => {
    const wh = await ws.open();
    try {
      const shims = await runPhases({ wh, loaded: ws.load(), phases: ['targets', 'shims'], yes: true, ...quiet });
      assert.equal(shims.status, 'ok', shims.error);
    } finally {
      await wh.close();
    }
    assert.equal((await cli(ws.dir, ['query', `SELECT * FROM \`cbi-v14.${legacyName('1w')}\` LIMIT 1`])).code, 0);
    const later = new Date(Date.now() + 31 * 86_400_000);
    const wh2 = await ws.open();
    try {
      const refused = await runPhases({ wh: wh2, loaded: ws.load(), phases: ['cleanup'], yes: true, today: later, ...quiet });
      assert.equal(refused.status, 'failed');
      assert.match(String(refused.error), new RegExp(`production_training_data_1w was read by 1 job\\(s\\) in the last 7 days \\(${me.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 1, last \\d{4}-\\d\\d-\\d\\d, e\\.g\\. job local_\\S+\\); kept`));
      assert.equal((await wh2.getTable(legacy('1w')))?.type, 'VIEW');
    } finally {
      await wh2.close();
    }
    await backdate(legacyName('1w'), 8);
    const wh3 = await ws.open();
    try {
      const dropped = await runPhases({ wh: wh3, loaded: ws.load(), phases: ['cleanup'], yes: true, resume: true, today: later, ...quiet });
      assert.equal(dropped.status, 'ok', dropped.error);
      for (const h of HORIZONS) assert.equal(await wh3.getTable(legacy(h)), undefined, `${h} dropped`);
    } finally {
      await wh3.close();
    }
  });
});
