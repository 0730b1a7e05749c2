/**
 * The whole history as `status`, `plan` and the editor read it: the local journal's events and the
 * warehouse history's (runs on other machines, a deleted `.bqmigrate/`), each event once, in time
 * order, with the lock's holder and who ran each run. Reads only; a run adopts the warehouse's
 * events into the journal.
 */
import type { LoadedManifest } from '../manifest/load';
import { inspectJournal, sortByTime, type JournalReading } from '../phases/journal';
import type { JournalEvent } from '../phases/types';
import type { Warehouse } from '../warehouse/types';
import { readLock, type LockInfo } from './lock';
import { readHistory, type HistoryEntry } from './table';

/** Who ran a run, as its history rows say. */
export interface RunAuthor {
  principal?: string;
  host?: string;
}

export interface SharedHistory {
  /** The local journal as read (its problems included). */
  reading: JournalReading;
  /** Local and warehouse events, each once, oldest first. */
  events: JournalEvent[];
  /** How many came from the warehouse only. */
  remoteOnly: number;
  /** Who holds the migration lock now, if anyone. */
  lock?: LockInfo;
  /** Who ran each run the warehouse history holds, by run id (runs only in the journal are absent). */
  authors: Record<string, RunAuthor>;
}

/** What one read of the warehouse gave: the history rows and the lock (undefined: none). */
export interface WarehouseHistory {
  entries: readonly HistoryEntry[];
  lock?: LockInfo;
}

/** Reads the history rows and the lock; throws when the warehouse cannot be read. */
export async function readWarehouseHistory(wh: Warehouse, loaded: LoadedManifest, signal?: AbortSignal): Promise<WarehouseHistory> {
  const entries = (await readHistory(wh, loaded, signal)) ?? [];
  const lock = await readLock(wh, loaded);
  return { entries, ...(lock ? { lock } : {}) };
}

/** The journal's events and the warehouse's, each once (by event id), oldest first. */
export function mergeHistory(reading: JournalReading, remote: WarehouseHistory): SharedHistory {
  const have = new Set(reading.events.map((e) => e.id));
  const extra = remote.entries.map((r) => r.event).filter((e) => !have.has(e.id));
  const events = [...reading.events, ...extra];
  sortByTime(events);
  const authors: Record<string, RunAuthor> = {};
  for (const r of remote.entries) {
    if (authors[r.event.runId]) continue;
    authors[r.event.runId] = { ...(r.principal ? { principal: r.principal } : {}), ...(r.host ? { host: r.host } : {}) };
  }
  return { reading, events, remoteOnly: extra.length, authors, ...(remote.lock ? { lock: remote.lock } : {}) };
}

/** Merges the warehouse's events into the journal's; throws when the warehouse cannot be read. */
export async function readSharedHistory(wh: Warehouse, loaded: LoadedManifest): Promise<SharedHistory> {
  const reading = inspectJournal(loaded.root);
  return mergeHistory(reading, await readWarehouseHistory(wh, loaded));
}

/** The journal alone, for when the warehouse cannot be reached (the caller says so). */
export function localHistory(loaded: LoadedManifest): SharedHistory {
  const reading = inspectJournal(loaded.root);
  return { reading, events: reading.events, remoteOnly: 0, authors: {} };
}
