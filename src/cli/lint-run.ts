/**
 * What a lint or fix run read, left out and could not read — the bookkeeping behind "nothing is silently
 * skipped": files linted, every file or folder not read (with its reason) and every named path that could
 * not be linted at all. At the end it says what was left out, and turns "nothing linted" or an unreadable
 * named path into exit code 2.
 */
import * as path from 'node:path';
import * as fs from 'node:fs';
import { parseTempName } from '../core/fix/write';
import { noteLocation } from '../core/lint/read';
import { COUNT_FIELDS } from '../core/lint/eslint-json';
import type { FileLintResult } from '../core/lint/file-lint';
import { isNotable, summarizeUnscanned, type Unscanned, type UnscannedReason } from '../core/lint/unscanned';
import type { CliIO } from './commands/types';
import type { Counts } from './format/report';
import { formatStylishSummary } from './format/stylish';
import { formatUnscanned } from './format/unscanned';

export class LintRun {
  linted = 0;
  readonly unscanned: Unscanned[] = [];
  readonly errors: { path: string; message: string }[] = [];
  /** With `record`: every file with a result, in walk order, and what the walk left out (the run memo's). */
  readonly files: string[] = [];
  readonly skipped: Unscanned[] = [];
  /** With `record`, as the formatter says (`placed`): where each file's part of stdout is, and its counts (run-memo.ts RunPieces). */
  readonly ranges: number[] = [];
  readonly fileCounts: number[] = [];
  /** With `record`: each file not read, by its position among `files`, with why and its note (run-memo.ts RunPieces). */
  readonly unread: [number, UnscannedReason, string][] = [];
  /** With `record`: where the files' parts start and end in stdout (`partsAt`). */
  parts: [number, number] | undefined;
  /** Something was said about this run rather than the files (a lint worker stopped, a damaged cache entry): it is not one to replay. */
  transient = false;

  constructor(
    private readonly io: CliIO,
    private readonly record = false,
  ) {}

  private rel(file: string): string {
    return path.relative(this.io.cwd, file) || file;
  }

  /** A named path that cannot be linted: said at once, exit 2 at the end. */
  readonly onError = (file: string, message: string): void => {
    this.errors.push({ path: file, message });
    this.io.stderr.write(`bqmigrate: ${this.rel(file)}: ${message}\n`);
  };

  readonly onSkip = (skip: Unscanned): void => {
    this.unscanned.push(skip);
    if (this.record) this.skipped.push(skip);
    // A copy left by an interrupted in-place rewrite holds the only old content: say so on every run.
    const temp = skip.reason === 'never-linted' ? parseTempName(skip.path) : undefined;
    if (temp?.kind === 'bak' && !temp.alive) this.io.stderr.write(`bqmigrate: ${this.rel(skip.path)}: ${skip.detail}\n`);
  };

  /** `fix`: removes the temp files that writers killed mid-write (their process is gone) left in the folders walked. */
  removeStaleTempFiles(): void {
    for (const u of this.unscanned) {
      const temp = u.reason === 'never-linted' ? parseTempName(u.path) : undefined;
      if (temp?.kind !== 'tmp' || temp.alive) continue;
      try {
        fs.rmSync(u.path);
        this.io.stderr.write(`bqmigrate: removed ${this.rel(u.path)}, a temp file left by an interrupted bqmigrate (pid ${temp.pid})\n`);
      } catch (err) {
        this.io.stderr.write(`bqmigrate: ${this.rel(u.path)}: a temp file left by an interrupted bqmigrate (pid ${temp.pid}) could not be removed: ${(err as Error).message}\n`);
      }
    }
  }

  /** Where the formatter wrote the last file's part of stdout (`start` -1: a file not read) and its counts. */
  placed(start: number, end: number, counts: ArrayLike<number>): void {
    if (!this.record) return;
    this.ranges.push(start, end);
    for (let i = 0; i < COUNT_FIELDS; i++) this.fileCounts.push(counts[i] ?? 0);
  }

  /** With `record`: where the files' parts start and end in stdout (what follows them is the format's tail). */
  partsAt(start: number, end: number): void {
    if (this.record) this.parts = [start, end];
  }

  /** Walk order differs with and without worker threads: what was not read is listed by path. */
  sortUnscanned(): void {
    this.unscanned.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** A file's result: linted, or not read (its note is said at once). */
  result(r: { filePath: string; note?: string; unscanned?: UnscannedReason }): void {
    if (this.record) this.files.push(r.filePath);
    if (r.note === undefined) {
      this.linted++;
      return;
    }
    const at = noteLocation(r.note);
    this.io.stderr.write(at ? `bqmigrate: ${this.rel(r.filePath)}:${at.line}:${at.column}: ${at.text}\n` : `bqmigrate: ${this.rel(r.filePath)}: ${r.note}\n`);
    const reason = r.unscanned ?? 'unreadable';
    this.unscanned.push({ path: r.filePath, folder: false, reason, detail: r.note });
    if (this.record) this.unread.push([this.files.length - 1, reason, r.note]);
  }

  /**
   * Says what was not read (one line; `--report-unscanned` lists each) and returns the exit code the run
   * must at least have: 2 when a named path could not be read or nothing at all was linted.
   */
  finish(paths: readonly string[], listed: boolean): number {
    this.sortUnscanned();
    const notable = this.unscanned.filter(isNotable);
    if (this.linted === 0) {
      const what = paths.map((p) => this.rel(p)).join(', ');
      const why = this.unscanned.length > 0 ? `: ${summarizeUnscanned(this.unscanned)}` : this.errors.length > 0 ? '' : ': no files there';
      this.io.stderr.write(`bqmigrate: nothing was linted in ${what}${why}${listed || this.unscanned.length === 0 ? '' : ' (--report-unscanned lists them)'}\n`);
      return 2;
    }
    if (notable.length > 0) {
      this.io.stderr.write(`bqmigrate: ${this.linted} file${this.linted === 1 ? '' : 's'} linted; not read: ${summarizeUnscanned(notable)}${listed ? '' : ' (--report-unscanned lists them)'}\n`);
    }
    return this.errors.length > 0 ? 2 : 0;
  }
}

/**
 * What `--format json` prints after the files' parts: an entry for each file and folder not read, then
 * the array's end. `first`: no part was printed (the first entry goes without a comma).
 */
export function eslintJsonTail(run: LintRun, first: boolean): string {
  run.sortUnscanned();
  let tail = '';
  for (const u of run.unscanned) {
    tail += first ? unscannedJson(u) : `,${unscannedJson(u)}`;
    first = false;
  }
  return `${tail}]\n`;
}

/** What the stylish format prints after the files' parts: the counts' summary, and with `--report-unscanned` what was not read. */
export function stylishTail(run: LintRun, counts: Counts, color: boolean, reportUnscanned: boolean, cwd: string): string {
  return formatStylishSummary(counts, color) + (reportUnscanned ? formatUnscanned(run.unscanned, cwd, color) : '');
}

/** The ESLint-shaped entry of a file or folder not read (`--format json`): no messages, and why. */
export function unscannedJson(u: Unscanned): string {
  return JSON.stringify({
    filePath: u.path,
    messages: [],
    errorCount: 0,
    warningCount: 0,
    fixableErrorCount: 0,
    fixableWarningCount: 0,
    unscanned: { reason: u.reason, detail: u.detail, folder: u.folder },
  });
}

export type { FileLintResult };

/** The exit code of a run whose bookkeeping ended with `runCode` (`LintRun.finish`), after its findings. */
export function exitCode(runCode: number, counts: Counts, maxWarnings: number, io: CliIO): number {
  if (runCode !== 0) return runCode;
  if (counts.errors > 0) return 1;
  if (maxWarnings >= 0 && counts.warnings > maxWarnings) {
    io.stderr.write(`bqmigrate: ${counts.warnings} warnings, more than --max-warnings ${maxWarnings}\n`);
    return 1;
  }
  return 0;
}
