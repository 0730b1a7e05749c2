/** `--cache`, `--cache-location`, `--cache-strategy` of `lint` and `fix`: where the lint cache lives and how it is opened and saved. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { version } from '../../package.json';
import { CACHE_STRATEGIES, cacheKeyOf, LintCache, type CacheStrategy } from '../core/lint/cache';
import type { LoadedManifest } from '../core/manifest/load';
import type { Severity } from '../core/manifest/schema';
import type { RuleId } from '../core/rules/types';
import { UsageError, type CliIO } from './commands/types';

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
export function cacheFileOf(args: CacheArgs, loaded: LoadedManifest, io: CliIO): string {
  if (args.location === undefined) return path.join(path.dirname(path.resolve(loaded.file)), '.bqmigrate', 'lintcache');
  const given = path.resolve(io.cwd, args.location);
  let isDir = /[\\/]$/.test(args.location);
  try {
    isDir ||= fs.statSync(given).isDirectory();
  } catch {
    // not there yet (or not reachable): a file, which saving will say cannot be written
  }
  return isDir ? path.join(given, 'lintcache') : given;
}

/** Opens the cache when asked for; a damaged one is said on stderr and started afresh. */
export function openCliCache(args: CacheArgs, loaded: LoadedManifest, io: CliIO, opts: { rules?: Partial<Record<RuleId, Severity>>; maxFileBytes?: number }): LintCache | undefined {
  if (!args.enabled) return undefined;
  const file = cacheFileOf(args, loaded, io);
  const key = cacheKeyOf(loaded, { ...opts, tool: `bqmigrate ${version}` });
  return LintCache.open(file, key, args.strategy, (message) => io.stderr.write(`bqmigrate: lint cache ${path.relative(io.cwd, file) || file}: ${message}\n`));
}

/** Writes the cache; returns false (after saying why) when it could not be written, which the run's exit code reflects. */
export function saveCliCache(cache: LintCache | undefined, io: CliIO): boolean {
  if (!cache) return true;
  try {
    cache.save();
    return true;
  } catch (err) {
    io.stderr.write(`bqmigrate: lint cache ${path.relative(io.cwd, cache.file) || cache.file}: not written: ${(err as Error).message} (the results above are complete; check the folder's permissions or pass --cache-location)\n`);
    return false;
  }
}
