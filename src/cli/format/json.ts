/**
 * ESLint's JSON formatter shape: one object per file with messages (1-based
 * lines and columns, severity 1 warning / 2 error, `fix` for safe fixes) and
 * counts. ESLint has no info level, so info findings are left out. The shape
 * lives in core (src/core/lint/eslint-json.ts), where the lint workers write it.
 */
import { eslintJsonPieces, toEslintResult, type EslintResult } from '../../core/lint/eslint-json';
import type { LintReport } from './report';
import { ChunkedWriter, collect, type TextOut } from './sink';

export { toEslintResult, type EslintMessage, type EslintResult } from '../../core/lint/eslint-json';

export function toEslintResults(report: LintReport): EslintResult[] {
  return report.results.filter((r) => !r.note).map(toEslintResult);
}

/** The JSON text, written file by file and, within a file, a few thousand messages at a time. */
export function writeJson(out: TextOut, report: LintReport): void {
  const sink = new ChunkedWriter(out);
  sink.write('[');
  let first = true;
  for (const r of report.results) {
    if (r.note) continue;
    if (!first) sink.write(',');
    first = false;
    for (const piece of eslintJsonPieces(r)) sink.write(piece);
  }
  sink.write(']\n');
  sink.flush();
}

export function formatJson(report: LintReport): string {
  return collect((out) => writeJson(out, report));
}
