// Prints the commands table of docs/extension.md from package.json:
// `node --import tsx scripts/gen-command-docs.ts` (a test keeps docs/extension.md in sync with it).
import { readFileSync } from 'node:fs';
import { commandTableMarkdown } from '../src/extension/command-docs';

process.stdout.write(commandTableMarkdown(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))));
