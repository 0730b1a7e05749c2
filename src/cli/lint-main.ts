/**
 * The entry of dist/lint-cli.js: `bqmigrate lint` and `bqmigrate lint-server` alone. bin/bqmigrate.js
 * loads it for those instead of dist/cli.js, so a lint — a warm `lint --cache` is mostly start-up —
 * neither reads nor compiles the code of the other commands (the warehouse, phases, inventory), and a
 * lint server runs the lint code a lint in its own process would.
 */
import { lintCommand } from './commands/lint';
import type { CliIO } from './commands/types';
import { processIO, runCommand } from './run-command';

/** `lint-server`, evaluated only when it runs: a lint does not load the server's modules (node:net, child_process, worker_threads). */
const lintServer = () => (require('./commands/lint-server') as typeof import('./commands/lint-server')).lintServerCommand;

/** `argv` as for main.ts's main: the command's name (`lint` or `lint-server`) first. */
export function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  return runCommand(argv[0] === 'lint-server' ? lintServer() : lintCommand, argv.slice(1), io);
}
