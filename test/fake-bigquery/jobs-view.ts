/**
 * The fake's `region-<loc>`.INFORMATION_SCHEMA.JOBS (and JOBS_BY_PROJECT, JOBS_BY_ORGANIZATION): the
 * engine's job history (job-history.ts) materialised into DuckDB tables before a query that names a
 * view, with the columns bqmigrate reads (creation_time, job_id, job_type, state, user_email,
 * project_id, cache_hit, query, referenced_tables, labels). JOBS holds the fake project's jobs only;
 * JOBS_BY_ORGANIZATION holds every project's and, as BigQuery's, has no `query` column. Reading it
 * needs bigquery.jobs.listAll on the organization: the engine says whether the caller has it.
 */
import type { LocalWarehouse } from '../../src/core/warehouse/local';
import { ApiFailure } from './engine';

export interface JobLogEntry {
  jobId: string;
  /** When the job was created; tests backdate entries to simulate time passing. */
  creationTime: Date;
  jobType: 'QUERY' | 'COPY' | 'EXTRACT' | 'LOAD';
  state: 'DONE';
  /** Empty on cache hits; a view's base tables instead of the view. */
  referencedTables: { projectId: string; datasetId: string; tableId: string }[];
  labels: Record<string, string>;
  /** Who ran it (default: the engine's user). */
  userEmail?: string;
  /** The project it ran in (default: the engine's project). */
  projectId?: string;
  cacheHit?: boolean;
  query?: string;
}

const JOBS_VIEW = /`([A-Za-z0-9-]+)\.region-([A-Za-z0-9-]+)\.INFORMATION_SCHEMA\.JOBS(?:_BY_PROJECT)?`/gi;
const FAKE_SCHEMA = '_fake_information_schema';

/** Tables a query reads, as BigQuery lists them in referenced_tables (backtick-quoted names; the fake's approximation). */
export function referencedTables(sql: string, project: string): JobLogEntry['referencedTables'] {
  const out = new Map<string, JobLogEntry['referencedTables'][number]>();
  for (const m of sql.matchAll(/`([^`]+)`/g)) {
    const parts = m[1]!.split('.');
    if (parts.some((p) => /^INFORMATION_SCHEMA$/i.test(p) || p.startsWith('region-'))) continue;
    const [projectId, datasetId, tableId] = parts.length === 3 ? parts : parts.length === 2 ? [project, ...parts] : [];
    if (!datasetId || !tableId) continue;
    out.set(`${projectId}.${datasetId}.${tableId}`, { projectId: projectId!, datasetId, tableId });
  }
  return [...out.values()];
}

const ORG_VIEW = /`([A-Za-z0-9-]+)\.region-([A-Za-z0-9-]+)\.INFORMATION_SCHEMA\.JOBS_BY_ORGANIZATION`/gi;

export function namesJobsView(sql: string): boolean {
  JOBS_VIEW.lastIndex = 0;
  ORG_VIEW.lastIndex = 0;
  return JOBS_VIEW.test(sql) || ORG_VIEW.test(sql);
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const REFS = 'STRUCT(project_id VARCHAR, dataset_id VARCHAR, table_id VARCHAR)[]';
const LABELS = 'STRUCT("key" VARCHAR, "value" VARCHAR)[]';

async function materialise(wh: LocalWarehouse, table: string, log: JobLogEntry[], withQuery: boolean, defaults: { project: string; user: string }): Promise<void> {
  await wh.query(
    `CREATE OR REPLACE TABLE "${FAKE_SCHEMA}"."${table}" (creation_time TIMESTAMPTZ, job_id VARCHAR, job_type VARCHAR, state VARCHAR, user_email VARCHAR, project_id VARCHAR, cache_hit BOOLEAN, ${withQuery ? 'query VARCHAR, ' : ''}referenced_tables ${REFS}, labels ${LABELS})`,
  );
  // One INSERT per 500 jobs, not one per job: a long job log must not make every JOBS query slow.
  const rows = log.map((j) => {
    const refs = j.referencedTables.map((r) => `{'project_id': ${lit(r.projectId)}, 'dataset_id': ${lit(r.datasetId)}, 'table_id': ${lit(r.tableId)}}`);
    const labels = Object.entries(j.labels).map(([k, v]) => `{'key': ${lit(k)}, 'value': ${lit(v)}}`);
    const query = withQuery ? `${j.query === undefined ? 'NULL' : lit(j.query)}, ` : '';
    return `(${lit(j.creationTime.toISOString())}::TIMESTAMPTZ, ${lit(j.jobId)}, ${lit(j.jobType)}, ${lit(j.state)}, ${lit(j.userEmail ?? defaults.user)}, ${lit(j.projectId ?? defaults.project)}, ${j.cacheHit ? 'TRUE' : 'FALSE'}, ${query}[${refs.join(', ')}]::${REFS}, [${labels.join(', ')}]::${LABELS})`;
  });
  for (let i = 0; i < rows.length; i += 500) await wh.query(`INSERT INTO "${FAKE_SCHEMA}"."${table}" VALUES ${rows.slice(i, i + 500).join(', ')}`);
}

export interface JobsViewAccess {
  project: string;
  /** The user jobs run as when the log entry does not say. */
  user: string;
  /** Whether the caller holds bigquery.jobs.listAll on the organization. */
  organizationAccess: boolean;
}

/** Writes the job log into the backing tables and returns the query rewritten onto them (DuckDB spellings for what the translator lacks). */
export async function prepareJobsQuery(wh: LocalWarehouse, log: JobLogEntry[], sql: string, access: JobsViewAccess): Promise<string> {
  ORG_VIEW.lastIndex = 0;
  const org = ORG_VIEW.test(sql);
  if (org && !access.organizationAccess) {
    throw new ApiFailure(403, 'accessDenied', `Access Denied: Table ${access.project}:region-us.INFORMATION_SCHEMA.JOBS_BY_ORGANIZATION: Permission bigquery.jobs.listAll denied on organization (or it may not exist).`);
  }
  await wh.query(`CREATE SCHEMA IF NOT EXISTS "${FAKE_SCHEMA}"`);
  const defaults = { project: access.project, user: access.user };
  await materialise(wh, 'jobs', log.filter((j) => (j.projectId ?? access.project) === access.project), true, defaults);
  if (org) await materialise(wh, 'jobs_by_organization', log, false, defaults);
  return sql
    .replace(ORG_VIEW, `"${FAKE_SCHEMA}"."jobs_by_organization"`)
    .replace(JOBS_VIEW, `"${FAKE_SCHEMA}"."jobs"`)
    .replace(/TIMESTAMP_SUB\(\s*CURRENT_TIMESTAMP\(\)\s*,\s*INTERVAL\s+(\d+)\s+DAY\s*\)/gi, '(CURRENT_TIMESTAMP - INTERVAL $1 DAY)')
    .replace(/UNNEST\((\w+)\)\s+AS\s+(\w+)/gi, 'UNNEST($1) AS _unnested($2)');
}
