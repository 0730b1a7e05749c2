/** A CLI command: one file per command under src/cli/commands, listed in ./index.ts. */
import type { KeptWorkers } from '../../core/lint/kept-workers';
import type { StatAhead } from '../../core/lint/stat-ahead';

export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** A thread that stats files ahead of the walk, which a process that stays (the lint server) keeps; none in a one-off run. */
  statAhead?: StatAhead;
  /** Lint workers kept from run to run, their code optimised (the lint server's); none in a one-off run. */
  keptWorkers?: KeptWorkers;
}

export interface CliCommand {
  name: string;
  /** One line for `bqmigrate --help`. */
  summary: string;
  /** Full usage text for `bqmigrate <name> --help`. */
  usage: string;
  /** Returns the exit code: 0 clean, 1 findings/failures, 2 usage or manifest error. */
  run(args: string[], io: CliIO): Promise<number>;
}

/** Thrown for bad arguments; main prints the message and the command's usage, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
