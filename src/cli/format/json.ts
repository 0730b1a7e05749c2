/**
 * ESLint's JSON formatter shape: one object per file with messages (1-based
 * lines and columns, severity 1 warning / 2 error, `fix` for safe fixes) and
 * counts. ESLint has no info level, so info findings are left out. The shape
 * lives in core (src/core/lint/eslint-json.ts), where the lint workers write it.
 */
import { toEslintResult, type EslintResult } from '../../core/lint/eslint-json';
import type { LintReport } from './report';

export { toEslintResult, type EslintMessage, type EslintResult } from '../../core/lint/eslint-json';

export function toEslintResults(report: LintReport): EslintResult[] {
  return report.results.filter((r) => !r.note).map(toEslintResult);
}

export function formatJson(report: LintReport): string {
  return `${JSON.stringify(toEslintResults(report))}\n`;
}
