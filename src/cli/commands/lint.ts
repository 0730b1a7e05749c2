import * as path from 'node:path';
import { version } from '../../../package.json';
import { lintFiles } from '../../core/lint/pool';
import type { FileLintResult } from '../../core/lint/file-lint';
import { countViolations, formatJson, formatSarif, formatStylish, FORMATS, type FormatName } from '../format/index';
import { loadLintManifest, parseLintArgs, PATHS_USAGE, progressReporter, resolvePaths } from '../lint-options';
import { UsageError, type CliCommand, type CliIO } from './types';

const usage = `usage: bqmigrate lint [paths…] [--manifest F] [--format stylish|json|sarif] [--max-warnings N] [--rule id:severity]

Reports legacy table references, naming-convention violations, unknown datasets, archive reads and
shim views in SQL, Python, TypeScript/JavaScript, Markdown and any other text. Writes nothing.

${PATHS_USAGE}
  --format F            stylish (default), json (ESLint's JSON shape) or sarif (SARIF 2.1.0)
  --max-warnings N      exit 1 when there are more than N warnings (default: warnings never fail)

Exit codes: 0 clean, 1 errors (or more warnings than --max-warnings), 2 usage or manifest error.`;

/** Runs the walk and lint, printing skipped-file notes on stderr; results sorted by path. */
export async function collectLintResults(
  paths: string[],
  loaded: Parameters<typeof lintFiles>[1],
  opts: Parameters<typeof lintFiles>[2],
  io: CliIO,
): Promise<FileLintResult[]> {
  const progress = progressReporter(io);
  const results: FileLintResult[] = [];
  const note = (file: string, text: string) => io.stderr.write(`bqmigrate: ${path.relative(io.cwd, file) || file}: ${text}\n`);
  for await (const r of lintFiles(paths, loaded, { ...opts, onNote: note, onProgress: (d, f) => progress.update(d, f) })) results.push(r);
  progress.end();
  results.sort((a, b) => (a.filePath < b.filePath ? -1 : a.filePath > b.filePath ? 1 : 0));
  for (const r of results) if (r.note) note(r.filePath, r.note);
  return results;
}

export const lintCommand: CliCommand = {
  name: 'lint',
  summary: 'report legacy, misnamed, unknown, archived and shimmed table references',
  usage,
  async run(args, io) {
    const { values, positionals, rules, maxFileBytes, workers } = parseLintArgs(args, { format: { type: 'string' }, 'max-warnings': { type: 'string' } });
    const format = (values.format as string | undefined) ?? 'stylish';
    if (!FORMATS.includes(format as FormatName)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${format}"`);
    let maxWarnings = -1;
    if (typeof values['max-warnings'] === 'string') {
      maxWarnings = Number(values['max-warnings']);
      if (!Number.isInteger(maxWarnings) || maxWarnings < -1) throw new UsageError('--max-warnings is a whole number (-1: no limit)');
    }
    const paths = resolvePaths(positionals, io);
    const loaded = loadLintManifest(values.manifest, paths, io);
    if (!loaded) return 2;
    const results = await collectLintResults(paths, loaded, { rules, maxFileBytes, workers }, io);
    const report = { cwd: io.cwd, results };
    if (format === 'json') io.stdout.write(formatJson(report));
    else if (format === 'sarif') io.stdout.write(formatSarif(report, version));
    else io.stdout.write(formatStylish(report, Boolean(io.stdout.isTTY) && !io.env.NO_COLOR));
    const c = countViolations(results);
    if (c.errors > 0) return 1;
    if (maxWarnings >= 0 && c.warnings > maxWarnings) {
      io.stderr.write(`bqmigrate: ${c.warnings} warnings, more than --max-warnings ${maxWarnings}\n`);
      return 1;
    }
    return 0;
  },
};
