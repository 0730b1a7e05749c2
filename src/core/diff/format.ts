/** The diff report as text: the verdict, each tier, normalisations, then the differing rows side by side. */
import type { DiffReport, RowDifference } from './run';
import { appendAll } from '../arrays';

const cell = (v: unknown) => (v === null || v === undefined ? 'NULL' : typeof v === 'string' ? JSON.stringify(v) : typeof v === 'object' ? JSON.stringify(v) : String(v));

const STATUS: Record<string, string> = { equal: 'equal', different: 'DIFFERENT', 'not-needed': 'not needed', 'not-validated': 'NOT VALIDATED' };

function rowLines(d: RowDifference, key: string[] | undefined): string[] {
  const keyText = d.key ? Object.entries(d.key).map(([k, v]) => `${k}=${cell(v)}`).join(', ') : undefined;
  if (d.kind === 'changed') {
    const lines = [`  changed  ${keyText}`];
    for (const c of d.columns ?? []) lines.push(`      ${c}: ${cell(d.a?.[c])}  →  ${cell(d.b?.[c])}`);
    return lines;
  }
  const row = d.a ?? d.b ?? {};
  const shown = Object.entries(row)
    .filter(([k]) => !key?.includes(k))
    .slice(0, 8)
    .map(([k, v]) => `${k}=${cell(v)}`)
    .join(', ');
  const what = d.kind === 'only-in-a' ? `only in A${d.countA > 1 ? ` (×${d.countA})` : ''}` : d.kind === 'only-in-b' ? `only in B${d.countB > 1 ? ` (×${d.countB})` : ''}` : `${d.countA} row(s) in A, ${d.countB} in B`;
  return [`  ${what}${keyText ? `  ${keyText}` : ''}`, `      ${shown}${Object.keys(row).length > 8 ? ', …' : ''}`];
}

export function formatDiffReport(r: DiffReport): string {
  const lines = [`A: ${r.a} (${r.rows.a ?? '?'} rows)`, `B: ${r.b} (${r.rows.b ?? '?'} rows)`, '', `${r.verdict === 'equal' ? 'EQUAL' : r.verdict === 'different' ? 'DIFFERENT' : 'NOT VALIDATED'} — ${r.summary}`, ''];
  for (const t of r.tiers) lines.push(`tier ${t.tier} ${t.name.padEnd(28)} ${STATUS[t.status]!.padEnd(13)} ${t.detail}`);
  lines.push('', `compared ${r.columns.compared.length} column(s)${r.key ? ` by key ${r.key.join(', ')}` : ' as multisets (no --key)'}; ${r.bucketing}`);
  if (r.columns.onlyInA.length) lines.push(`columns only in A: ${r.columns.onlyInA.join(', ')}`);
  if (r.columns.onlyInB.length) lines.push(`columns only in B: ${r.columns.onlyInB.join(', ')}`);
  if (r.columns.ignored.length) lines.push(`ignored: ${r.columns.ignored.join(', ')}`);
  for (const n of r.normalisations) lines.push(`normalised: ${n}`);
  if (r.columnStats.length) {
    lines.push('', 'column aggregates of the differing buckets that differ (nulls count for the whole tables: equal buckets hold equal rows):');
    for (const s of r.columnStats) lines.push(`  ${s.column} ${s.property}: ${cell(s.a)} vs ${cell(s.b)}`);
  }
  if (r.differences.rows.length) {
    lines.push('', `differences (${r.differences.rows.length} of ${r.differences.total ?? '?'}${r.differences.truncated ? '; raise --limit for more' : ''}):`);
    for (const d of r.differences.rows) appendAll(lines, rowLines(d, r.key));
  }
  lines.push('', `bytes processed: ${r.bytesProcessed}`);
  return lines.join('\n');
}
