import * as path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { applyEdits } from '../../core/fix/apply';
import type { Violation } from '../../core/rules/types';
import { writeFileAtomic } from '../../core/fix/write';
import { createLinter } from '../../core/lint/linter';
import { readSourceFile } from '../../core/lint/read';
import { loadLintManifest, parseLintArgs, PATHS_USAGE, resolvePaths } from '../lint-options';
import { exitQuietlyOnClosedStdout } from '../closed-stdout';
import { formatUnscanned } from '../format/unscanned';
import { CACHE_OPTIONS, openCliCache, parseCacheArgs, saveCliCache } from '../lint-cache';
import { LintRun } from '../lint-run';
import { UsageError, type CliCommand } from './types';
import { forEachLintResult } from './lint';

const usage = `usage: bqmigrate fix [paths…] [--manifest F] [--dry-run] [--swap-cycles]

Applies every safe fix (renames of legacy and shimmed references whose mapping is migrated, shimmed
or archived) in place, in one pass over each file as read: a chain of mappings (A → B, B → C) is
renamed straight to its end, and the count is of references changed. Each file is rewritten
atomically (temp file + rename) with its line endings, BOM, mode, owner and group kept; only the
characters of the references change. Symbolic links are written through; a hard-linked file (or one
whose owner a new file cannot have) is rewritten in place, after a copy of it is saved next to it
(removed when done). Temp files of an interrupted fix are never linted; the next fix removes them.

${PATHS_USAGE}
  --dry-run             print a unified diff of what would change and write nothing
  --swap-cycles         also rename references of mappings that form a cycle (A → B, B → A), once: a
                        second run with it swaps them back, so use it once, then drop the cycle
  --report-unscanned    list every file and folder not read, and why
  --cache, --cache-location P
                        use lint's cache (see \`bqmigrate lint --help\`) to pass over files without a
                        fix; fix trusts an entry only when the file's bytes hash the same, and drops
                        the entries of the files it rewrites

Exit codes: 0 nothing left to report, 1 errors remain after fixing, 2 usage or manifest error, a named
path that cannot be read, or nothing linted at all.`;


export const fixCommand: CliCommand = {
  name: 'fix',
  summary: 'apply safe fixes in place (or --dry-run for a diff)',
  usage,
  async run(args, io) {
    const { values, positionals, rules, maxFileBytes, workers } = parseLintArgs(args, { 'dry-run': { type: 'boolean' }, 'report-unscanned': { type: 'boolean' }, 'swap-cycles': { type: 'boolean' }, ...CACHE_OPTIONS });
    // A file fix would rewrite is never judged by its size and mtime alone: entries are checked against the bytes.
    if (values['cache-strategy'] !== undefined) throw new UsageError('fix has no --cache-strategy: it always checks cache entries against the bytes of each file (drop the option)');
    const cacheArgs = { ...parseCacheArgs(values), strategy: 'content' as const };
    const dryRun = values['dry-run'] === true;
    const swapCycles = values['swap-cycles'] === true;
    const applicable = (v: Violation) => v.fix !== undefined && v.fix.edits.length > 0 && (v.fix.safety === 'safe' || (swapCycles && v.fix.cycle === true));
    exitQuietlyOnClosedStdout(io);
    const paths = resolvePaths(positionals, io);
    const loaded = loadLintManifest(values.manifest, paths, io);
    if (!loaded) return 2;
    // Keep only what fixing needs per file, not every finding: memory stays flat on big trees.
    const results: { filePath: string; hasSafe: boolean; errors: number }[] = [];
    const run = new LintRun(io);
    const cache = openCliCache(cacheArgs, loaded, io, { rules, maxFileBytes });
    await forEachLintResult(paths, loaded, { rules, maxFileBytes, workers, cache }, io, run, (r) => {
      results.push({ filePath: r.filePath, hasSafe: r.violations.some(applicable), errors: r.violations.filter((v) => v.severity === 'error').length });
    });
    if (!dryRun) run.removeStaleTempFiles();
    const linter = createLinter(loaded, { rules });
    let fixedRefs = 0;
    let fixedFiles = 0;
    let remainingErrors = 0;
    let failed = 0;
    let inPlace = 0;
    for (const r of results) {
      if (!r.hasSafe) {
        remainingErrors += r.errors;
        continue;
      }
      const src = readSourceFile(r.filePath, maxFileBytes);
      if (!src.ok) continue;
      // One pass over the text as read: a cycle (A → B → A) is swapped once, and a chain (A → B → C) needs no
      // second pass, as its fix renames straight to the end. A reference counts once, however many edits it has.
      const fixes = linter.lintText(src.text, r.filePath).violations.filter(applicable).map((v) => v.fix!);
      const out = applyEdits(src.text, fixes.flatMap((f) => f.edits));
      const applied = new Set(out.applied);
      const count = fixes.filter((f) => f.edits.every((e) => applied.has(e))).length;
      const text = out.text;
      remainingErrors += linter.lintText(text, r.filePath).violations.filter((v) => v.severity === 'error').length;
      if (text === src.text) continue;
      const rel = path.relative(io.cwd, r.filePath) || r.filePath;
      if (dryRun) {
        io.stdout.write(createTwoFilesPatch(`a/${rel}`, `b/${rel}`, src.text, text, undefined, undefined, { context: 3 }));
      } else {
        try {
          cache?.forget(r.filePath);
          if (writeFileAtomic(r.filePath, (src.bom ? '\ufeff' : '') + text, src.mode) === 'in-place') inPlace++;
        } catch (err) {
          failed++;
          io.stderr.write(`bqmigrate: ${rel}: not written: ${(err as Error).message}\n`);
          continue;
        }
      }
      fixedRefs += count;
      fixedFiles++;
    }
    io.stderr.write(`bqmigrate: ${dryRun ? 'would fix' : 'fixed'} ${fixedRefs} reference${fixedRefs === 1 ? '' : 's'} in ${fixedFiles} file${fixedFiles === 1 ? '' : 's'}${remainingErrors ? `; ${remainingErrors} error${remainingErrors === 1 ? ' remains' : 's remain'} (run \`bqmigrate lint\`)` : ''}${inPlace ? `; ${inPlace} written in place (hard-linked, or an owner a new file cannot have)` : ''}\n`);
    if (values['report-unscanned'] === true) (dryRun ? io.stderr : io.stdout).write(formatUnscanned(run.unscanned, io.cwd));
    const runCode = run.finish(paths, values['report-unscanned'] === true);
    if (!saveCliCache(cache, io)) return 2;
    if (runCode !== 0) return runCode;
    return failed > 0 || remainingErrors > 0 ? 1 : 0;
  },
};
