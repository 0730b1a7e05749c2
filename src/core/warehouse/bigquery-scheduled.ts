/**
 * Scheduled queries through the BigQuery Data Transfer Service (transfer configs whose data source
 * is `scheduled_query`): list, get and patch with an update mask. The client is required lazily
 * from ./data-transfer-client.js (its own bundle in dist/), and every call is retried by reason
 * like the BigQuery calls (retry.ts). A patch sends the whole `params` map back (an update mask on
 * `params` replaces it), changed only where asked, so no other parameter is lost.
 */
import * as path from 'node:path';
import type { DataTransferClient, DataTransferClientOptions, TransferConfigResource } from './data-transfer-client';
import { missingPermission, WarehouseError, type WarehouseErrorReason } from './errors';
import type { ScheduledQuery, ScheduledQueryUpdate } from './types';

type ClientModule = typeof import('./data-transfer-client');

function loadClientModule(): ClientModule {
  try {
    // A literal path: esbuild keeps it external, so dist/cli.js and dist/extension.js load dist/data-transfer-client.js.
    return require('./data-transfer-client.js') as ClientModule;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw err;
  }
  let lastError: unknown;
  for (const c of [path.join(__dirname, 'data-transfer-client.js'), path.join(__dirname, 'data-transfer-client')]) {
    try {
      return require(c) as ClientModule;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw err;
      lastError = err;
    }
  }
  throw new WarehouseError(`the Data Transfer client (data-transfer-client.js) is missing next to ${__dirname}; run \`npm run build\``, 'unknown', { cause: lastError });
}

/** gRPC status codes (what google-gax reports, REST transport included) → BigQuery's reasons. */
const GRPC_REASONS: Record<number, WarehouseErrorReason> = { 3: 'invalid', 4: 'timeout', 5: 'notFound', 6: 'duplicate', 7: 'accessDenied', 8: 'rateLimitExceeded', 13: 'internalError', 14: 'backendError', 16: 'accessDenied' };

/** A google-gax error as a WarehouseError with a reason retry.ts understands; anything else (sockets) as it came. */
export function dataTransferError(err: unknown, what: string): unknown {
  const e = err as { code?: unknown; message?: string; details?: unknown };
  if (err instanceof WarehouseError || typeof e?.code !== 'number' || e.code >= 100) return err;
  const reason = GRPC_REASONS[e.code] ?? 'unknown';
  const message = String(e.message ?? err);
  return new WarehouseError(`${what}: ${message}`, reason, { ...(reason === 'accessDenied' ? { permission: missingPermission(message) } : {}), cause: err });
}

/** A transfer config name bqmigrate will put into an API path. */
export const TRANSFER_CONFIG_NAME = /^projects\/[A-Za-z0-9:._-]+\/(?:locations\/[A-Za-z0-9_-]+\/)?transferConfigs\/[A-Za-z0-9_-]+$/;

export interface ScheduledAccess {
  readonly project: string;
  readonly location?: string;
  retry<T>(what: string, fn: (attempt: number) => Promise<T>, signal?: AbortSignal): Promise<T>;
}

export class ScheduledQueries {
  private client: DataTransferClient | undefined;
  private module: ClientModule | undefined;

  constructor(
    private readonly access: ScheduledAccess,
    private readonly options: DataTransferClientOptions,
  ) {}

  private get dts(): DataTransferClient {
    this.module ??= loadClientModule();
    this.client ??= this.module.createDataTransferClient(this.options);
    return this.client;
  }

  private toScheduled(r: TransferConfigResource): ScheduledQuery {
    const params = (this.module!.structToJson(r.params) ?? {}) as Record<string, unknown>;
    const str = (v: unknown) => (v === undefined || v === null || v === '' ? undefined : String(v));
    const updateTime = r.updateTime as { seconds?: string | number; nanos?: number } | string | undefined | null;
    const iso = typeof updateTime === 'string' ? updateTime : updateTime?.seconds !== undefined ? new Date(Number(updateTime.seconds) * 1000 + Math.round((updateTime.nanos ?? 0) / 1e6)).toISOString() : undefined;
    const destinationTable = str(params.destination_table_name_template);
    const writeDisposition = str(params.write_disposition);
    return {
      name: String(r.name ?? ''),
      displayName: String(r.displayName ?? ''),
      ...(str(r.schedule) ? { schedule: str(r.schedule) } : {}),
      disabled: r.disabled === true,
      query: String(params.query ?? ''),
      ...(str(r.destinationDatasetId) ? { destinationDataset: str(r.destinationDatasetId) } : {}),
      ...(destinationTable !== undefined ? { destinationTable } : {}),
      ...(writeDisposition !== undefined ? { writeDisposition } : {}),
      params,
      ...(iso ? { updateTime: iso } : {}),
    };
  }

  private checkName(name: string): void {
    if (!TRANSFER_CONFIG_NAME.test(name)) throw new WarehouseError(`refusing to call the Data Transfer API: ${JSON.stringify(name)} is not a transfer config name (projects/<p>/locations/<l>/transferConfigs/<id>)`, 'invalid');
  }

  async list(signal?: AbortSignal): Promise<ScheduledQuery[]> {
    const parent = `projects/${this.access.project}/locations/${(this.access.location ?? 'US').toLowerCase()}`;
    const configs = await this.access.retry('list scheduled queries', () => this.dts.list(parent).catch((e: unknown) => Promise.reject(dataTransferError(e, 'list scheduled queries'))), signal);
    return configs.filter((c) => !c.dataSourceId || c.dataSourceId === 'scheduled_query').map((c) => this.toScheduled(c)).sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(name: string, signal?: AbortSignal): Promise<ScheduledQuery | undefined> {
    this.checkName(name);
    try {
      return this.toScheduled(await this.access.retry(`get scheduled query ${name}`, () => this.dts.get(name).catch((e: unknown) => Promise.reject(dataTransferError(e, `get scheduled query ${name}`))), signal));
    } catch (err) {
      if (err instanceof WarehouseError && err.reason === 'notFound') return undefined;
      throw err;
    }
  }

  /** transferConfigs.patch: `params` when the query or destination table changes, `destination_dataset_id` when the dataset does. */
  async update(name: string, update: ScheduledQueryUpdate, signal?: AbortSignal): Promise<ScheduledQuery> {
    this.checkName(name);
    const current = await this.get(name, signal);
    if (!current) throw new WarehouseError(`Not found: scheduled query ${name}`, 'notFound');
    const params = { ...current.params };
    if (update.query !== undefined) params.query = update.query;
    if (update.destinationTable !== undefined) params.destination_table_name_template = update.destinationTable;
    const paths: string[] = [];
    if (update.query !== undefined || update.destinationTable !== undefined) paths.push('params');
    if (update.destinationDataset !== undefined) paths.push('destination_dataset_id');
    if (paths.length === 0) return current;
    const config: TransferConfigResource = {
      name,
      params: this.module!.jsonToStruct(params),
      ...(update.destinationDataset !== undefined ? { destinationDatasetId: update.destinationDataset } : {}),
    };
    // The same full content on every attempt: a retry after a lost answer sets the same values again.
    return this.toScheduled(await this.access.retry(`update scheduled query ${name}`, () => this.dts.patch(config, paths).catch((e: unknown) => Promise.reject(dataTransferError(e, `update scheduled query ${name}`))), signal));
  }

  async close(): Promise<void> {
    await this.client?.close();
    this.client = undefined;
  }
}
