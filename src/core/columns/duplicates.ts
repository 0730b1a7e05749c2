/**
 * Duplicate columns of one table, found in the warehouse with SQL: no row reaches Node.
 *
 * Two scans. The first reads the table once to take a deterministic sample (rows whose fingerprint of a
 * few leading columns falls in one residue class, about 2,000 rows), unpivots the sample and pairs every
 * two columns of one type family on the same rows: pairs that agree on most sampled rows where both are
 * non-null are candidates. The second reads the table once to measure every candidate pair exactly —
 * rows where both are non-null, where they are equal (FLOAT64 within a tolerance), where exactly one is
 * null — and each column's nulls. Pairs at or above the threshold are joined into groups; names are a
 * hint only (never a reason to group).
 */
import type { ColumnInfo, TableId, Warehouse } from '../warehouse/types';

export interface DuplicateOptions {
  /** Share of rows (where both are non-null) that must agree; default 0.999. */
  threshold?: number;
  /** FLOAT64 values agree when |a − b| ≤ tolerance × max(1, |a|); default 1e-9. */
  tolerance?: number;
  /** Rows to sample for candidates (default 2,000). */
  sampleRows?: number;
}

export interface PairMeasure {
  a: string;
  b: string;
  /** Rows where both are non-null. */
  both: number;
  /** Of those, rows where they agree. */
  equal: number;
  /** Rows where exactly one of them is null. */
  oneNull: number;
  matchRate: number;
  /** identical: equal, and null on the same rows; null-padded: equal where both are set, one has more nulls; tolerance: agree within the tolerance on ≥ threshold of rows. */
  kind: 'identical' | 'null-padded' | 'tolerance';
}

export interface DuplicateGroup {
  columns: string[];
  /** The proposed canonical column: the fewest nulls, then the shortest name. */
  canonical: string;
  nullRates: Record<string, number>;
  pairs: PairMeasure[];
  /** The names share a word (a hint, not a reason). */
  similarNames: boolean;
}

export interface DuplicateReport {
  table: string;
  rows: number;
  columns: number;
  candidates: number;
  groups: DuplicateGroup[];
  /** Full reads of the table. */
  scans: number;
  threshold: number;
  tolerance: number;
}

type Family = 'number' | 'float' | 'string' | 'bool' | 'time';

function familyOf(c: ColumnInfo): Family | undefined {
  const t = c.type.toUpperCase();
  if (t === 'FLOAT64' || t === 'FLOAT' || t === 'DOUBLE') return 'float';
  if (t === 'INT64' || t === 'INTEGER' || t === 'NUMERIC' || t === 'BIGNUMERIC' || t.startsWith('DECIMAL')) return 'number';
  if (t === 'STRING') return 'string';
  if (t === 'BOOL' || t === 'BOOLEAN') return 'bool';
  if (t === 'DATE' || t === 'DATETIME' || t === 'TIMESTAMP' || t === 'TIME') return 'time';
  return undefined;
}

const num = (x: unknown): number => (typeof x === 'bigint' ? Number(x) : typeof x === 'number' ? x : Number(x ?? 0));

/** The SQL of an agreement test of two columns as the same family. */
function agrees(a: string, b: string, family: Family, tol: number): string {
  if (family === 'float' || family === 'number') return `ABS(CAST(${a} AS FLOAT64) - CAST(${b} AS FLOAT64)) <= ${tol} * GREATEST(1, ABS(CAST(${a} AS FLOAT64)))`;
  return `${a} = ${b}`;
}

export async function findDuplicateColumns(wh: Warehouse, id: TableId, opts: DuplicateOptions = {}): Promise<DuplicateReport> {
  const threshold = opts.threshold ?? 0.999;
  const tolerance = opts.tolerance ?? 1e-9;
  const info = await wh.getTable(id);
  if (!info) throw new Error(`${id.dataset}.${id.table} does not exist`);
  const table = wh.dialect.table(id);
  const q = (name: string) => wh.dialect.ident(name);
  const cols = info.schema.flatMap((c) => {
    const f = familyOf(c);
    return f ? [{ name: c.name, family: f }] : [];
  });
  let rows = info.rowCount;
  let scans = 0;
  if (rows === null) {
    rows = num((await wh.query(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0]?.n);
    scans++;
  }
  const report: DuplicateReport = { table: `${id.dataset}.${id.table}`, rows, columns: cols.length, candidates: 0, groups: [], scans, threshold, tolerance };
  if (cols.length < 2 || rows === 0) return report;

  // Scan 1: candidates from a deterministic sample, unpivoted with UNNEST (one read) and paired in SQL.
  const sampleRows = opts.sampleRows ?? 2000;
  const modulus = Math.max(1, Math.floor(rows / sampleRows));
  const keyCols = info.schema.slice(0, 8).map((c) => `COALESCE(CAST(${q(c.name)} AS STRING), '~')`);
  const familyIds = [...new Set(cols.map((c) => c.family))];
  const numeric = (f: Family) => f === 'float' || f === 'number';
  const cells = cols.map((c, i) => {
    const f = familyIds.indexOf(c.family);
    return numeric(c.family)
      ? `STRUCT(${i} AS col, ${f} AS fam, CAST(${q(c.name)} AS FLOAT64) AS v, CAST(NULL AS STRING) AS s)`
      : `STRUCT(${i} AS col, ${f} AS fam, CAST(NULL AS FLOAT64) AS v, CAST(${q(c.name)} AS STRING) AS s)`;
  });
  const eq = `((x.v IS NOT NULL AND ABS(x.v - y.v) <= ${tolerance} * GREATEST(1, ABS(x.v))) OR (x.s IS NOT NULL AND x.s = y.s))`;
  // DuckDB names the unnested struct through a column alias (`u(c)`); BigQuery names it by the table alias.
  const sql = `WITH sample AS (
  SELECT * FROM (SELECT t.*, FARM_FINGERPRINT(CONCAT(${keyCols.join(", '|', ")})) AS __rk FROM ${table} AS t) AS k
  WHERE MOD(ABS(__rk), ${modulus}) = 0
), cells AS (
  SELECT __rk, c.col AS col, c.fam AS fam, c.v AS v, c.s AS s FROM sample, UNNEST([${cells.join(',\n    ')}]) AS ${wh.kind === 'local' ? 'u(c)' : 'c'}
)
SELECT x.col AS a, y.col AS b, COUNT(*) AS both_set, SUM(CASE WHEN ${eq} THEN 1 ELSE 0 END) AS agree
FROM cells AS x JOIN cells AS y ON x.__rk = y.__rk AND x.fam = y.fam AND x.col < y.col
WHERE COALESCE(CAST(x.v AS STRING), x.s) IS NOT NULL AND COALESCE(CAST(y.v AS STRING), y.s) IS NOT NULL
GROUP BY x.col, y.col
HAVING SUM(CASE WHEN ${eq} THEN 1 ELSE 0 END) >= ${Math.min(threshold, 0.9)} * COUNT(*)`;
  const candidates: { a: string; b: string; family: Family }[] = [];
  for (const r of (await wh.query(sql)).rows) candidates.push({ a: cols[num(r.a)]!.name, b: cols[num(r.b)]!.name, family: cols[num(r.a)]!.family });
  scans++;
  report.candidates = candidates.length;

  // Scan 2: every candidate pair and every column's nulls, measured over the whole table.
  const nullExprs = cols.map((c, i) => `SUM(CASE WHEN ${q(c.name)} IS NULL THEN 1 ELSE 0 END) AS n${i}`);
  const pairExprs = candidates.flatMap((p, i) => {
    const a = q(p.a);
    const b = q(p.b);
    return [
      `SUM(CASE WHEN ${a} IS NOT NULL AND ${b} IS NOT NULL THEN 1 ELSE 0 END) AS b${i}`,
      `SUM(CASE WHEN ${a} IS NOT NULL AND ${b} IS NOT NULL AND ${agrees(a, b, p.family, tolerance)} THEN 1 ELSE 0 END) AS e${i}`,
      `SUM(CASE WHEN (${a} IS NULL) <> (${b} IS NULL) THEN 1 ELSE 0 END) AS o${i}`,
      `SUM(CASE WHEN ${a} = ${b} THEN 1 ELSE 0 END) AS x${i}`,
    ];
  });
  const measured = (await wh.query(`SELECT COUNT(*) AS n, ${[...nullExprs, ...pairExprs].join(', ')} FROM ${table}`)).rows[0] ?? {};
  scans++;
  report.scans = scans;
  const total = num(measured.n);
  const nullRate = new Map(cols.map((c, i) => [c.name, total ? num(measured[`n${i}`]) / total : 0]));
  // A pair counts when enough rows have both set to say anything (1 % of the table, at least 30 rows).
  const minBoth = Math.max(30, Math.ceil(total * 0.01));
  const pairs: PairMeasure[] = [];
  candidates.forEach((p, i) => {
    const both = num(measured[`b${i}`]);
    const equal = num(measured[`e${i}`]);
    const oneNull = num(measured[`o${i}`]);
    if (both < minBoth) return;
    const matchRate = equal / both;
    if (matchRate < threshold) return;
    const exact = num(measured[`x${i}`]);
    const kind = exact === both ? (oneNull === 0 ? 'identical' : 'null-padded') : 'tolerance';
    pairs.push({ a: p.a, b: p.b, both, equal, oneNull, matchRate, kind });
  });

  // Groups: connected columns, every pair inside a group measured (no chains of near misses).
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    const p = parent.get(x) ?? x;
    if (p === x) return x;
    const root = find(p);
    parent.set(x, root);
    return root;
  };
  for (const p of pairs) parent.set(find(p.a), find(p.b));
  const byRoot = new Map<string, string[]>();
  for (const c of cols) {
    if (!pairs.some((p) => p.a === c.name || p.b === c.name)) continue;
    const r = find(c.name);
    byRoot.set(r, [...(byRoot.get(r) ?? []), c.name]);
  }
  for (const columns of byRoot.values()) {
    const inGroup = pairs.filter((p) => columns.includes(p.a) && columns.includes(p.b));
    const canonical = [...columns].sort((x, y) => nullRate.get(x)! - nullRate.get(y)! || x.length - y.length || (x < y ? -1 : 1))[0]!;
    const words = columns.map((c) => new Set(c.toLowerCase().split(/_+/).filter((w) => w.length > 2)));
    const similarNames = words.every((w, k) => k === 0 || [...w].some((x) => words[0]!.has(x)));
    report.groups.push({ columns, canonical, nullRates: Object.fromEntries(columns.map((c) => [c, nullRate.get(c)!])), pairs: inGroup, similarNames });
  }
  report.groups.sort((x, y) => (x.canonical < y.canonical ? -1 : 1));
  return report;
}
