/**
 * The `columns` check family, for a table with column mappings: the new table has exactly the
 * columns the mappings make of the source (the dropped legacy columns listed by name), and each
 * canonical column holds, row for row, what its combine rule computes from the source — counted as
 * the rows where it differs, which must be 0. One statement per table reads each side once for all
 * its canonical columns: rows are matched by the mapping's `key`, else by every column the new table
 * keeps as it was, and compared through order-independent fingerprints (the diff's), so no row
 * comes into Node.
 */
import { fingerprint, fpAggregates, type DiffDialect } from '../../diff/sql';
import type { JobLabels, TableId, TableInfo, Warehouse } from '../../warehouse/types';
import { combineExpr, combineText, droppedText, type CanonicalColumn, type ColumnBuild } from '../column-build';
import { scanFilter } from '../row-count';
import type { SqlTarget } from '../sql';
import type { ValidationCheck } from '../types';

const lower = (s: string) => s.toLowerCase();
const where = (filter: string | undefined) => (filter ? ` WHERE ${filter}` : '');

export interface ColumnCheckSql {
  sql: string;
  /** The canonical columns the statement compares, in the order of its d0, d1, … results. */
  compared: CanonicalColumn[];
  /** How rows are matched: "by key date" or "by the 12 unchanged columns". */
  matchedBy: string;
}

/** The columns rows are matched by: the key when it is all kept columns, else every kept column. */
function alignment(b: ColumnBuild, key: readonly string[] | undefined): { columns: string[]; matchedBy: string } {
  const kept = b.columns.flatMap((c) => (c.kind === 'kept' ? [c.name] : []));
  const keyKept = key?.length ? key.map((k) => kept.find((c) => lower(c) === lower(k))) : undefined;
  if (keyKept?.every((k) => k !== undefined)) return { columns: keyKept as string[], matchedBy: `matched by key ${keyKept.join(', ')}` };
  if (kept.length === 0) return { columns: [], matchedBy: 'compared as multisets (no key and no unchanged column to match rows by)' };
  return { columns: kept, matchedBy: `matched by the ${kept.length} unchanged column(s)` };
}

/**
 * One statement over both tables: the number of row groups, the groups found on one side only, and per
 * canonical column (`d0`, `d1`, …) the groups where it differs from its rule applied to the source.
 */
export function columnCheckSql(w: SqlTarget, b: ColumnBuild, source: TableId, sourceInfo: TableInfo | undefined, target: TableId, targetInfo: TableInfo, key?: readonly string[]): ColumnCheckSql {
  const d: DiffDialect = { kind: w.kind, table: (id) => w.dialect.table(id), ident: (n) => w.dialect.ident(n), literal: (v) => w.dialect.literal(v) };
  const compared = b.canonical.filter((c) => targetInfo.schema.some((t) => lower(t.name) === lower(c.to)));
  const { columns, matchedBy } = alignment(b, key);
  const k = columns.length ? fingerprint(d, columns.map((c) => d.ident(c))) : '0';
  const side = (values: string[], table: TableId, filter: string | undefined) => `SELECT ${k} AS _k${values.map((v, i) => `, ${fingerprint(d, [v])} AS _v${i}`).join('')} FROM ${d.table(table)}${where(filter)}`;
  const group = (rows: string) => `SELECT _k, COUNT(*) AS _n${compared.map((_c, i) => `, ${fpAggregates(d, `_v${i}`, `_${i}`).join(', ')}`).join('')} FROM ${rows} GROUP BY _k`;
  const count = (cond: string) => `SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END)`;
  const differs = (i: number) => ['_x', '_s1', '_s2'].map((a) => `ga.${a}_${i} IS DISTINCT FROM gb.${a}_${i}`).join(' OR ');
  const sql = [
    'WITH',
    `sa AS (${side(compared.map((c) => combineExpr(w, c)), source, scanFilter(w, sourceInfo))}),`,
    `sb AS (${side(compared.map((c) => d.ident(c.to)), target, scanFilter(w, targetInfo))}),`,
    `ga AS (${group('sa')}),`,
    `gb AS (${group('sb')})`,
    `SELECT COUNT(*) AS n_groups, ${count('ga._n IS NULL OR gb._n IS NULL OR ga._n != gb._n')} AS unmatched${compared.map((_c, i) => `, ${count(differs(i))} AS d${i}`).join('')}`,
    'FROM ga FULL JOIN gb ON ga._k = gb._k',
  ].join('\n');
  return { sql, compared, matchedBy };
}

export interface ColumnCheckEnv {
  wh: Warehouse;
  labels?: JobLabels;
  signal?: AbortSignal;
}

/** The `columns` checks of one new table built with column mappings from `source`. */
export async function columnChecks(env: ColumnCheckEnv, to: string, b: ColumnBuild, source: TableId, sourceInfo: TableInfo | undefined, target: TableId, targetInfo: TableInfo, key: readonly string[] | undefined, family: string | undefined): Promise<ValidationCheck[]> {
  const checks: ValidationCheck[] = [];
  const dropped = droppedText(b);
  if (b.problems.length) {
    checks.push({ id: `columns:${to}`, family, subject: to, description: 'columns = legacy with column mappings applied', pass: false, detail: b.problems.join('; ') });
    return checks;
  }
  const expected = b.columns.map((c) => (c.kind === 'kept' ? c.name : c.column.to));
  const actual = targetInfo.schema.map((c) => c.name);
  const missing = expected.filter((e) => !actual.some((a) => lower(a) === lower(e)));
  const unexpected = actual.filter((a) => !expected.some((e) => lower(a) === lower(e)));
  checks.push({
    id: `columns:${to}`,
    family,
    subject: to,
    description: 'columns = legacy with column mappings applied',
    legacy: b.columns.filter((c) => c.kind === 'kept').length + b.canonical.reduce((n, c) => n + c.sources.length, 0),
    new: actual.length,
    pass: missing.length === 0 && unexpected.length === 0,
    detail: [missing.length ? `missing: ${missing.join(', ')}` : '', unexpected.length ? `not expected: ${unexpected.join(', ')}` : '', dropped].filter(Boolean).join('; '),
  });
  const { sql, compared, matchedBy } = columnCheckSql(env.wh, b, source, sourceInfo, target, targetInfo, key);
  for (const c of b.canonical.filter((x) => !compared.includes(x))) {
    checks.push({ id: `column:${to}.${c.to}`, family, subject: `${to}.${c.to}`, description: `${c.to} = ${combineText(c)}`, pass: false, detail: `${c.to} is not a column of ${to}` });
  }
  if (compared.length === 0) return checks;
  let row: Record<string, unknown> | undefined;
  try {
    row = (await env.wh.query(sql, { labels: env.labels, signal: env.signal })).rows[0];
  } catch (err) {
    const why = `comparison failed: ${(err as Error).message.split('\n')[0]}`;
    for (const c of compared) checks.push({ id: `column:${to}.${c.to}`, family, subject: `${to}.${c.to}`, description: `${c.to} = ${combineText(c)}`, pass: false, detail: why });
    return checks;
  }
  const groups = Number(row?.n_groups ?? 0);
  const unmatched = Number(row?.unmatched ?? 0);
  compared.forEach((c, i) => {
    const differing = Number(row?.[`d${i}`] ?? 0);
    const onOneSide = unmatched ? `; ${unmatched} of them only on one side (the unchanged columns differ: see the content check)` : '';
    checks.push({
      id: `column:${to}.${c.to}`,
      family,
      subject: `${to}.${c.to}`,
      description: `${c.to} = ${combineText(c)}`,
      legacy: groups,
      new: differing,
      pass: differing === 0,
      detail: differing === 0 ? `equal in all ${groups} row group(s), ${matchedBy}` : `${differing} of ${groups} row group(s) differ, ${matchedBy}${onOneSide}`,
    });
  });
  return checks;
}
