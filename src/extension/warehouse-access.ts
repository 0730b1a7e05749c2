/**
 * The run-time Workspace Trust check and the configured warehouse connection. extension.ts binds
 * both onto the ExtensionCtx (`ctx.requireTrust`, `ctx.openWarehouse`), so the phases, dashboard
 * and warehouse features share them without importing each other. Imports no feature; the
 * warehouse code loads lazily, so activation never pays for a BigQuery client.
 */
import type { LoadedManifest } from '../core/manifest/load';
import type { Warehouse } from '../core/warehouse/index';
import type { Settings } from './settings-schema';

/** The one run-time Workspace Trust check: phases, warehouse commands and the dashboard's Run call it. */
export function requireTrust(isTrusted: () => boolean, what: string): void {
  if (!isTrusted()) throw new Error(`${what} reaches a warehouse, which bqmigrate does only in a trusted workspace; trust this folder first (Workspaces: Manage Workspace Trust)`);
}

/** The warehouse the `bqmigrate.bigquery.*` settings and the loaded manifest name; the caller closes it. */
export async function openConfiguredWarehouse(loaded: LoadedManifest | undefined, bq: Settings['bigquery']): Promise<Warehouse> {
  if (!loaded) throw new Error('no valid bqmigrate.json is loaded');
  const { openWarehouse } = await import('../core/warehouse/index.js');
  return openWarehouse({
    backend: bq.backend,
    loaded,
    bigquery: {
      apiEndpoint: bq.apiEndpoint || undefined,
      keyFilename: bq.keyFile || undefined,
      maximumBytesBilled: bq.maximumBytesBilled || undefined,
      location: loaded.manifest.location,
    },
  });
}
