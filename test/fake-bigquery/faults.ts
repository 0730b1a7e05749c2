/**
 * Fault injection for the fake BigQuery server: each rule matches requests
 * (method, path fragment, job type, dry run, body text) and fires a number of
 * times: 503, 403 rateLimitExceeded, 500 internalError, a dropped connection
 * (socket destroyed, before or after the request took effect), a slow
 * response, or 403 accessDenied naming a permission. `jobError` is not an HTTP fault: the
 * jobs.insert succeeds and the job ends DONE with errorResult `reason` (job-states.ts).
 */
import type { JobFailureReason } from './job-states';

export type FaultKind = 'unavailable' | 'rateLimit' | 'internalError' | 'drop' | 'dropAfter' | 'slow' | 'accessDenied' | 'notFound' | 'jobError';

export interface FaultMatch {
  method?: string;
  /** Substring of the path after /bigquery/v2, e.g. "/jobs" or "/tables/x". */
  path?: string;
  /** jobs.insert only: the job's configuration kind. */
  jobType?: 'query' | 'copy' | 'extract';
  /** jobs.insert only: whether the job is a dry run. */
  dryRun?: boolean;
  /** Substring of the JSON body (e.g. a table name inside a query). */
  bodyIncludes?: string;
}

export interface FaultRule {
  kind: FaultKind;
  match?: FaultMatch;
  /** How many matching requests it affects (default 1; Infinity for all). */
  times?: number;
  /** For "slow": delay before answering (ms). */
  delayMs?: number;
  /** For "accessDenied": the permission named in the message. */
  permission?: string;
  /** For "jobError" (jobs.insert only): the job's errorResult reason (default backendError). */
  reason?: JobFailureReason;
}

export interface RequestFacts {
  method: string;
  path: string;
  body: unknown;
  rawBody: string;
}

export class Faults {
  private rules: (FaultRule & { left: number })[] = [];
  /** Every fault that fired, in order. */
  readonly fired: { kind: FaultKind; method: string; path: string }[] = [];

  add(rule: FaultRule): this {
    this.rules.push({ ...rule, left: rule.times ?? 1 });
    return this;
  }

  clear(): void {
    this.rules = [];
  }

  /** The first live rule matching this request, consumed once. */
  take(req: RequestFacts): FaultRule | undefined {
    for (const rule of this.rules) {
      if (rule.left <= 0 || !matches(rule.match, req)) continue;
      rule.left--;
      this.fired.push({ kind: rule.kind, method: req.method, path: req.path });
      return rule;
    }
    return undefined;
  }
}

function matches(m: FaultMatch | undefined, req: RequestFacts): boolean {
  if (!m) return true;
  if (m.method && m.method.toUpperCase() !== req.method) return false;
  if (m.path && !req.path.includes(m.path)) return false;
  if (m.bodyIncludes && !req.rawBody.includes(m.bodyIncludes)) return false;
  if (m.jobType || m.dryRun !== undefined) {
    const cfg = (req.body as { configuration?: Record<string, unknown> } | undefined)?.configuration;
    if (!cfg) return false;
    if (m.jobType && !(m.jobType in cfg)) return false;
    if (m.dryRun !== undefined && Boolean(cfg.dryRun) !== m.dryRun) return false;
  }
  return true;
}

/** BigQuery's error body for a status and reason. */
export function errorBody(code: number, reason: string, message: string): { error: unknown } {
  const status = { 400: 'INVALID_ARGUMENT', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 409: 'ALREADY_EXISTS', 500: 'INTERNAL', 503: 'UNAVAILABLE' }[code] ?? 'UNKNOWN';
  return { error: { code, message, errors: [{ message, domain: 'global', reason }], status } };
}
