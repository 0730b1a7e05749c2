/**
 * Opening a warehouse: the embedded local one (DuckDB, the default) or
 * BigQuery (loaded lazily). The phases, the extension and the CLI go through `openWarehouse`;
 * nothing above this folder constructs a backend itself.
 */
import type { LoadedManifest } from '../manifest/load';
import { WarehouseError } from './errors';
import { localWarehouseFile, openLocalWarehouse } from './local';
import type { JobLabels, Warehouse } from './types';

export type { ColumnInfo, CopyOptions, DatasetInfo, Definition, DefinitionKind, DefinitionOptions, Dialect, ScheduledQuery, ScheduledQueryUpdate, JobLabels, JobOptions, ObjectType, QueryOptions, QueryResult, ReadOptions, TableId, TableInfo, Warehouse, WriteDisposition } from './types';
export { IdentifierError, assertIdentifier, bigQueryDialect, duckDbDialect, parseTableId, validateIdentifier, type IdentifierKind } from './identifiers';
export { WarehouseError, isWarehouseError, missingPermission, type WarehouseErrorReason } from './errors';
export { LocalWarehouse, localWarehouseFile, openLocalWarehouse } from './local';
export { seedSampleWarehouse, sampleObjects } from './sample';
export { bigQueryToDuckDb } from './translate';

export type Backend = 'local' | 'bigquery';

export interface BigQueryOptions {
  /** e.g. http://127.0.0.1:9050 (an emulator or the test fake): then no credentials are used at all. Defaults to $BIGQUERY_EMULATOR_HOST. */
  apiEndpoint?: string;
  /** Service-account key file; otherwise Application Default Credentials. */
  keyFilename?: string;
  /** Cap on bytes billed per query job. */
  maximumBytesBilled?: number;
  /** Job and dataset location; defaults to the manifest's location. */
  location?: string;
  /** Per-request timeout in ms (default 120,000). */
  timeoutMs?: number;
  /** Retries of a retryable error (default 5) and the first backoff delay in ms (default 500). */
  maxRetries?: number;
  retryBaseDelayMs?: number;
  /** Labels for jobs started outside a phase step (ad-hoc CLI commands); the local warehouse records them too. */
  defaultLabels?: JobLabels;
  /** Told about each retry before its backoff delay. */
  onRetry?(info: { attempt: number; reason: string; delayMs: number; what: string }): void;
}

export interface OpenWarehouseOptions {
  backend: Backend;
  loaded: LoadedManifest;
  bigquery?: BigQueryOptions;
  /** Local only: another DuckDB file (tests); default `<manifest dir>/.bqmigrate/local.duckdb`. */
  localFile?: string;
}

export async function openWarehouse(opts: OpenWarehouseOptions): Promise<Warehouse> {
  const { manifest, root } = opts.loaded;
  if (opts.backend === 'local') {
    const defaultLabels = opts.bigquery?.defaultLabels;
    return openLocalWarehouse({ file: opts.localFile ?? localWarehouseFile(root), project: manifest.project, location: manifest.location, ...(defaultLabels ? { defaultLabels } : {}) });
  }
  if (opts.backend === 'bigquery') {
    // Required here, not imported at the top: the BigQuery client is only loaded when a BigQuery warehouse is opened.
    const { openBigQueryWarehouse } = require('./bigquery') as typeof import('./bigquery');
    return openBigQueryWarehouse({ project: manifest.project, location: manifest.location, ...opts.bigquery });
  }
  throw new WarehouseError(`unknown backend "${String(opts.backend)}": expected "local" or "bigquery"`, 'invalid');
}
