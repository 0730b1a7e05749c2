/** Every CLI command, sorted by name. Add a command: one file in this folder, one line here. */
import type { CliCommand } from './types';
import { explainNameCommand } from './explain-name';
import { fixCommand } from './fix';
import { importInventoryCommand } from './import-inventory';
import { lintCommand } from './lint';
import { mappingsCommand } from './mappings';
import { initCommand } from './init';
import { planCommand } from './plan';
import { rollbackCommand } from './rollback';
import { runCommand } from './run';
import { statusCommand } from './status';
import { validateCommand } from './validate';
import { localCommand } from './local';
import { queryCommand } from './query';
import { inventoryCommand } from './inventory';
import { checkAccessCommand } from './check-access';
import { exportCommand } from './export';

export const commands: CliCommand[] = [
  explainNameCommand, fixCommand, importInventoryCommand, lintCommand, mappingsCommand,
  initCommand,
  planCommand,
  rollbackCommand,
  runCommand,
  statusCommand,
  validateCommand,
  localCommand, queryCommand, inventoryCommand, checkAccessCommand, exportCommand,
].sort((a, b) => a.name.localeCompare(b.name));
