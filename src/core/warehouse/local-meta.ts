/**
 * What BigQuery keeps about datasets, tables and jobs that DuckDB does not:
 * dataset location, labels and default table expiration; each object's
 * created/modified times, partitioning, clustering, partition-filter
 * requirement, description, friendly name, labels, expiration and its
 * columns' descriptions and policy tags; and a log of labelled jobs. Stored in
 * the hidden schema `bqmigrate_meta` inside the same local.duckdb file.
 */
import * as os from 'node:os';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnInfo, DatasetInfo, JobLabels, TableInfo, TableMetadataPatch } from './types';

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
CREATE TABLE IF NOT EXISTS ${META_SCHEMA}.jobs (job_id VARCHAR PRIMARY KEY, created TIMESTAMP, kind VARCHAR, statement VARCHAR, labels VARCHAR, dry_run BOOLEAN, bytes BIGINT, error VARCHAR);
ALTER TABLE ${META_SCHEMA}.datasets ADD COLUMN IF NOT EXISTS default_table_expiration_ms BIGINT;
ALTER TABLE ${META_SCHEMA}.objects ADD COLUMN IF NOT EXISTS description VARCHAR;
ALTER TABLE ${META_SCHEMA}.objects ADD COLUMN IF NOT EXISTS friendly_name VARCHAR;
ALTER TABLE ${META_SCHEMA}.objects ADD COLUMN IF NOT EXISTS require_partition_filter BOOLEAN;
ALTER TABLE ${META_SCHEMA}.objects ADD COLUMN IF NOT EXISTS partition_expiration_ms BIGINT;
ALTER TABLE ${META_SCHEMA}.objects ADD COLUMN IF NOT EXISTS expiration TIMESTAMP;
ALTER TABLE ${META_SCHEMA}.objects ADD COLUMN IF NOT EXISTS column_meta VARCHAR;
ALTER TABLE ${META_SCHEMA}.jobs ADD COLUMN IF NOT EXISTS principal VARCHAR;`);
}

async function upsertDatasetNow(c: DuckDBConnection, info: DatasetInfo): Promise<void> {
  await c.run(`INSERT OR REPLACE INTO ${META_SCHEMA}.datasets (dataset, location, description, labels, default_table_expiration_ms) VALUES ($dataset, $location, $description, $labels, $expiration)`, {
    dataset: info.dataset,
    location: info.location ?? null,
    description: info.description ?? null,
    labels: info.labels ? JSON.stringify(info.labels) : null,
    expiration: info.defaultTableExpirationMs ?? null,
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
      ...(row.default_table_expiration_ms !== null && row.default_table_expiration_ms !== undefined ? { defaultTableExpirationMs: Number(row.default_table_expiration_ms) } : {}),
    });
  }
  return out;
}

/** What the metadata schema keeps of a table or view: the TableInfo fields DuckDB has no place for. */
export type ObjectMeta = Pick<TableInfo, 'created' | 'modified' | 'partitioning' | 'partitionExpirationMs' | 'clustering' | 'requirePartitionFilter' | 'labels' | 'description' | 'friendlyName' | 'expirationTime'> & {
  /** Column name → its description and policy tags. */
  columns?: Record<string, Pick<ColumnInfo, 'description' | 'policyTags'>>;
};

const iso = (v: unknown) => (v === null || v === undefined ? undefined : new Date(`${String(v).replace(' ', 'T')}Z`).toISOString());

export async function objectMeta(c: DuckDBConnection, dataset: string, table: string): Promise<ObjectMeta> {
  const r = await c.runAndReadAll(`SELECT * FROM ${META_SCHEMA}.objects WHERE dataset = $d AND table_name = $t`, { d: dataset, t: table });
  const row = r.getRowObjectsJson()[0];
  if (!row) return {};
  const str = (v: unknown) => (v === null || v === undefined ? undefined : String(v));
  return {
    created: iso(row.created),
    modified: iso(row.modified),
    partitioning: str(row.partitioning),
    clustering: row.clustering ? String(row.clustering).split(',') : undefined,
    labels: row.labels ? (JSON.parse(String(row.labels)) as Record<string, string>) : undefined,
    ...(row.partition_expiration_ms !== null && row.partition_expiration_ms !== undefined ? { partitionExpirationMs: Number(row.partition_expiration_ms) } : {}),
    ...(row.require_partition_filter === true ? { requirePartitionFilter: true } : {}),
    ...(str(row.description) !== undefined ? { description: str(row.description) } : {}),
    ...(str(row.friendly_name) !== undefined ? { friendlyName: str(row.friendly_name) } : {}),
    ...(iso(row.expiration) !== undefined ? { expirationTime: iso(row.expiration) } : {}),
    ...(row.column_meta ? { columns: JSON.parse(String(row.column_meta)) as ObjectMeta['columns'] } : {}),
  };
}

/** New objects expire after their dataset's default table expiration, as on BigQuery. */
const DEFAULT_EXPIRATION = `(SELECT now()::TIMESTAMP + to_milliseconds(default_table_expiration_ms) FROM ${META_SCHEMA}.datasets WHERE dataset = $d)`;

/** Records that an object was written now (created on first sight). */
async function touchObjectNow(c: DuckDBConnection, dataset: string, table: string, extra: Pick<ObjectMeta, 'partitioning' | 'clustering'> = {}, fresh = false): Promise<void> {
  if (fresh) await c.run(`DELETE FROM ${META_SCHEMA}.objects WHERE dataset = $d AND table_name = $t`, { d: dataset, t: table });
  await c.run(
    `INSERT INTO ${META_SCHEMA}.objects (dataset, table_name, created, modified, partitioning, clustering, expiration) VALUES ($d, $t, now()::TIMESTAMP, now()::TIMESTAMP, $p, $cl, ${DEFAULT_EXPIRATION})
     ON CONFLICT (dataset, table_name) DO UPDATE SET modified = now()::TIMESTAMP, partitioning = coalesce(EXCLUDED.partitioning, partitioning), clustering = coalesce(EXCLUDED.clustering, clustering)`,
    { d: dataset, t: table, p: extra.partitioning ?? null, cl: extra.clustering?.join(',') ?? null },
  );
}

/** Everything a CREATE TABLE or tables.insert says about a new table, recorded over what was there. */
export interface CreatedTableMeta extends TableMetadataPatch {
  partitioning?: string;
  clustering?: string[];
}

/** Applies a metadata patch (and, for a new table, its partitioning and clustering) to an object's record. */
async function patchObjectNow(c: DuckDBConnection, dataset: string, table: string, patch: CreatedTableMeta): Promise<void> {
  await touchObjectNow(c, dataset, table);
  const current = await objectMeta(c, dataset, table);
  const set: string[] = [];
  const params: Record<string, string | number | boolean | null> = { d: dataset, t: table };
  const put = (column: string, value: string | number | boolean | null) => {
    set.push(`${column} = $${column}`);
    params[column] = value;
  };
  if (patch.partitioning !== undefined) put('partitioning', patch.partitioning);
  if (patch.clustering !== undefined) put('clustering', patch.clustering.length ? patch.clustering.join(',') : null);
  if (patch.partitionExpirationMs !== undefined) put('partition_expiration_ms', patch.partitionExpirationMs);
  if (patch.description !== undefined) put('description', patch.description);
  if (patch.friendlyName !== undefined) put('friendly_name', patch.friendlyName);
  if (patch.requirePartitionFilter !== undefined) put('require_partition_filter', patch.requirePartitionFilter);
  if (patch.expirationTime !== undefined) put('expiration', patch.expirationTime === null ? null : new Date(patch.expirationTime).toISOString().replace('T', ' ').replace('Z', ''));
  if (patch.labels !== undefined) {
    const labels = { ...(current.labels ?? {}) };
    for (const [k, v] of Object.entries(patch.labels)) {
      if (v === null) delete labels[k];
      else labels[k] = v;
    }
    put('labels', Object.keys(labels).length ? JSON.stringify(labels) : null);
  }
  if (patch.columns !== undefined) {
    const columns = { ...(current.columns ?? {}) };
    for (const [name, change] of Object.entries(patch.columns)) {
      const col = { ...(columns[name] ?? {}) };
      if (change.description !== undefined) {
        if (change.description === null) delete col.description;
        else col.description = change.description;
      }
      if (change.policyTags !== undefined) {
        if (change.policyTags === null || change.policyTags.length === 0) delete col.policyTags;
        else col.policyTags = [...change.policyTags];
      }
      if (Object.keys(col).length) columns[name] = col;
      else delete columns[name];
    }
    put('column_meta', Object.keys(columns).length ? JSON.stringify(columns) : null);
  }
  if (set.length) await c.run(`UPDATE ${META_SCHEMA}.objects SET ${set.join(', ')} WHERE dataset = $d AND table_name = $t`, params);
}

/** A renamed table keeps its metadata (BigQuery's ALTER TABLE … RENAME TO does). */
async function renameObjectNow(c: DuckDBConnection, dataset: string, from: string, to: string): Promise<void> {
  await c.run(`DELETE FROM ${META_SCHEMA}.objects WHERE dataset = $d AND table_name = $to`, { d: dataset, to });
  await c.run(`UPDATE ${META_SCHEMA}.objects SET table_name = $to, modified = now()::TIMESTAMP WHERE dataset = $d AND table_name = $from`, { d: dataset, from, to });
}

/** Copies every piece of metadata a copy job keeps (schema metadata, partitioning, clustering) from one object's record to another. */
async function copyObjectMetaNow(c: DuckDBConnection, from: { dataset: string; table: string }, to: { dataset: string; table: string }): Promise<void> {
  const src = await objectMeta(c, from.dataset, from.table);
  await patchObjectNow(c, to.dataset, to.table, {
    ...(src.partitioning !== undefined ? { partitioning: src.partitioning } : {}),
    ...(src.clustering !== undefined ? { clustering: src.clustering } : {}),
    ...(src.partitionExpirationMs !== undefined ? { partitionExpirationMs: src.partitionExpirationMs } : {}),
    ...(src.columns ? { columns: src.columns } : {}),
  });
}

/** Brings the object log in line with the catalog: new objects get created=now, dropped ones are forgotten. */
async function syncObjectsNow(c: DuckDBConnection): Promise<void> {
  await c.run(`INSERT INTO ${META_SCHEMA}.objects (dataset, table_name, created, modified, expiration)
    SELECT table_schema, table_name, now()::TIMESTAMP, now()::TIMESTAMP,
      (SELECT now()::TIMESTAMP + to_milliseconds(d.default_table_expiration_ms) FROM ${META_SCHEMA}.datasets d WHERE d.dataset = table_schema)
    FROM information_schema.tables
    WHERE table_catalog = current_database() AND table_schema NOT IN ('${[...HIDDEN_SCHEMAS].join("','")}')
      AND (table_schema, table_name) NOT IN (SELECT (dataset, table_name) FROM ${META_SCHEMA}.objects)`);
  await c.run(`DELETE FROM ${META_SCHEMA}.objects WHERE (dataset, table_name) NOT IN
    (SELECT (table_schema, table_name) FROM information_schema.tables WHERE table_catalog = current_database())`);
}

/** Who runs the jobs of this process: the OS user (the local warehouse has no accounts), for `bqmigrate readers`. */
const PRINCIPAL = (() => {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown user';
  }
})();

async function recordJobNow(
  c: DuckDBConnection,
  job: { id: string; kind: string; statement: string; labels?: JobLabels; dryRun?: boolean; bytes?: number; error?: string },
): Promise<void> {
  const labels = job.labels ? { 'bqmigrate-run': job.labels.run, 'bqmigrate-phase': job.labels.phase, 'bqmigrate-step': job.labels.step } : null;
  await c.run(`INSERT INTO ${META_SCHEMA}.jobs (job_id, created, kind, statement, labels, dry_run, bytes, error, principal) VALUES ($id, now()::TIMESTAMP, $kind, $st, $labels, $dry, $bytes, $err, $principal)`, {
    id: job.id,
    kind: job.kind,
    st: job.statement,
    labels: labels ? JSON.stringify(labels) : null,
    dry: job.dryRun ?? false,
    bytes: job.bytes ?? null,
    err: job.error ?? null,
    principal: PRINCIPAL,
  });
}

/** A job the local warehouse recorded: its statement, the `bqmigrate-*` labels it carried, when and by whom. */
export interface LocalJob {
  jobId: string;
  kind: string;
  statement: string;
  labels?: Record<string, string>;
  dryRun: boolean;
  bytes: number | null;
  created: string;
  principal?: string;
  error?: string;
}

/** Jobs recorded so far, oldest first. */
export async function readJobs(c: DuckDBConnection): Promise<LocalJob[]> {
  const r = await c.runAndReadAll(`SELECT * FROM ${META_SCHEMA}.jobs ORDER BY created, job_id`);
  return r.getRowObjectsJson().map((row) => ({
    // now()::TIMESTAMP is UTC wall time (DuckDB's now() is UTC unless a time zone extension says otherwise).
    created: new Date(`${String(row.created).replace(' ', 'T')}Z`).toISOString(),
    ...(row.principal ? { principal: String(row.principal) } : {}),
    ...(row.error ? { error: String(row.error) } : {}),
    jobId: String(row.job_id),
    kind: String(row.kind),
    statement: String(row.statement),
    labels: row.labels ? (JSON.parse(String(row.labels)) as Record<string, string>) : undefined,
    dryRun: row.dry_run === true,
    bytes: row.bytes === null ? null : Number(row.bytes),
  }));
}

export const upsertDataset = (...a: Parameters<typeof upsertDatasetNow>) => serial(() => upsertDatasetNow(...a));
export const touchObject = (...a: Parameters<typeof touchObjectNow>) => serial(() => touchObjectNow(...a));
export const syncObjects = (...a: Parameters<typeof syncObjectsNow>) => serial(() => syncObjectsNow(...a));
export const patchObject = (...a: Parameters<typeof patchObjectNow>) => serial(() => patchObjectNow(...a));
export const renameObject = (...a: Parameters<typeof renameObjectNow>) => serial(() => renameObjectNow(...a));
export const copyObjectMeta = (...a: Parameters<typeof copyObjectMetaNow>) => serial(() => copyObjectMetaNow(...a));
export const recordJob = (...a: Parameters<typeof recordJobNow>) => serial(() => recordJobNow(...a));
