/**
 * The fake's `region-<loc>`.INFORMATION_SCHEMA.JOBS (and JOBS_BY_PROJECT): the engine's own job
 * log materialised into a DuckDB table before a query that names the view, with only the columns
 * bqmigrate reads (creation_time, job_id, job_type, state, referenced_tables, labels).
 */
import type { LocalWarehouse } from '../../src/core/warehouse/local';

export interface JobLogEntry {
  jobId: string;
  /** When the job was created; tests backdate entries to simulate time passing. */
  creationTime: Date;
  jobType: 'QUERY' | 'COPY' | 'EXTRACT' | 'LOAD';
  state: 'DONE';
  referencedTables: { projectId: string; datasetId: string; tableId: string }[];
  labels: Record<string, string>;
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

export function namesJobsView(sql: string): boolean {
  JOBS_VIEW.lastIndex = 0;
  return JOBS_VIEW.test(sql);
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Writes the job log into the backing table and returns the query rewritten onto it (DuckDB spellings for what the translator lacks). */
export async function prepareJobsQuery(wh: LocalWarehouse, log: JobLogEntry[], sql: string): Promise<string> {
  await wh.query(`CREATE SCHEMA IF NOT EXISTS "${FAKE_SCHEMA}"`);
  await wh.query(
    `CREATE OR REPLACE TABLE "${FAKE_SCHEMA}"."jobs" (creation_time TIMESTAMPTZ, job_id VARCHAR, job_type VARCHAR, state VARCHAR, referenced_tables STRUCT(project_id VARCHAR, dataset_id VARCHAR, table_id VARCHAR)[], labels STRUCT("key" VARCHAR, "value" VARCHAR)[])`,
  );
  // One INSERT per 500 jobs, not one per job: a long job log must not make every JOBS query slow.
  const rows = log.map((j) => {
    const refs = j.referencedTables.map((r) => `{'project_id': ${lit(r.projectId)}, 'dataset_id': ${lit(r.datasetId)}, 'table_id': ${lit(r.tableId)}}`);
    const labels = Object.entries(j.labels).map(([k, v]) => `{'key': ${lit(k)}, 'value': ${lit(v)}}`);
    return `(${lit(j.creationTime.toISOString())}::TIMESTAMPTZ, ${lit(j.jobId)}, ${lit(j.jobType)}, ${lit(j.state)}, [${refs.join(', ')}]::STRUCT(project_id VARCHAR, dataset_id VARCHAR, table_id VARCHAR)[], [${labels.join(', ')}]::STRUCT("key" VARCHAR, "value" VARCHAR)[])`;
  });
  for (let i = 0; i < rows.length; i += 500) await wh.query(`INSERT INTO "${FAKE_SCHEMA}"."jobs" VALUES ${rows.slice(i, i + 500).join(', ')}`);
  return sql
    .replace(JOBS_VIEW, `"${FAKE_SCHEMA}"."jobs"`)
    .replace(/TIMESTAMP_SUB\(\s*CURRENT_TIMESTAMP\(\)\s*,\s*INTERVAL\s+(\d+)\s+DAY\s*\)/gi, '(CURRENT_TIMESTAMP - INTERVAL $1 DAY)')
    .replace(/UNNEST\((\w+)\)\s+AS\s+(\w+)/gi, 'UNNEST($1) AS _unnested($2)');
}
