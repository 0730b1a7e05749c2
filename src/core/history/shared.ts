/**
 * The whole history as `status`, `plan` and the editor read it: the local journal's events and the
 * warehouse history's (runs on other machines, a deleted `.bqmigrate/`), each event once, in time
 * order, with the lock's holder. Reads only; a run adopts the warehouse's events into the journal.
 */
import type { LoadedManifest } from '../manifest/load';
import { inspectJournal, sortByTime, type JournalReading } from '../phases/journal';
import type { JournalEvent } from '../phases/types';
import type { Warehouse } from '../warehouse/types';
import { readLock, type LockInfo } from './lock';
import { readHistory } from './table';

export interface SharedHistory {
  /** The local journal as read (its problems included). */
  reading: JournalReading;
  /** Local and warehouse events, each once, oldest first. */
  events: JournalEvent[];
  /** How many came from the warehouse only. */
  remoteOnly: number;
  /** Who holds the migration lock now, if anyone. */
  lock?: LockInfo;
}

/** Merges the warehouse's events into the journal's; throws when the warehouse cannot be read. */
export async function readSharedHistory(wh: Warehouse, loaded: LoadedManifest): Promise<SharedHistory> {
  const reading = inspectJournal(loaded.root);
  const remote = (await readHistory(wh, loaded)) ?? [];
  const have = new Set(reading.events.map((e) => e.id));
  const extra = remote.map((r) => r.event).filter((e) => !have.has(e.id));
  const events = [...reading.events, ...extra];
  sortByTime(events);
  const lock = await readLock(wh, loaded);
  return { reading, events, remoteOnly: extra.length, ...(lock ? { lock } : {}) };
}

/** The journal alone, for when the warehouse cannot be reached (the caller says so). */
export function localHistory(loaded: LoadedManifest): SharedHistory {
  const reading = inspectJournal(loaded.root);
  return { reading, events: reading.events, remoteOnly: 0 };
}
