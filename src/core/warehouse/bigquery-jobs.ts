/**
 * Running one BigQuery job to DONE, at two levels of retry:
 * - HTTP: jobs.insert is retried with the SAME job id (retry.ts), so a retry after a lost answer
 *   attaches to the job the first attempt created (409 → fetch that job);
 * - job: a job that ends DONE with errorResult backendError / internalError / rateLimitExceeded
 *   (or the job* variants) failed on BigQuery's side and ran nothing worth keeping; BigQuery's
 *   error documentation says to retry it, which means a NEW job id. Such jobs are resubmitted, a
 *   bounded number of times with backoff, and each resubmission is reported (the phases journal it).
 *   A multi-statement script is not resubmitted: statements that completed before the failure
 *   would run again.
 */
import { randomUUID } from 'node:crypto';
import type { BigQuery, Job } from '@google-cloud/bigquery';
import { WarehouseError } from './errors';
import { backoffDelay, classifyError, sleep, type RetryPolicy } from './retry';
import type { JobResubmission } from './types';

export interface JobResource {
  jobReference?: { jobId: string; location?: string };
  status?: { state?: string; errorResult?: { reason?: string; message?: string }; errors?: { reason?: string; message?: string }[] };
  statistics?: {
    totalBytesProcessed?: string;
    numChildJobs?: string;
    query?: { totalBytesProcessed?: string; totalBytesBilled?: string; numDmlAffectedRows?: string; statementType?: string; totalBytesProcessedAccuracy?: string; referencedTables?: unknown[] };
    extract?: { destinationUriFileCounts?: string[] };
  };
}

/** errorResult reasons of a job that failed by itself and may succeed as a new job. */
export const RESUBMITTABLE_JOB_REASONS: ReadonlySet<string> = new Set(['backendError', 'internalError', 'rateLimitExceeded', 'jobBackendError', 'jobInternalError', 'jobRateLimitExceeded']);

export interface JobRunnerContext {
  client: BigQuery;
  location?: string;
  /** The HTTP-level retry (same request, transient failures only). */
  retry<T>(what: string, fn: (attempt: number) => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Resubmissions after a job-level failure (default 3). */
  maxResubmits?: number;
  /** First backoff delay before a resubmission (retry.ts's base, default 500 ms). */
  baseDelayMs?: number;
  onRetry?: RetryPolicy['onRetry'];
}

export interface RunJobOptions {
  signal?: AbortSignal;
  /** Told about each resubmission before its delay (the phases write it to the journal). */
  onResubmit?(info: JobResubmission): void;
}

export const newJobId = (): string => `bqmigrate_${randomUUID().replace(/-/g, '')}`;

/** Inserts the job (new id per job-level attempt) and waits for DONE; resubmits job-level failures. */
export async function runJob(ctx: JobRunnerContext, configuration: Record<string, unknown>, what: string, opts: RunJobOptions = {}): Promise<{ job: Job; resource: JobResource; resubmissions: JobResubmission[] }> {
  const max = ctx.maxResubmits ?? 3;
  const resubmissions: JobResubmission[] = [];
  for (let attempt = 0; ; attempt++) {
    const jobId = newJobId();
    const { job, resource } = await insertAndWait(ctx, configuration, jobId, what, opts.signal);
    const failure = resource.status?.errorResult;
    if (!failure) return { job, resource, resubmissions };
    const err = classifyError({ message: failure.message, errors: [failure] }, `${what} (job ${jobId})`);
    const details = err.details as { jobId?: string; attempts?: number };
    details.jobId = jobId;
    const script = resource.statistics?.query?.statementType === 'SCRIPT' || Number(resource.statistics?.numChildJobs ?? 0) > 0;
    if (!RESUBMITTABLE_JOB_REASONS.has(failure.reason ?? '') || script || attempt >= max) {
      if (attempt > 0) details.attempts = attempt + 1;
      if (script && RESUBMITTABLE_JOB_REASONS.has(failure.reason ?? '')) {
        throw new WarehouseError(`${err.message} — not resubmitted: a multi-statement script's completed statements would run again; check what it changed, then run it again`, err.reason, err.details);
      }
      throw err;
    }
    const delayMs = backoffDelay(attempt, { baseDelayMs: ctx.baseDelayMs });
    const info: JobResubmission = { failedJobId: jobId, reason: failure.reason!, message: failure.message ?? '', attempt: attempt + 1, delayMs };
    resubmissions.push(info);
    ctx.onRetry?.({ attempt: attempt + 1, reason: failure.reason!, delayMs, what: `${what}: job ${jobId} failed (${failure.reason}), resubmitted as a new job` });
    opts.onResubmit?.(info);
    await sleep(delayMs, opts.signal);
  }
}

/**
 * jobs.insert with an explicit id (retried with the same id, so a retry after a dropped
 * connection attaches to the job the first attempt created), then jobs.get until DONE.
 */
async function insertAndWait(ctx: JobRunnerContext, configuration: Record<string, unknown>, jobId: string, what: string, signal?: AbortSignal): Promise<{ job: Job; resource: JobResource }> {
  const [job, created] = await ctx.retry(
    what,
    async (attempt) => {
      try {
        const [j, resp] = await ctx.client.createJob({ configuration, jobId, location: ctx.location });
        return [j, resp as JobResource] as const;
      } catch (err) {
        const e = classifyError(err, what);
        if (e.reason === 'duplicate' && attempt > 0) {
          const j = ctx.client.job(jobId, { location: ctx.location });
          const [meta] = await j.getMetadata();
          return [j, meta as JobResource] as const;
        }
        throw e;
      }
    },
    signal,
  );
  let resource = created;
  for (let delay = 50; resource.status?.state !== 'DONE'; delay = Math.min(delay * 2, 5000)) {
    if (signal?.aborted) {
      await job.cancel().catch(() => undefined);
      throw new WarehouseError(`${what}: cancelled (job ${jobId} cancelled)`, 'cancelled', { jobId });
    }
    await new Promise((r) => setTimeout(r, delay));
    resource = (await ctx.retry(`${what} (poll ${jobId})`, () => job.getMetadata(), signal))[0] as JobResource;
  }
  return { job, resource };
}
