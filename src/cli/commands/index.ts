/**
 * Every CLI command, by name. Add a command: one file in this folder, one line here. Each is loaded
 * only when it runs (or for `--help`), so `bqmigrate lint` does not evaluate the warehouse, phases and
 * inventory code it never uses: the bundle initialises a module on its first import.
 */
import type { CliCommand } from './types';

const loaders: Record<string, () => Promise<CliCommand>> = {
  'check-access': async () => (await import('./check-access.js')).checkAccessCommand,
  columns: async () => (await import('./columns.js')).columnsCommand,
  definitions: async () => (await import('./definitions.js')).definitionsCommand,
  diff: async () => (await import('./diff.js')).diffCommand,
  'explain-name': async () => (await import('./explain-name.js')).explainNameCommand,
  export: async () => (await import('./export.js')).exportCommand,
  fix: async () => (await import('./fix.js')).fixCommand,
  'import-inventory': async () => (await import('./import-inventory.js')).importInventoryCommand,
  init: async () => (await import('./init.js')).initCommand,
  inventory: async () => (await import('./inventory.js')).inventoryCommand,
  lineage: async () => (await import('./lineage.js')).lineageCommand,
  lint: async () => (await import('./lint.js')).lintCommand,
  'lint-server': async () => (await import('./lint-server.js')).lintServerCommand,
  local: async () => (await import('./local.js')).localCommand,
  mappings: async () => (await import('./mappings.js')).mappingsCommand,
  plan: async () => (await import('./plan.js')).planCommand,
  query: async () => (await import('./query.js')).queryCommand,
  readers: async () => (await import('./readers.js')).readersCommand,
  rollback: async () => (await import('./rollback.js')).rollbackCommand,
  run: async () => (await import('./run.js')).runCommand,
  status: async () => (await import('./status.js')).statusCommand,
  unlock: async () => (await import('./unlock.js')).unlockCommand,
  validate: async () => (await import('./validate.js')).validateCommand,
};

/** The command called `name`, or undefined when there is none. */
export async function loadCommand(name: string): Promise<CliCommand | undefined> {
  return Object.hasOwn(loaders, name) ? loaders[name]!() : undefined;
}

/** Every command, sorted by name (for the help text). */
export async function loadCommands(): Promise<CliCommand[]> {
  const all = await Promise.all(Object.values(loaders).map((load) => load()));
  return all.sort((a, b) => a.name.localeCompare(b.name));
}
