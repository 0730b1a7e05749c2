/**
 * The run lock, `<project>.<history.dataset>.lock`: one row (run id, holder, host, phases, start,
 * heartbeat). Taking it is a `CREATE TABLE` without `IF NOT EXISTS`, which the warehouse runs
 * atomically: of two takers exactly one creates the table and the other gets "already exists".
 * The holder renews the heartbeat while it runs; a heartbeat older than `lock.staleMinutes` marks
 * a run that died, whose lock `bqmigrate unlock --run ID` removes.
 */
import * as os from 'node:os';
import type { LoadedManifest } from '../manifest/load';
import { WarehouseError } from '../warehouse/errors';
import type { TableId, Warehouse } from '../warehouse/types';
import { createHistorySql, ensureHistoryDataset, historyDataset, historyEntries, markEnsured, readHistory, selectHistorySql, type HistoryEntry, type RunIdentity } from './table';

export interface LockInfo {
  runId: string;
  holder: string;
  host: string;
  /** The holding process on `host`. */
  pid: number;
  phases: string;
  started: string;
  heartbeat: string;
}

export function lockTable(loaded: LoadedManifest): TableId {
  return { dataset: historyDataset(loaded), table: 'lock' };
}

const minutesAgo = (ts: string, now: Date) => Math.max(0, Math.round((now.getTime() - Date.parse(ts)) / 60_000));

/** Another run holds the lock; nothing ran. */
export class LockHeld extends Error {
  override name = 'LockHeld';
  constructor(
    readonly lock: LockInfo,
    readonly stale: boolean,
    staleMinutes: number,
    now = new Date(),
  ) {
    super(
      `run ${lock.runId} holds the migration lock: ${lock.holder} on ${lock.host}, phases ${lock.phases || '(none)'}, since ${lock.started} (heartbeat ${minutesAgo(lock.heartbeat, now)} min ago${holderIsGone(lock) ? `, its process ${lock.pid} is gone` : ''}); nothing ran.\n` +
        (stale
          ? `its heartbeat is older than lock.staleMinutes (${staleMinutes}): that run is gone. Take the lock with \`bqmigrate unlock --run ${lock.runId}\`, then continue its work with \`bqmigrate run --resume\``
          : `wait for it to finish (\`bqmigrate status\` shows its progress); if that run is dead, its lock goes stale ${staleMinutes} min after its last heartbeat and \`bqmigrate unlock --run ${lock.runId}\` takes it`),
    );
  }
}

/** The lock's row, or undefined when nobody holds it. */
export async function readLock(wh: Warehouse, loaded: LoadedManifest): Promise<LockInfo | undefined> {
  try {
    const r = await wh.query(`SELECT run_id, holder, host, pid, phases, started, heartbeat FROM ${wh.dialect.table(lockTable(loaded))}`, { skipDryRun: true });
    const row = r.rows[0];
    if (!row) return undefined;
    const iso = (v: unknown) => new Date(String(v)).toISOString();
    return { runId: String(row.run_id), holder: String(row.holder), host: String(row.host), pid: Number(row.pid ?? 0), phases: String(row.phases ?? ''), started: iso(row.started), heartbeat: iso(row.heartbeat) };
  } catch (err) {
    if (err instanceof WarehouseError && err.reason === 'notFound') return undefined;
    throw err;
  }
}

/**
 * A lock held by a process of this host that no longer exists (killed, crashed): its run is over
 * whatever its heartbeat says. A lock of this very process, or of another host, is never judged so.
 */
export function holderIsGone(lock: LockInfo): boolean {
  if (lock.host !== os.hostname() || !(lock.pid > 0) || lock.pid === process.pid) return false;
  try {
    process.kill(lock.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export function isStale(lock: LockInfo, staleMinutes: number, now = new Date()): boolean {
  return now.getTime() - Date.parse(lock.heartbeat) > staleMinutes * 60_000 || holderIsGone(lock);
}

export interface RunLock {
  readonly runId: string;
  /** The history as it was when the lock was taken (read by the same statement). */
  readonly history: readonly HistoryEntry[];
  /** Set when the heartbeat found the lock gone or taken by another run: the run must stop. */
  readonly lost: string | undefined;
  /** Moves the lock to another run id (a resume continues the interrupted run's id). */
  rename(runId: string): Promise<void>;
  /** Stops the heartbeat and drops the lock if this run still holds it; `finalSql` (the last history upload) runs first, in the same statement when it can. */
  release(finalSql?: { sql: string; params: Record<string, unknown> }): Promise<void>;
}

export interface TakeLockOptions {
  runId: string;
  identity: RunIdentity;
  phases: string[];
  /** Heartbeat period in ms (default: a third of lock.staleMinutes, at most a minute). */
  heartbeatMs?: number;
  /** Told when the heartbeat finds the lock gone or taken (the run cancels itself). */
  onLost?(why: string): void;
  /** Told when the lock of a run whose process is gone (same host) was taken over. */
  onTakeOver?(from: LockInfo): void;
  now?(): Date;
}

/** Takes the lock or throws LockHeld naming who holds it. */
export async function takeLock(wh: Warehouse, loaded: LoadedManifest, opts: TakeLockOptions): Promise<RunLock> {
  const now = opts.now ?? (() => new Date());
  const table = wh.dialect.table(lockTable(loaded));
  const stamp = now().toISOString();
  const params = { run: opts.runId, holder: opts.identity.principal, host: opts.identity.host, pid: process.pid, phases: opts.phases.join(','), started: stamp };
  // One statement takes the lock and reads the history: the table made if missing, the lock created, every row selected.
  const script = [
    createHistorySql(wh, loaded),
    `CREATE TABLE ${table} AS SELECT @run AS run_id, @holder AS holder, @host AS host, @pid AS pid, @phases AS phases, CAST(@started AS TIMESTAMP) AS started, CAST(@started AS TIMESTAMP) AS heartbeat`,
    selectHistorySql(wh, loaded),
  ].join(';\n');
  let history: HistoryEntry[] | undefined;
  try {
    let r;
    try {
      r = await wh.query(script, { params, skipDryRun: true });
    } catch (err) {
      if (!(err instanceof WarehouseError && err.reason === 'notFound')) throw err;
      // The first run in this project: the history dataset does not exist yet.
      await ensureHistoryDataset(wh, loaded);
      r = await wh.query(script, { params, skipDryRun: true });
    }
    history = historyEntries(r.rows);
    markEnsured(wh, loaded);
  } catch (err) {
    // "Already exists", or the warehouse's conflict between two creates at the same instant: either way another taker was first.
    if (!(err instanceof WarehouseError && (err.reason === 'duplicate' || /write-write conflict/i.test(err.message)))) throw err;
    const held = await readLock(wh, loaded);
    // A retry after a dropped connection finds its own table: the lock is ours.
    if (held?.runId !== opts.runId) {
      if (!held) throw new Error(`the migration lock ${table} was taken and released while this run asked for it; try again`);
      if (!(holderIsGone(held) && (await takeOver(wh, table, held, params)))) {
        const staleMinutes = loaded.manifest.lock.staleMinutes;
        throw new LockHeld((await readLock(wh, loaded)) ?? held, isStale(held, staleMinutes, now()), staleMinutes, now());
      }
      opts.onTakeOver?.(held);
    }
  }
  history ??= (await readHistory(wh, loaded)) ?? [];
  const taken = history;
  let runId = opts.runId;
  let lost: string | undefined;
  let confirmedAt = Date.now();
  const beat = async () => {
    try {
      const r = await wh.query(`UPDATE ${table} SET heartbeat = CAST(@hb AS TIMESTAMP) WHERE run_id = @run`, { params: { hb: now().toISOString(), run: runId }, skipDryRun: true });
      if (r.affectedRows === 0 && !lost) {
        lost = `the migration lock was taken from run ${runId} (\`bqmigrate unlock\`); the run stops`;
        opts.onLost?.(lost);
      } else if (r.affectedRows !== 0) confirmedAt = Date.now();
    } catch (err) {
      if (err instanceof WarehouseError && err.reason === 'notFound' && !lost) {
        lost = `the migration lock of run ${runId} is gone (\`bqmigrate unlock\`); the run stops`;
        opts.onLost?.(lost);
      }
      // Any other failure: the next beat tries again; the lock goes stale only after lock.staleMinutes.
    }
  };
  const period = opts.heartbeatMs ?? Math.min(60_000, (loaded.manifest.lock.staleMinutes * 60_000) / 3);
  let beating: Promise<void> | undefined;
  const timer = setInterval(() => {
    beating ??= beat().finally(() => (beating = undefined));
  }, period);
  timer.unref();
  return {
    history: taken,
    get runId() {
      return runId;
    },
    get lost() {
      return lost;
    },
    async rename(to: string) {
      if (to === runId) return;
      await wh.query(`UPDATE ${table} SET run_id = @to WHERE run_id = @run`, { params: { to, run: runId }, skipDryRun: true });
      runId = to;
    },
    async release(finalSql) {
      clearInterval(timer);
      await beating;
      if (lost) {
        if (finalSql) await wh.query(finalSql.sql, { params: finalSql.params, skipDryRun: true });
        return;
      }
      // Confirmed ours lately (long before it could go stale): drop it without reading it first, in the same statement as the last upload.
      const confirmedLately = Date.now() - confirmedAt < (loaded.manifest.lock.staleMinutes * 60_000) / 2;
      if (confirmedLately && finalSql) {
        await wh.query(`${finalSql.sql};\nDROP TABLE ${table}`, { params: finalSql.params, skipDryRun: true });
        return;
      }
      if (finalSql) await wh.query(finalSql.sql, { params: finalSql.params, skipDryRun: true });
      if (confirmedLately) {
        await wh.dropTable(lockTable(loaded), { ifExists: true });
        return;
      }
      const held = await readLock(wh, loaded);
      if (held?.runId === runId) await wh.dropTable(lockTable(loaded), { ifExists: true });
    },
  };
}

/** Moves a dead holder's lock row to this run; one UPDATE, so of two takers only one matches the dead holder's row. */
async function takeOver(wh: Warehouse, table: string, dead: LockInfo, p: Record<string, unknown>): Promise<boolean> {
  try {
    const r = await wh.query(
      `UPDATE ${table} SET run_id = @run, holder = @holder, host = @host, pid = @pid, phases = @phases, started = CAST(@started AS TIMESTAMP), heartbeat = CAST(@started AS TIMESTAMP) WHERE run_id = @dead AND pid = @deadPid`,
      { params: { ...p, dead: dead.runId, deadPid: dead.pid }, skipDryRun: true },
    );
    return r.affectedRows === 1;
  } catch {
    // A concurrent taker's update conflicted with this one: it won.
    return false;
  }
}

export interface UnlockPlan {
  lock: LockInfo;
  stale: boolean;
}

/** What `unlock --run ID` would take: refuses a lock held by another run id or one that is not stale. */
export async function inspectLockFor(wh: Warehouse, loaded: LoadedManifest, runId: string, now = new Date()): Promise<UnlockPlan> {
  const lock = await readLock(wh, loaded);
  if (!lock) throw new Error(`nobody holds the migration lock ${wh.dialect.table(lockTable(loaded))}; nothing to unlock`);
  if (lock.runId !== runId) throw new Error(`the migration lock is held by run ${lock.runId} (${lock.holder} on ${lock.host}), not ${runId}; nothing was changed`);
  const staleMinutes = loaded.manifest.lock.staleMinutes;
  const stale = isStale(lock, staleMinutes, now);
  if (!stale) {
    throw new Error(
      `run ${runId} (${lock.holder} on ${lock.host}) renewed its heartbeat ${minutesAgo(lock.heartbeat, now)} min ago, less than lock.staleMinutes (${staleMinutes}): it may still be running; nothing was changed. Wait, or stop that run`,
    );
  }
  return { lock, stale };
}

/** Drops the lock if `runId` still holds it. */
export async function breakLock(wh: Warehouse, loaded: LoadedManifest, runId: string): Promise<boolean> {
  const lock = await readLock(wh, loaded);
  if (lock?.runId !== runId) return false;
  await wh.dropTable(lockTable(loaded), { ifExists: true });
  return true;
}
