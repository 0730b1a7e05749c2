import * as path from 'node:path';
import { version } from '../../../package.json';
import { lintFiles, lintFilesAsEslintJson, type LintFilesOptions } from '../../core/lint/pool';
import type { LoadedManifest } from '../../core/manifest/load';
import type { FileLintResult } from '../../core/lint/file-lint';
import { countViolations, emptyCounts, FORMATS, SarifWriter, writeStylishFile, type Counts, type FormatName } from '../format/index';
import { ByteChunkWriter } from '../format/sink';
import { parseLintArgs, PATHS_USAGE, progressReporter, resolvePaths } from '../lint-options';
import { exitQuietlyOnClosedStdout } from '../closed-stdout';
import { CACHE_OPTIONS, CACHE_USAGE, loadCachedManifest, openCliCache, parseCacheArgs, saveCliCache } from '../lint-cache';
import { CliRunMemo } from '../lint-run-memo';
import { eslintJsonTail, exitCode, LintRun, stylishTail } from '../lint-run';
import { UsageError, type CliCommand, type CliIO } from './types';

const usage = `usage: bqmigrate lint [paths…] [--manifest F] [--format stylish|json|sarif] [--max-warnings N] [--rule id:severity] [--cache]

Reports legacy table references, naming-convention violations, unknown datasets, archive reads and
shim views in SQL, Python, TypeScript/JavaScript, Markdown and any other text. Writes nothing.

${PATHS_USAGE}
  --format F            stylish (default), json (ESLint's JSON shape; files not read are listed with
                        an "unscanned" reason) or sarif (SARIF 2.1.0)
  --max-warnings N      exit 1 when there are more than N warnings (default: warnings never fail)
  --report-unscanned    list every file and folder not read, and why (stylish)
${CACHE_USAGE}

Exit codes: 0 clean, 1 errors (or more warnings than --max-warnings), 2 usage or manifest error, a
named path that cannot be read, nothing linted at all, or a cache that could not be written.`;

/**
 * Runs the walk and lint, handing each linted file's result to `onResult` in walk order as soon as it is
 * ready (so output streams and memory stays flat); what was not read is kept in `run` and said on stderr.
 * Progress goes to `progressIO`'s stderr (a terminal only).
 */
export async function forEachLintResult(paths: string[], loaded: LoadedManifest, opts: LintFilesOptions, io: CliIO, run: LintRun, onResult: (r: FileLintResult) => void, progressIO = io): Promise<void> {
  const progress = progressReporter(progressIO);
  const note = (file: string, text: string) => {
    progress.end();
    run.transient = true;
    io.stderr.write(`bqmigrate: ${path.relative(io.cwd, file) || file}: ${text}\n`);
  };
  for await (const r of lintFiles(paths, loaded, { ...opts, onNote: note, onSkip: run.onSkip, onError: run.onError, onProgress: (d, f) => progress.update(d, f) })) {
    progress.end();
    run.result(r);
    if (!r.note) onResult(r);
    else run.placed(-1, -1, []);
  }
  progress.end();
}

/** `--format json`: the workers write each file's ESLint JSON; this only copies the bytes out, in walk order, then lists what was not read. */
async function writeEslintJson(paths: string[], loaded: LoadedManifest, opts: LintFilesOptions, io: CliIO, run: LintRun, counts: Counts, progressIO: CliIO, printedBefore = 0): Promise<void> {
  const progress = progressReporter(progressIO);
  const note = (file: string, text: string) => {
    progress.end();
    run.transient = true;
    io.stderr.write(`bqmigrate: ${path.relative(io.cwd, file) || file}: ${text}\n`);
  };
  const out = new ByteChunkWriter(io.stdout);
  out.write('[');
  let first = true;
  let at = printedBefore + 1; // where the next file's part starts in stdout (`out` holds bytes back)
  for await (const r of lintFilesAsEslintJson(paths, loaded, { ...opts, onNote: note, onSkip: run.onSkip, onError: run.onError, onProgress: (d, f) => progress.update(d, f) })) {
    progress.end();
    run.result(r);
    const c = r.counts;
    counts.errors += c[0]!;
    counts.warnings += c[1]!;
    counts.infos += c[2]!;
    counts.fixableErrors += c[3]!;
    counts.fixableWarnings += c[4]!;
    if (r.json.length === 0) {
      run.placed(-1, -1, c);
      continue;
    }
    const part = first ? r.json.subarray(1) : r.json; // each starts with the comma that separates it from the one before
    out.write(part);
    run.placed(at, at + part.length, c);
    at += part.length;
    first = false;
  }
  progress.end();
  out.flush();
  run.partsAt(printedBefore + 1, at);
  io.stdout.write(eslintJsonTail(run, first));
}

export const lintCommand: CliCommand = {
  name: 'lint',
  summary: 'report legacy, misnamed, unknown, archived and shimmed table references',
  usage,
  async run(args, io) {
    const { values, positionals, rules, maxFileBytes, workers } = parseLintArgs(args, { format: { type: 'string' }, 'max-warnings': { type: 'string' }, 'report-unscanned': { type: 'boolean' }, ...CACHE_OPTIONS });
    const cacheArgs = parseCacheArgs(values);
    const format = ((values.format as string | undefined) ?? 'stylish') as FormatName;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${format}"`);
    let maxWarnings = -1;
    if (typeof values['max-warnings'] === 'string') {
      maxWarnings = Number(values['max-warnings']);
      if (!Number.isInteger(maxWarnings) || maxWarnings < -1) throw new UsageError('--max-warnings is a whole number (-1: no limit)');
    }
    exitQuietlyOnClosedStdout(io);
    const paths = resolvePaths(positionals, io);
    const loaded = loadCachedManifest(cacheArgs, values.manifest, paths, io);
    if (!loaded) return 2;
    const color = Boolean(io.stdout.isTTY) && !io.env.NO_COLOR;
    const reportUnscanned = values['report-unscanned'] === true;
    // With --cache: the last run's output, when nothing it read has changed since, or with the changed files' parts anew (lint-run-memo.ts).
    const memo = CliRunMemo.open(cacheArgs, loaded, io, { rules, maxFileBytes }, { format, color, maxWarnings }, { paths, reportUnscanned });
    const replayed = await memo?.replay(paths, loaded);
    if (replayed !== undefined) return replayed;
    const raw = io;
    io = memo?.io ?? raw; // what the run prints is recorded for the memo
    const counts = emptyCounts();
    const run = new LintRun(io, memo !== undefined);
    const listed = reportUnscanned || format !== 'stylish';
    const cache = openCliCache(cacheArgs, loaded, io, { rules, maxFileBytes }, memo);
    const lintOpts: LintFilesOptions = { rules, maxFileBytes, workers, cache, walked: memo?.walked, keptWorkers: raw.keptWorkers };
    if (format === 'json') await writeEslintJson(paths, loaded, lintOpts, io, run, counts, raw, memo?.printed.stdout);
    else {
      // SARIF is one document, written as files finish: its header first, the notifications last.
      // Where each file's part of stdout is (the run memo's): SARIF holds bytes back, so it counts its own.
      const before = memo?.printed.stdout ?? 0;
      const sarif = format === 'sarif' ? new SarifWriter(io.stdout, io.cwd, version) : undefined;
      const printed = () => (sarif ? before + sarif.bytes : (memo?.printed.stdout ?? 0));
      const partsStart = printed();
      await forEachLintResult(
        paths,
        loaded,
        lintOpts,
        io,
        run,
        (r) => {
          const one = countViolations([r]);
          addCounts(counts, one);
          const start = printed();
          if (sarif) sarif.addFile(r);
          else writeStylishFile(io.stdout, r, io.cwd, color);
          run.placed(start, printed(), [one.errors, one.warnings, one.infos, one.fixableErrors, one.fixableWarnings]);
        },
        raw,
      );
      run.partsAt(partsStart, printed());
      if (sarif) {
        run.sortUnscanned();
        sarif.finish(run.unscanned);
      } else io.stdout.write(stylishTail(run, counts, color, reportUnscanned, io.cwd));
    }
    const runCode = run.finish(paths, listed);
    if (!saveCliCache(cache, io)) return 2;
    const stderrBeforeExit = memo?.printed.stderr ?? 0;
    const code = exitCode(runCode, counts, maxWarnings, io);
    if (memo && cache && !run.transient) memo.save(cache, run, code, { runCode, stderrBeforeExit });
    return code;
  },
};

function addCounts(to: Counts, c: Counts): void {
  to.errors += c.errors;
  to.warnings += c.warnings;
  to.infos += c.infos;
  to.fixableErrors += c.fixableErrors;
  to.fixableWarnings += c.fixableWarnings;
}
