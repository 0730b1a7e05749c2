/** Human output in the spirit of ESLint's stylish formatter: per file, line:column severity message rule; a summary. */
import * as path from 'node:path';
import type { FileLintResult } from '../../core/lint/file-lint';
import { countViolations, isSafeFix, type Counts, type LintReport } from './report';
import { ChunkedWriter, collect, type TextOut } from './sink';

const painter = (color: boolean) => (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);

/** One file's block (nothing when it has no findings), written row by row as files finish. */
export function writeStylishFile(out: TextOut, r: FileLintResult, cwd: string, color = false): void {
  if (r.violations.length === 0) return;
  const paint = painter(color);
  let w = 0;
  for (const p of r.positions) w = Math.max(w, String(p.line).length + 1 + String(p.column).length);
  const sink = new ChunkedWriter(out);
  sink.write(`\n${paint('4', path.relative(cwd, r.filePath) || r.filePath)}\n`);
  const sevs = { error: paint('31', 'error  '), warning: paint('33', 'warning'), info: paint('36', 'info   ') };
  r.violations.forEach((v, i) => {
    const p = r.positions[i]!;
    sink.write(`  ${`${p.line}:${p.column}`.padEnd(w)}  ${sevs[v.severity]}  ${v.message}${isSafeFix(v) ? ' (fixable)' : ''}  ${paint('2', v.ruleId)}\n`);
  });
  sink.flush();
}

/** One file's block as a string (small results; the CLI streams with writeStylishFile). */
export function formatStylishFile(r: FileLintResult, cwd: string, color = false): string {
  return collect((out) => writeStylishFile(out, r, cwd, color));
}

export function formatStylishSummary(c: Counts, color = false): string {
  const paint = painter(color);
  const total = c.errors + c.warnings + c.infos;
  if (total === 0) return '';
  const lines = ['', paint(c.errors ? '31;1' : '33;1', `✖ ${total} problem${total === 1 ? '' : 's'} (${c.errors} error${c.errors === 1 ? '' : 's'}, ${c.warnings} warning${c.warnings === 1 ? '' : 's'}${c.infos ? `, ${c.infos} info` : ''})`)];
  if (c.fixableErrors + c.fixableWarnings > 0) lines.push(`  ${c.fixableErrors} error${c.fixableErrors === 1 ? '' : 's'} and ${c.fixableWarnings} warning${c.fixableWarnings === 1 ? '' : 's'} fixable with \`bqmigrate fix\`.`);
  return `${lines.join('\n')}\n\n`;
}

export function writeStylish(out: TextOut, report: LintReport, color = false): void {
  for (const r of report.results) writeStylishFile(out, r, report.cwd, color);
  out.write(formatStylishSummary(countViolations(report.results), color));
}

export function formatStylish(report: LintReport, color = false): string {
  return collect((out) => writeStylish(out, report, color));
}
