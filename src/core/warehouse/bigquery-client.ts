/**
 * The only file that imports @google-cloud/bigquery. esbuild bundles it on its
 * own as dist/bigquery-client.js and bigquery.ts requires it when a BigQuery
 * warehouse is opened, so the extension and CLI start without loading the
 * client. With an apiEndpoint / BIGQUERY_EMULATOR_HOST it uses NO credentials:
 * an auth client that adds no headers and never looks for credentials or the
 * metadata server, so nothing leaves the machine.
 */
import { BigQuery, type BigQueryOptions } from '@google-cloud/bigquery';
import { GoogleAuth } from 'google-auth-library';

export interface BigQueryClientOptions {
  project: string;
  location?: string;
  /** Emulator / fake endpoint, e.g. http://127.0.0.1:9050. */
  apiEndpoint?: string;
  keyFilename?: string;
  timeoutMs?: number;
}

/** Authorizes nothing: for emulators and the loopback fake. */
class NoCredentialsAuth extends GoogleAuth {
  constructor(private readonly project: string) {
    super({ projectId: project });
  }
  override async authorizeRequest(opts: Parameters<GoogleAuth['authorizeRequest']>[0] = {}): ReturnType<GoogleAuth['authorizeRequest']> {
    return opts;
  }
  override async getProjectId(): Promise<string> {
    return this.project;
  }
  override async getRequestHeaders(): Promise<Headers> {
    return new Headers();
  }
  override async getClient(): Promise<never> {
    throw new Error('bqmigrate uses no credentials with a custom API endpoint');
  }
  override async getCredentials(): Promise<Record<string, never>> {
    return {};
  }
  override async getUniverseDomain(): Promise<string> {
    return 'googleapis.com';
  }
}

/** `$BIGQUERY_EMULATOR_HOST` as an endpoint URL (the variable may omit the scheme). */
export function emulatorEndpoint(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const host = env.BIGQUERY_EMULATOR_HOST?.trim();
  if (!host) return undefined;
  return /^https?:\/\//.test(host) ? host.replace(/\/+$/, '') : `http://${host.replace(/\/+$/, '')}`;
}

export function createBigQueryClient(opts: BigQueryClientOptions): BigQuery {
  const endpoint = opts.apiEndpoint ?? emulatorEndpoint();
  // The client would use $BIGQUERY_EMULATOR_HOST verbatim as its base URL (no scheme, no /bigquery/v2);
  // it is hidden while constructing so the endpoint is always `${endpoint}/bigquery/v2`.
  const saved = process.env.BIGQUERY_EMULATOR_HOST;
  delete process.env.BIGQUERY_EMULATOR_HOST;
  try {
    return construct(opts, endpoint);
  } finally {
    if (saved !== undefined) process.env.BIGQUERY_EMULATOR_HOST = saved;
  }
}

function construct(opts: BigQueryClientOptions, endpoint: string | undefined): BigQuery {
  return new BigQuery({
    projectId: opts.project,
    location: opts.location,
    // bqmigrate retries itself (retry.ts), by BigQuery's reasons, so the client must not.
    autoRetry: false,
    maxRetries: 0,
    timeout: opts.timeoutMs ?? 120_000,
    ...(endpoint
      ? { apiEndpoint: endpoint, authClient: new NoCredentialsAuth(opts.project) }
      : opts.keyFilename
        ? { keyFilename: opts.keyFilename }
        : {}),
  } as unknown as BigQueryOptions);
}

export { BigQuery };
