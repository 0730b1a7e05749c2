/**
 * Which files the workspace scan reads (`workspaceFiles`), and (`scanDisk`) the ones that are not open, read from disk off the extension host's thread: first
 * every file the lint cache holds unchanged (size, mtime and inode as cached: the `metadata` strategy) is
 * handed over at once, then the others are linted on the core's worker pool, handed over as they finish,
 * and stored in the cache, which is written atomically when the scan completes. The cache is the CLI's
 * (core/lint/cache.ts), kept in the extension's workspace storage: invalid as a whole when the manifest,
 * the rule settings or bqmigrate's build change, and a damaged one is discarded with a warning.
 * The extension host keeps answering throughout: the loops give the event loop a turn every few ms.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import ignore from 'ignore';
import { cacheKeyOf, LintCache } from '../../core/lint/cache';
import type { FileLintResult } from '../../core/lint/file-lint';
import { lintFileList } from '../../core/lint/pool';
import { DEFAULT_MAX_FILE_BYTES } from '../../core/lint/read';
import { ALWAYS_EXCLUDED, type Engine } from './engine';

/** Longest stretch of work on the extension host's thread before other events get a turn. */
const SLICE_MS = 10;

export interface DiskScanOptions {
  engine: Engine;
  /** The cache file, or undefined to lint every file (no workspace storage, or `bqmigrate.lint.cache` off). */
  cacheFile: string | undefined;
  /** Names the extension's version and build in the cache key. */
  tool: string;
  /** Worker threads (default: one per core). */
  workers?: number;
  warn(message: string): void;
  /** One file's lint (from the cache or fresh), as soon as it is known. */
  onResult(result: FileLintResult): void;
  /** True once this scan is superseded (a newer scan, the extension going away): it stops, the cache unsaved. */
  stopped(): boolean;
}

export interface DiskScanSummary {
  fromCache: number;
  linted: number;
}

/** The files of the manifest's folder the engine lints, less those its .gitignore names, sorted. */
export async function workspaceFiles(engine: Engine): Promise<vscode.Uri[]> {
  const found = await vscode.workspace.findFiles(new vscode.RelativePattern(vscode.Uri.file(engine.root), '**/*'), ALWAYS_EXCLUDED);
  const gitignore = ignore();
  try {
    gitignore.add(fs.readFileSync(path.join(engine.root, '.gitignore'), 'utf8'));
  } catch {
    // No .gitignore at the manifest folder: nothing more to skip.
  }
  return found
    .filter((uri) => {
      const rel = path.relative(engine.root, uri.fsPath).split(path.sep).join('/');
      return !gitignore.ignores(rel) && engine.wants(uri.fsPath);
    })
    .sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}

/** Lints `files` (absolute paths) as above; undefined when it was stopped before the end. */
export async function scanDisk(files: readonly string[], o: DiskScanOptions): Promise<DiskScanSummary | undefined> {
  const cache = o.cacheFile ? openCache(o) : undefined;
  try {
    const misses: string[] = [];
    let fromCache = 0;
    let slice = performance.now();
    for (const file of files) {
      const hit = cache?.lookup(file);
      let cached: FileLintResult | undefined;
      if (hit) {
        try {
          cached = hit.result();
          // An entry without references was not written by this scan (it needs them): lint the file again.
          if (!cached.note && !cached.references) throw new Error('it has no references');
        } catch (err) {
          o.warn(`${file}: its lint cache entry is damaged (${(err as Error).message}); linted again`);
          cache!.reject(file);
          cached = undefined;
        }
      }
      if (cached) {
        fromCache++;
        o.onResult(cached);
      } else misses.push(file);
      if (performance.now() - slice > SLICE_MS) {
        await nextTurn();
        if (o.stopped()) return undefined;
        slice = performance.now();
      }
    }
    const loaded = o.engine.loaded;
    const results = lintFileList(paced(misses, o.stopped), loaded, {
      rules: o.engine.rules,
      maxFileBytes: DEFAULT_MAX_FILE_BYTES,
      workers: o.workers,
      cache,
      references: true,
      onNote: (file, note) => o.warn(`${file}: ${note}`),
    });
    slice = performance.now();
    for await (const r of results) {
      if (o.stopped()) return undefined; // leaving the loop ends the pool's workers
      o.onResult(r);
      if (performance.now() - slice > SLICE_MS) {
        await nextTurn();
        slice = performance.now();
      }
    }
    if (o.stopped()) return undefined;
    if (cache) save(cache, o);
    return { fromCache, linted: misses.length };
  } finally {
    cache?.close();
  }
}

function openCache(o: DiskScanOptions): LintCache | undefined {
  const key = cacheKeyOf(o.engine.loaded, { rules: o.engine.rules, maxFileBytes: DEFAULT_MAX_FILE_BYTES, tool: o.tool });
  try {
    return LintCache.open(o.cacheFile!, key, 'metadata', (message) => o.warn(`lint cache ${o.cacheFile}: ${message}`));
  } catch (err) {
    o.warn(`lint cache ${o.cacheFile} cannot be opened (${(err as Error).message}); scanning without it`);
    return undefined;
  }
}

function save(cache: LintCache, o: DiskScanOptions): void {
  try {
    fs.mkdirSync(path.dirname(cache.file), { recursive: true });
    cache.save();
  } catch (err) {
    o.warn(`lint cache ${cache.file} cannot be written (${(err as Error).message}); the next start lints every file again`);
  }
}

/** The files one by one, giving the event loop a turn every SLICE_MS (the pool's cache look-ups run as it pulls). */
async function* paced(files: readonly string[], stopped: () => boolean): AsyncGenerator<string> {
  let slice = performance.now();
  for (const f of files) {
    if (performance.now() - slice > SLICE_MS) {
      await nextTurn();
      if (stopped()) return;
      slice = performance.now();
    }
    yield f;
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
