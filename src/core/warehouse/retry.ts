/**
 * Which BigQuery failures are worth retrying, and the retry loop: exponential
 * backoff with jitter, only for transient errors (rateLimitExceeded,
 * backendError, internalError, 5xx, dropped connections), never for
 * invalidQuery / notFound / accessDenied / duplicate, which fail the same way
 * every time.
 */
import { missingPermission, WarehouseError, type WarehouseErrorReason } from './errors';

const RETRYABLE_REASONS = new Set(['rateLimitExceeded', 'backendError', 'internalError', 'connection', 'timeout']);
const NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ECONNABORTED', 'UND_ERR_SOCKET', 'EAI_AGAIN']);

interface ApiErrorLike {
  code?: number | string;
  errno?: string;
  type?: string;
  message?: string;
  name?: string;
  errors?: { reason?: string; message?: string }[];
  response?: { statusCode?: number };
  cause?: unknown;
}

/** Turns whatever the client threw into a WarehouseError with BigQuery's reason. */
export function classifyError(err: unknown, what: string): WarehouseError {
  if (err instanceof WarehouseError) return err;
  const e = (err ?? {}) as ApiErrorLike;
  const message = String(e.message ?? err);
  const status = typeof e.code === 'number' ? e.code : e.response?.statusCode;
  const apiReason = e.errors?.find((x) => x.reason)?.reason;
  const netCode = [e.code, e.errno, (e.cause as ApiErrorLike | undefined)?.code].find((c) => typeof c === 'string' && NETWORK_CODES.has(c));
  let reason: WarehouseErrorReason;
  if (apiReason && isKnownReason(apiReason)) reason = apiReason;
  else if (apiReason && JOB_VARIANTS[apiReason]) reason = JOB_VARIANTS[apiReason];
  else if (apiReason === 'stopped') reason = 'cancelled';
  else if (netCode || /socket hang up|other side closed|ECONNRESET|network socket disconnected|premature close/i.test(message)) reason = 'connection';
  else if (/timed? ?out|timeout/i.test(message) || e.type === 'request-timeout' || e.name === 'AbortError') reason = 'timeout';
  else if (status === 404) reason = 'notFound';
  else if (status === 409) reason = 'duplicate';
  else if (status === 403 || status === 401) reason = 'accessDenied';
  else if (status === 429) reason = 'rateLimitExceeded';
  else if (status !== undefined && status >= 500) reason = 'backendError';
  else if (status === 400) reason = 'invalid';
  else reason = 'unknown';
  const permission = reason === 'accessDenied' ? missingPermission(message) : undefined;
  return new WarehouseError(`${what}: ${message}`, reason, { status, permission, cause: err });
}

/** A job's own failure reasons (errorResult) and the request-level reason each one is. */
const JOB_VARIANTS: Record<string, WarehouseErrorReason> = { jobBackendError: 'backendError', jobInternalError: 'internalError', jobRateLimitExceeded: 'rateLimitExceeded' };

function isKnownReason(r: string): r is WarehouseErrorReason {
  return ['invalidQuery', 'notFound', 'accessDenied', 'duplicate', 'invalid', 'rateLimitExceeded', 'backendError', 'internalError', 'bytesBilledLimitExceeded'].includes(r);
}

export function isRetryable(err: WarehouseError): boolean {
  if (RETRYABLE_REASONS.has(err.reason)) return true;
  // An unlabelled 5xx (e.g. a proxy's 503) is transient too.
  return err.reason === 'unknown' && (err.details.status ?? 0) >= 500;
}

export interface RetryPolicy {
  /** Retries after the first attempt (default 5). */
  maxRetries?: number;
  /** First delay in ms (default 500); doubles each retry, capped at maxDelayMs (default 32,000). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal;
  /** Told about each retry before its delay: the reason and the delay chosen. */
  onRetry?(info: { attempt: number; reason: string; delayMs: number; what: string }): void;
  /** Each attempt fails as a retryable "timeout" after this many ms (the late answer is ignored). */
  attemptTimeoutMs?: number;
  /** Random source in [0, 1) for the jitter; tests pass a fixed one. */
  random?: () => number;
}

/** Full backoff for attempt n (0-based): base·2ⁿ capped, with "equal jitter" (half fixed, half random). */
export function backoffDelay(attempt: number, policy: RetryPolicy = {}): number {
  const base = policy.baseDelayMs ?? 500;
  const cap = policy.maxDelayMs ?? 32_000;
  const exp = Math.min(cap, base * 2 ** attempt);
  return Math.round(exp / 2 + (policy.random ?? Math.random)() * (exp / 2));
}

/** Waits `ms`, or rejects as cancelled when `signal` aborts. */
export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new WarehouseError('cancelled', 'cancelled'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new WarehouseError('cancelled', 'cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Runs `fn`, retrying retryable failures; `fn` receives the attempt number (0 first). */
export async function withRetry<T>(what: string, fn: (attempt: number) => Promise<T>, policy: RetryPolicy = {}): Promise<T> {
  const max = policy.maxRetries ?? 5;
  for (let attempt = 0; ; attempt++) {
    if (policy.signal?.aborted) throw new WarehouseError(`${what}: cancelled`, 'cancelled');
    try {
      return await withTimeout(fn(attempt), policy.attemptTimeoutMs, what);
    } catch (raw) {
      const err = classifyError(raw, what);
      if (!isRetryable(err) || attempt >= max) {
        if (attempt > 0) (err.details as { attempts?: number }).attempts = attempt + 1;
        throw err;
      }
      const delayMs = backoffDelay(attempt, policy);
      policy.onRetry?.({ attempt: attempt + 1, reason: err.reason, delayMs, what });
      await sleep(delayMs, policy.signal);
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number | undefined, what: string): Promise<T> {
  if (!ms) return p;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new WarehouseError(`${what}: no answer within ${ms} ms`, 'timeout')), ms);
  });
  p.catch(() => undefined); // a late failure of an abandoned attempt is not unhandled
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
