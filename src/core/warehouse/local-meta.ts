/**
 * What BigQuery keeps about datasets, tables and jobs that DuckDB does not:
 * dataset location and labels, object created/modified times, partitioning and
 * clustering notes, and a log of labelled jobs. Stored in the hidden schema
 * `bqmigrate_meta` inside the same local.duckdb file.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { DatasetInfo, JobLabels } from './types';

export const META_SCHEMA = 'bqmigrate_meta';
/** Schemas that are never reported as datasets. */
export const HIDDEN_SCHEMAS = new Set([META_SCHEMA, 'main', 'information_schema', 'pg_catalog']);

/** Bookkeeping writes run one at a time: concurrent inserts of the same key would conflict under DuckDB's MVCC. */
let chain: Promise<unknown> = Promise.resolve();
function serial<T>(fn: () => Promise<T>): Promise<T> {
  const next = chain.then(fn, fn);
  chain = next.catch(() => undefined);
  return next;
}

export async function ensureMeta(c: DuckDBConnection): Promise<void> {
  await c.run(`CREATE SCHEMA IF NOT EXISTS ${META_SCHEMA};
CREATE TABLE IF NOT EXISTS ${META_SCHEMA}.datasets (dataset VARCHAR PRIMARY KEY, location VARCHAR, description VARCHAR, labels VARCHAR);
CREATE TABLE IF NOT EXISTS ${META_SCHEMA}.objects (dataset VARCHAR, table_name VARCHAR, created TIMESTAMP, modified TIMESTAMP, partitioning VARCHAR, clustering VARCHAR, labels VARCHAR, PRIMARY KEY (dataset, table_name));
CREATE TABLE IF NOT EXISTS ${META_SCHEMA}.jobs (job_id VARCHAR PRIMARY KEY, created TIMESTAMP, kind VARCHAR, statement VARCHAR, labels VARCHAR, dry_run BOOLEAN, bytes BIGINT, error VARCHAR);`);
}

async function upsertDatasetNow(c: DuckDBConnection, info: DatasetInfo): Promise<void> {
  await c.run(`INSERT OR REPLACE INTO ${META_SCHEMA}.datasets VALUES ($dataset, $location, $description, $labels)`, {
    dataset: info.dataset,
    location: info.location ?? null,
    description: info.description ?? null,
    labels: info.labels ? JSON.stringify(info.labels) : null,
  });
}

export async function datasetMeta(c: DuckDBConnection): Promise<Map<string, DatasetInfo>> {
  const r = await c.runAndReadAll(`SELECT * FROM ${META_SCHEMA}.datasets`);
  const out = new Map<string, DatasetInfo>();
  for (const row of r.getRowObjectsJson()) {
    out.set(String(row.dataset), {
      dataset: String(row.dataset),
      location: (row.location as string | null) ?? undefined,
      description: (row.description as string | null) ?? undefined,
      labels: row.labels ? (JSON.parse(String(row.labels)) as Record<string, string>) : undefined,
    });
  }
  return out;
}

export interface ObjectMeta {
  created?: string;
  modified?: string;
  partitioning?: string;
  clustering?: string[];
  labels?: Record<string, string>;
}

const iso = (v: unknown) => (v === null || v === undefined ? undefined : new Date(`${String(v).replace(' ', 'T')}Z`).toISOString());

export async function objectMeta(c: DuckDBConnection, dataset: string, table: string): Promise<ObjectMeta> {
  const r = await c.runAndReadAll(`SELECT * FROM ${META_SCHEMA}.objects WHERE dataset = $d AND table_name = $t`, { d: dataset, t: table });
  const row = r.getRowObjectsJson()[0];
  if (!row) return {};
  return {
    created: iso(row.created),
    modified: iso(row.modified),
    partitioning: (row.partitioning as string | null) ?? undefined,
    clustering: row.clustering ? String(row.clustering).split(',') : undefined,
    labels: row.labels ? (JSON.parse(String(row.labels)) as Record<string, string>) : undefined,
  };
}

/** Records that an object was written now (created on first sight). */
async function touchObjectNow(c: DuckDBConnection, dataset: string, table: string, extra: Pick<ObjectMeta, 'partitioning' | 'clustering'> = {}, fresh = false): Promise<void> {
  if (fresh) await c.run(`DELETE FROM ${META_SCHEMA}.objects WHERE dataset = $d AND table_name = $t`, { d: dataset, t: table });
  await c.run(
    `INSERT INTO ${META_SCHEMA}.objects VALUES ($d, $t, now()::TIMESTAMP, now()::TIMESTAMP, $p, $cl, NULL)
     ON CONFLICT (dataset, table_name) DO UPDATE SET modified = now()::TIMESTAMP, partitioning = coalesce(EXCLUDED.partitioning, partitioning), clustering = coalesce(EXCLUDED.clustering, clustering)`,
    { d: dataset, t: table, p: extra.partitioning ?? null, cl: extra.clustering?.join(',') ?? null },
  );
}

/** Brings the object log in line with the catalog: new objects get created=now, dropped ones are forgotten. */
async function syncObjectsNow(c: DuckDBConnection): Promise<void> {
  await c.run(`INSERT INTO ${META_SCHEMA}.objects
    SELECT table_schema, table_name, now()::TIMESTAMP, now()::TIMESTAMP, NULL, NULL, NULL FROM information_schema.tables
    WHERE table_catalog = current_database() AND table_schema NOT IN ('${[...HIDDEN_SCHEMAS].join("','")}')
      AND (table_schema, table_name) NOT IN (SELECT (dataset, table_name) FROM ${META_SCHEMA}.objects)`);
  await c.run(`DELETE FROM ${META_SCHEMA}.objects WHERE (dataset, table_name) NOT IN
    (SELECT (table_schema, table_name) FROM information_schema.tables WHERE table_catalog = current_database())`);
}

async function recordJobNow(
  c: DuckDBConnection,
  job: { id: string; kind: string; statement: string; labels?: JobLabels; dryRun?: boolean; bytes?: number; error?: string },
): Promise<void> {
  const labels = job.labels ? { 'bqmigrate-run': job.labels.run, 'bqmigrate-phase': job.labels.phase, 'bqmigrate-step': job.labels.step } : null;
  await c.run(`INSERT INTO ${META_SCHEMA}.jobs VALUES ($id, now()::TIMESTAMP, $kind, $st, $labels, $dry, $bytes, $err)`, {
    id: job.id,
    kind: job.kind,
    st: job.statement,
    labels: labels ? JSON.stringify(labels) : null,
    dry: job.dryRun ?? false,
    bytes: job.bytes ?? null,
    err: job.error ?? null,
  });
}

export const upsertDataset = (...a: Parameters<typeof upsertDatasetNow>) => serial(() => upsertDatasetNow(...a));
export const touchObject = (...a: Parameters<typeof touchObjectNow>) => serial(() => touchObjectNow(...a));
export const syncObjects = (...a: Parameters<typeof syncObjectsNow>) => serial(() => syncObjectsNow(...a));
export const recordJob = (...a: Parameters<typeof recordJobNow>) => serial(() => recordJobNow(...a));
