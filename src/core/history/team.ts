/**
 * The migration's state as every reader shows it — `bqmigrate status`, the Phases view and the
 * dashboard: the merged history (shared.ts), or this machine's journal with a warning when the
 * warehouse cannot be read; and the runs in progress, with who runs them, on which host, since
 * when, the step each is in, and the lock's holder. One function builds it for all three.
 */
import type { LoadedManifest } from '../manifest/load';
import { inspectJournal, unfinishedRun } from '../phases/journal';
import type { JournalEvent } from '../phases/types';
import type { Warehouse } from '../warehouse/types';
import { isStale, type LockInfo } from './lock';
import { localHistory, mergeHistory, readWarehouseHistory, type SharedHistory, type WarehouseHistory } from './shared';

/** A run that started and has not ended. */
export interface RunInProgress {
  runId: string;
  /** Who runs it and where, from its history rows or the lock (absent for a run only in this journal). */
  principal?: string;
  host?: string;
  kind: 'run' | 'rollback';
  phases: string[];
  since: string;
  /** The step it started and has not finished, `phase/step`. */
  step?: string;
  /** Its latest event's time. */
  lastEvent: string;
  /** Started from this working copy (its run-start is in the local journal). */
  mine: boolean;
  /** `running`: it holds the lock, heartbeat fresh; `stale`: it holds the lock, heartbeat old or process gone; `interrupted`: it stopped without ending. */
  state: 'running' | 'stale' | 'interrupted';
}

export interface MigrationState {
  shared: SharedHistory;
  /** `warehouse`: the merged history; `journal`: this machine's journal only. */
  source: 'warehouse' | 'journal';
  /** Why the warehouse history is not in it, to show next to the status. */
  warning?: string;
  runs: RunInProgress[];
  lock?: LockInfo & { stale: boolean };
  /** When the warehouse was read (the journal is read every time). */
  readAt: string;
}

/** The warning shown when the warehouse history cannot be read; `why` is the error's first line. */
export function historyUnreadable(backend: string, why: string): string {
  return `the ${backend} warehouse history could not be read (${why}): the status below is this machine's journal only`;
}

const phasesOf = (start: JournalEvent | undefined, lock: LockInfo | undefined): string[] => {
  const given = start?.details?.phases;
  if (Array.isArray(given)) return given.map(String);
  return lock?.phases ? lock.phases.split(',').filter(Boolean) : [];
};

/** The runs in progress: the lock holder's, and the one interrupted run `--resume` would continue. */
export function runsInProgress(shared: SharedHistory, staleMinutes: number, now = new Date()): RunInProgress[] {
  const { events, lock } = shared;
  const local = new Set(shared.reading.events.filter((e) => e.event === 'run-start').map((e) => e.runId));
  const ended = new Set(events.filter((e) => e.event === 'run-end').map((e) => e.runId));
  const open = unfinishedRun(events);
  const ids = [...new Set([...(lock ? [lock.runId] : []), ...(open && !ended.has(open.runId) ? [open.runId] : [])])];
  return ids.map((runId) => {
    const mine = events.filter((e) => e.runId === runId);
    const start = mine.find((e) => e.event === 'run-start');
    const closed = new Set(mine.filter((e) => e.event === 'step-end' || e.event === 'step-error').map((e) => `${e.phase}/${e.step}`));
    const stepStart = [...mine].reverse().find((e) => e.event === 'step-start' && !closed.has(`${e.phase}/${e.step}`));
    const holds = lock?.runId === runId ? lock : undefined;
    const author = shared.authors[runId];
    const said = (key: string) => (typeof start?.details?.[key] === 'string' ? (start.details[key] as string) : undefined);
    const principal = author?.principal ?? said('principal') ?? holds?.holder;
    const host = author?.host ?? said('host') ?? holds?.host;
    return {
      runId,
      ...(principal ? { principal } : {}),
      ...(host ? { host } : {}),
      kind: start?.details?.kind === 'rollback' ? 'rollback' : 'run',
      phases: phasesOf(start, holds),
      since: start?.ts ?? holds?.started ?? mine[0]?.ts ?? now.toISOString(),
      ...(stepStart ? { step: `${stepStart.phase}/${stepStart.step}` } : {}),
      lastEvent: mine[mine.length - 1]?.ts ?? holds?.heartbeat ?? now.toISOString(),
      mine: local.has(runId),
      state: holds ? (isStale(holds, staleMinutes, now) ? 'stale' : 'running') : 'interrupted',
    };
  });
}

/** The state from a journal reading and what the warehouse gave (undefined: not read, with `warning` saying why). */
export function migrationState(loaded: LoadedManifest, remote: WarehouseHistory | undefined, readAt: Date, warning?: string): MigrationState {
  const shared = remote ? mergeHistory(inspectJournal(loaded.root), remote) : localHistory(loaded);
  const staleMinutes = loaded.manifest.lock.staleMinutes;
  const lock = shared.lock ? { ...shared.lock, stale: isStale(shared.lock, staleMinutes, readAt) } : undefined;
  return {
    shared,
    source: remote ? 'warehouse' : 'journal',
    ...(warning ? { warning } : {}),
    runs: runsInProgress(shared, staleMinutes, readAt),
    ...(lock ? { lock } : {}),
    readAt: readAt.toISOString(),
  };
}

export interface ReadStateResult {
  state: MigrationState;
  /** The warehouse it read, still open, when it could (the caller closes it); undefined after a failure. */
  wh?: Warehouse;
  /** What the warehouse gave, when it could be read. */
  remote?: WarehouseHistory;
  /** The error's first line when the warehouse could not be opened or read. */
  unreachable?: string;
}

/**
 * Opens the warehouse and reads the merged state; when opening or reading fails, the journal's
 * state with a warning naming the backend and the error. Never throws for the warehouse's sake.
 */
export async function readMigrationState(open: () => Promise<Warehouse>, loaded: LoadedManifest, backend: string, opts: { signal?: AbortSignal; now?: () => Date } = {}): Promise<ReadStateResult> {
  const now = opts.now ?? (() => new Date());
  let wh: Warehouse | undefined;
  try {
    wh = await open();
    const remote = await readWarehouseHistory(wh, loaded, opts.signal);
    return { state: migrationState(loaded, remote, now()), wh, remote };
  } catch (err) {
    await wh?.close().catch(() => undefined);
    const why = (err as Error).message.split('\n')[0] ?? String(err);
    return { state: migrationState(loaded, undefined, now(), historyUnreadable(backend, why)), unreachable: why };
  }
}
