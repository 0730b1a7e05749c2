/** The `--report-unscanned` section of the stylish output: every file and folder not read, and why. */
import * as path from 'node:path';
import type { Unscanned } from '../../core/lint/unscanned';

export function formatUnscanned(list: readonly Unscanned[], cwd: string, color = false): string {
  if (list.length === 0) return '';
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const rows = [...list]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((u) => ({ where: (path.relative(cwd, u.path) || u.path) + (u.folder ? '/' : ''), why: `${u.reason}: ${u.detail}` }));
  const lines = ['', paint('4', `Not read (${list.length})`)];
  let width = 0;
  for (const r of rows) width = Math.max(width, r.where.length);
  for (const r of rows) lines.push(`  ${r.where.padEnd(width)}  ${paint('2', r.why)}`);
  return `${lines.join('\n')}\n`;
}
