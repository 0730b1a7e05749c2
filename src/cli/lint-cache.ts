/** `--cache`, `--cache-location`, `--cache-strategy` of `lint` and `fix`: where the lint cache lives and how it is opened and saved. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { version } from '../../package.json';
import { buildStamp, CACHE_STRATEGIES, cacheKeyOf, LintCache, type CacheStrategy } from '../core/lint/cache';
import { manifestMemoKey, readManifestMemo, writeManifestMemo } from '../core/lint/manifest-memo';
import { loadedManifest, type LoadedManifest } from '../core/manifest/loaded';
import type { Severity } from '../core/manifest/schema';
import type { RuleId } from '../core/rules/types';
import { UsageError, type CliIO } from './commands/types';
import { lintManifestFile, loadLintManifest, parseLintManifest } from './lint-options';
import type { CliRunMemo } from './lint-run-memo';

export const CACHE_USAGE = `  --cache               keep each file's result and reuse it while the file is unchanged (see
                        --cache-strategy); results are the same as without it
  --cache-location P    the cache file (default: .bqmigrate/lintcache beside the manifest); a folder
                        holds it as "lintcache"
  --cache-strategy S    metadata (default: a file is unchanged while its size, mtime and inode are)
                        or content (while its bytes hash the same)`;

export const CACHE_OPTIONS = { cache: { type: 'boolean' }, 'cache-location': { type: 'string' }, 'cache-strategy': { type: 'string' } } as const;

export interface CacheArgs {
  enabled: boolean;
  location?: string;
  strategy: CacheStrategy;
}

/** Reads the three options; `--cache-location` or `--cache-strategy` without `--cache` is a usage error (it would do nothing). */
export function parseCacheArgs(values: Record<string, unknown>): CacheArgs {
  const strategy = (values['cache-strategy'] ?? 'metadata') as CacheStrategy;
  if (!CACHE_STRATEGIES.includes(strategy)) throw new UsageError(`--cache-strategy must be one of ${CACHE_STRATEGIES.join(', ')}, not "${String(strategy)}"`);
  const enabled = values.cache === true;
  for (const o of ['cache-location', 'cache-strategy']) if (values[o] !== undefined && !enabled) throw new UsageError(`--${o} has no effect without --cache (add --cache)`);
  return { enabled, location: values['cache-location'] as string | undefined, strategy };
}

/** The cache file a run uses: `--cache-location` (a folder holds it as `lintcache`), else `.bqmigrate/lintcache` beside the manifest. */
export function cacheFileOf(args: CacheArgs, manifestFile: string, io: CliIO): string {
  if (args.location === undefined) return path.join(path.dirname(path.resolve(manifestFile)), '.bqmigrate', 'lintcache');
  const given = path.resolve(io.cwd, args.location);
  let isDir = /[\\/]$/.test(args.location);
  try {
    isDir ||= fs.statSync(given).isDirectory();
  } catch {
    // not there yet (or not reachable): a file, which saving will say cannot be written
  }
  return isDir ? path.join(given, 'lintcache') : given;
}

/** Opens the cache when asked for; a damaged one is said on stderr and started afresh. `memo`: the run memo checked first (its walk cache is handed on). */
export function openCliCache(args: CacheArgs, loaded: LoadedManifest, io: CliIO, opts: { rules?: Partial<Record<RuleId, Severity>>; maxFileBytes?: number }, memo?: CliRunMemo): LintCache | undefined {
  if (!args.enabled) return undefined;
  const file = memo?.cacheFile ?? cacheFileOf(args, loaded.file, io);
  const key = memo?.cacheKey ?? cacheKeyOf(loaded, { ...opts, tool: TOOL });
  const warn = warnAbout(file, io);
  // A warning about the cache is about this run, not the files: a run that said one is not replayed.
  return LintCache.open(file, key, args.strategy, memo ? (m) => (memo.spoil(), warn(m)) : warn, memo?.folders);
}

export const TOOL = `bqmigrate ${version}`;

/** A warning about the cache at `file`, on stderr. */
export const warnAbout = (file: string, io: CliIO) => (message: string) => io.stderr.write(`bqmigrate: lint cache ${path.relative(io.cwd, file) || file}: ${message}\n`);

/**
 * The manifest of a `lint`, its problems printed: with `--cache`, from the memo beside the cache
 * (manifest-memo.ts) when the manifest's text is the one remembered — its warnings printed again — else
 * loaded, checked and remembered.
 */
export function loadCachedManifest(args: CacheArgs, manifestArg: unknown, paths: string[], io: CliIO): LoadedManifest | undefined {
  if (!args.enabled) return loadLintManifest(manifestArg, paths, io);
  const file = lintManifestFile(manifestArg, paths, io);
  if (!file) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return loadLintManifest(file, paths, io); // which says why it cannot be read
  }
  const cacheFile = cacheFileOf(args, file, io);
  const memoFile = `${cacheFile}.manifest`;
  const key = manifestMemoKey(file, text, `${TOOL}\0${buildStamp()}`);
  const memo = readManifestMemo(memoFile, key, warnAbout(cacheFile, io));
  if (memo) {
    for (const line of memo.warnings) io.stderr.write(`${line}\n`);
    return loadedManifest(file, text, undefined, memo.manifest);
  }
  const { loaded, warnings } = parseLintManifest(file, text, io);
  if (loaded) {
    try {
      writeManifestMemo(memoFile, key, { manifest: loaded.manifest, warnings });
    } catch {
      // not remembered: the cache's own write, into the same folder, says what is wrong
    }
  }
  return loaded;
}

/** Writes the cache; returns false (after saying why) when it could not be written, which the run's exit code reflects. */
export function saveCliCache(cache: LintCache | undefined, io: CliIO): boolean {
  if (!cache) return true;
  try {
    cache.save();
    return true;
  } catch (err) {
    notWritten(cache.file, err, io);
    return false;
  }
}

/** Says that a file of the lint cache could not be written. */
export function notWritten(file: string, err: unknown, io: CliIO): void {
  io.stderr.write(`bqmigrate: lint cache ${path.relative(io.cwd, file) || file}: not written: ${(err as Error).message} (the results above are complete; check the folder's permissions or pass --cache-location)\n`);
}
