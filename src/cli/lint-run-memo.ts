/**
 * `lint --cache` (metadata strategy): the run memo beside the lint cache (run-memo.ts). `replay` walks and
 * stats every file against the memo. When nothing changed it prints the last run's output. When the walk
 * yields the files it shares with the memo in the same order but a few files changed, were added or are
 * gone, or other files are left out, it lints the changed and new ones and prints the last output with
 * their parts put in, the others' taken out and the rest written anew (run-splice.ts).
 * Otherwise the run lints as usual from the walk `replay` took, through `io` (which records what it
 * prints), and `save` keeps the memo for the next run.
 */
import { parseTempName } from '../core/fix/write';
import { cacheKeyOf, LintCache } from '../core/lint/cache';
import { identify, sameFile } from '../core/lint/cache-identity';
import { COUNT_FIELDS, countInto } from '../core/lint/eslint-json';
import { readIdentityOf, type FileLintResult } from '../core/lint/file-lint';
import { IN_PROCESS_BYTES, lintFileList, walkLintFiles } from '../core/lint/pool';
import { MemoCheck, readRunMemo, runMemoKey, writeRunMemo, type MemoPlan, type RunMemo, type RunPieces } from '../core/lint/run-memo';
import { spliceOutput, type SplicePart } from '../core/lint/run-splice';
import type { Unscanned } from '../core/lint/unscanned';
import type { FolderCache } from '../core/lint/walk-cache';
import { WalkRecord } from '../core/lint/walk-record';
import { renderEslintJson } from '../core/lint/worker';
import type { LoadedManifest } from '../core/manifest/loaded';
import type { Severity } from '../core/manifest/schema';
import type { RuleId } from '../core/rules/types';
import type { CliIO } from './commands/types';
import { writeStylishFile, type Counts, type FormatName } from './format/index';
import { sarifResults, sarifTail } from './format/sarif';
import { collect } from './format/sink';
import { cacheFileOf, notWritten, TOOL, warnAbout, type CacheArgs } from './lint-cache';
import { eslintJsonTail, exitCode, LintRun, stylishTail } from './lint-run';

type LintOpts = { rules?: Partial<Record<RuleId, Severity>>; maxFileBytes?: number };

/** What a run prints besides the files' results, which a spliced run prints again: the memo's key holds all of it. */
export interface RunShape {
  format: FormatName;
  color: boolean;
  maxWarnings: number;
}

/** What else a run's output depends on: the paths named and whether stylish lists what was not read. */
export interface RunParts {
  paths: readonly string[];
  reportUnscanned: boolean;
}

/** Bytes written through a recorder, kept for the memo. */
interface Recorded {
  chunks: Uint8Array[];
  bytes: number;
}

export class CliRunMemo {
  private readonly out: Recorded = { chunks: [], bytes: 0 };
  private readonly err: Recorded = { chunks: [], bytes: 0 };
  private spoiled = false;
  /** The walk cache, opened for the memo's walk and handed to the lint cache. */
  readonly folders: FolderCache;
  /** What the run prints goes through this (and is recorded); progress goes to the process's own stderr. */
  readonly io: CliIO;
  /** The walk `replay` took when it did not print: the lint takes its files and identities from it. */
  walked: WalkRecord | undefined;

  private readonly file: string;

  private constructor(
    readonly cacheFile: string,
    readonly cacheKey: string,
    private readonly key: Buffer,
    private readonly memo: RunMemo | undefined,
    private readonly raw: CliIO,
    private readonly opts: LintOpts,
    private readonly shape: RunShape,
    private readonly parts: RunParts,
  ) {
    this.file = `${cacheFile}.run`;
    this.folders = LintCache.openFolders(cacheFile, cacheKey, warnAbout(cacheFile, raw));
    this.io = { ...raw, stdout: recorder(raw.stdout, this.out), stderr: recorder(raw.stderr, this.err) };
  }

  /** The memo for this run, or undefined when it has none (no --cache, or the content strategy). */
  static open(args: CacheArgs, loaded: LoadedManifest, io: CliIO, opts: LintOpts, shape: RunShape, parts: RunParts): CliRunMemo | undefined {
    if (!args.enabled || args.strategy !== 'metadata') return undefined;
    const cacheFile = cacheFileOf(args, loaded.file, io);
    const cacheKey = cacheKeyOf(loaded, { ...opts, tool: TOOL });
    const key = runMemoKey(cacheKey, [io.cwd, shape, parts]);
    return new CliRunMemo(cacheFile, cacheKey, key, readRunMemo(`${cacheFile}.run`, key, warnAbout(cacheFile, io)), io, opts, shape, parts);
  }

  /** What this run prints is not to be replayed (it said something about the cache). */
  spoil(): void {
    this.spoiled = true;
  }

  /** Bytes printed so far through `io`: where the next file's part of stdout starts. */
  get printed(): { stdout: number; stderr: number } {
    return { stdout: this.out.bytes, stderr: this.err.bytes };
  }

  /**
   * Prints the last run's output, with the parts of the files that changed since linted anew, and returns
   * the exit code; undefined when the run must lint as usual (then `walked` holds the walk it took).
   */
  async replay(paths: readonly string[], loaded: LoadedManifest): Promise<number | undefined> {
    const memo = this.memo;
    if (memo === undefined) return undefined;
    try {
      // Beside another lint cache (deleted, rewritten, appended to, damaged) the memo is not used: that run reads the cache.
      const cache = identify(this.cacheFile, false);
      if (cache === undefined || !sameFile(cache, ...memo.cache)) return undefined;
      const check = new MemoCheck(memo);
      const walked = new WalkRecord();
      let errors = 0;
      const onSkip = (u: Unscanned) => {
        check.skipped(u);
        walked.skip(u);
      };
      const onError = (file: string, message: string) => {
        errors++;
        walked.error(file, message);
      };
      // The whole walk, even once a file differs: the lint that follows then neither walks nor stats again.
      // A second thread, where the process keeps one, stats the memo's files from the end meanwhile.
      const ahead = memo.count > 0 ? this.raw.statAhead?.begin(memo.pathBytes(), memo.count) : undefined;
      let k = 0;
      try {
        for (const f of walkLintFiles(paths, loaded, { onSkip, onError, folders: this.folders })) {
          const id = ahead && memo.file(k) === f ? ahead.identify(k, f) : identify(f, false);
          k++;
          if (!check.next(f, id)) walked.keep();
          walked.file(f, id);
        }
      } finally {
        ahead?.end();
      }
      // The files before the walk departed from the memo's list are the memo's.
      walked.complete((n) => memo.paths(n));
      this.walked = walked;
      const plan = check.plan;
      if (plan === undefined || errors > 0 || !memo.verify()) return undefined;
      if (plan.lint.length > 0 || plan.gone > 0 || !plan.sameSkips) return await this.splice(memo, plan, walked, loaded);
      const printed = memo.output();
      if (printed === undefined) return undefined;
      this.raw.stdout.write(printed.stdout);
      if (printed.stderr.length > 0) this.raw.stderr.write(printed.stderr);
      return this.savedFolders() ? memo.exit : 2;
    } finally {
      memo.close();
    }
  }

  /**
   * The memo's output with the parts of the files changed or new linted anew (in this thread: only when
   * they are few bytes, as the pool would lint them), those of the files gone taken out, and what follows
   * the parts written anew. What the run says about what it read — the notes of the files not read, the
   * line of what was left out, the exit code — comes from a LintRun fed the walk as a lint would feed it,
   * each file's result the memo's or the new one. The memo is written anew for the next run. Undefined
   * when the run must lint as usual.
   */
  private async splice(memo: RunMemo, plan: MemoPlan, walked: WalkRecord, loaded: LoadedManifest): Promise<number | undefined> {
    const { format, color, maxWarnings } = this.shape;
    const pieces = memo.pieces();
    if (pieces === undefined) return undefined;
    // A bqmigrate temp file beside the files: its writer may be alive or not, which a memo cannot keep (`save`).
    if (walked.skips.some(isTempFile)) return undefined;
    let bytes = 0;
    for (const k of plan.lint) {
      bytes += walked.identityAt(k)?.size ?? Infinity;
      if (bytes >= IN_PROCESS_BYTES) return undefined;
    }
    const files = plan.lint.map((k) => walked.files[k]!);
    const was = memo.identities();
    const identities = new Float64Array(3 * plan.from.length);
    for (let k = 0; k < plan.from.length; k++) {
      const j = plan.from[k]!;
      if (j < 0) continue;
      identities[3 * k] = was[3 * j]!;
      identities[3 * k + 1] = was[3 * j + 1]!;
      identities[3 * k + 2] = was[3 * j + 2]!;
    }
    const fresh = new Map<number, FileLintResult>();
    const parts: SplicePart[] = [];
    let n = 0;
    for await (const r of lintFileList(files, loaded, { ...this.opts, workers: 0 })) {
      const k = plan.lint[n]!;
      // The identity the result was made from: its read's, or for a file not read (over the size limit) the walk's.
      const id = readIdentityOf(r.filePath) ?? (r.note !== undefined ? walked.identityAt(k) : undefined);
      // Unreadable may pass (a permission, a file being replaced): a lint without the memo says so and keeps no memo.
      if (r.filePath !== files[n++] || id === undefined || r.unscanned === 'unreadable' || (r.note !== undefined && r.unscanned === undefined)) return undefined;
      identities.set([id.size, id.mtimeMs, id.ino], 3 * k);
      fresh.set(k, r);
      const counts = new Array<number>(COUNT_FIELDS).fill(0);
      countInto(r, counts, 0);
      const part = r.note !== undefined ? undefined : format === 'json' ? renderEslintJson([r]).bytes : Buffer.from(collect((out) => (format === 'sarif' ? sarifResults(r, this.raw.cwd, (t) => out.write(t)) : writeStylishFile(out, r, this.raw.cwd, color))), 'utf8');
      parts.push({ k, bytes: part, counts });
    }
    // The bookkeeping of a lint of this walk: what it says on stderr, what it lists as not read, its exit code.
    const said: Recorded = { chunks: [], bytes: 0 };
    const run = new LintRun({ ...this.raw, stderr: recorder(undefined, said) }, true);
    const unread = new Map(pieces.unread.map(([j, reason, note]) => [j, { reason, note }]));
    let k = 0;
    for (const file of walked.replay({ onSkip: run.onSkip, onError: run.onError })) {
      const r = fresh.get(k);
      const old = r === undefined ? unread.get(plan.from[k]!) : undefined;
      run.result(r ?? (old ? { filePath: file, note: old.note, unscanned: old.reason } : { filePath: file }));
      k++;
    }
    const printed = memo.output();
    if (printed === undefined) return undefined;
    let spliced: ReturnType<typeof spliceOutput>;
    try {
      spliced = spliceOutput(printed.stdout, pieces, plan.from, parts, {
        commaSeparated: format !== 'stylish',
        tail: (totals, first) => Buffer.from(this.tail(run, countsOf(totals), first), 'utf8'),
      });
    } catch {
      return undefined; // parts that do not fit the output they were kept with: printed as a lint without the memo prints them
    }
    const runCode = run.finish(this.parts.paths, this.parts.reportUnscanned || format !== 'stylish');
    const stderrBeforeExit = said.bytes;
    const code = exitCode(runCode, countsOf(spliced.totals), maxWarnings, { ...this.raw, stderr: recorder(undefined, said) });
    for (const b of spliced.stdout) this.raw.stdout.write(b);
    for (const b of said.chunks) this.raw.stderr.write(b);
    const kept: RunPieces = { ...spliced.pieces, unread: run.unread, runCode, stderrBeforeExit };
    this.write({ files: walked.files, identities, skips: walked.skips, exit: code, cache: memo.cache, pieces: kept }, spliced.stdout, said.chunks);
    return this.savedFolders() ? code : 2;
  }

  /** What the format prints after the files' parts, as `lint` prints it (`first`: no part was printed). */
  private tail(run: LintRun, counts: Counts, first: boolean): string {
    const { format, color } = this.shape;
    if (format === 'json') return eslintJsonTail(run, first);
    if (format === 'stylish') return stylishTail(run, counts, color, this.parts.reportUnscanned, this.raw.cwd);
    run.sortUnscanned();
    return sarifTail(first, [], run.unscanned, this.raw.cwd);
  }

  /**
   * Keeps what the run printed, with what it read: the run's files in walk order and the walk's skips,
   * and where each file's part is (for `replay` to splice). Not kept when a file's result is
   * not in the cache (it could not be kept: unreadable, changed while read) or a folder holds a bqmigrate
   * temp file. Said on stderr when it cannot be written; the run's exit code stands.
   */
  save(cache: LintCache, run: LintRun, exit: number, how: Pick<RunPieces, 'runCode' | 'stderrBeforeExit'>): void {
    if (this.spoiled || run.skipped.some(isTempFile)) return;
    const identities = cache.identitiesOf(run.files);
    const written = identify(cache.file, false);
    if (identities === undefined || written === undefined) return;
    const placed = run.ranges.length === 2 * run.files.length && run.parts !== undefined;
    const pieces = placed ? { ranges: Float64Array.from(run.ranges), counts: Int32Array.from(run.fileCounts), parts: run.parts!, unread: run.unread, ...how } : undefined;
    this.write({ files: run.files, identities, skips: run.skipped, exit, cache: [written.size, written.mtimeMs, written.ino], pieces }, this.out.chunks, this.err.chunks);
  }

  private write(memo: Parameters<typeof writeRunMemo>[2], stdout: readonly Uint8Array[], stderr: readonly Uint8Array[]): void {
    try {
      writeRunMemo(this.file, this.key, memo, { stdout, stderr });
    } catch (err) {
      notWritten(this.file, err, this.raw);
    }
  }

  /** Folders listed again (a new mtime, the same entries) are kept for the next run, as a lint's save keeps them. */
  private savedFolders(): boolean {
    try {
      this.folders.save();
      return true;
    } catch (err) {
      notWritten(this.folders.file, err, this.raw);
      return false;
    }
  }
}

/** A bqmigrate temp file the walk left out: whether its writer lives changes from run to run. */
const isTempFile = (u: Unscanned) => u.reason === 'never-linted' && !u.folder && parseTempName(u.path) !== undefined;

const countsOf = (t: readonly number[]): Counts => ({ errors: t[0]!, warnings: t[1]!, infos: t[2]!, fixableErrors: t[3]!, fixableWarnings: t[4]! });

/** A stream that records the bytes written to it and passes them on (`to`; none: only records them). */
function recorder(to: CliIO['stdout'] | undefined, into: Recorded): CliIO['stdout'] {
  const tee = (to === undefined ? {} : Object.create(to)) as CliIO['stdout'];
  tee.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    into.chunks.push(bytes);
    into.bytes += bytes.length;
    return to === undefined || (to.write as (...a: unknown[]) => boolean).call(to, chunk, ...rest);
  }) as CliIO['stdout']['write'];
  return tee;
}
