/**
 * The migration lock: a run refuses while another holds it (naming who, since when, what to do),
 * a lock whose holder died is taken by `unlock --run ID` after confirmation, and two processes racing
 * for it 50 times get exactly one winner each time, on the local warehouse and on the fake BigQuery.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { readLock, takeLock, LockHeld, lockTable } from '../../../src/core/history/lock';
import { runIdentity } from '../../../src/core/history/identity';
import { readHistory } from '../../../src/core/history/table';
import { readJournal, runPhases } from '../../../src/core/phases/index';
import { openWarehouse, seedSampleWarehouse } from '../../../src/core/warehouse/index';
import { startFakeBigQuery, type FakeBigQuery } from '../../fake-bigquery/server';
import { cli, makeWorkspace, quiet, type Workspace } from '../phases/helpers';

process.env.METADATA_SERVER_DETECTION = 'none';

describe('the migration lock', () => {
  let ws: Workspace;
  before(async () => {
    ws = await makeWorkspace();
  });
  after(() => ws.cleanup());

  it('a second run refuses while the lock is held, naming the holder, since when and what to do; nothing runs', async () => {
    const wh = await ws.open();
    const loaded = ws.load();
    const held = await takeLock(wh, loaded, { runId: 'run-other', identity: { ...(await runIdentity(wh, loaded)), principal: 'ana@example.com' }, phases: ['archive'], heartbeatMs: 3_600_000 });
    try {
      await assert.rejects(runPhases({ wh, loaded, phases: ['datasets'], yes: true, ...quiet }), (err: Error) => {
        assert.ok(err instanceof LockHeld);
        assert.match(err.message, /run run-other holds the migration lock: ana@example\.com on .+, phases archive, since 20\d\d-.*nothing ran/);
        assert.match(err.message, /wait for it to finish/);
        return true;
      });
      assert.deepEqual(readJournal(ws.dir), [], 'nothing was journaled');
      await held.release();
    } finally {
      await wh.close();
    }
    const r = await cli(ws.dir, ['run', '--phase', 'datasets', '--yes']);
    assert.equal(r.code, 0, r.err);
    const after = await ws.open();
    try {
      assert.equal(await readLock(after, ws.load()), undefined, 'the run released the lock at its end');
    } finally {
      await after.close();
    }
  });

  it('unlock --run ID: refuses a fresh lock; shows what a stale one was doing and removes it only with --yes', async () => {
    const loaded = ws.load();
    let wh = await ws.open();
    const twoHoursAgo = () => new Date(Date.now() - 2 * 3600_000);
    // A run that journaled a step start and died: its history and its lock stay behind.
    await takeLock(wh, loaded, { runId: 'run-fresh', identity: await runIdentity(wh, loaded), phases: ['archive'], heartbeatMs: 3_600_000 });
    await wh.close();
    const fresh = await cli(ws.dir, ['unlock', '--run', 'run-fresh', '--yes']);
    assert.equal(fresh.code, 1);
    assert.match(fresh.err, /renewed its heartbeat 0 min ago, less than lock\.staleMinutes \(30\): it may still be running; nothing was changed/);
    wh = await ws.open();
    await wh.dropTable(lockTable(loaded));
    await takeLock(wh, loaded, { runId: 'run-dead', identity: await runIdentity(wh, loaded), phases: ['archive'], heartbeatMs: 3_600_000, now: twoHoursAgo });
    await wh.close();
    const wrong = await cli(ws.dir, ['unlock', '--run', 'run-nope', '--yes']);
    assert.equal(wrong.code, 1);
    assert.match(wrong.err, /held by run run-dead .*not run-nope; nothing was changed/);
    const asked = await cli(ws.dir, ['unlock', '--run', 'run-dead']);
    assert.equal(asked.code, 1);
    assert.match(asked.out, /held by run run-dead: .* \(stale\)\n.*run-dead/);
    assert.match(asked.err, /nothing changed; run again with --yes/);
    const done = await cli(ws.dir, ['unlock', '--run', 'run-dead', '--yes']);
    assert.equal(done.code, 0, done.err);
    assert.match(done.out, /lock of run run-dead removed; continue its work with `bqmigrate run --resume`/);
    wh = await ws.open();
    try {
      assert.equal(await readLock(wh, loaded), undefined);
      const unlocks = ((await readHistory(wh, loaded)) ?? []).filter((h) => h.event.event === 'unlock');
      assert.deepEqual(unlocks.map((h) => h.event.runId), ['run-dead'], 'the history records who took the lock');
    } finally {
      await wh.close();
    }
  });

  it('a lock left by a killed process on this host is taken over by the next run, which says so', async () => {
    const loaded = ws.load();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10)']);
    await new Promise((r) => child.on('exit', r));
    const wh = await ws.open();
    try {
      // Held as if by the exited child: same host, a pid that no longer runs.
      await wh.query(`CREATE TABLE ${wh.dialect.table(lockTable(loaded))} AS SELECT 'run-killed' AS run_id, 'me' AS holder, @host AS host, @pid AS pid, 'datasets' AS phases, CURRENT_TIMESTAMP() AS started, CURRENT_TIMESTAMP() AS heartbeat`, { params: { host: (await runIdentity(wh, loaded)).host, pid: child.pid! } });
      const lines: string[] = [];
      const r = await runPhases({ wh, loaded, phases: ['datasets'], yes: true, log: (l) => lines.push(l) });
      assert.equal(r.status, 'ok', r.error);
      assert.ok(lines.some((l) => l.includes(`took over the migration lock of run run-killed, whose process ${child.pid} on this host is gone`)), lines.join('\n'));
      assert.equal(await readLock(wh, loaded), undefined);
    } finally {
      await wh.close();
    }
  });
});

/** Two racer processes; `race(n)` sends both the same start time and returns their answers. */
function racers(args: (name: string) => string[]) {
  const racer = path.join(__dirname, 'lock-racer.js');
  const procs: ChildProcessWithoutNullStreams[] = ['a', 'b'].map((name) => spawn(process.execPath, [racer, ...args(name)], { env: { ...process.env, METADATA_SERVER_DETECTION: 'none' } }));
  const waiting = new Map<string, (v: { n: number; won: boolean; error?: string }) => void>();
  procs.forEach((p, i) => {
    readline.createInterface({ input: p.stdout }).on('line', (line) => {
      const answer = JSON.parse(line) as { n: number; won: boolean; error?: string };
      waiting.get(`${answer.n}/${i}`)?.(answer);
    });
    p.stderr.on('data', (d: Buffer) => process.stderr.write(d));
  });
  return {
    race: (n: number) => {
      const goAt = Date.now() + 150;
      const answers = procs.map((_proc, i) => new Promise<{ n: number; won: boolean; error?: string }>((resolve) => waiting.set(`${n}/${i}`, resolve)));
      for (const p of procs) p.stdin.write(`race ${n} ${goAt}\n`);
      return Promise.all(answers);
    },
    stop: () => {
      for (const proc of procs) proc.stdin.end();
    },
  };
}

async function raceFifty(ws: Workspace, args: (name: string) => string[], clear: () => Promise<void>): Promise<void> {
  const { race, stop } = racers(args);
  try {
    for (let n = 1; n <= 50; n++) {
      const answers = await race(n);
      const winners = answers.filter((a) => a.won);
      assert.equal(winners.length, 1, `race ${n}: ${JSON.stringify(answers)}`);
      const loser = answers.find((a) => !a.won)!;
      assert.match(loser.error ?? '', /held by race-\d+-[ab]|in use by another process/, `race ${n}: the loser is told who holds it (${loser.error})`);
      await clear();
    }
  } finally {
    stop();
  }
  void ws;
}

describe('two processes race for the lock 50 times: exactly one wins each time', () => {
  it('on the local warehouse', async () => {
    const ws = await makeWorkspace();
    try {
      await raceFifty(ws, (name) => [ws.file, 'local', name], async () => {
        const wh = await ws.open();
        try {
          await wh.dropTable(lockTable(ws.load()));
        } finally {
          await wh.close();
        }
      });
    } finally {
      ws.cleanup();
    }
  });

  it('on the fake BigQuery server', async () => {
    const ws = await makeWorkspace(undefined, { seed: false });
    let fake: FakeBigQuery | undefined;
    try {
      fake = await startFakeBigQuery({ project: 'cbi-v14' });
      await seedSampleWarehouse(fake.engine.wh);
      const wh = await openWarehouse({ backend: 'bigquery', loaded: ws.load(), bigquery: { apiEndpoint: fake.url } });
      try {
        await raceFifty(ws, (name) => [ws.file, 'bigquery', name, fake!.url], () => wh.dropTable(lockTable(ws.load())));
      } finally {
        await wh.close();
      }
    } finally {
      await fake?.close();
      ws.cleanup();
    }
  });
});
