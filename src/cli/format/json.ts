/**
 * ESLint's JSON formatter shape: one object per file with messages (1-based
 * lines and columns, severity 1 warning / 2 error, `fix` for safe fixes) and
 * counts. ESLint has no info level, so info findings are left out.
 */
import type { FileLintResult } from '../../core/lint/file-lint';
import { isSafeFix, singleEdit, type LintReport } from './report';

export interface EslintMessage {
  ruleId: string;
  severity: 1 | 2;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fix?: { range: [number, number]; text: string };
}

export interface EslintResult {
  filePath: string;
  messages: EslintMessage[];
  errorCount: number;
  warningCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
}

export function toEslintResults(report: LintReport): EslintResult[] {
  return report.results.filter((r) => !r.note).map(toEslintResult);
}

export function toEslintResult(r: FileLintResult): EslintResult {
  const out: EslintResult = { filePath: r.filePath, messages: [], errorCount: 0, warningCount: 0, fixableErrorCount: 0, fixableWarningCount: 0 };
  r.violations.forEach((v, i) => {
    if (v.severity === 'info') return;
    const p = r.positions[i]!;
    const m: EslintMessage = { ruleId: v.ruleId, severity: v.severity === 'error' ? 2 : 1, message: v.message, line: p.line, column: p.column, endLine: p.endLine, endColumn: p.endColumn };
    const fix = isSafeFix(v) ? singleEdit(v) : undefined;
    if (fix) m.fix = fix;
    out.messages.push(m);
    if (v.severity === 'error') {
      out.errorCount++;
      if (fix) out.fixableErrorCount++;
    } else {
      out.warningCount++;
      if (fix) out.fixableWarningCount++;
    }
  });
  return out;
}

export function formatJson(report: LintReport): string {
  return `${JSON.stringify(toEslintResults(report))}\n`;
}
