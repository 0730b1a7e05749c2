/**
 * One error type for both backends, carrying BigQuery's error `reason`
 * (invalidQuery, notFound, accessDenied, duplicate, rateLimitExceeded, …) so
 * callers decide by reason, never by backend or message text.
 */

export type WarehouseErrorReason =
  | 'invalidQuery'
  | 'notFound'
  | 'accessDenied'
  | 'duplicate'
  | 'invalid'
  | 'rateLimitExceeded'
  | 'backendError'
  | 'internalError'
  | 'bytesBilledLimitExceeded'
  | 'connection'
  | 'timeout'
  | 'cancelled'
  | 'locked'
  | 'unknown';

export class WarehouseError extends Error {
  override name = 'WarehouseError';
  constructor(
    message: string,
    readonly reason: WarehouseErrorReason,
    readonly details: {
      /** HTTP status from BigQuery. */
      status?: number;
      /** The IAM permission BigQuery said is missing, e.g. "bigquery.tables.create". */
      permission?: string;
      /** Retries made before giving up. */
      attempts?: number;
      jobId?: string;
      cause?: unknown;
    } = {},
  ) {
    super(message);
  }
}

/** BigQuery's phrasings: "Permission bigquery.tables.create denied on dataset …", "User does not have bigquery.jobs.create permission …". */
export function missingPermission(message: string): string | undefined {
  const m = /Permission ([a-z]+(?:\.[A-Za-z]+)+) denied/.exec(message) ?? /does not have ([a-z]+(?:\.[A-Za-z]+)+) permission/.exec(message) ?? /\b(bigquery\.[a-zA-Z]+\.[a-zA-Z]+)\b/.exec(message);
  return m?.[1];
}

export function isWarehouseError(err: unknown, reason?: WarehouseErrorReason): err is WarehouseError {
  return err instanceof WarehouseError && (reason === undefined || err.reason === reason);
}
