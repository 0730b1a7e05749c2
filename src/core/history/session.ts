/**
 * A run's side of the shared history: before its first step it takes the lock, uploads the local
 * journal events the warehouse lacks (a run that lost its connection) and writes into the local
 * journal, once the run goes ahead, the events the warehouse holds and this machine lacks (a run
 * begun on another machine, a deleted `.bqmigrate/`), so planning, `--resume` and the checks read
 * the whole history. While it
 * runs, every fsynced event is queued for upload; at its end the queue is drained and the lock
 * released.
 */
import type { LoadedManifest } from '../manifest/load';
import { inspectJournal, JournalWriter } from '../phases/journal';
import type { JournalEvent } from '../phases/types';
import type { Warehouse } from '../warehouse/types';
import { runIdentity } from './identity';
import { takeLock, type RunLock } from './lock';
import { insertHistory, insertHistorySql, type RunIdentity } from './table';
import { HistoryUploader, uploadMissing } from './upload';

export interface RunHistory {
  identity: RunIdentity;
  lock: RunLock;
  /** Events uploaded from the local journal before the run. */
  uploaded: number;
  /** Events the warehouse history holds and the local journal lacks (runs on other machines, a deleted `.bqmigrate/`). */
  remoteOnly: readonly JournalEvent[];
  /** Writes `remoteOnly` into the local journal, once the run goes ahead (a refused run changes nothing). */
  adopt(writer: JournalWriter): void;
  /** Queues an fsynced event for upload (the journal writer's onAppend). */
  record(e: JournalEvent, seq: number): void;
  /** Waits for the uploads, releases the lock; says what could not be uploaded. */
  finish(): Promise<string | undefined>;
}

export interface StartRunHistoryOptions {
  runId: string;
  phases: string[];
  log?(line: string): void;
  /** The lock was taken from this run (unlock): the run must stop. */
  onLost?(why: string): void;
  heartbeatMs?: number;
}

export async function startRunHistory(wh: Warehouse, loaded: LoadedManifest, opts: StartRunHistoryOptions): Promise<RunHistory> {
  const identity = await runIdentity(wh, loaded);
  const lock = await takeLock(wh, loaded, {
    runId: opts.runId,
    identity,
    phases: opts.phases,
    onLost: opts.onLost,
    heartbeatMs: opts.heartbeatMs,
    onTakeOver: (dead) => opts.log?.(`history: took over the migration lock of run ${dead.runId}, whose process ${dead.pid} on this host is gone`),
  });
  let uploaded = 0;
  let remoteOnly: JournalEvent[] = [];
  try {
    const local = inspectJournal(loaded.root).events;
    const remote = lock.history.map((h) => h.event);
    uploaded = await uploadMissing(wh, loaded, local, new Set(remote.map((e) => e.id!)), identity);
    const have = new Set(local.map((e) => e.id));
    remoteOnly = remote.filter((e) => !have.has(e.id));
  } catch (err) {
    await lock.release().catch(() => undefined);
    throw err;
  }
  if (uploaded) opts.log?.(`history: uploaded ${uploaded} journal event(s) the warehouse history lacked`);
  const uploader = new HistoryUploader(wh, loaded, identity);
  return {
    identity,
    lock,
    uploaded,
    remoteOnly,
    adopt(writer) {
      if (remoteOnly.length === 0) return;
      writer.adopt(remoteOnly);
      opts.log?.(`history: ${remoteOnly.length} event(s) from the warehouse history (runs on other machines) added to the local journal`);
      remoteOnly = [];
    },
    record: (e, seq) => uploader.enqueue(e, seq),
    async finish() {
      const notes: string[] = [];
      // The events still queued (the run-end at least) go up with the lock's release, in one statement.
      const last = await uploader.stop();
      try {
        await lock.release(last.length ? insertHistorySql(wh, loaded, last) : undefined);
      } catch (err) {
        const why = (err as Error).message.split('\n')[0];
        // Not transactional: part of it may have happened. The insert skips ids it holds, so try it alone, then the release.
        const left = await insertHistory(wh, loaded, last).then(() => 0, () => last.length);
        if (left) notes.push(`${left} journal event(s) are not in the warehouse history yet (${why}); they are in .bqmigrate/journal.jsonl, and the next run or --resume uploads them`);
        try {
          await lock.release();
        } catch (again) {
          notes.push(`the migration lock of run ${lock.runId} could not be released (${(again as Error).message.split('\n')[0]}); after lock.staleMinutes, \`bqmigrate unlock --run ${lock.runId}\` takes it`);
        }
      }
      return notes.length ? notes.join('\n') : undefined;
    },
  };
}
