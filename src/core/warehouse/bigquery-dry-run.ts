/**
 * The dry run before every BigQuery query, as BigQuery documents it for scripts ("Work with
 * multi-statement queries" → dry run): the estimate of a script covers its statements up to the
 * first DDL statement (BigQuery says LOWER_BOUND in `totalBytesProcessedAccuracy` when it stopped
 * early), and `CREATE TEMP TABLE` cannot be dry-run at all. A script is never refused only
 * because its dry run is unsupported: the statements before the first CREATE TEMP TABLE are
 * dry-run for a lower bound (validating them), and the rest is reported as not estimable — never
 * as 0 bytes.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import type { JobResource } from './bigquery-jobs';
import { classifyError } from './retry';
import { isTempTable, splitStatements } from './statements';
import type { BytesAccuracy } from './types';

export interface DryRunEstimate {
  /** Bytes processed (a lower bound when accuracy is LOWER_BOUND); undefined when nothing could be estimated. */
  bytes?: number;
  accuracy: BytesAccuracy;
  /** Tables the estimated part reads (for the 10 MiB per table minimum), when BigQuery said. */
  tablesRead?: number;
  /** Why (part of) the query could not be estimated. */
  notEstimable?: string;
}

export interface DryRunContext {
  client: BigQuery;
  location?: string;
  retry<T>(what: string, fn: (attempt: number) => Promise<T>, signal?: AbortSignal): Promise<T>;
}

async function dryRunOnce(ctx: DryRunContext, query: Record<string, unknown>, labels: Record<string, string>, signal?: AbortSignal): Promise<DryRunEstimate> {
  const [resp] = await ctx.retry(
    'dry run',
    async () => {
      const [, r] = await ctx.client.createJob({ configuration: { query: query as never, dryRun: true, labels }, location: ctx.location });
      return [r as JobResource] as const;
    },
    signal,
  );
  const stats = resp.statistics;
  const accuracy = (stats?.query?.totalBytesProcessedAccuracy as BytesAccuracy | undefined) ?? 'PRECISE';
  return {
    bytes: Number(stats?.totalBytesProcessed ?? stats?.query?.totalBytesProcessed ?? 0),
    accuracy,
    ...(stats?.query?.referencedTables ? { tablesRead: stats.query.referencedTables.length } : {}),
    ...(accuracy === 'LOWER_BOUND' ? { notEstimable: 'BigQuery estimated the script only up to its first DDL or control statement: the bytes are a lower bound' } : {}),
  };
}

/** The dry run of `query.query`; a script BigQuery cannot dry-run because of CREATE TEMP TABLE gets what can be estimated. */
export async function dryRunEstimate(ctx: DryRunContext, query: Record<string, unknown> & { query: string }, labels: Record<string, string>, signal?: AbortSignal): Promise<DryRunEstimate> {
  try {
    return await dryRunOnce(ctx, query, labels, signal);
  } catch (err) {
    const e = classifyError(err, 'dry run');
    const statements = splitStatements(query.query);
    const at = statements.findIndex(isTempTable);
    if (at < 0 || (e.reason !== 'invalidQuery' && e.reason !== 'invalid')) throw e;
    const why = `statement ${at + 1} of ${statements.length} is CREATE TEMP TABLE, which BigQuery cannot dry-run: it and the statements after it are not estimable`;
    if (at === 0) return { accuracy: 'UNKNOWN', notEstimable: why };
    const before = await dryRunOnce(ctx, { ...query, query: statements.slice(0, at).join(';\n') }, labels, signal);
    return { ...before, accuracy: 'LOWER_BOUND', notEstimable: why };
  }
}
