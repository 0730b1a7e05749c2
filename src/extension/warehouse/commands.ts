/**
 * Commands that touch a warehouse. They run only in trusted workspaces (the
 * when-clauses hide them; the runtime check below covers keybindings and direct
 * executeCommand calls), and load the warehouse code lazily so activation never
 * pays for a BigQuery client.
 */
import type { CommandSpec } from '../registry';
import type { ExtensionCtx } from '../context';

/** The one run-time Workspace Trust check: phases, inventory refresh and the dashboard's Run all call it. */
export function requireTrust(ctx: Pick<ExtensionCtx, 'isTrusted'>, what: string): void {
  if (!ctx.isTrusted()) throw new Error(`${what} reaches a warehouse, which bqmigrate does only in a trusted workspace; trust this folder first (Workspaces: Manage Workspace Trust)`);
}

export async function openConfiguredWarehouse(ctx: ExtensionCtx) {
  const loaded = ctx.manifest.loaded;
  if (!loaded) throw new Error('no valid bqmigrate.json is loaded');
  const { openWarehouse } = await import('../../core/warehouse/index.js');
  const bq = ctx.settings.current.bigquery;
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

export const warehouseCommands: CommandSpec[] = [
  {
    id: 'bqmigrate.refreshInventory',
    title: 'Refresh Inventory from Warehouse',
    category: 'bqmigrate',
    when: 'bqmigrate.hasManifest && isWorkspaceTrusted',
    run: async (ctx) => {
      requireTrust(ctx, 'Refresh Inventory from Warehouse');
      const { refreshInventory } = await import('./inventory.js');
      return refreshInventory(ctx);
    },
  },
  {
    id: 'bqmigrate.checkAccess',
    title: 'Check Warehouse Access',
    category: 'bqmigrate',
    when: 'isWorkspaceTrusted && bqmigrate.hasManifest',
    run: async (ctx) => {
      requireTrust(ctx, 'Check Warehouse Access');
      const { checkWarehouseAccess } = await import('./access.js');
      return checkWarehouseAccess(ctx);
    },
  },
  {
    id: 'bqmigrate.definitions.pull',
    title: 'Pull Warehouse Definitions',
    category: 'bqmigrate',
    when: 'isWorkspaceTrusted && bqmigrate.hasManifest',
    icon: '$(cloud-download)',
    run: async (ctx, arg) => {
      requireTrust(ctx, 'Pull Warehouse Definitions');
      const { pullWarehouseDefinitions } = await import('./definitions.js');
      return pullWarehouseDefinitions(ctx, arg);
    },
  },
  {
    id: 'bqmigrate.exportTables',
    title: 'Export Tables…',
    category: 'bqmigrate',
    when: 'isWorkspaceTrusted && bqmigrate.hasManifest',
    run: async (ctx, arg) => {
      requireTrust(ctx, 'Export Tables');
      const { exportTablesCommand } = await import('./export.js');
      return exportTablesCommand(ctx, arg);
    },
  },
];

