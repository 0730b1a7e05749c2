/**
 * The state every reader shows (status, the Phases view, the dashboard): another principal's run
 * in progress on the shared warehouse shows with who, where, since when, its step and the lock,
 * and leaves when it ends; a stale lock says so; a warehouse that cannot be read gives the
 * journal with the warning `status` prints; an interrupted run of this working copy is its own.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { manifestHash } from '../../../src/core/history/identity';
import { takeLock } from '../../../src/core/history/lock';
import { insertHistory, type RunIdentity } from '../../../src/core/history/table';
import { readMigrationState } from '../../../src/core/history/team';
import type { LoadedManifest } from '../../../src/core/manifest/load';
import { journalPath, phaseStatuses } from '../../../src/core/phases/index';
import type { JournalEvent } from '../../../src/core/phases/types';
import type { Warehouse } from '../../../src/core/warehouse/types';
import { makeWorkspace, type Workspace } from '../phases/helpers';

const ana = (loaded: LoadedManifest): RunIdentity => ({ principal: 'ana@example.com', host: 'ci-runner-7', manifestHash: manifestHash(loaded), version: 'test' });
const ev = (runId: string, event: JournalEvent['event'], ts: string, more: Partial<JournalEvent> = {}): JournalEvent => ({ id: randomUUID(), ts, runId, event, ...more });

describe('the migration state with another principal\'s run (local warehouse, one process)', () => {
  let ws: Workspace;
  let loaded: LoadedManifest;
  let other: Warehouse;
  before(async () => {
    ws = await makeWorkspace();
    loaded = ws.load();
    other = await ws.open();
  });
  after(async () => {
    await other.close();
    ws.cleanup();
  });

  it('shows the run with who, host, phases, since, its step and the lock; archive is in progress; it leaves when the run ends', async () => {
    const runId = 'run-ana-1';
    const lock = await takeLock(other, loaded, { runId, identity: ana(loaded), phases: ['archive'], heartbeatMs: 3_600_000 });
    const start = ev(runId, 'run-start', '2026-12-03T08:00:00.000Z', { details: { kind: 'run', phases: ['archive'] } });
    const step = ev(runId, 'step-start', '2026-12-03T08:00:01.000Z', { phase: 'archive', step: 'archive' });
    await insertHistory(other, loaded, [start, step].map((event, seq) => ({ event, seq, identity: ana(loaded) })));
    // The reader opens the same file: in this process that is the writer's instance, shared.
    const r = await readMigrationState(() => ws.open(), loaded, 'local');
    await r.wh?.close();
    const s = r.state;
    assert.equal(s.source, 'warehouse');
    assert.equal(s.warning, undefined);
    assert.equal(s.shared.remoteOnly, 2);
    assert.deepEqual(s.runs, [{ runId, principal: 'ana@example.com', host: 'ci-runner-7', kind: 'run', phases: ['archive'], since: start.ts, step: 'archive/archive', lastEvent: step.ts, mine: false, state: 'running' }]);
    assert.equal(s.lock?.runId, runId);
    assert.equal(s.lock?.holder, 'ana@example.com');
    assert.equal(s.lock?.stale, false);
    assert.equal(phaseStatuses(loaded, s.shared.events).find((p) => p.id === 'archive')?.state, 'in-progress');

    const end = [ev(runId, 'step-end', '2026-12-03T08:00:02.000Z', { phase: 'archive', step: 'archive' }), ev(runId, 'run-end', '2026-12-03T08:00:03.000Z', { details: { status: 'ok' } })];
    await insertHistory(other, loaded, end.map((event, i) => ({ event, seq: 2 + i, identity: ana(loaded) })));
    await lock.release();
    const done = await readMigrationState(() => ws.open(), loaded, 'local');
    await done.wh?.close();
    assert.deepEqual(done.state.runs, []);
    assert.equal(done.state.lock, undefined);
    assert.equal(phaseStatuses(loaded, done.state.shared.events).find((p) => p.id === 'archive')?.state, 'complete');
  });

  it('a lock whose heartbeat is older than lock.staleMinutes: the run is listed as stale', async () => {
    const runId = 'run-ana-2';
    const old = new Date(Date.now() - 2 * 3600_000);
    const lock = await takeLock(other, loaded, { runId, identity: ana(loaded), phases: ['targets'], heartbeatMs: 3_600_000, now: () => old });
    try {
      const r = await readMigrationState(() => ws.open(), loaded, 'local');
      await r.wh?.close();
      const run = r.state.runs.find((x) => x.runId === runId);
      assert.equal(run?.state, 'stale');
      assert.deepEqual(run?.phases, ['targets'], 'from the lock: the run has no history row yet');
      assert.equal(run?.principal, 'ana@example.com');
      assert.equal(r.state.lock?.stale, true);
    } finally {
      await lock.release();
    }
  });
});

describe('the migration state without the warehouse', () => {
  let ws: Workspace;
  before(async () => {
    ws = await makeWorkspace(undefined, { seed: false });
  });
  after(() => ws.cleanup());

  it('an unreachable warehouse gives the journal with status\'s warning; this copy\'s interrupted run is listed as its own', async () => {
    const loaded = ws.load();
    fs.mkdirSync(path.dirname(journalPath(ws.dir)), { recursive: true });
    const lines = [
      ev('run-mine', 'run-start', '2026-12-03T08:00:00.000Z', { details: { kind: 'run', phases: ['datasets'], principal: 'me', host: 'laptop' } }),
      ev('run-mine', 'step-start', '2026-12-03T08:00:01.000Z', { phase: 'datasets', step: 'create-datasets' }),
    ];
    fs.writeFileSync(journalPath(ws.dir), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const r = await readMigrationState(() => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:9\n    at stack')), loaded, 'bigquery');
    assert.equal(r.wh, undefined);
    assert.equal(r.unreachable, 'connect ECONNREFUSED 127.0.0.1:9');
    assert.equal(r.state.source, 'journal');
    assert.equal(r.state.warning, "the bigquery warehouse history could not be read (connect ECONNREFUSED 127.0.0.1:9): the status below is this machine's journal only");
    assert.equal(r.state.runs.length, 1);
    assert.deepEqual(r.state.runs, [{ runId: 'run-mine', principal: 'me', host: 'laptop', kind: 'run', phases: ['datasets'], since: lines[0]!.ts, step: 'datasets/create-datasets', lastEvent: lines[1]!.ts, mine: true, state: 'interrupted' }]);
  });
});
