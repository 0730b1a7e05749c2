/**
 * A table's metadata beyond its rows — partitioning, clustering, the partition-filter
 * requirement, descriptions, labels, policy tags, expiration — in one place: the text form of
 * partitioning both backends store (`DAY(date)`, `RANGE(col, 0, 100, 10)`), BigQuery's DDL
 * clauses that recreate it, the patch that carries the rest over, the comparison the
 * metadata check uses, and the filter that reads every partition of a table that requires one.
 */
import type { ColumnInfo, Dialect, TableInfo, TableMetadataPatch } from './types';

export type PartitionUnit = 'HOUR' | 'DAY' | 'MONTH' | 'YEAR';
export const PARTITION_UNITS: readonly PartitionUnit[] = ['HOUR', 'DAY', 'MONTH', 'YEAR'];

/** The ingestion-time pseudo-column: a table partitioned on it has no partitioning column of its own. */
export const INGESTION_TIME = '_PARTITIONTIME';

export type Partitioning =
  | { kind: 'time'; unit: PartitionUnit; /** A column, or INGESTION_TIME. */ field: string }
  | { kind: 'range'; field: string; start: number; end: number; interval: number };

export function formatPartitioning(p: Partitioning): string {
  return p.kind === 'time' ? `${p.unit}(${p.field})` : `RANGE(${p.field}, ${p.start}, ${p.end}, ${p.interval})`;
}

/** `DAY(date)`, `MONTH(ts)`, `DAY(_PARTITIONTIME)`, `RANGE(col, start, end, interval)` (or the older `RANGE(col)`). */
export function parsePartitioning(text: string | undefined): Partitioning | undefined {
  if (!text) return undefined;
  const m = /^\s*([A-Z]+)\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:,\s*(-?\d+)\s*,\s*(-?\d+)\s*,\s*(\d+)\s*)?\)\s*$/i.exec(text);
  if (!m) return undefined;
  const kind = m[1]!.toUpperCase();
  if (kind === 'RANGE') return { kind: 'range', field: m[2]!, start: Number(m[3] ?? 0), end: Number(m[4] ?? 0), interval: Number(m[5] ?? 1) };
  if (!(PARTITION_UNITS as readonly string[]).includes(kind)) return undefined;
  return { kind: 'time', unit: kind as PartitionUnit, field: m[2]!.toUpperCase() === INGESTION_TIME ? INGESTION_TIME : m[2]! };
}

/** The options a CREATE TABLE carries: what `tableOptionsFrom` takes from a source table. */
export interface TableOptions {
  description?: string;
  friendlyName?: string;
  labels?: Record<string, string>;
  requirePartitionFilter?: boolean;
  partitionExpirationMs?: number;
}

/**
 * BigQuery's `PARTITION BY` expression for a partitioning, given the partitioning column's type.
 * Undefined for ingestion-time partitioning, which `CREATE TABLE … AS SELECT` cannot create.
 */
export function partitionByExpression(p: Partitioning, columnType: string | undefined, ident: (name: string) => string): string | undefined {
  if (p.kind === 'range') return `RANGE_BUCKET(${ident(p.field)}, GENERATE_ARRAY(${p.start}, ${p.end}, ${p.interval}))`;
  if (p.field === INGESTION_TIME) return undefined;
  const col = ident(p.field);
  const type = (columnType ?? 'DATE').toUpperCase();
  if (type === 'DATE') return p.unit === 'DAY' ? col : `DATE_TRUNC(${col}, ${p.unit})`;
  if (type === 'DATETIME') return `DATETIME_TRUNC(${col}, ${p.unit})`;
  return p.unit === 'DAY' ? `DATE(${col})` : `TIMESTAMP_TRUNC(${col}, ${p.unit})`;
}

/**
 * `PARTITION BY …`, `CLUSTER BY …` and `OPTIONS (…)` for a CREATE TABLE: each present only
 * when there is something to say. `require_partition_filter` is left out on purpose when
 * `deferPartitionFilter` is set: the copy is verified by counting it first, and the flag is
 * patched on afterwards.
 */
export function createTableClauses(
  dialect: Dialect,
  spec: { partitioning?: string; clustering?: string[]; schema?: ColumnInfo[]; options?: TableOptions },
  deferPartitionFilter = true,
): string[] {
  const lines: string[] = [];
  const p = parsePartitioning(spec.partitioning);
  if (p) {
    const expr = partitionByExpression(p, spec.schema?.find((c) => c.name === p.field)?.type, (n) => dialect.ident(n));
    if (expr) lines.push(`PARTITION BY ${expr}`);
  }
  if (spec.clustering?.length) lines.push(`CLUSTER BY ${spec.clustering.map((c) => dialect.ident(c)).join(', ')}`);
  const o = spec.options ?? {};
  const opts: string[] = [];
  if (o.description) opts.push(`description = ${dialect.literal(o.description)}`);
  if (o.friendlyName) opts.push(`friendly_name = ${dialect.literal(o.friendlyName)}`);
  if (o.labels && Object.keys(o.labels).length) {
    opts.push(`labels = [${Object.entries(o.labels).map(([k, v]) => `(${dialect.literal(k)}, ${dialect.literal(v)})`).join(', ')}]`);
  }
  if (o.partitionExpirationMs && p?.kind === 'time') opts.push(`partition_expiration_days = ${o.partitionExpirationMs / 86_400_000}`);
  if (o.requirePartitionFilter && !deferPartitionFilter) opts.push('require_partition_filter = TRUE');
  if (opts.length) lines.push(`OPTIONS (${opts.join(', ')})`);
  return lines;
}

export function tableOptionsFrom(t: TableInfo): TableOptions {
  return {
    ...(t.description ? { description: t.description } : {}),
    ...(t.friendlyName ? { friendlyName: t.friendlyName } : {}),
    ...(t.labels && Object.keys(t.labels).length ? { labels: { ...t.labels } } : {}),
    ...(t.requirePartitionFilter ? { requirePartitionFilter: true } : {}),
    ...(t.partitionExpirationMs ? { partitionExpirationMs: t.partitionExpirationMs } : {}),
  };
}

/**
 * The patch that makes `target` carry `source`'s table options and its columns' descriptions
 * and policy tags (columns matched by name, or through `renamed`: source column → target
 * column). Undefined when nothing differs.
 */
export function metadataPatch(source: TableInfo, target: TableInfo, opts: { renamed?: Record<string, string>; expiration?: 'none' | 'keep'; overrides?: TableOptions } = {}): TableMetadataPatch | undefined {
  const want = { ...tableOptionsFrom(source), ...(opts.overrides ?? {}) };
  const patch: TableMetadataPatch = {};
  if ((want.description ?? undefined) !== (target.description ?? undefined)) patch.description = want.description ?? null;
  if ((want.friendlyName ?? undefined) !== (target.friendlyName ?? undefined)) patch.friendlyName = want.friendlyName ?? null;
  const labels: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(want.labels ?? {})) if (target.labels?.[k] !== v) labels[k] = v;
  if (Object.keys(labels).length) patch.labels = labels;
  if (!!want.requirePartitionFilter !== !!target.requirePartitionFilter && (target.partitioning || !want.requirePartitionFilter)) patch.requirePartitionFilter = !!want.requirePartitionFilter;
  if (opts.expiration === 'none' && target.expirationTime) patch.expirationTime = null;
  if (opts.expiration === 'none' && target.partitionExpirationMs) patch.partitionExpirationMs = null;
  const columns: NonNullable<TableMetadataPatch['columns']> = {};
  for (const col of source.schema) {
    const name = opts.renamed?.[col.name] ?? col.name;
    const t = target.schema.find((c) => c.name === name);
    if (!t) continue;
    const change: { description?: string | null; policyTags?: string[] | null } = {};
    if ((col.description ?? undefined) !== (t.description ?? undefined) && col.description) change.description = col.description;
    if (col.policyTags?.length && !sameList(col.policyTags, t.policyTags)) change.policyTags = [...col.policyTags];
    if (Object.keys(change).length) columns[name] = change;
  }
  if (Object.keys(columns).length) patch.columns = columns;
  return Object.keys(patch).length ? patch : undefined;
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return JSON.stringify([...(a ?? [])].sort()) === JSON.stringify([...(b ?? [])].sort());
}

/** What the metadata check compares, one entry per property that differs: `{ property, expected, actual }`. */
export interface MetadataDifference {
  property: string;
  expected: string;
  actual: string;
}

export interface ExpectedMetadata {
  partitioning?: string | null;
  clustering?: string[] | null;
  options: TableOptions;
  /** Source columns → expected target column names (renames); a column missing here keeps its name. */
  renamed?: Record<string, string>;
  /** Columns of the source that have no counterpart in the target on purpose. */
  ignoreColumns?: readonly string[];
  /** The target must not expire (archive copies). */
  noExpiration?: boolean;
}

const show = (v: unknown) => (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0) ? '(none)' : Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** Every way `target` falls short of what was expected of it; empty when its metadata is complete. */
export function compareMetadata(source: TableInfo, target: TableInfo, expected: ExpectedMetadata): MetadataDifference[] {
  const out: MetadataDifference[] = [];
  const diff = (property: string, want: unknown, got: unknown) => {
    if (show(want) !== show(got)) out.push({ property, expected: show(want), actual: show(got) });
  };
  const renamedField = (p: string | undefined) => {
    const parsed = parsePartitioning(p);
    if (!parsed || (parsed.kind === 'time' && parsed.field === INGESTION_TIME)) return p;
    const field = expected.renamed?.[parsed.field] ?? parsed.field;
    return formatPartitioning({ ...parsed, field } as Partitioning);
  };
  diff('partitioning', expected.partitioning === undefined ? renamedField(source.partitioning) : expected.partitioning, target.partitioning);
  diff('clustering', expected.clustering === undefined ? source.clustering?.map((c) => expected.renamed?.[c] ?? c) : expected.clustering, target.clustering);
  diff('require partition filter', !!expected.options.requirePartitionFilter, !!target.requirePartitionFilter);
  diff('description', expected.options.description, target.description);
  diff('friendly name', expected.options.friendlyName, target.friendlyName);
  const labels = expected.options.labels ?? {};
  for (const [k, v] of Object.entries(labels)) diff(`label ${k}`, v, target.labels?.[k]);
  if (expected.noExpiration) {
    diff('expiration', undefined, target.expirationTime);
    diff('partition expiration', undefined, target.partitionExpirationMs);
  }
  for (const col of source.schema) {
    if (expected.ignoreColumns?.includes(col.name)) continue;
    const name = expected.renamed?.[col.name] ?? col.name;
    const t = target.schema.find((c) => c.name === name);
    if (!t) {
      out.push({ property: `column ${name}`, expected: 'present', actual: 'missing' });
      continue;
    }
    diff(`column ${name} description`, col.description, t.description);
    diff(`column ${name} policy tags`, [...(col.policyTags ?? [])].sort(), [...(t.policyTags ?? [])].sort());
  }
  return out;
}

/**
 * A WHERE predicate that every row satisfies and that filters on the partitioning column, so a
 * full scan of a table with `requirePartitionFilter` is accepted; undefined when the table needs none.
 */
export function allPartitionsFilter(kind: 'local' | 'bigquery', table: Pick<TableInfo, 'partitioning' | 'requirePartitionFilter' | 'schema'>, ident: (name: string) => string, alias?: string): string | undefined {
  if (!table.requirePartitionFilter) return undefined;
  const p = parsePartitioning(table.partitioning);
  if (!p) return undefined;
  const prefix = alias ? `${alias}.` : '';
  if (p.kind === 'range') return `(${prefix}${ident(p.field)} >= ${-(2 ** 53)} OR ${prefix}${ident(p.field)} IS NULL)`;
  if (p.field === INGESTION_TIME) return kind === 'bigquery' ? `(${prefix}_PARTITIONTIME >= TIMESTAMP '0001-01-01' OR ${prefix}_PARTITIONTIME IS NULL)` : undefined;
  const type = table.schema.find((c) => c.name === p.field)?.type ?? 'DATE';
  const floor = type === 'DATE' ? `DATE '0001-01-01'` : type === 'DATETIME' ? `DATETIME '0001-01-01 00:00:00'` : `TIMESTAMP '0001-01-01 00:00:00+00'`;
  return `(${prefix}${ident(p.field)} >= ${floor} OR ${prefix}${ident(p.field)} IS NULL)`;
}
