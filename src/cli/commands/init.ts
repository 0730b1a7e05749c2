/** `bqmigrate init`: writes a bqmigrate.json pre-filled from the team's plan; never overwrites. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { MANIFEST_FILE } from '../../core/manifest/load';
import { initialManifestText } from '../../core/phases/init';
import { UsageError, type CliCommand } from './types';

export const initCommand: CliCommand = {
  name: 'init',
  summary: 'write a bqmigrate.json pre-filled from the migration plan (never overwrites)',
  usage: `usage: bqmigrate init [--dir D] [--project P]

Writes D/bqmigrate.json (default: the current folder) with the seven datasets, the five
horizon mappings, archive naming legacy_{date}__{dataset}__{table}, a 30-day shim grace
period and the phases datasets → archive → targets → shims → validate → cleanup.
Refuses to overwrite an existing bqmigrate.json.

  --dir D       folder to write into
  --project P   GCP project id (default cbi-v14)`,
  async run(args, io) {
    let values: { dir?: string; project?: string };
    try {
      values = parseArgs({ args, options: { dir: { type: 'string' }, project: { type: 'string' } }, strict: true }).values;
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const project = values.project ?? 'cbi-v14';
    if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(project)) throw new UsageError(`--project ${JSON.stringify(project)} is not a GCP project id (6–30 lowercase letters, digits, hyphens)`);
    const dir = path.resolve(io.cwd, values.dir ?? '.');
    const file = path.join(dir, MANIFEST_FILE);
    fs.mkdirSync(dir, { recursive: true });
    try {
      // 'wx': fails if the file exists, atomically — no check-then-write race.
      fs.writeFileSync(file, initialManifestText(project), { flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        io.stderr.write(`bqmigrate init: ${file} already exists; not overwriting it (edit it, or move it away first)\n`);
        return 1;
      }
      throw err;
    }
    io.stdout.write(`wrote ${file}\nnext: \`bqmigrate local seed\` (sample warehouse), then \`bqmigrate plan\`\n`);
    return 0;
  },
};
