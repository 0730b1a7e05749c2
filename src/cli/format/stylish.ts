/** Human output in the spirit of ESLint's stylish formatter: per file, line:column severity message rule; a summary. */
import * as path from 'node:path';
import { countViolations, isSafeFix, type LintReport } from './report';

export function formatStylish(report: LintReport, color = false): string {
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines: string[] = [];
  for (const r of report.results) {
    if (r.violations.length === 0) continue;
    lines.push('', paint('4', path.relative(report.cwd, r.filePath) || r.filePath));
    const rows = r.violations.map((v, i) => {
      const p = r.positions[i]!;
      return { where: `${p.line}:${p.column}`, sev: v.severity, msg: v.message + (isSafeFix(v) ? ' (fixable)' : ''), rule: v.ruleId };
    });
    const w = Math.max(...rows.map((x) => x.where.length));
    for (const x of rows) {
      const sev = x.sev === 'error' ? paint('31', 'error  ') : x.sev === 'warning' ? paint('33', 'warning') : paint('36', 'info   ');
      lines.push(`  ${x.where.padEnd(w)}  ${sev}  ${x.msg}  ${paint('2', x.rule)}`);
    }
  }
  const c = countViolations(report.results);
  const total = c.errors + c.warnings + c.infos;
  if (total > 0) {
    lines.push('', paint(c.errors ? '31;1' : '33;1', `✖ ${total} problem${total === 1 ? '' : 's'} (${c.errors} error${c.errors === 1 ? '' : 's'}, ${c.warnings} warning${c.warnings === 1 ? '' : 's'}${c.infos ? `, ${c.infos} info` : ''})`));
    if (c.fixableErrors + c.fixableWarnings > 0) lines.push(`  ${c.fixableErrors} error${c.fixableErrors === 1 ? '' : 's'} and ${c.fixableWarnings} warning${c.fixableWarnings === 1 ? '' : 's'} fixable with \`bqmigrate fix\`.`);
    lines.push('');
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
