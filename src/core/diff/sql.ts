/**
 * The SQL of the three tiers, for BigQuery and for DuckDB (the local warehouse). Everything is
 * computed in the warehouse; a query returns a handful of summary rows, the ids of the
 * buckets that differ, or the differing rows themselves (up to a limit).
 *
 *   tiers 1+2, one scan of each table: per bucket, the row count, BIT_XOR and sums of per-row
 *     fingerprints (BigQuery FARM_FINGERPRINT(TO_JSON_STRING(STRUCT(…))), DuckDB hash(struct_pack(…)));
 *     rolled up per table for tier 1, and the buckets whose fingerprints differ for tier 2.
 *   tier 3, the differing buckets only: rows by key side by side (or, without a key, as
 *     multisets grouped by fingerprint), with the columns that differ beyond the tolerance, and
 *     per-column non-null counts, min and max of those buckets on each side. Equal buckets hold
 *     equal rows, so a difference in a column's null count over the differing buckets is its
 *     difference over the whole tables; computing them there, not in the full scan, keeps
 *     tiers 1 and 2 to little more than one hash per row.
 *
 * Buckets are the tables' partitions when both are partitioned alike on a compared DATE,
 * TIMESTAMP or DATETIME column by DAY, MONTH or YEAR (tier 3 then prunes partitions on
 * BigQuery), else a hash of the key, else a hash of the whole row.
 */
import { parsePartitioning } from '../warehouse/table-meta';
import type { TableId, TableInfo } from '../warehouse/types';
import { roundingDigits, type ComparedColumn } from './columns';

export interface DiffDialect {
  kind: 'local' | 'bigquery';
  table(id: TableId): string;
  ident(name: string): string;
  literal(value: string): string;
}

/** How rows are put into buckets; the same expression on both sides. */
export type Bucketing = { kind: 'partition'; column: ComparedColumn; unit: 'DAY' | 'MONTH' | 'YEAR' } | { kind: 'key'; buckets: number } | { kind: 'row'; buckets: number };

export interface DiffSqlSpec {
  d: DiffDialect;
  a: TableId;
  b: TableId;
  columns: ComparedColumn[];
  /** Indexes into `columns` of the key columns. */
  key: number[];
  bucketing: Bucketing;
  tolerance: number;
  /**
   * Whether float values enter the fingerprints rounded to the tolerance's granule, so that rows
   * differing by noise alone fall in equal buckets. Needed without a key (tier 3 pairs noisy rows
   * in Node, a limited number) and where a float is compared with another type; with a key, tier 3
   * applies the tolerance itself, so exact values serve and save most of the scan's work.
   */
  roundFloats: boolean;
  /** Predicates for each side (the user's --where, the partition filter a table requires). */
  whereA: string[];
  whereB: string[];
}

const isBq = (d: DiffDialect) => d.kind === 'bigquery';

/** A column's comparable value on one side: what equality and the tolerance apply to. */
export function valueExpr(d: DiffDialect, c: ComparedColumn, side: 'a' | 'b'): string {
  const col = d.ident(side === 'a' ? c.a : c.b);
  const type = side === 'a' ? c.typeA : c.typeB;
  if (isBq(d)) {
    switch (c.comparison) {
      case 'float':
        return `CAST(${col} AS FLOAT64)`;
      case 'numeric':
        return `CAST(${col} AS BIGNUMERIC)`;
      case 'instant':
        return type === 'DATETIME' ? `UNIX_MICROS(TIMESTAMP(${col}))` : `UNIX_MICROS(${col})`;
      case 'text':
        return `CAST(${col} AS STRING)`;
      case 'json':
        return `TO_JSON_STRING(${col})`;
      default:
        return col;
    }
  }
  switch (c.comparison) {
    case 'float':
      return `CAST(${col} AS DOUBLE)`;
    case 'numeric':
      return `CAST(${col} AS DECIMAL(38, 9))`;
    case 'instant':
      return `epoch_us(${col})`;
    case 'text':
      return `CAST(${col} AS VARCHAR)`;
    case 'json':
      return `CAST(to_json(${col}) AS VARCHAR)`;
    default:
      // One canonical type per BigQuery type, so both sides hash alike (INTEGER and BIGINT do not).
      return ({ INT64: `CAST(${col} AS BIGINT)`, STRING: `CAST(${col} AS VARCHAR)`, BOOL: `CAST(${col} AS BOOLEAN)`, DATE: `CAST(${col} AS DATE)`, BYTES: `CAST(${col} AS BLOB)` } as Record<string, string>)[type] ?? col;
  }
}

/** The value as it enters the fingerprint: floats rounded to the tolerance's granule. */
function fpValueExpr(d: DiffDialect, c: ComparedColumn, side: 'a' | 'b', tolerance: number, round: boolean): string {
  const v = valueExpr(d, c, side);
  if (c.comparison !== 'float' || !round) return v;
  const digits = roundingDigits(tolerance);
  // DuckDB's two-argument round computes a power of ten per value; scaling first is the same
  // granule at a third of the cost. Past ±1e290 the product could overflow, so those keep their value.
  return isBq(d) ? `ROUND(${v}, ${digits})` : `CASE WHEN abs(${v}) < 1e290 THEN round(${v} * 1e${digits}) ELSE ${v} END`;
}

/** A 64-bit fingerprint of a list of values (positional: renamed columns fingerprint alike). */
export function fingerprint(d: DiffDialect, values: string[]): string {
  if (isBq(d)) return `FARM_FINGERPRINT(TO_JSON_STRING(STRUCT(${values.map((v, i) => `${v} AS c${i}`).join(', ')})))`;
  // The constant first field: a row of zeros would otherwise hash to 0 and vanish from XORs and sums.
  return `hash(struct_pack(s := 1, ${values.map((v, i) => `c${i} := ${v}`).join(', ')}))`;
}

function rowFingerprint(s: DiffSqlSpec, side: 'a' | 'b'): string {
  return fingerprint(s.d, s.columns.map((c) => fpValueExpr(s.d, c, side, s.tolerance, s.roundFloats)));
}

/** The bucket of a row, from the inner select's `_fp` (row fingerprint), `_k` (key fingerprint) or `_p` (partition value). */
function bucketOf(s: DiffSqlSpec): string {
  return bucketExpr(s, { _fp: '_fp', _k: '_k', _p: '_p' });
}

/** The bucket expression over the given fingerprint, key fingerprint and partition expressions. */
function bucketExpr(s: DiffSqlSpec, e: { _fp: string; _k: string; _p: string }): string {
  const b = s.bucketing;
  if (b.kind === 'partition') return e._p;
  const source = b.kind === 'key' ? e._k : e._fp;
  return isBq(s.d) ? `MOD(${source}, ${b.buckets})` : `(${source} % ${b.buckets})`;
}

/** The partition a row is in, as a DATE (the bucket id when bucketing by partition). */
function partitionValue(s: DiffSqlSpec, side: 'a' | 'b'): string | undefined {
  const b = s.bucketing;
  if (b.kind !== 'partition') return undefined;
  const col = s.d.ident(side === 'a' ? b.column.a : b.column.b);
  const type = side === 'a' ? b.column.typeA : b.column.typeB;
  if (isBq(s.d)) {
    const day = type === 'DATE' ? col : `DATE(${col})`;
    return b.unit === 'DAY' ? day : `DATE_TRUNC(${day}, ${b.unit})`;
  }
  return b.unit === 'DAY' ? `CAST(${col} AS DATE)` : `CAST(date_trunc('${b.unit.toLowerCase()}', ${col}) AS DATE)`;
}

/**
 * One side's rows as the tiers read them: `_fp`, `_k`/`_key` (with a key), `_p` (by partition), plus
 * `extra` columns. `buckets`, when given, is a predicate on the bucket written over the table's own
 * columns, so the scan drops every other row before any fingerprint or row value is computed.
 */
function sideRows(s: DiffSqlSpec, side: 'a' | 'b', extra: string[], buckets?: (bucket: string) => string): string {
  const values = s.columns.map((c) => valueExpr(s.d, c, side));
  // The key's fingerprint only buckets and joins rows (it is never XORed), so DuckDB's plain hash of the values serves.
  const keyValues = s.key.map((k) => values[k]!);
  const keyFp = s.key.length ? (isBq(s.d) ? fingerprint(s.d, keyValues) : `hash(${keyValues.join(', ')})`) : undefined;
  const fp = rowFingerprint(s, side);
  const p = partitionValue(s, side);
  const cols = [`${fp} AS _fp`, ...(keyFp ? [`${keyFp} AS _k`, `${rowStruct(s.d, keyValues)} AS _key`] : []), ...(p ? [`${p} AS _p`] : []), ...extra];
  const preds = [...(side === 'a' ? s.whereA : s.whereB), ...(buckets ? [buckets(bucketExpr(s, { _fp: fp, _k: keyFp ?? '', _p: p ?? '' }))] : [])];
  return `SELECT ${cols.join(', ')} FROM ${s.d.table(side === 'a' ? s.a : s.b)}${where(preds)}`;
}

/** Bucket ids come back as text; they go into SQL again only after this check. */
export function bucketLiteral(s: Pick<DiffSqlSpec, 'd' | 'bucketing'>, id: string | null): string {
  if (s.bucketing.kind === 'partition') {
    if (id === null) return 'NULL';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(id)) throw new Error(`unexpected partition bucket ${JSON.stringify(id)}`);
    return `DATE '${id}'`;
  }
  if (id === null || !/^-?\d+$/.test(id)) throw new Error(`unexpected bucket ${JSON.stringify(id)}`);
  return id;
}

const where = (preds: string[]) => (preds.length ? ` WHERE ${preds.map((p) => `(${p})`).join(' AND ')}` : '');

/** Aggregates of a fingerprint: BIT_XOR and sums that cannot overflow (BigQuery INT64 halves; DuckDB HUGEINT). */
/** An order-independent fingerprint of a multiset of row fingerprints: `_x`, `_s1`, `_s2` (each with `suffix`); equal multisets, equal triples. */
export function fpAggregates(d: DiffDialect, fp: string, suffix = ''): string[] {
  return isBq(d) ? [`BIT_XOR(${fp}) AS _x${suffix}`, `SUM(${fp} >> 32) AS _s1${suffix}`, `SUM(${fp} & 4294967295) AS _s2${suffix}`] : [`bit_xor(${fp}) AS _x${suffix}`, `CAST(sum(${fp}) AS VARCHAR) AS _s1${suffix}`, `0 AS _s2${suffix}`];
}

const str = (d: DiffDialect, e: string) => `CAST(${e} AS ${isBq(d) ? 'STRING' : 'VARCHAR'})`;
const orderable = (c: ComparedColumn) => c.comparison !== 'json';

/** Tiers 1 and 2 in one statement; rows: side 'a' and 'b' (tier 1 roll-ups), then side 'd' per differing bucket (at most `bucketLimit` + 1). */
export function summarySql(s: DiffSqlSpec, bucketLimit: number): string {
  const d = s.d;
  const side = (x: 'a' | 'b') => `SELECT ${bucketOf(s)} AS _b, _fp FROM (${sideRows(s, x, [])})`;
  const group = (r: string) => `SELECT _b, COUNT(*) AS _n, ${fpAggregates(d, '_fp').join(', ')} FROM ${r} GROUP BY _b`;
  const sumText = isBq(d) ? 'SUM(_s1)' : `CAST(sum(CAST(_s1 AS HUGEINT)) AS VARCHAR)`;
  const rollup = (g: string, tag: string) =>
    `SELECT '${tag}' AS side, ${str(d, 'NULL')} AS bucket, SUM(_n) AS n, ${isBq(d) ? 'BIT_XOR(_x)' : 'bit_xor(_x)'} AS x, ${str(d, sumText)} AS s1, ${str(d, isBq(d) ? 'SUM(_s2)' : '0')} AS s2, (SELECT COUNT(*) FROM dd) AS nd, COUNT(*) AS nb FROM ${g}`;
  // A NULL partition value is a bucket of its own: equality joins need a stand-in.
  const joinKey = (g: string) => (s.bucketing.kind === 'partition' ? `COALESCE(${g}._b, DATE '0001-01-01')` : `${g}._b`);
  return [
    'WITH',
    `ra AS (${side('a')}),`,
    `rb AS (${side('b')}),`,
    `ga AS (${group('ra')}),`,
    `gb AS (${group('rb')}),`,
    `dd AS (SELECT COALESCE(ga._b, gb._b) AS _b FROM ga FULL JOIN gb ON ${joinKey('ga')} = ${joinKey('gb')}`,
    `  WHERE ga._n IS NULL OR gb._n IS NULL OR ga._n != gb._n OR ga._x != gb._x OR ga._s1 != gb._s1 OR ga._s2 != gb._s2)`,
    rollup('ga', 'a'),
    'UNION ALL',
    rollup('gb', 'b'),
    'UNION ALL',
    `SELECT 'd', ${str(d, '_b')}, NULL, NULL, ${str(d, 'NULL')}, ${str(d, 'NULL')}, NULL, NULL FROM (SELECT _b FROM dd ORDER BY _b LIMIT ${bucketLimit + 1})`,
  ].join('\n');
}

/**
 * Per side, over the rows of the differing buckets (where every difference is): the row count and
 * per column the non-null count, min and max, as one JSON object `{n, nn0, lo0, hi0, …}`.
 */
function statsOf(d: DiffDialect, columns: ComparedColumn[], rows: string): string {
  const fields = [`COUNT(*) AS n`, ...columns.flatMap((c, i) => [`COUNT(_r.c${i}) AS nn${i}`, orderable(c) ? `${str(d, `MIN(_r.c${i})`)} AS lo${i}` : `${str(d, 'NULL')} AS lo${i}`, orderable(c) ? `${str(d, `MAX(_r.c${i})`)} AS hi${i}` : `${str(d, 'NULL')} AS hi${i}`])];
  return isBq(d) ? `(SELECT TO_JSON_STRING(t) FROM (SELECT ${fields.join(', ')} FROM ${rows}) AS t)` : `(SELECT CAST(to_json(t) AS VARCHAR) FROM (SELECT ${fields.join(', ')} FROM ${rows}) AS t)`;
}

/** Per column on one differing row: whether it differs beyond the tolerance (NULL vs '' differs; NaN only equals NaN). */
function differs(d: DiffDialect, c: ComparedColumn, a: string, b: string, tolerance: number): string {
  if (c.comparison !== 'float') return `(${a} IS DISTINCT FROM ${b})`;
  const nan = isBq(d) ? 'IS_NAN' : 'isnan';
  return `COALESCE(NOT (${a} IS NULL AND ${b} IS NULL) AND (${a} IS NULL OR ${b} IS NULL OR ${nan}(${a}) != ${nan}(${b}) OR ABS(${a} - ${b}) > ${tolerance}), FALSE)`;
}

function rowStruct(d: DiffDialect, names: string[]): string {
  return isBq(d) ? `STRUCT(${names.map((n, i) => `${n} AS c${i}`).join(', ')})` : `struct_pack(${names.map((n, i) => `c${i} := ${n}`).join(', ')})`;
}

const json = (d: DiffDialect, e: string) => (isBq(d) ? `TO_JSON_STRING(${e})` : `CAST(to_json(${e}) AS VARCHAR)`);

/**
 * Tier 3: the rows of the given buckets that differ. With a key: per key, the row count on each
 * side, one row of each as JSON, and a flag per column; without: per distinct row (fingerprint),
 * its count on each side. `total` counts every differing key (or distinct row), not just those returned.
 */
export function rowsSql(s: DiffSqlSpec, buckets: (string | null)[], limit: number): string {
  const d = s.d;
  const lits = buckets.map((id) => bucketLiteral(s, id));
  const values = lits.filter((l) => l !== 'NULL');
  const inList = (b: string) => [values.length ? `${b} IN (${values.join(', ')})` : undefined, lits.includes('NULL') ? `${b} IS NULL` : undefined].filter(Boolean).join(' OR ') || 'FALSE';
  const side = (x: 'a' | 'b') => `SELECT ${bucketOf(s)} AS _b, * FROM (${sideRows(s, x, [`${rowStruct(d, s.columns.map((c) => valueExpr(d, c, x)))} AS _r`], inList)})`;
  const anyValue = isBq(d) ? 'ANY_VALUE' : 'any_value';
  if (s.key.length) {
    const group = (r: string) => `SELECT _k, ${anyValue}(_key) AS _key, COUNT(*) AS _n, ${fpAggregates(d, '_fp').join(', ')}, ${anyValue}(_r) AS _r FROM ${r} GROUP BY _k`;
    const flags = s.columns.map((c, i) => `${differs(d, c, `ra_.c${i}`, `rb_.c${i}`, s.tolerance)} AS d${i}`);
    const anyFlag = s.columns.map((_c, i) => `d${i}`).join(' OR ') || 'FALSE';
    return [
      'WITH',
      `ra AS (${side('a')}),`,
      `rb AS (${side('b')}),`,
      `ka AS (${group('ra')}),`,
      `kb AS (${group('rb')}),`,
      `j AS (SELECT COALESCE(ka._key, kb._key) AS _key, ka._n AS na, kb._n AS nb, ka._r AS ra_, kb._r AS rb_,`,
      `  (ka._x = kb._x AND ka._s1 = kb._s1 AND ka._s2 = kb._s2) AS same FROM ka FULL JOIN kb ON ka._k = kb._k),`,
      `f AS (SELECT _key, na, nb, ra_, rb_, ${flags.join(', ')} FROM j WHERE na IS NULL OR nb IS NULL OR na != nb OR NOT same)`,
      `SELECT ${json(d, '_key')} AS k, na, nb, ${json(d, 'ra_')} AS ra, ${json(d, 'rb_')} AS rb, ${s.columns.map((_c, i) => `d${i}`).join(', ')}${s.columns.length ? ', ' : ''}COUNT(*) OVER () AS total,`,
      `  ${statsOf(d, s.columns, 'ra')} AS sa, ${statsOf(d, s.columns, 'rb')} AS sb`,
      `FROM f WHERE na IS NULL OR nb IS NULL OR na != nb OR na > 1 OR ${anyFlag}`,
      `ORDER BY k LIMIT ${limit}`,
    ].join('\n');
  }
  const zero = isBq(d) ? 'IFNULL' : 'coalesce';
  return [
    'WITH',
    `ra AS (${side('a')}),`,
    `rb AS (${side('b')}),`,
    `ga AS (SELECT _fp, COUNT(*) AS _n, ${anyValue}(_r) AS _r FROM ra GROUP BY _fp),`,
    `gb AS (SELECT _fp, COUNT(*) AS _n, ${anyValue}(_r) AS _r FROM rb GROUP BY _fp)`,
    `SELECT ${json(d, 'COALESCE(ga._r, gb._r)')} AS r, ${zero}(ga._n, 0) AS na, ${zero}(gb._n, 0) AS nb, COUNT(*) OVER () AS total,`,
    `  ${statsOf(d, s.columns, 'ra')} AS sa, ${statsOf(d, s.columns, 'rb')} AS sb,`,
    `  SUM(ABS(${zero}(ga._n, 0) - ${zero}(gb._n, 0))) OVER () AS total_rows`,
    `FROM ga FULL JOIN gb ON ga._fp = gb._fp WHERE ${zero}(ga._n, 0) != ${zero}(gb._n, 0)`,
    `ORDER BY r LIMIT ${limit}`,
  ].join('\n');
}

/** Bucket by partition when both tables are partitioned alike on a compared column by DAY, MONTH or YEAR. */
export function chooseBucketing(a: TableInfo, b: TableInfo, columns: ComparedColumn[], key: number[], rows: number): Bucketing {
  const pa = parsePartitioning(a.partitioning);
  const pb = parsePartitioning(b.partitioning);
  if (pa?.kind === 'time' && pb?.kind === 'time' && pa.unit === pb.unit && pa.unit !== 'HOUR') {
    const column = columns.find((c) => c.a.toLowerCase() === pa.field.toLowerCase() && c.b.toLowerCase() === pb.field.toLowerCase());
    if (column && ['DATE', 'TIMESTAMP', 'DATETIME'].includes(column.typeA) && ['DATE', 'TIMESTAMP', 'DATETIME'].includes(column.typeB)) return { kind: 'partition', column, unit: pa.unit as 'DAY' | 'MONTH' | 'YEAR' };
  }
  // About 256 rows a bucket, a power of two between 16 and 65,536.
  const buckets = Math.min(65_536, Math.max(16, 2 ** Math.ceil(Math.log2(Math.max(1, rows) / 256))));
  return key.length ? { kind: 'key', buckets } : { kind: 'row', buckets };
}
