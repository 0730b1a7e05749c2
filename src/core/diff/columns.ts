/**
 * Which columns of table A are compared with which of table B, and how: by name (BigQuery
 * column names are case-insensitive) or through renames, with the types normalised so equal
 * content compares equal — FLOAT64 (and NUMERIC or INT64 against FLOAT64) within a tolerance,
 * timestamps as UTC instants, other mismatched types as text. Pure: no warehouse here.
 */
import type { ColumnInfo } from '../warehouse/types';

/** How a column pair is compared. */
export type Comparison =
  /** Same value, same type. */
  | 'exact'
  /** FLOAT64 on one side at least: |a − b| ≤ tolerance; fingerprints round to the tolerance. */
  | 'float'
  /** NUMERIC, BIGNUMERIC and INT64 against each other: as NUMERIC. */
  | 'numeric'
  /** TIMESTAMP or DATETIME: microseconds since the epoch, UTC. */
  | 'instant'
  /** Different types with nothing better: as text. */
  | 'text'
  /** ARRAY, STRUCT, JSON, GEOGRAPHY: their JSON text (not orderable: no min/max). */
  | 'json';

export interface ComparedColumn {
  a: string;
  b: string;
  typeA: string;
  typeB: string;
  comparison: Comparison;
}

export interface ColumnPlan {
  compared: ComparedColumn[];
  onlyInA: string[];
  onlyInB: string[];
  /** Columns left out on purpose (the archive's own columns, …). */
  ignored: string[];
  /** What the report says about type normalisation, one line per rule applied. */
  normalisations: string[];
}

const FLOAT = 'FLOAT64';
const NUMERICS = new Set(['INT64', 'NUMERIC', 'BIGNUMERIC', 'FLOAT64']);
const INSTANTS = new Set(['TIMESTAMP', 'DATETIME']);
const UNORDERED = new Set(['STRUCT', 'JSON', 'GEOGRAPHY', 'RANGE']);

const typeOf = (c: ColumnInfo) => (c.mode === 'REPEATED' ? `ARRAY<${c.type}>` : c.type);

export function comparisonOf(typeA: string, typeB: string): Comparison {
  if (typeA.startsWith('ARRAY<') || typeB.startsWith('ARRAY<') || UNORDERED.has(typeA) || UNORDERED.has(typeB)) return 'json';
  if ((typeA === FLOAT || typeB === FLOAT) && NUMERICS.has(typeA) && NUMERICS.has(typeB)) return 'float';
  if (typeA !== typeB && NUMERICS.has(typeA) && NUMERICS.has(typeB)) return 'numeric';
  if (INSTANTS.has(typeA) && INSTANTS.has(typeB)) return 'instant';
  return typeA === typeB ? 'exact' : 'text';
}

/** `a` or `a:b` (A's column a against B's column b). */
export function parseColumnList(text: string): { a: string; b: string }[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [a, b] = s.split(':').map((x) => x.trim());
      return { a: a!, b: b || a! };
    });
}

export interface ColumnOptions {
  /** Only these columns (A name → B name). */
  columns?: { a: string; b: string }[];
  /** A column → B column for columns that were renamed. */
  renamed?: Record<string, string>;
  /** Columns (of either side) not compared. */
  ignore?: readonly string[];
  tolerance: number;
}

export function planColumns(schemaA: ColumnInfo[], schemaB: ColumnInfo[], opts: ColumnOptions): ColumnPlan {
  const lower = (s: string) => s.toLowerCase();
  const ignore = new Set((opts.ignore ?? []).map(lower));
  const findB = (name: string) => schemaB.find((c) => lower(c.name) === lower(name));
  const findA = (name: string) => schemaA.find((c) => lower(c.name) === lower(name));
  const compared: ComparedColumn[] = [];
  const usedB = new Set<string>();
  const onlyInA: string[] = [];
  const onlyInB: string[] = [];
  const ignored: string[] = [];
  const pairs = opts.columns ?? schemaA.map((c) => ({ a: c.name, b: opts.renamed?.[c.name] ?? c.name }));
  for (const p of pairs) {
    const ca = findA(p.a);
    const cb = findB(p.b);
    if (ignore.has(lower(p.a))) {
      ignored.push(p.a);
      if (cb) usedB.add(lower(cb.name));
      continue;
    }
    if (!ca) throw new Error(`no column ${p.a} in the first table; its columns: ${schemaA.map((c) => c.name).join(', ')}`);
    if (!cb) {
      if (opts.columns) throw new Error(`no column ${p.b} in the second table; its columns: ${schemaB.map((c) => c.name).join(', ')}`);
      onlyInA.push(ca.name);
      continue;
    }
    usedB.add(lower(cb.name));
    compared.push({ a: ca.name, b: cb.name, typeA: typeOf(ca), typeB: typeOf(cb), comparison: comparisonOf(typeOf(ca), typeOf(cb)) });
  }
  if (!opts.columns) {
    for (const c of schemaB) {
      if (usedB.has(lower(c.name))) continue;
      if (ignore.has(lower(c.name))) ignored.push(c.name);
      else onlyInB.push(c.name);
    }
  }
  return { compared, onlyInA, onlyInB, ignored, normalisations: normalisationNotes(compared, opts.tolerance) };
}

function normalisationNotes(compared: ComparedColumn[], tolerance: number): string[] {
  const out: string[] = [];
  const names = (cs: ComparedColumn[]) => cs.map((c) => (c.a === c.b ? c.a : `${c.a}→${c.b}`)).join(', ');
  const group = (pred: (c: ComparedColumn) => boolean) => compared.filter(pred);
  const floats = group((c) => c.comparison === 'float' && c.typeA === c.typeB);
  const mixedFloats = group((c) => c.comparison === 'float' && c.typeA !== c.typeB);
  if (floats.length) out.push(`FLOAT64 compared within ±${tolerance}: ${names(floats)}`);
  for (const c of mixedFloats) out.push(`${c.a}: ${c.typeA} vs ${c.typeB} compared as FLOAT64 within ±${tolerance}`);
  for (const c of group((x) => x.comparison === 'numeric')) out.push(`${c.a}: ${c.typeA} vs ${c.typeB} compared as NUMERIC`);
  const instants = group((c) => c.comparison === 'instant');
  if (instants.length) out.push(`timestamps compared as UTC instants (DATETIME read as UTC): ${names(instants)}`);
  for (const c of group((x) => x.comparison === 'text')) out.push(`${c.a}: ${c.typeA} vs ${c.typeB} compared as text`);
  return out;
}

/**
 * Decimal places the fingerprints round FLOAT64 to: the granule 10^-digits is at most the
 * tolerance, so values further apart than the tolerance never round alike (no difference is
 * missed); values closer may straddle a rounding boundary, and the row tier then compares
 * them exactly against the tolerance.
 */
export function roundingDigits(tolerance: number): number {
  if (!(tolerance > 0)) return 15;
  return Math.max(0, Math.min(15, Math.ceil(-Math.log10(tolerance) - 1e-9)));
}
