/**
 * The fake's job history as BigQuery records it in INFORMATION_SCHEMA.JOBS: who ran each job, in
 * which project, its query text, whether it was a cache hit, and its referenced_tables — empty on
 * cache hits, and a view's base tables instead of the view (BigQuery lists the tables a view reads).
 * Tests seed backdated jobs, also from other projects (visible only in JOBS_BY_ORGANIZATION).
 */
import type { LocalWarehouse } from '../../src/core/warehouse/local';
import { referencedTables, type JobLogEntry } from './jobs-view';

export interface SeededJob {
  jobId?: string;
  query?: string;
  /** Default: the engine's user. */
  userEmail?: string;
  /** Default: the engine's project; another project's jobs show only in JOBS_BY_ORGANIZATION. */
  projectId?: string;
  creationTime: Date;
  cacheHit?: boolean;
  labels?: Record<string, string>;
  jobType?: JobLogEntry['jobType'];
  /** Default: what the query reads (views replaced by their base tables); always empty on a cache hit. */
  referencedTables?: JobLogEntry['referencedTables'];
}

/**
 * The tables `sql` reads as referenced_tables lists them (unqualified names in `jobProject`): a view
 * of the fake's own `project` is replaced by the tables it reads, recursively.
 */
export async function baseTablesRead(wh: LocalWarehouse, sql: string, project: string, jobProject = project, depth = 0): Promise<JobLogEntry['referencedTables']> {
  const out = new Map<string, JobLogEntry['referencedTables'][number]>();
  for (const ref of referencedTables(sql, jobProject)) {
    const info = ref.projectId === project && depth < 16 ? await wh.getTable({ dataset: ref.datasetId, table: ref.tableId }) : undefined;
    const expanded = info?.type === 'VIEW' && info.viewQuery !== undefined ? await baseTablesRead(wh, info.viewQuery, project, project, depth + 1) : [ref];
    for (const r of expanded) out.set(`${r.projectId}.${r.datasetId}.${r.tableId}`, r);
  }
  return [...out.values()];
}

/**
 * BigQuery's query cache, approximately: the same query text by the same user, when nothing was
 * written since it last ran, is answered from the cache. Off unless a test turns it on.
 */
export class QueryCache {
  enabled = false;
  private generation = 0;
  private readonly seen = new Map<string, number>();

  /** Whether this job is answered from the cache; records it either way. */
  lookup(user: string, sql: string, useQueryCache: boolean | undefined): boolean {
    const readOnly = /^\s*(?:SELECT|WITH)\b/i.test(sql);
    if (!readOnly) {
      this.generation++;
      return false;
    }
    const key = `${user}\u0000${sql}`;
    const hit = this.enabled && useQueryCache !== false && this.seen.get(key) === this.generation;
    this.seen.set(key, this.generation);
    return hit;
  }
}

let seeded = 0;

/** A job history entry for a seeded job: referenced tables worked out as BigQuery would, emptied on a cache hit. */
export async function seededEntry(wh: LocalWarehouse, project: string, defaultUser: string, job: SeededJob): Promise<JobLogEntry> {
  const projectId = job.projectId ?? project;
  const refs = job.cacheHit ? [] : (job.referencedTables ?? (job.query ? await baseTablesRead(wh, job.query, project, projectId) : []));
  return {
    jobId: job.jobId ?? `seeded_${++seeded}`,
    creationTime: job.creationTime,
    jobType: job.jobType ?? 'QUERY',
    state: 'DONE',
    referencedTables: refs,
    labels: job.labels ?? {},
    userEmail: job.userEmail ?? defaultUser,
    projectId,
    cacheHit: job.cacheHit ?? false,
    ...(job.query !== undefined ? { query: job.query } : {}),
  };
}
