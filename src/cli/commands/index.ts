/** Every CLI command, sorted by name. Add a command: one file in this folder, one line here. */
import type { CliCommand } from './types';

export const commands: CliCommand[] = [
].sort((a, b) => a.name.localeCompare(b.name));
