/**
 * Where the readers search gets its jobs: BigQuery's `region-<loc>`.INFORMATION_SCHEMA.JOBS (the
 * project's own jobs, with their query text) and JOBS_BY_ORGANIZATION (other projects of the
 * organization, where the credentials allow it), or the local warehouse's job log. bqmigrate's own
 * labelled jobs are left out; `bqmigrate query` runs a person's SQL, so its jobs count as reads.
 */
import type { SqlTarget } from '../phases/sql';
import { LocalWarehouse } from '../warehouse/local';
import { isWarehouseError } from '../warehouse/errors';
import type { QueryOptions, Warehouse } from '../warehouse/types';
import type { JobRow } from './types';

/** A job bqmigrate ran for itself (a phase step, validate, diff, …): it carries `bqmigrate-run`, and is not a `bqmigrate query`. */
export function isOwnJob(labels: Record<string, string> | undefined): boolean {
  if (!labels?.['bqmigrate-run']) return false;
  return !(labels['bqmigrate-phase'] === 'adhoc' && labels['bqmigrate-step'] === 'query');
}

/** The same test as `isOwnJob`, in BigQuery SQL over a JOBS row's `labels`. */
const NOT_OWN_SQL = [
  `(NOT EXISTS (SELECT 1 FROM UNNEST(labels) AS l WHERE l.key = 'bqmigrate-run')`,
  `    OR (EXISTS (SELECT 1 FROM UNNEST(labels) AS l WHERE l.key = 'bqmigrate-phase' AND l.value = 'adhoc')`,
  `        AND EXISTS (SELECT 1 FROM UNNEST(labels) AS l WHERE l.key = 'bqmigrate-step' AND l.value = 'query')))`,
].join('\n');

export function jobsView(w: SqlTarget, location: string, view: 'JOBS' | 'JOBS_BY_ORGANIZATION'): string {
  if (!/^[A-Za-z0-9-]+$/.test(location)) throw new Error(`refusing to build SQL: location ${JSON.stringify(location)} is not a BigQuery location name`);
  if (!/^[a-z0-9][a-z0-9.:-]*$/i.test(w.project)) throw new Error(`refusing to build SQL: project ${JSON.stringify(w.project)} is not a BigQuery project id`);
  return `\`${w.project}.region-${location.toLowerCase()}.INFORMATION_SCHEMA.${view}\``;
}

export interface JobsQueryInput {
  location: string;
  days: number;
  /** Legacy `dataset.table` names the search is about. */
  names: readonly string[];
}

/**
 * The project's own jobs of the window that may have read one of `names`: its referenced_tables
 * name one, or its query text contains one's table name (cache hits have empty referenced_tables but
 * keep their text). The text test is only a filter; the reference scanner decides in Node.
 */
export function ownJobsSql(w: SqlTarget, input: JobsQueryInput): string {
  const lit = (s: string) => w.dialect.literal(s);
  const tables = [...new Set(input.names.map((n) => n.slice(n.indexOf('.') + 1).toLowerCase()))];
  const text = tables.map((t) => `STRPOS(LOWER(query), ${lit(t)}) > 0`).join(' OR ');
  return [
    `SELECT job_id, user_email, project_id, creation_time, cache_hit, query,`,
    `  (SELECT STRING_AGG(CONCAT(r.project_id, '.', r.dataset_id, '.', r.table_id), ',') FROM UNNEST(referenced_tables) AS r) AS referenced`,
    `FROM ${jobsView(w, input.location, 'JOBS')}`,
    `WHERE creation_time >= TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL ${Math.trunc(input.days)} DAY)`,
    `  AND ${NOT_OWN_SQL}`,
    `  AND (${referencesAny(w, input.names)}${text ? ` OR ${text}` : ''})`,
  ].join('\n');
}

/** Jobs of other projects of the organization whose referenced_tables name one of `names` (with query text when the view has it). */
export function organizationJobsSql(w: SqlTarget, input: JobsQueryInput, withQuery: boolean): string {
  return [
    `SELECT job_id, user_email, project_id, creation_time, cache_hit,${withQuery ? ' query,' : ''}`,
    `  (SELECT STRING_AGG(CONCAT(r.project_id, '.', r.dataset_id, '.', r.table_id), ',') FROM UNNEST(referenced_tables) AS r) AS referenced`,
    `FROM ${jobsView(w, input.location, 'JOBS_BY_ORGANIZATION')}`,
    `WHERE creation_time >= TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL ${Math.trunc(input.days)} DAY)`,
    `  AND project_id != ${w.dialect.literal(w.project)}`,
    `  AND ${NOT_OWN_SQL}`,
    `  AND ${referencesAny(w, input.names)}`,
  ].join('\n');
}

function referencesAny(w: SqlTarget, names: readonly string[]): string {
  const keys = names.length ? names.map((n) => w.dialect.literal(n)).join(', ') : `''`;
  return `EXISTS (SELECT 1 FROM UNNEST(referenced_tables) AS r WHERE r.project_id = ${w.dialect.literal(w.project)} AND CONCAT(r.dataset_id, '.', r.table_id) IN (${keys}))`;
}

function toJobRow(row: Record<string, unknown>): JobRow {
  const referenced = typeof row.referenced === 'string' && row.referenced ? row.referenced.split(',') : [];
  const created = row.creation_time instanceof Date ? row.creation_time.toISOString() : new Date(String(row.creation_time)).toISOString();
  return {
    jobId: String(row.job_id),
    principal: typeof row.user_email === 'string' && row.user_email ? row.user_email : 'unknown principal',
    project: String(row.project_id),
    created,
    cacheHit: row.cache_hit === true,
    ...(typeof row.query === 'string' ? { query: row.query } : {}),
    referenced,
  };
}

export interface FetchedJobs {
  own: JobRow[];
  /** Other projects' jobs, when JOBS_BY_ORGANIZATION could be read. */
  others?: JobRow[];
  /** Whether the other projects' rows carry query text. */
  othersHaveText: boolean;
  /** Why JOBS_BY_ORGANIZATION could not be read. */
  othersError?: string;
  /** Where the own jobs came from, in words. */
  ownSource: string;
}

/** BigQuery: both views. Local: the job log of this warehouse file (there are no other projects). */
export async function fetchJobs(wh: Warehouse, target: SqlTarget, input: JobsQueryInput, now: Date, queryOptions: QueryOptions = {}): Promise<FetchedJobs> {
  if (wh instanceof LocalWarehouse) {
    const since = now.getTime() - input.days * 86_400_000;
    const own = (await wh.jobs())
      .filter((j) => !j.dryRun && j.kind !== 'patch' && !isOwnJob(j.labels) && Date.parse(j.created) >= since)
      .map((j): JobRow => ({ jobId: j.jobId, principal: j.principal ? `local:${j.principal}` : 'local:unknown user', project: wh.project, created: j.created, cacheHit: false, query: j.statement, referenced: [] }));
    return { own, othersHaveText: false, ownSource: 'the local warehouse job log (queries run through bqmigrate on this file)' };
  }
  const own = (await wh.query(ownJobsSql(target, input), queryOptions)).rows.map(toJobRow);
  const out: FetchedJobs = { own, othersHaveText: false, ownSource: `INFORMATION_SCHEMA.JOBS of ${target.project} in region-${input.location.toLowerCase()}` };
  try {
    out.others = (await wh.query(organizationJobsSql(target, input, true), queryOptions)).rows.map(toJobRow);
    out.othersHaveText = true;
  } catch (err) {
    // JOBS_BY_ORGANIZATION has no query column (only the project's own JOBS view does): ask again without it.
    if (isWarehouseError(err) && /\bquery\b/i.test(err.message) && /unrecognized|not found|no such|does not have a field/i.test(err.message)) {
      try {
        out.others = (await wh.query(organizationJobsSql(target, input, false), queryOptions)).rows.map(toJobRow);
      } catch (again) {
        out.othersError = (again as Error).message;
      }
    } else {
      out.othersError = (err as Error).message;
    }
  }
  return out;
}
