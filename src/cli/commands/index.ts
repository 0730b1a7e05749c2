/** Every CLI command, sorted by name. Add a command: one file in this folder, one line here. */
import type { CliCommand } from './types';
import { initCommand } from './init';
import { planCommand } from './plan';
import { rollbackCommand } from './rollback';
import { runCommand } from './run';
import { statusCommand } from './status';
import { validateCommand } from './validate';

export const commands: CliCommand[] = [
  initCommand,
  planCommand,
  rollbackCommand,
  runCommand,
  statusCommand,
  validateCommand,
].sort((a, b) => a.name.localeCompare(b.name));
