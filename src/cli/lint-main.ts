/**
 * The entry of dist/lint-cli.js: `bqmigrate lint` alone. bin/bqmigrate.js loads it for `lint` instead of
 * dist/cli.js, so a lint — a warm `lint --cache` is mostly start-up — neither reads nor compiles the
 * code of the other commands (the warehouse, phases, inventory).
 */
import { lintCommand } from './commands/lint';
import type { CliIO } from './commands/types';
import { processIO, runCommand } from './run-command';

/** `argv` as for main.ts's main: the command's name (`lint`) first. */
export function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  return runCommand(lintCommand, argv.slice(1), io);
}
