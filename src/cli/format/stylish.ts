/** Human output in the spirit of ESLint's stylish formatter: per file, line:column severity message rule; a summary. */
import * as path from 'node:path';
import type { FileLintResult } from '../../core/lint/file-lint';
import { countViolations, isSafeFix, type Counts, type LintReport } from './report';

const painter = (color: boolean) => (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);

/** One file's block (empty when it has no findings); streamed as files finish. */
export function formatStylishFile(r: FileLintResult, cwd: string, color = false): string {
  if (r.violations.length === 0) return '';
  const paint = painter(color);
  const lines = ['', paint('4', path.relative(cwd, r.filePath) || r.filePath)];
  const rows = r.violations.map((v, i) => {
    const p = r.positions[i]!;
    return { where: `${p.line}:${p.column}`, sev: v.severity, msg: v.message + (isSafeFix(v) ? ' (fixable)' : ''), rule: v.ruleId };
  });
  const w = Math.max(...rows.map((x) => x.where.length));
  for (const x of rows) {
    const sev = x.sev === 'error' ? paint('31', 'error  ') : x.sev === 'warning' ? paint('33', 'warning') : paint('36', 'info   ');
    lines.push(`  ${x.where.padEnd(w)}  ${sev}  ${x.msg}  ${paint('2', x.rule)}`);
  }
  return `${lines.join('\n')}\n`;
}

export function formatStylishSummary(c: Counts, color = false): string {
  const paint = painter(color);
  const total = c.errors + c.warnings + c.infos;
  if (total === 0) return '';
  const lines = ['', paint(c.errors ? '31;1' : '33;1', `✖ ${total} problem${total === 1 ? '' : 's'} (${c.errors} error${c.errors === 1 ? '' : 's'}, ${c.warnings} warning${c.warnings === 1 ? '' : 's'}${c.infos ? `, ${c.infos} info` : ''})`)];
  if (c.fixableErrors + c.fixableWarnings > 0) lines.push(`  ${c.fixableErrors} error${c.fixableErrors === 1 ? '' : 's'} and ${c.fixableWarnings} warning${c.fixableWarnings === 1 ? '' : 's'} fixable with \`bqmigrate fix\`.`);
  return `${lines.join('\n')}\n\n`;
}

export function formatStylish(report: LintReport, color = false): string {
  return report.results.map((r) => formatStylishFile(r, report.cwd, color)).join('') + formatStylishSummary(countViolations(report.results), color);
}
