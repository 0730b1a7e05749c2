/** Runs one CLI command: its `--help`, its run, and a UsageError as the message and the usage (exit 2). */
import { UsageError, type CliCommand, type CliIO } from './commands/types';

/** The process's own streams, folder and environment. */
export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}

export async function runCommand(command: CliCommand, rest: string[], io: CliIO): Promise<number> {
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`bqmigrate ${command.name}: ${err.message}\n\n${command.usage}\n`);
      return 2;
    }
    throw err;
  }
}
