/** `--cache`, `--cache-location`, `--cache-strategy` of `lint` and `fix`: where the lint cache lives and how it is opened and saved. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { version } from '../../package.json';
import { buildStamp, CACHE_STRATEGIES, cacheKeyOf, LintCache, type CacheStrategy } from '../core/lint/cache';
import { parseTempName } from '../core/fix/write';
import { identify, sameFile } from '../core/lint/cache-identity';
import { walkLintFiles } from '../core/lint/pool';
import { MemoCheck, readRunMemo, runMemoKey, writeRunMemo, type RunMemo } from '../core/lint/run-memo';
import type { Unscanned } from '../core/lint/unscanned';
import type { FolderCache } from '../core/lint/walk-cache';
import { manifestMemoKey, readManifestMemo, writeManifestMemo } from '../core/lint/manifest-memo';
import { loadedManifest, type LoadedManifest } from '../core/manifest/loaded';
import type { Severity } from '../core/manifest/schema';
import type { RuleId } from '../core/rules/types';
import { UsageError, type CliIO } from './commands/types';
import { lintManifestFile, loadLintManifest, parseLintManifest } from './lint-options';

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

/**
 * `lint --cache` (metadata strategy): the run memo beside the cache (run-memo.ts). `replay` prints the last
 * run's output when the walk now yields and leaves out what it did, each file unchanged; otherwise the run
 * lints as usual through `io` (which records what it prints) and `save` keeps the memo for the next run.
 */
export class CliRunMemo {
  private readonly out: Uint8Array[] = [];
  private readonly err: Uint8Array[] = [];
  private spoiled = false;
  /** The walk cache, opened for the memo's walk and handed to the lint cache. */
  readonly folders: FolderCache;
  /** What the run prints goes through this (and is recorded); progress goes to the process's own stderr. */
  readonly io: CliIO;

  private readonly file: string;

  private constructor(
    readonly cacheFile: string,
    readonly cacheKey: string,
    private readonly key: Buffer,
    private readonly memo: RunMemo | undefined,
    private readonly raw: CliIO,
  ) {
    this.file = `${cacheFile}.run`;
    this.folders = LintCache.openFolders(cacheFile, cacheKey, warnAbout(cacheFile, raw));
    this.io = { ...raw, stdout: recorder(raw.stdout, this.out), stderr: recorder(raw.stderr, this.err) };
  }

  /** The memo for this run, or undefined when it has none (no --cache, or the content strategy). `parts`: what else the output depends on. */
  static open(args: CacheArgs, loaded: LoadedManifest, io: CliIO, opts: { rules?: Partial<Record<RuleId, Severity>>; maxFileBytes?: number }, parts: unknown): CliRunMemo | undefined {
    if (!args.enabled || args.strategy !== 'metadata') return undefined;
    const cacheFile = cacheFileOf(args, loaded.file, io);
    const cacheKey = cacheKeyOf(loaded, { ...opts, tool: TOOL });
    const key = runMemoKey(cacheKey, [io.cwd, parts]);
    return new CliRunMemo(cacheFile, cacheKey, key, readRunMemo(`${cacheFile}.run`, key, warnAbout(cacheFile, io)), io);
  }

  /** What this run prints is not to be replayed (it said something about the cache). */
  spoil(): void {
    this.spoiled = true;
  }

  /** Prints the last run's output and returns its exit code when nothing it read changed; else undefined. */
  replay(paths: readonly string[], loaded: LoadedManifest): number | undefined {
    const memo = this.memo;
    if (memo === undefined) return undefined;
    // Beside another lint cache (deleted, rewritten, appended to, damaged) the memo is not used: that run reads the cache.
    const cache = identify(this.cacheFile, false);
    if (cache === undefined || !sameFile(cache, ...memo.cache)) {
      memo.close();
      return undefined;
    }
    const check = new MemoCheck(memo, (f) => identify(f, false));
    let errors = 0;
    for (const f of walkLintFiles(paths, loaded, { onSkip: check.skipped, onError: () => errors++, folders: this.folders })) if (!check.next(f)) break;
    const printed = check.holds && errors === 0 && memo.verify() ? memo.output() : undefined;
    memo.close();
    if (printed === undefined) return undefined;
    this.raw.stdout.write(printed.stdout);
    if (printed.stderr.length > 0) this.raw.stderr.write(printed.stderr);
    // Folders listed again (a new mtime, the same entries) are kept for the next run, as a lint's save keeps them.
    try {
      this.folders.save();
    } catch (err) {
      notWritten(this.folders.file, err, this.raw);
      return 2;
    }
    return memo.exit;
  }

  /**
   * Keeps what the run printed, with what it read: `files` in walk order, `skips` the walk's. Not kept when a
   * file's result is not in the cache (it could not be kept: unreadable, changed while read) or a folder
   * holds a bqmigrate temp file. Said on stderr when it cannot be written; the run's exit code stands.
   */
  save(cache: LintCache, files: readonly string[], skips: readonly Unscanned[], exit: number): void {
    if (this.spoiled || skips.some((u) => u.reason === 'never-linted' && !u.folder && parseTempName(u.path) !== undefined)) return;
    const identities = cache.identitiesOf(files);
    const written = identify(cache.file, false);
    if (identities === undefined || written === undefined) return;
    try {
      writeRunMemo(this.file, this.key, { files, identities, skips, exit, cache: [written.size, written.mtimeMs, written.ino] }, { stdout: this.out, stderr: this.err });
    } catch (err) {
      notWritten(this.file, err, this.raw);
    }
  }
}

/** A stream that records the bytes written to it and passes them on. */
function recorder(to: CliIO['stdout'], into: Uint8Array[]): CliIO['stdout'] {
  const tee = Object.create(to) as CliIO['stdout'];
  tee.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    into.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    return (to.write as (...a: unknown[]) => boolean).call(to, chunk, ...rest);
  }) as CliIO['stdout']['write'];
  return tee;
}

const TOOL = `bqmigrate ${version}`;

/** A warning about the cache at `file`, on stderr. */
const warnAbout = (file: string, io: CliIO) => (message: string) => io.stderr.write(`bqmigrate: lint cache ${path.relative(io.cwd, file) || file}: ${message}\n`);

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
function notWritten(file: string, err: unknown, io: CliIO): void {
  io.stderr.write(`bqmigrate: lint cache ${path.relative(io.cwd, file) || file}: not written: ${(err as Error).message} (the results above are complete; check the folder's permissions or pass --cache-location)\n`);
}
