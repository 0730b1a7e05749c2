/**
 * The only file that imports @google-cloud/bigquery-data-transfer. esbuild bundles it on its own as
 * dist/data-transfer-client.js (with google-gax's HTTP/1.1 REST transport instead of gRPC), and
 * bigquery-scheduled.ts requires it only when scheduled queries are read or changed. The client
 * speaks REST + JSON (`fallback: true`) to the real API as well as to emulators and the loopback
 * fake; with an apiEndpoint it uses NO credentials at all (an auth client that adds no headers and
 * never looks for credentials or the metadata server), as the BigQuery client does.
 */
import { DataTransferServiceClient } from '@google-cloud/bigquery-data-transfer/build/src/v1/data_transfer_service_client';
import { PassThroughClient } from 'google-auth-library';
// The REST ("fallback") half of google-gax: no gRPC in this bundle.
import * as gaxFallback from 'google-gax/fallback';
import { appendAll } from '../arrays';

export interface DataTransferClientOptions {
  project: string;
  /** Emulator / fake endpoint, e.g. http://127.0.0.1:9050: plain HTTP, no credentials. */
  apiEndpoint?: string;
  keyFilename?: string;
  timeoutMs?: number;
}

/** A transfer config as the REST API returns it (the fields bqmigrate reads). */
export interface TransferConfigResource {
  name?: string | null;
  displayName?: string | null;
  dataSourceId?: string | null;
  destinationDatasetId?: string | null;
  schedule?: string | null;
  disabled?: boolean | null;
  params?: unknown;
  updateTime?: unknown;
}

export interface DataTransferClient {
  list(parent: string, timeoutMs?: number): Promise<TransferConfigResource[]>;
  get(name: string, timeoutMs?: number): Promise<TransferConfigResource>;
  patch(config: TransferConfigResource, paths: string[], timeoutMs?: number): Promise<TransferConfigResource>;
  close(): Promise<void>;
}

export function createDataTransferClient(opts: DataTransferClientOptions): DataTransferClient {
  let endpoint: { protocol: string; host: string; port: number } | undefined;
  if (opts.apiEndpoint) {
    const url = new URL(/^https?:\/\//.test(opts.apiEndpoint) ? opts.apiEndpoint : `http://${opts.apiEndpoint}`);
    endpoint = { protocol: url.protocol.replace(':', ''), host: url.hostname, port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)) };
  }
  const client = new DataTransferServiceClient(
    {
      fallback: true,
      projectId: opts.project,
      ...(endpoint
        ? { apiEndpoint: endpoint.host, port: endpoint.port, protocol: endpoint.protocol, authClient: new PassThroughClient() }
        : opts.keyFilename
          ? { keyFilename: opts.keyFilename }
          : {}),
    } as ConstructorParameters<typeof DataTransferServiceClient>[0],
    gaxFallback as never,
  );
  // bqmigrate retries by reason itself (retry.ts): the client must not.
  const noRetries = new gaxFallback.RetryOptions([], gaxFallback.createDefaultBackoffSettings());
  const call = (timeoutMs?: number) => ({ retry: noRetries, timeout: timeoutMs ?? opts.timeoutMs ?? 120_000, autoPaginate: false }) as never;
  return {
    async list(parent, timeoutMs) {
      const out: TransferConfigResource[] = [];
      let pageToken: string | undefined;
      do {
        const [configs, next] = (await client.listTransferConfigs({ parent, dataSourceIds: ['scheduled_query'], ...(pageToken ? { pageToken } : {}) }, call(timeoutMs))) as unknown as [TransferConfigResource[], { pageToken?: string } | null];
        appendAll(out, configs);
        pageToken = next?.pageToken || undefined;
      } while (pageToken);
      return out;
    },
    async get(name, timeoutMs) {
      const [config] = await client.getTransferConfig({ name }, call(timeoutMs));
      return config as TransferConfigResource;
    },
    async patch(config, paths, timeoutMs) {
      const [updated] = await client.updateTransferConfig({ transferConfig: config as never, updateMask: { paths } }, call(timeoutMs));
      return updated as TransferConfigResource;
    },
    async close() {
      await client.close();
    },
  };
}

/** Plain JSON of a google.protobuf.Struct / Value as the REST client returns it. */
export function structToJson(v: unknown): unknown {
  if (v === null || v === undefined || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  if ('fields' in o && o.fields && typeof o.fields === 'object') return Object.fromEntries(Object.entries(o.fields as Record<string, unknown>).map(([k, x]) => [k, structToJson(x)]));
  if ('stringValue' in o) return o.stringValue;
  if ('numberValue' in o) return o.numberValue;
  if ('boolValue' in o) return o.boolValue;
  if ('nullValue' in o) return null;
  if ('structValue' in o) return structToJson(o.structValue);
  if ('listValue' in o) return ((o.listValue as { values?: unknown[] }).values ?? []).map(structToJson);
  return v;
}

/** A plain JSON object as a google.protobuf.Struct. */
export function jsonToStruct(v: Record<string, unknown>): unknown {
  const value = (x: unknown): unknown => {
    if (x === null || x === undefined) return { nullValue: 'NULL_VALUE' };
    if (typeof x === 'string') return { stringValue: x };
    if (typeof x === 'number') return { numberValue: x };
    if (typeof x === 'boolean') return { boolValue: x };
    if (Array.isArray(x)) return { listValue: { values: x.map(value) } };
    return { structValue: jsonToStruct(x as Record<string, unknown>) };
  };
  return { fields: Object.fromEntries(Object.entries(v).map(([k, x]) => [k, value(x)])) };
}
