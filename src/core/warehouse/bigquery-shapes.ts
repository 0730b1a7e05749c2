/**
 * BigQuery REST shapes → the Warehouse's types: table resources to TableInfo,
 * legacy type names to standard ones, client row values to plain JSON, and
 * bqmigrate's job labels to BigQuery's label rules. Pure functions, no client.
 */
import type { ColumnInfo, JobLabels, ObjectType, TableInfo, TableMetadataPatch } from './types';

const STANDARD_TYPES: Record<string, string> = {
  INTEGER: 'INT64',
  FLOAT: 'FLOAT64',
  BOOLEAN: 'BOOL',
  RECORD: 'STRUCT',
  BIGDECIMAL: 'BIGNUMERIC',
};

export function standardType(type: string | undefined): string {
  const t = String(type ?? 'STRING').toUpperCase();
  return STANDARD_TYPES[t] ?? t;
}

export interface TableFieldResource {
  name: string;
  type?: string;
  mode?: string;
  description?: string;
  policyTags?: { names?: string[] };
  fields?: TableFieldResource[];
}

export interface TableResource {
  tableReference?: { projectId: string; datasetId: string; tableId: string };
  type?: string;
  schema?: { fields?: TableFieldResource[] };
  numRows?: string;
  numBytes?: string;
  creationTime?: string;
  lastModifiedTime?: string;
  timePartitioning?: { type?: string; field?: string; expirationMs?: string; requirePartitionFilter?: boolean };
  rangePartitioning?: { field?: string; range?: { start?: string; end?: string; interval?: string } };
  clustering?: { fields?: string[] };
  requirePartitionFilter?: boolean;
  view?: { query?: string };
  materializedView?: { query?: string };
  labels?: Record<string, string>;
  description?: string;
  friendlyName?: string;
  expirationTime?: string;
  location?: string;
  streamingBuffer?: { estimatedRows?: string };
}

export function toColumns(fields: TableFieldResource[] | undefined): ColumnInfo[] {
  return (fields ?? []).map((f) => ({
    name: f.name,
    type: standardType(f.type),
    mode: (f.mode?.toUpperCase() as ColumnInfo['mode']) ?? 'NULLABLE',
    ...(f.description ? { description: f.description } : {}),
    ...(f.policyTags?.names?.length ? { policyTags: [...f.policyTags.names] } : {}),
  }));
}

const OBJECT_TYPES: Record<string, ObjectType> = {
  TABLE: 'TABLE',
  VIEW: 'VIEW',
  MATERIALIZED_VIEW: 'MATERIALIZED_VIEW',
  EXTERNAL: 'EXTERNAL',
  SNAPSHOT: 'SNAPSHOT',
  MODEL: 'MODEL',
};

const msToIso = (ms: string | undefined) => (ms && /^\d+$/.test(ms) ? new Date(Number(ms)).toISOString() : undefined);

export function partitioningOf(t: TableResource): string | undefined {
  if (t.timePartitioning) return `${t.timePartitioning.type ?? 'DAY'}(${t.timePartitioning.field ?? '_PARTITIONTIME'})`;
  if (t.rangePartitioning) {
    const r = t.rangePartitioning.range;
    return r ? `RANGE(${t.rangePartitioning.field ?? ''}, ${r.start ?? 0}, ${r.end ?? 0}, ${r.interval ?? 1})` : `RANGE(${t.rangePartitioning.field ?? ''})`;
  }
  return undefined;
}

export function toTableInfo(project: string, dataset: string, table: string, t: TableResource): TableInfo {
  const type = OBJECT_TYPES[String(t.type ?? 'TABLE').toUpperCase()] ?? 'TABLE';
  const hasData = type === 'TABLE' || type === 'SNAPSHOT' || type === 'MATERIALIZED_VIEW';
  return {
    project: t.tableReference?.projectId ?? project,
    dataset: t.tableReference?.datasetId ?? dataset,
    table: t.tableReference?.tableId ?? table,
    type,
    schema: toColumns(t.schema?.fields),
    rowCount: hasData && t.numRows !== undefined ? Number(t.numRows) : null,
    sizeBytes: hasData && t.numBytes !== undefined ? Number(t.numBytes) : null,
    created: msToIso(t.creationTime),
    modified: msToIso(t.lastModifiedTime),
    partitioning: partitioningOf(t),
    clustering: t.clustering?.fields,
    viewQuery: t.view?.query ?? t.materializedView?.query,
    labels: t.labels,
    ...(t.timePartitioning?.expirationMs ? { partitionExpirationMs: Number(t.timePartitioning.expirationMs) } : {}),
    ...(t.requirePartitionFilter ?? t.timePartitioning?.requirePartitionFilter ? { requirePartitionFilter: true } : {}),
    ...(t.streamingBuffer ? { streamingBuffer: true } : {}),
    ...(t.description ? { description: t.description } : {}),
    ...(t.friendlyName ? { friendlyName: t.friendlyName } : {}),
    ...(msToIso(t.expirationTime) ? { expirationTime: msToIso(t.expirationTime) } : {}),
  };
}

/**
 * The tables.patch body for a metadata change: table options as they are, and the whole
 * top-level schema (BigQuery replaces `schema.fields` as a unit) with the columns' descriptions
 * and policy tags changed. Nested fields are sent back untouched.
 */
export function patchBody(current: TableResource, patch: TableMetadataPatch): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (patch.description !== undefined) body.description = patch.description;
  if (patch.friendlyName !== undefined) body.friendlyName = patch.friendlyName;
  if (patch.labels !== undefined) body.labels = patch.labels;
  if (patch.requirePartitionFilter !== undefined) body.requirePartitionFilter = patch.requirePartitionFilter;
  if (patch.expirationTime !== undefined) body.expirationTime = patch.expirationTime === null ? null : String(Date.parse(patch.expirationTime));
  if (patch.partitionExpirationMs !== undefined && current.timePartitioning) {
    body.timePartitioning = { ...current.timePartitioning, expirationMs: patch.partitionExpirationMs === null ? null : String(patch.partitionExpirationMs) };
  }
  if (patch.columns && Object.keys(patch.columns).length) {
    const fields = current.schema?.fields ?? [];
    for (const name of Object.keys(patch.columns)) {
      if (!fields.some((f) => f.name === name)) throw new Error(`${current.tableReference?.tableId ?? 'the table'} has no column ${name}; only existing columns can be described or tagged`);
    }
    body.schema = {
      fields: fields.map((f) => {
        const change = patch.columns![f.name];
        if (!change) return f;
        const out: TableFieldResource = { ...f };
        if (change.description !== undefined) {
          if (change.description === null) delete out.description;
          else out.description = change.description;
        }
        if (change.policyTags !== undefined) out.policyTags = { names: change.policyTags ?? [] };
        return out;
      }),
    };
  }
  return body;
}

/** A client row value (BigQueryDate, BigQueryTimestamp, Big, Buffer…) as plain JSON. */
export function plainBigQueryValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(plainBigQueryValue);
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (typeof v === 'object') {
    const ctor = (v as object).constructor?.name ?? '';
    if (/^BigQuery(Date|Datetime|Time|Timestamp|Range)$/.test(ctor) || (ctor !== 'Object' && 'value' in (v as object) && typeof (v as { value: unknown }).value === 'string')) {
      return (v as { value: string }).value;
    }
    if (ctor === 'Big' || ctor === 'Geography') return String(v);
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, plainBigQueryValue(x)]));
  }
  return v;
}

/** INT64 as a number when it is safe, else the exact string. */
export const integerCast = { integerTypeCastFunction: (s: string) => (Number.isSafeInteger(Number(s)) ? Number(s) : s) };

/** BigQuery labels: lowercase letters, digits, "_" and "-", at most 63 characters. */
export function labelValue(v: string): string {
  const s = v.toLowerCase().replace(/[^a-z0-9_-]/g, '_').slice(0, 63);
  return s || 'none';
}

export function jobLabels(labels: JobLabels | undefined, extra?: Record<string, string>): Record<string, string> | undefined {
  if (!labels && !extra) return undefined;
  return {
    ...(extra ?? {}),
    ...(labels ? { 'bqmigrate-run': labelValue(labels.run), 'bqmigrate-phase': labelValue(labels.phase), 'bqmigrate-step': labelValue(labels.step) } : {}),
  };
}
