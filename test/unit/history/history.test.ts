/**
 * The warehouse history: every journal event of a run lands in `<history.dataset>.history` with
 * its id, who ran it, the manifest hash and the version, on the local warehouse and on the fake
 * BigQuery; a network that drops the uploads loses no event (the next run uploads what is missing,
 * never twice); the history outlives `.bqmigrate/`; two working copies share it.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { version } from '../../../package.json';
import { manifestHash } from '../../../src/core/history/identity';
import { readHistory } from '../../../src/core/history/table';
import { runInventory } from '../../../src/core/inventory/index';
import type { LoadedManifest } from '../../../src/core/manifest/load';
import { readJournal, runPhases } from '../../../src/core/phases/index';
import { openWarehouse, seedSampleWarehouse } from '../../../src/core/warehouse/index';
import type { Warehouse } from '../../../src/core/warehouse/types';
import { startFakeBigQuery, type FakeBigQuery } from '../../fake-bigquery/server';
import { cli, makeWorkspace, quiet, type Workspace } from '../phases/helpers';

process.env.METADATA_SERVER_DETECTION = 'none';

function bigquery(fake: FakeBigQuery, loaded: LoadedManifest): Promise<Warehouse> {
  return openWarehouse({ backend: 'bigquery', loaded, bigquery: { apiEndpoint: fake.url, retryBaseDelayMs: 1, maxRetries: 2, timeoutMs: 10_000 } });
}

async function historyIdsCounted(wh: Warehouse, loaded: LoadedManifest): Promise<{ ids: string[]; rows: number }> {
  const h = (await readHistory(wh, loaded)) ?? [];
  return { ids: h.map((x) => x.event.id!).sort(), rows: h.length };
}

describe('the history table on the local warehouse', () => {
  let ws: Workspace;
  before(async () => {
    ws = await makeWorkspace((t) => t.replace('"project"', '"history": { "dataset": "_mig_history" },\n  "project"'));
  });
  after(() => ws.cleanup());

  it('holds every event of the journal with run id, principal (the OS user), manifest hash and version; the dataset is configurable and never inventoried', async () => {
    const r = await cli(ws.dir, ['run', '--phase', 'datasets', '--yes']);
    assert.equal(r.code, 0, r.err);
    const local = readJournal(ws.dir);
    const wh = await ws.open();
    try {
      const loaded = ws.load();
      const history = (await readHistory(wh, loaded))!;
      assert.ok(history, 'the history table exists in _mig_history');
      assert.deepEqual(history.map((h) => h.event), local, 'the same events, in the same order');
      for (const h of history) {
        assert.equal(h.principal, os.userInfo().username);
        assert.equal(h.manifestHash, manifestHash(loaded));
        assert.equal(h.version, version);
      }
      assert.ok(await wh.getDataset('_mig_history'));
      assert.ok(!(await wh.listDatasets()).some((d) => d.dataset === '_mig_history'), 'hidden like BigQuery hides "_" datasets');
      const inv = await runInventory(wh, { loaded });
      assert.ok(!inv.datasets.some((d) => d.dataset.startsWith('_')), JSON.stringify(inv.datasets.map((d) => d.dataset)));
    } finally {
      await wh.close();
    }
    const inventory = await cli(ws.dir, ['inventory']);
    assert.doesNotMatch(inventory.out + inventory.err, /_mig_history/);
  });

  it('a run of the same phases with a changed manifest stops, listing the mappings added and removed, until --yes', async () => {
    const text = fs.readFileSync(ws.file, 'utf8');
    const edited = text.replace('"mappings": [', '"mappings": [\n    { "from": "models_v4.extra_table", "to": "training.zl_training_extra" },');
    assert.notEqual(edited, text);
    fs.writeFileSync(ws.file, edited);
    const refused = await cli(ws.dir, ['run', '--phase', 'datasets']);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /the manifest changed since run run-\S+ \(.*\) ran these phases: hash [0-9a-f]{16} then, [0-9a-f]{16} now\n {2}\+ models_v4\.extra_table → training\.zl_training_extra\nnothing ran/);
    const journaled = readJournal(ws.dir).length;
    const other = await cli(ws.dir, ['run', '--phase', 'archive', '--yes']);
    assert.equal(other.code, 0, `another phase is not compared: ${other.err}`);
    const confirmed = await cli(ws.dir, ['run', '--phase', 'datasets', '--yes']);
    assert.equal(confirmed.code, 0, confirmed.err);
    assert.match(confirmed.out, /warning: the manifest changed since run .*\n.*\+ models_v4\.extra_table[\s\S]*going on with the manifest as it is now \(--yes\)/);
    assert.ok(readJournal(ws.dir).length > journaled);
  });
});

describe('the history table on BigQuery (the loopback fake)', () => {
  let fake: FakeBigQuery;
  let ws: Workspace;
  before(async () => {
    fake = await startFakeBigQuery({ project: 'cbi-v14' });
    await seedSampleWarehouse(fake.engine.wh);
    ws = await makeWorkspace(undefined, { seed: false });
  });
  after(async () => {
    await fake.close();
    ws.cleanup();
  });

  it('a network that drops every history upload loses no event: the run ends with a warning, the next run uploads what is missing, once', async () => {
    const loaded = ws.load();
    const wh = await bigquery(fake, loaded);
    try {
      // The history exists (the lock needs it); then every upload's connection drops, before or after it took effect.
      fake.faults.add({ kind: 'dropAfter', match: { method: 'POST', path: '/jobs', dryRun: false, bodyIncludes: 'INSERT INTO' }, times: 1 });
      fake.faults.add({ kind: 'drop', match: { method: 'POST', path: '/jobs', bodyIncludes: 'INSERT INTO' }, times: Infinity });
      const lines: string[] = [];
      const r = await runPhases({ wh, loaded, phases: ['datasets'], yes: true, log: (l) => lines.push(l) });
      assert.equal(r.status, 'ok', r.error);
      const local = readJournal(ws.dir);
      assert.ok(lines.some((l) => /warning: \d+ journal event\(s\) are not in the warehouse history yet .*the next run or --resume uploads them/.test(l)), lines.join('\n'));
      const during = await historyIdsCounted(wh, loaded);
      assert.ok(during.rows < local.length, `some events are missing from the history (${during.rows} of ${local.length})`);
      fake.faults.clear();
      const next = await runPhases({ wh, loaded, phases: ['archive'], yes: true, ...quiet });
      assert.equal(next.status, 'ok', next.error);
      const all = readJournal(ws.dir);
      const after = await historyIdsCounted(wh, loaded);
      assert.deepEqual(after.ids, all.map((e) => e.id!).sort(), 'every event of both runs, each once');
      assert.equal(after.rows, new Set(after.ids).size, 'no event twice (the dropped-after-effect insert was not repeated)');
    } finally {
      await wh.close();
    }
  });

  it('the history outlives .bqmigrate/ and is shared by a second working copy: one status, and its run takes the first one\'s events', async () => {
    const loaded = ws.load();
    const before = readJournal(ws.dir);
    fs.rmSync(path.join(ws.dir, '.bqmigrate'), { recursive: true, force: true });
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'bqm-copy-'));
    try {
      fs.copyFileSync(ws.file, path.join(other, 'bqmigrate.json'));
      const bq = ['--backend', 'bigquery', '--api-endpoint', fake.url];
      // Both copies, neither with a journal now, show the same status: the warehouse history's.
      const statuses = [ws.dir, other].map(async (dir) => {
        const r = await cli(dir, ['status', '--json', ...bq]);
        assert.equal(r.code, 0, r.err);
        return (JSON.parse(r.out) as { id: string; state: string }[]).map((p) => `${p.id}:${p.state}`);
      });
      const [first, second] = await Promise.all(statuses);
      assert.deepEqual(first, second);
      assert.deepEqual(first!.slice(0, 3), ['datasets:complete', 'archive:complete', 'targets:not-started']);
      const offline = await cli(other, ['status', '--json', '--offline', ...bq]);
      assert.ok((JSON.parse(offline.out) as { state: string }[]).every((p) => p.state === 'not-started'), 'the local journal alone knows nothing');
      fake.faults.add({ kind: 'accessDenied', permission: 'bigquery.jobs.create', times: Infinity });
      const unreachable = await cli(other, ['status', ...bq]);
      fake.faults.clear();
      assert.equal(unreachable.code, 1);
      assert.match(unreachable.err, /warning: the bigquery warehouse history could not be read \(.*\): the status below is this machine's journal only/);
      // This copy has no journal at all: its run takes the first copy's events from the warehouse history.
      const r = await cli(other, ['run', '--phase', 'targets', '--yes', '--backend', 'bigquery', '--api-endpoint', fake.url]);
      assert.equal(r.code, 0, r.err + r.out);
      assert.match(r.out, /history: \d+ event\(s\) from the warehouse history \(runs on other machines\) added to the local journal/);
      const adopted = readJournal(other);
      for (const e of before) assert.ok(adopted.some((a) => a.id === e.id), `event ${e.id} of the first copy is in the second copy's journal`);
      const wh = await bigquery(fake, loaded);
      try {
        const h = await historyIdsCounted(wh, loaded);
        assert.deepEqual(h.ids, adopted.map((e) => e.id!).sort());
      } finally {
        await wh.close();
      }
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});
