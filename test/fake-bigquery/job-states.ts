/**
 * How the fake's jobs behave over time and place, as BigQuery documents them (the Job and
 * JobReference resources, "Error messages"):
 * - a job is PENDING, then RUNNING, then DONE: each look at it (jobs.get, getQueryResults)
 *   moves it one state on, so a client that takes the insert's answer as final is caught;
 *   only a DONE job shows its errorResult and statistics;
 * - jobs.get / getQueryResults / cancel find a job only in its own location: a `location`
 *   that differs, or none for a job outside the US and EU multi-regions, is notFound;
 * - a job can fail on its own (DONE with errorResult backendError, rateLimitExceeded, …) while
 *   its insert succeeded: `jobFailure` builds one that ran nothing.
 */
import { ApiFailure, type StoredJob } from './engine';

export type JobState = 'PENDING' | 'RUNNING' | 'DONE';

/** Job-level failures the docs say are safe to retry with a new job id. */
export type JobFailureReason = 'backendError' | 'internalError' | 'rateLimitExceeded' | 'jobBackendError' | 'jobInternalError' | 'jobRateLimitExceeded';

const FAILURE_TEXT: Record<JobFailureReason, string> = {
  backendError: 'Backend error. Job aborted.',
  internalError: 'An internal error occurred and the request could not be completed.',
  rateLimitExceeded: 'Exceeded rate limits: too many concurrent queries for this project_and_region. For more information, see https://cloud.google.com/bigquery/docs/troubleshoot-quotas',
  jobBackendError: 'The job encountered an internal error during execution and was unable to complete successfully.',
  jobInternalError: 'The job encountered an internal error during execution and was unable to complete successfully.',
  jobRateLimitExceeded: 'The job exceeded rate limits: too many table update operations. For more information, see https://cloud.google.com/bigquery/docs/troubleshoot-quotas',
};

/** The state a job shows when `looksLeft` looks remain before it is DONE. */
function stateFor(looksLeft: number): JobState {
  return looksLeft <= 0 ? 'DONE' : looksLeft === 1 ? 'RUNNING' : 'PENDING';
}

/** The resource as a client sees it now; a job not yet DONE has no errorResult, end time or query statistics. */
export function visibleResource(job: StoredJob): Record<string, unknown> {
  const state = stateFor(job.looksLeft ?? 0);
  if (state === 'DONE') return job.resource;
  const stats = job.resource.statistics as { creationTime?: string; startTime?: string };
  return {
    ...job.resource,
    status: { state },
    statistics: { creationTime: stats.creationTime, ...(state === 'RUNNING' ? { startTime: stats.startTime } : {}) },
  };
}

/** One look at the job (jobs.get, getQueryResults): it moves a state on, then shows itself. */
export function look(job: StoredJob): Record<string, unknown> {
  if ((job.looksLeft ?? 0) > 0) job.looksLeft!--;
  return visibleResource(job);
}

export function isDone(job: StoredJob): boolean {
  return (job.looksLeft ?? 0) <= 0;
}

const MULTI_REGIONS = new Set(['US', 'EU']);

/** jobs.get and friends: the job only in its own location (case-insensitive); US and EU jobs also without one. */
export function requireJobLocation(job: StoredJob, asked: string | undefined, project: string): void {
  const ref = job.resource.jobReference as { jobId: string; location?: string };
  const where = (ref.location ?? 'US').toUpperCase();
  const found = asked === undefined ? MULTI_REGIONS.has(where) : asked.toUpperCase() === where;
  if (!found) throw new ApiFailure(404, 'notFound', `Not found: Job ${project}:${asked ?? 'US'}.${ref.jobId}`);
}

/** A job that was accepted and then failed by itself, running nothing: DONE with errorResult `reason`. */
export function failedJob(resource: Record<string, unknown>, reason: JobFailureReason): StoredJob {
  const message = FAILURE_TEXT[reason];
  const failure = new ApiFailure(reason.includes('RateLimit') || reason === 'rateLimitExceeded' ? 403 : 500, reason, message);
  resource.status = { state: 'DONE', errorResult: { reason, message }, errors: [{ reason, message }] };
  return { resource, failure };
}
