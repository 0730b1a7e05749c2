/**
 * `diffTables`: proves two tables hold the same content, or shows where they do not, in three
 * tiers pushed down to the warehouse (sql.ts). Each query is dry-run first; a tier whose bytes
 * would go past the budget is "not validated" — never counted as equal.
 */
import { allPartitionsFilter } from '../warehouse/table-meta';
import { bigQueryToDuckDb } from '../warehouse/translate';
import type { JobLabels, TableId, TableInfo, Warehouse } from '../warehouse/types';
import { planColumns, type ColumnPlan, type ComparedColumn } from './columns';
import { chooseBucketing, rowsSql, summarySql, type Bucketing, type DiffSqlSpec } from './sql';

export interface DiffOptions {
  /** Columns (names in the first table) that identify a row; without, rows are compared as multisets. */
  key?: string[];
  /** Only these columns: A name → B name. */
  columns?: { a: string; b: string }[];
  /** Renamed columns: A name → B name (column mappings). */
  renamed?: Record<string, string>;
  /** Columns of either table left out (the archive's own columns). */
  ignore?: readonly string[];
  /** A predicate (BigQuery SQL) both tables are filtered by. */
  where?: string;
  /** Differing rows reported (default 20). */
  limit?: number;
  /** FLOAT64 tolerance (default 1e-9). */
  tolerance?: number;
  /** Bytes the diff may process in all; a tier that would go past it is not validated. */
  maxBytes?: number;
  /** Differing buckets tier 3 looks into at most (default 1,000). */
  maxBuckets?: number;
  labels?: JobLabels;
  signal?: AbortSignal;
}

export type TierStatus = 'equal' | 'different' | 'not-needed' | 'not-validated';

export interface TierResult {
  tier: 1 | 2 | 3;
  name: string;
  status: TierStatus;
  detail: string;
  bytes?: number;
}

export type DifferenceKind = 'changed' | 'only-in-a' | 'only-in-b' | 'count-differs';

export interface RowDifference {
  kind: DifferenceKind;
  /** Key values (with a key). */
  key?: Record<string, unknown>;
  countA: number;
  countB: number;
  /** The row on each side (compared columns, normalised values). */
  a?: Record<string, unknown>;
  b?: Record<string, unknown>;
  /** Columns that differ beyond the tolerance (changed rows). */
  columns?: string[];
}

export interface ColumnStatDifference {
  column: string;
  property: 'nulls' | 'min' | 'max';
  a: string | number | null;
  b: string | number | null;
}

export interface DiffReport {
  a: string;
  b: string;
  backend: 'local' | 'bigquery';
  verdict: 'equal' | 'different' | 'not-validated';
  /** One line: what the verdict rests on. */
  summary: string;
  rows: { a: number | null; b: number | null };
  key?: string[];
  columns: { compared: { a: string; b: string; comparison: string }[]; onlyInA: string[]; onlyInB: string[]; ignored: string[] };
  normalisations: string[];
  tolerance: number;
  bucketing: string;
  tiers: TierResult[];
  columnStats: ColumnStatDifference[];
  differences: { total: number | null; rows: RowDifference[]; truncated: boolean };
  bytesProcessed: number;
}

const tableName = (id: TableId) => `${id.project ? `${id.project}.` : ''}${id.dataset}.${id.table}`;

/** What each tier compares; the column aggregates come with tier 3, over the differing buckets. */
export const TIER_NAMES = { 1: 'count and fingerprints', 2: 'bucket fingerprints', 3: 'differing rows' } as const;

export class DiffError extends Error {
  override name = 'DiffError';
}

/** What the tiers compare and how, from the two tables' metadata: pure, so `plan` can price a comparison before it runs. */
export function prepareDiff(wh: Pick<Warehouse, 'kind' | 'project'> & { dialect: Pick<Warehouse['dialect'], 'table' | 'ident' | 'literal'> }, a: TableId, b: TableId, infoA: TableInfo, infoB: TableInfo, opts: DiffOptions = {}): { plan: ColumnPlan; key: number[]; bucketing: Bucketing; spec: DiffSqlSpec } {
  const tolerance = opts.tolerance ?? 1e-9;
  const plan = planColumns(infoA.schema, infoB.schema, { columns: opts.columns, renamed: opts.renamed, ignore: opts.ignore, tolerance });
  if (plan.compared.length === 0) throw new DiffError(`${tableName(a)} and ${tableName(b)} have no column in common to compare`);
  const key = (opts.key ?? []).map((k) => {
    const i = plan.compared.findIndex((c) => c.a.toLowerCase() === k.toLowerCase());
    if (i < 0) throw new DiffError(`key column ${k} is not compared: it must be a column of ${tableName(a)} with a counterpart in ${tableName(b)}`);
    return i;
  });
  const rows = Math.max(infoA.rowCount ?? 0, infoB.rowCount ?? 0) || 1_000_000;
  const bucketing = chooseBucketing(infoA, infoB, plan.compared, key, rows);
  const d = { kind: wh.kind, table: (id: TableId) => wh.dialect.table(id), ident: (n: string) => wh.dialect.ident(n), literal: (v: string) => wh.dialect.literal(v) };
  const roundFloats = key.length === 0 || plan.compared.some((c) => c.comparison === 'float' && c.typeA !== c.typeB);
  const spec: DiffSqlSpec = { d, a, b, columns: plan.compared, key, bucketing, tolerance, roundFloats, whereA: filters(wh, infoA, opts.where), whereB: filters(wh, infoB, opts.where) };
  return { plan, key, bucketing, spec };
}

/** The one statement of tiers 1 and 2: what a comparison costs at least (tier 3 reads only the differing buckets again). */
export function summaryQuery(wh: Parameters<typeof prepareDiff>[0], a: TableId, b: TableId, infoA: TableInfo, infoB: TableInfo, opts: DiffOptions = {}): string {
  return summarySql(prepareDiff(wh, a, b, infoA, infoB, opts).spec, opts.maxBuckets ?? 1000);
}

export async function diffTables(wh: Warehouse, a: TableId, b: TableId, opts: DiffOptions = {}): Promise<DiffReport> {
  const tolerance = opts.tolerance ?? 1e-9;
  const limit = opts.limit ?? 20;
  const maxBuckets = opts.maxBuckets ?? 1000;
  const [infoA, infoB] = await Promise.all([wh.getTable(a), wh.getTable(b)]);
  if (!infoA) throw new DiffError(`${tableName(a)} does not exist`);
  if (!infoB) throw new DiffError(`${tableName(b)} does not exist`);
  const { plan, key, bucketing, spec } = prepareDiff(wh, a, b, infoA, infoB, opts);
  const report: DiffReport = {
    a: tableName(a),
    b: tableName(b),
    backend: wh.kind,
    verdict: 'not-validated',
    summary: '',
    rows: { a: null, b: null },
    ...(opts.key?.length ? { key: key.map((i) => plan.compared[i]!.a) } : {}),
    columns: { compared: plan.compared.map((c) => ({ a: c.a, b: c.b, comparison: c.comparison })), onlyInA: plan.onlyInA, onlyInB: plan.onlyInB, ignored: plan.ignored },
    normalisations: plan.normalisations,
    tolerance,
    bucketing: describeBucketing(bucketing),
    tiers: [],
    columnStats: [],
    differences: { total: null, rows: [], truncated: false },
    bytesProcessed: 0,
  };
  let budget = opts.maxBytes;
  const run = async (sql: string, tier: string): Promise<Record<string, unknown>[] | string> => {
    const dry = await wh.query(sql, { dryRun: true, labels: opts.labels, signal: opts.signal });
    const bytes = dry.totalBytesProcessed ?? 0;
    if (budget !== undefined && bytes > budget) return `needs ${bytes} bytes, the budget has ${budget} left`;
    const r = await wh.query(sql, { labels: opts.labels, signal: opts.signal });
    const used = r.totalBytesProcessed ?? bytes;
    report.bytesProcessed += used;
    if (budget !== undefined) budget -= used;
    void tier;
    return r.rows;
  };

  // Tiers 1 and 2: one scan of each table. With exact float values, noise everywhere makes more
  // buckets differ than tier 3 may read: then once more with the floats rounded to the tolerance.
  let active = spec;
  let summary = await run(summarySql(active, maxBuckets), 'summary');
  let exactDiffering: number | undefined;
  const differingOf = (rows: Record<string, unknown>[]) => Number(rows.find((r) => r.side === 'a')?.nd ?? rows.filter((r) => r.side === 'd').length);
  if (typeof summary !== 'string' && !active.roundFloats && differingOf(summary) > maxBuckets && plan.compared.some((c) => c.comparison === 'float')) {
    exactDiffering = differingOf(summary);
    active = { ...spec, roundFloats: true };
    summary = await run(summarySql(active, maxBuckets), 'summary');
  }
  if (typeof summary === 'string') {
    report.tiers.push({ tier: 1, name: TIER_NAMES[1], status: 'not-validated', detail: `not validated: ${summary}` }, { tier: 2, name: TIER_NAMES[2], status: 'not-validated', detail: 'not validated: tier 1 did not run' }, { tier: 3, name: TIER_NAMES[3], status: 'not-validated', detail: 'not validated: tier 1 did not run' });
    report.summary = `not validated: the budget does not cover one scan of both tables (${summary})`;
    return finish(report, plan);
  }
  const sideA = summary.find((r) => r.side === 'a');
  const sideB = summary.find((r) => r.side === 'b');
  const buckets = summary.filter((r) => r.side === 'd').map((r) => (r.bucket === null || r.bucket === undefined ? null : String(r.bucket)));
  const nA = Number(sideA?.n ?? 0);
  const nB = Number(sideB?.n ?? 0);
  report.rows = { a: nA, b: nB };
  const fpEqual = !!sideA && !!sideB && String(sideA.x) === String(sideB.x) && String(sideA.s1) === String(sideB.s1) && String(sideA.s2) === String(sideB.s2);
  const tier1Equal = nA === nB && fpEqual;
  const tier1Bytes = report.bytesProcessed;
  report.tiers.push({
    tier: 1,
    name: TIER_NAMES[1],
    status: tier1Equal ? 'equal' : 'different',
    detail: tier1Equal ? `${nA} rows each; the fingerprints of ${plan.compared.length} column(s) equal` : [nA !== nB ? `${nA} vs ${nB} rows` : undefined, fpEqual ? undefined : 'fingerprints differ'].filter(Boolean).join('; '),
    bytes: tier1Bytes,
  });
  const totalBuckets = Math.max(Number(sideA?.nb ?? 0), Number(sideB?.nb ?? 0));
  const differing = Number(sideA?.nd ?? sideB?.nd ?? buckets.length);
  const rounded = exactDiffering === undefined ? '' : `, with floats rounded to ±${tolerance} (by exact values ${exactDiffering} differed, more than the ${maxBuckets} tier 3 may read)`;
  report.tiers.push({ tier: 2, name: TIER_NAMES[2], status: differing === 0 ? 'equal' : 'different', detail: `${differing} of ${totalBuckets} bucket(s) differ (${report.bucketing})${rounded}` });
  if (differing === 0) {
    report.tiers.push({ tier: 3, name: TIER_NAMES[3], status: 'not-needed', detail: 'no bucket differs' });
    report.differences.total = 0;
    report.verdict = tier1Equal ? 'equal' : 'different';
    report.summary = tier1Equal ? `equal: ${nA} rows, ${plan.compared.length} column(s) compared` : 'different: aggregates differ though no bucket does (a fingerprint collision): compare with --key';
    return finish(report, plan);
  }

  // Tier 3: the differing buckets only.
  const examined = buckets.slice(0, maxBuckets);
  const all = examined.length >= differing;
  const fetch = opts.key?.length ? limit : limit * 4 + 8;
  const rowsResult = await run(rowsSql(active, examined, fetch), 'rows');
  if (typeof rowsResult === 'string') {
    report.tiers.push({ tier: 3, name: TIER_NAMES[3], status: 'not-validated', detail: `not validated: ${rowsResult}` });
    // Without floats a differing fingerprint is a difference; with them it may be rounding noise.
    const exact = plan.compared.every((c) => c.comparison !== 'float');
    const definite = nA !== nB || exact;
    report.verdict = definite ? 'different' : 'not-validated';
    report.summary = definite ? `different: ${nA !== nB ? `${nA} vs ${nB} rows` : 'fingerprints differ and no compared column is a float'}; rows not shown (${rowsResult})` : `not validated: ${differing} bucket(s) differ by fingerprint and tier 3 could not run to tell float noise from differences (${rowsResult})`;
    return finish(report, plan);
  }
  report.columnStats = columnStats(plan.compared, parse(rowsResult[0]?.sa), parse(rowsResult[0]?.sb), tolerance);
  const found = opts.key?.length ? keyedDifferences(plan.compared, key, rowsResult) : multisetDifferences(plan.compared, rowsResult, tolerance);
  report.differences = { total: found.total, rows: found.rows.slice(0, limit), truncated: found.total > Math.min(limit, found.rows.length) };
  const scope = all ? `${examined.length} differing bucket(s)` : `the first ${examined.length} of ${differing} differing buckets`;
  report.tiers.push({ tier: 3, name: TIER_NAMES[3], status: found.total > 0 ? 'different' : all ? 'equal' : 'not-validated', detail: `${found.total} ${opts.key?.length ? 'key(s)' : 'distinct row(s)'} differ in ${scope}${found.paired ? `; ${found.paired} float-rounding pair(s) within ±${tolerance} matched` : ''}`, bytes: report.bytesProcessed - tier1Bytes });
  if (found.total > 0) {
    report.verdict = 'different';
    report.summary = `different: ${found.total}${all ? '' : '+'} ${opts.key?.length ? 'key(s)' : 'distinct row(s)'} differ${nA !== nB ? ` (${nA} vs ${nB} rows)` : ''}`;
  } else if (all && nA === nB) {
    report.verdict = 'equal';
    report.summary = `equal within ±${tolerance}: the ${differing} bucket(s) that differed by fingerprint hold only float values that round differently`;
  } else {
    report.verdict = nA === nB ? 'not-validated' : 'different';
    report.summary = nA === nB ? `not validated: ${differing - examined.length} differing bucket(s) were not examined (raise --max-buckets)` : `different: ${nA} vs ${nB} rows`;
  }
  return finish(report, plan);
}

function finish(report: DiffReport, plan: ColumnPlan): DiffReport {
  // Columns on one side only are a difference of their own, whatever the rows say.
  if ((plan.onlyInA.length || plan.onlyInB.length) && report.verdict === 'equal') {
    report.verdict = 'different';
    report.summary = `different columns (${[plan.onlyInA.length ? `only in ${report.a}: ${plan.onlyInA.join(', ')}` : '', plan.onlyInB.length ? `only in ${report.b}: ${plan.onlyInB.join(', ')}` : ''].filter(Boolean).join('; ')}); the ${report.columns.compared.length} compared column(s) are equal`;
  }
  return report;
}

function filters(wh: Pick<Warehouse, 'kind' | 'project'> & { dialect: Pick<Warehouse['dialect'], 'ident'> }, info: TableInfo, userWhere: string | undefined): string[] {
  const out: string[] = [];
  const partition = allPartitionsFilter(wh.kind, info, (n) => wh.dialect.ident(n));
  if (partition) out.push(partition);
  if (userWhere?.trim()) out.push(wh.kind === 'local' ? bigQueryToDuckDb(userWhere, { projects: [wh.project] }) : userWhere);
  return out;
}

function describeBucketing(b: Bucketing): string {
  if (b.kind === 'partition') return `buckets: ${b.unit} partitions of ${b.column.a === b.column.b ? b.column.a : `${b.column.a}/${b.column.b}`}`;
  return `buckets: ${b.buckets} by hash of the ${b.kind === 'key' ? 'key' : 'whole row'}`;
}

function columnStats(columns: ComparedColumn[], a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined, tolerance: number): ColumnStatDifference[] {
  if (!a || !b) return [];
  const out: ColumnStatDifference[] = [];
  const n = (r: Record<string, unknown>) => Number(r.n ?? 0);
  columns.forEach((c, i) => {
    const nullsA = n(a) - Number(a[`nn${i}`] ?? 0);
    const nullsB = n(b) - Number(b[`nn${i}`] ?? 0);
    if (nullsA !== nullsB) out.push({ column: c.a, property: 'nulls', a: nullsA, b: nullsB });
    for (const p of ['lo', 'hi'] as const) {
      const va = a[`${p}${i}`] as string | null | undefined;
      const vb = b[`${p}${i}`] as string | null | undefined;
      const same = c.comparison === 'float' && va != null && vb != null ? Math.abs(Number(va) - Number(vb)) <= tolerance || va === vb : (va ?? null) === (vb ?? null);
      if (!same) out.push({ column: c.a, property: p === 'lo' ? 'min' : 'max', a: va ?? null, b: vb ?? null });
    }
  });
  return out;
}

const parse = (v: unknown): Record<string, unknown> | undefined => (typeof v === 'string' ? (JSON.parse(v) as Record<string, unknown>) : (v as Record<string, unknown> | undefined) ?? undefined);
const named = (columns: ComparedColumn[], r: Record<string, unknown> | undefined) => (r ? Object.fromEntries(columns.map((c, i) => [c.a, r[`c${i}`] ?? null])) : undefined);

function keyedDifferences(columns: ComparedColumn[], key: number[], rows: Record<string, unknown>[]): { total: number; rows: RowDifference[]; paired: number } {
  const total = Number(rows[0]?.total ?? 0);
  const out = rows.map((r): RowDifference => {
    const na = Number(r.na ?? 0);
    const nb = Number(r.nb ?? 0);
    const k = parse(r.k) ?? {};
    const keyValues = Object.fromEntries(key.map((ci, j) => [columns[ci]!.a, k[`c${j}`] ?? null]));
    const kind: DifferenceKind = na === 0 ? 'only-in-b' : nb === 0 ? 'only-in-a' : na !== nb || na > 1 ? 'count-differs' : 'changed';
    const diff: RowDifference = { kind, key: keyValues, countA: na, countB: nb };
    if (na > 0) diff.a = named(columns, parse(r.ra));
    if (nb > 0) diff.b = named(columns, parse(r.rb));
    if (kind === 'changed') diff.columns = columns.filter((_c, i) => r[`d${i}`] === true).map((c) => c.a);
    return diff;
  });
  return { total, rows: out, paired: 0 };
}

/**
 * Without a key: distinct rows whose counts differ. Rows that differ only by float values
 * within the tolerance (a rounding boundary between them) are matched and dropped here.
 */
function multisetDifferences(columns: ComparedColumn[], rows: Record<string, unknown>[], tolerance: number): { total: number; rows: RowDifference[]; paired: number } {
  let total = Number(rows[0]?.total ?? 0);
  const diffs = rows.map((r): RowDifference => {
    const na = Number(r.na ?? 0);
    const nb = Number(r.nb ?? 0);
    const row = named(columns, parse(r.r));
    return { kind: na === 0 ? 'only-in-b' : nb === 0 ? 'only-in-a' : 'count-differs', countA: na, countB: nb, ...(na > 0 ? { a: row } : {}), ...(nb > 0 ? { b: row } : {}) };
  });
  const close = (x: Record<string, unknown>, y: Record<string, unknown>) =>
    columns.every((c) => {
      const u = x[c.a];
      const v = y[c.a];
      if (c.comparison === 'float' && typeof u === 'number' && typeof v === 'number') return Math.abs(u - v) <= tolerance;
      return JSON.stringify(u) === JSON.stringify(v);
    });
  let paired = 0;
  const kept: RowDifference[] = [];
  const used = new Set<number>();
  diffs.forEach((d, i) => {
    if (used.has(i)) return;
    if (d.kind === 'only-in-a' && d.countA === 1) {
      const j = diffs.findIndex((e, k) => k > i && !used.has(k) && e.kind === 'only-in-b' && e.countB === 1 && close(d.a!, e.b!));
      if (j >= 0) {
        used.add(j);
        paired++;
        return;
      }
    }
    if (d.kind === 'only-in-b' && d.countB === 1) {
      const j = diffs.findIndex((e, k) => k > i && !used.has(k) && e.kind === 'only-in-a' && e.countA === 1 && close(e.a!, d.b!));
      if (j >= 0) {
        used.add(j);
        paired++;
        return;
      }
    }
    kept.push(d);
  });
  total -= paired * 2;
  return { total: Math.max(total, kept.length), rows: kept, paired };
}
