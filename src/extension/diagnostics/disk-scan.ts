/**
 * The workspace scan's reading of closed files, off the extension host's thread, as the walk finds them
 * (workspace-files.ts): a file the lint cache holds unchanged (size, mtime and inode as cached: the
 * `metadata` strategy) is handed over at once — the files that had findings even before the walk starts;
 * the others go to the core's worker pool as they come and are handed over as they finish, and stored in
 * the cache, which is written atomically when the scan completes, on libuv's thread pool
 * (LintCache.saveAsync). Cached files without findings (most of a workspace) are handed over last, once
 * every file with findings has been: they show nothing, and the sooner the rest is shown the better.
 * The cache is the CLI's (core/lint/cache.ts), kept in the extension's workspace storage: invalid as a
 * whole when the manifest, the rule settings or bqmigrate's build change, and a damaged one is discarded
 * with a warning. The extension host keeps answering throughout: the loops give the event loop a turn
 * every few ms.
 */
import { cacheKeyOf, LintCache, type CachedLint } from '../../core/lint/cache';
import { hasFindings } from '../../core/lint/cache-entry';
import type { FileLintResult } from '../../core/lint/file-lint';
import type { KeptWorkers } from '../../core/lint/kept-workers';
import { lintFileList, type LintFilesOptions } from '../../core/lint/pool';
import { DEFAULT_MAX_FILE_BYTES } from '../../core/lint/read';
import { nextTurn, SLICE_MS } from '../../core/lint/turns';
import type { FolderCache } from '../../core/lint/walk-cache';
import type { Engine } from './engine';

export interface DiskScanOptions {
  engine: Engine;
  /** The cache file, or undefined to lint every file (no workspace storage, or `bqmigrate.lint.cache` off). */
  cacheFile: string | undefined;
  /** Names the extension's version and build in the cache key. */
  tool: string;
  /** Worker threads (default: one per core). */
  workers?: number;
  /** Workers kept from scan to scan (LintFilesOptions.keptWorkers). */
  keptWorkers?: KeptWorkers;
  warn(message: string): void;
  /** One file's lint (from the cache or fresh), as soon as it is known. */
  onResult(result: FileLintResult): void;
  /** Whether the file shows diagnostics now (a cached result without findings then cannot wait). */
  showsDiagnostics(file: string): boolean;
  /** Every file with findings has been handed over; only cached files without any are left (awaited). */
  onFindingsDone?(): void | Promise<void>;
  /** Whether the file is open in an editor: its lint comes from its text, not from the cache. */
  isOpen?(file: string): boolean;
  /** The files that had findings when the cache was written and have not changed since were handed over, before the walk (awaited). */
  onCachedFindingsDone?(): void | Promise<void>;
  /** A file handed over before the walk that the walk did not yield after all (deleted, or left out now): its result no longer holds. */
  onNotWalked?(file: string): void;
  /** True once this scan is superseded (a newer scan, the extension going away): it stops, the cache unsaved. */
  stopped(): boolean;
}

export interface DiskScanSummary {
  fromCache: number;
  linted: number;
  /** Folders the walk took from the walk cache instead of listing them. */
  foldersFromCache: number;
}

/**
 * Lints the files `walk` yields (absolute paths) as above; undefined when it was stopped before the end.
 * `walk` is given the cache's walk cache, when the cache has one, to list unchanged folders from.
 */
export async function scanDisk(walk: (folders: FolderCache | undefined) => AsyncIterable<string>, o: DiskScanOptions): Promise<DiskScanSummary | undefined> {
  // A save of the last scan still under way: read the cache once it has ended.
  if (o.cacheFile) await LintCache.settled(o.cacheFile);
  const cache = o.cacheFile ? openCache(o) : undefined;
  const misses = new FileQueue();
  let linted = 0;
  // The pool lints misses while the walk goes on; it ends once the queue is closed and drained.
  // Misses were looked up here; the pool stores each under the size, mtime and inode its read saw.
  const lintOptions: LintFilesOptions = { rules: o.engine.rules, maxFileBytes: DEFAULT_MAX_FILE_BYTES, cache, lookedUp: true, references: true, background: true, keptWorkers: o.keptWorkers, onNote: (file, note) => o.warn(`${file}: ${note}`) };
  const lint = (async (): Promise<boolean> => {
    // The workers start with the first miss, while the walk goes on, and keep the host's thread free.
    const results = lintFileList(misses, o.engine.loaded, { ...lintOptions, workers: o.workers, inProcessLimit: 1 });
    let slice = performance.now();
    for await (const r of results) {
      if (o.stopped()) return false; // leaving the loop ends the pool's workers
      linted++;
      o.onResult(r);
      if (performance.now() - slice > SLICE_MS) {
        await nextTurn();
        slice = performance.now();
      }
    }
    return !o.stopped();
  })();
  lint.catch(() => undefined); // awaited below; this keeps a failure meanwhile from counting as unhandled
  try {
    let fromCache = 0;
    const withoutFindings: CachedLint[] = [];
    let slice = performance.now();
    // The files that had findings when the cache was written come first, each after a `stat`: on a restart
    // their diagnostics show before the walk (a second or more on a large workspace) reaches them, and those
    // changed since go to the pool at once. The walk skips them; one it does not yield is handed back through
    // onNotWalked and its entry dropped.
    const early = new Set<string>();
    const shownEarly = new Set<string>();
    for (const file of cache?.filesWithFindings() ?? []) {
      if (o.isOpen?.(file)) continue;
      const hit = cache!.lookup(file);
      const cached = hit && hit.note === undefined && resultOf(hit, cache!, o);
      if (cached) {
        early.add(file);
        shownEarly.add(file);
        fromCache++;
        o.onResult(cached);
      } else if (cache!.missed(file)) {
        early.add(file);
        misses.push(file);
      }
      if (performance.now() - slice > SLICE_MS) {
        await nextTurn();
        if (o.stopped()) return undefined;
        slice = performance.now();
      }
    }
    if (shownEarly.size > 0) await o.onCachedFindingsDone?.();
    for await (const file of walk(cache?.folders)) {
      if (!early.delete(file)) {
        const hit = cache?.lookup(file);
        if (hit && hit.note === undefined && !hasFindings(hit.counts) && !o.showsDiagnostics(file)) {
          withoutFindings.push(hit);
        } else {
          const cached = hit && resultOf(hit, cache!, o);
          if (cached) {
            fromCache++;
            o.onResult(cached);
          } else misses.push(file);
        }
      }
      if (performance.now() - slice > SLICE_MS) {
        await nextTurn();
        if (o.stopped()) return undefined;
        slice = performance.now();
      }
    }
    misses.close();
    if (!(await lint)) return undefined;
    // After the pool: a changed file sent to it early has its result in, published and stored; taken back here.
    for (const file of early) {
      cache!.forget(file);
      if (shownEarly.has(file)) fromCache--;
      o.onNotWalked?.(file);
    }
    await o.onFindingsDone?.();
    // Read back now: an entry that does not decode is linted again, after all.
    const again: string[] = [];
    for (const hit of withoutFindings) {
      const cached = resultOf(hit, cache!, o);
      if (cached) {
        fromCache++;
        o.onResult(cached);
      } else again.push(hit.filePath);
      if (performance.now() - slice > SLICE_MS) {
        await nextTurn();
        if (o.stopped()) return undefined;
        slice = performance.now();
      }
    }
    for (const file of again) {
      for await (const r of lintFileList([file], o.engine.loaded, { ...lintOptions, workers: 0 })) {
        linted++;
        o.onResult(r);
      }
    }
    if (o.stopped()) return undefined;
    if (cache) await save(cache, o);
    return { fromCache, linted, foldersFromCache: cache?.folders?.reused ?? 0 };
  } finally {
    misses.close();
    await lint.catch(() => false);
    cache?.close();
  }
}

/** A cache hit's result, or undefined (the entry rejected with a warning) when it does not read back as this scan needs. */
function resultOf(hit: CachedLint, cache: LintCache, o: DiskScanOptions): FileLintResult | undefined {
  try {
    const cached = hit.result();
    // An entry without references was not written by this scan (it needs them): lint the file again.
    if (!cached.note && !cached.references) throw new Error('it has no references');
    return cached;
  } catch (err) {
    o.warn(`${hit.filePath}: its lint cache entry is damaged (${(err as Error).message}); linted again`);
    cache.reject(hit.filePath);
    return undefined;
  }
}

function openCache(o: DiskScanOptions): LintCache | undefined {
  const key = cacheKeyOf(o.engine.loaded, { rules: o.engine.rules, maxFileBytes: DEFAULT_MAX_FILE_BYTES, tool: o.tool });
  try {
    const cache = LintCache.open(o.cacheFile!, key, 'metadata', (message) => o.warn(`lint cache ${o.cacheFile}: ${message}`));
    // Every miss is linted through lintFileList, which stores it under what its read saw: a new file costs
    // no stat on this thread at lookup.
    cache.readsIdentify = true;
    return cache;
  } catch (err) {
    o.warn(`lint cache ${o.cacheFile} cannot be opened (${(err as Error).message}); scanning without it`);
    return undefined;
  }
}

async function save(cache: LintCache, o: DiskScanOptions): Promise<void> {
  try {
    await cache.saveAsync();
  } catch (err) {
    o.warn(`lint cache ${cache.file} cannot be written (${(err as Error).message}); the next start lints every file again`);
  }
}

/** Files handed from the walk to the lint pool as they are found; iterating ends once it is closed and empty. */
class FileQueue implements AsyncIterable<string> {
  private readonly items: string[] = [];
  private closed = false;
  private wake: (() => void) | undefined;

  push(file: string): void {
    this.items.push(file);
    this.notify();
  }

  close(): void {
    this.closed = true;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<string> {
    for (;;) {
      const file = this.items.shift();
      if (file !== undefined) yield file;
      else if (this.closed) return;
      else await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}

