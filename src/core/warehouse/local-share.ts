/**
 * One DuckDB instance per local warehouse file per process. DuckDB guards its file against other
 * processes with an OS lock, but that lock does not separate two instances inside one process
 * (POSIX record locks belong to the process): two `DuckDBInstance.create` on the same file in one
 * process both "own" it, and their checkpoints overwrite each other's blocks ("Invalid bitmask for
 * FixedSizeAllocator", "Failed to deserialize"). So every open of a file in this process shares one
 * instance, counted, and the file is closed when the last holder closes it — across every copy of
 * this module loaded in the process (the extension's bundle and a host test's code, say). Across processes the
 * OS lock stands: a second process waits a little for a short holder, then is told the file is busy.
 * What every LocalWarehouse on one instance shares is kept here too, keyed by the instance: the
 * queue its queries run through and the table sizes measured so far.
 */
import * as path from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import { TableSizes } from './local-sizes';

interface Shared {
  instance: Promise<DuckDBInstance>;
  holders: number;
}

/**
 * A table kept once per process, not once per copy of this module: the extension and a test (or
 * any second bundle) loaded into one process each carry their own copy of this file, and the
 * sharing only protects the file if every copy sees the same instances.
 */
export function processWide<T>(name: string, make: () => T): T {
  const key = Symbol.for(`bqmigrate.local-warehouse.${name}`);
  const store = globalThis as unknown as Record<symbol, T | undefined>;
  return (store[key] ??= make());
}

const shared = processWide('instances', () => new Map<string, Shared>());

/** A handle on the process's one instance for a file; `release` closes the file after the last handle. */
export interface SharedInstance {
  instance: DuckDBInstance;
  release(): void;
}

/** How long an open waits for another process that holds the file (a status read, another command), in ms. */
export const LOCAL_OPEN_WAIT_MS = 3000;

const isLockError = (err: unknown) => /lock/i.test(String((err as Error)?.message ?? err));

async function createWaiting(create: () => Promise<DuckDBInstance>, waitMs: number): Promise<DuckDBInstance> {
  const until = Date.now() + waitMs;
  for (let delay = 25; ; delay = Math.min(delay * 2, 400)) {
    try {
      return await create();
    } catch (err) {
      if (!isLockError(err) || Date.now() + delay > until) throw err;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/**
 * The instance for `file`, shared with every other holder in this process (":memory:" is never
 * shared: each is its own database). Another process holding the file is waited for up to `waitMs`.
 */
export async function acquireInstance(file: string, create: (file: string) => Promise<DuckDBInstance>, waitMs = LOCAL_OPEN_WAIT_MS): Promise<SharedInstance> {
  if (file === ':memory:') {
    const instance = await create(file);
    return { instance, release: () => instance.closeSync() };
  }
  const key = path.resolve(file);
  let entry = shared.get(key);
  if (!entry) {
    entry = { instance: createWaiting(() => create(key), waitMs), holders: 0 };
    shared.set(key, entry);
    const mine = entry;
    mine.instance.catch(() => {
      if (shared.get(key) === mine) shared.delete(key);
    });
  }
  entry.holders++;
  let instance: DuckDBInstance;
  try {
    instance = await entry.instance;
  } catch (err) {
    entry.holders--;
    throw err;
  }
  const mine = entry;
  let released = false;
  return {
    instance,
    release: () => {
      if (released) return;
      released = true;
      if (--mine.holders > 0) return;
      if (shared.get(key) === mine) shared.delete(key);
      instance.closeSync();
    },
  };
}

/** Whether this process holds the file open now (the editor reads history through it instead of opening the file again). */
export function isHeldHere(file: string): boolean {
  return shared.has(path.resolve(file));
}

/** The queue of queries per DuckDB instance (shared by every LocalWarehouse on the same file in this process). */
const queryChains = processWide('query-chains', () => new WeakMap<DuckDBInstance, Promise<unknown>>());
const sharedSizes = processWide('sizes', () => new WeakMap<DuckDBInstance, TableSizes>());

/**
 * Runs `fn` after every query queued before it on `instance`, one at a time, whether the earlier
 * ones succeeded or failed.
 */
export function queueOn<T>(instance: DuckDBInstance, fn: () => Promise<T>): Promise<T> {
  const before = queryChains.get(instance) ?? Promise.resolve();
  const next = before.then(fn, fn);
  queryChains.set(instance, next.catch(() => undefined));
  return next;
}

/** Measured table sizes, shared by every LocalWarehouse on `instance` (a write through any of them forgets them). */
export function sizesOf(instance: DuckDBInstance): TableSizes {
  let sizes = sharedSizes.get(instance);
  if (!sizes) sharedSizes.set(instance, (sizes = new TableSizes()));
  return sizes;
}
