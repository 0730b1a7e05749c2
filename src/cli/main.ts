/** The `bqmigrate` CLI: argument parsing → core. Commands live in ./commands, one per file. */
import { version } from '../../package.json';
import { loadCommand, loadCommands } from './commands/index';
import type { CliIO } from './commands/types';
import { processIO, runCommand } from './run-command';
import { maxOf } from '../core/arrays';

async function helpText(): Promise<string> {
  const commands = await loadCommands();
  const width = maxOf(commands.map((c) => c.name.length), 8);
  return [
    `bqmigrate ${version} — lint, fix and migrate BigQuery table references`,
    '',
    'usage: bqmigrate <command> [options]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `bqmigrate <command> --help` for a command\'s options.',
    'Exit codes: 0 clean, 1 problems found or a step failed, 2 usage or manifest error.',
    '',
  ].join('\n');
}

export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(await helpText());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${version}\n`);
    return 0;
  }
  const command = await loadCommand(name);
  if (!command) {
    io.stderr.write(`bqmigrate: unknown command "${name}"\n\n${await helpText()}`);
    return 2;
  }
  return runCommand(command, rest, io);
}
