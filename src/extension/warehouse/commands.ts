/**
 * Commands that touch a warehouse. They run only in trusted workspaces (the
 * when-clauses hide them; `ctx.requireTrust` covers keybindings and direct
 * executeCommand calls), open the warehouse through `ctx.openWarehouse()`, and load
 * their code lazily so activation never pays for a BigQuery client.
 */
import type { CommandSpec } from '../context';

export const warehouseCommands: CommandSpec[] = [
  {
    id: 'bqmigrate.refreshInventory',
    title: 'Refresh Inventory from Warehouse',
    category: 'bqmigrate',
    when: 'bqmigrate.hasManifest && isWorkspaceTrusted',
    run: async (ctx) => {
      ctx.requireTrust('Refresh Inventory from Warehouse');
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
      ctx.requireTrust('Check Warehouse Access');
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
      ctx.requireTrust('Pull Warehouse Definitions');
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
      ctx.requireTrust('Export Tables');
      const { exportTablesCommand } = await import('./export.js');
      return exportTablesCommand(ctx, arg);
    },
  },
];

