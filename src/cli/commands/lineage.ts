import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { LINEAGE_FILE, lineageMarkdown } from '../../core/columns/lineage';
import { writeFileAtomic } from '../../core/fix/write';
import { lintFiles } from '../../core/lint/pool';
import { loadLintManifest } from '../lint-options';
import { UsageError, type CliCommand } from './types';

const usage = `usage: bqmigrate lineage [--out F] [--check] [--no-references] [--manifest F]

Writes the lineage document from the manifest: tables and files legacy → new, each table's column
mappings (legacy columns → canonical, with the combine rule), statuses, and the references left in the
code (a lint of the manifest's folder, the document itself left out). Nothing in it depends on the time,
so regenerating with nothing changed is byte-identical.
  --out F           where to write it (default: ${LINEAGE_FILE} next to bqmigrate.json); "-" prints it
  --check           write nothing; exit 1 when the file differs from what would be written
  --no-references   leave out the references-left counts (no lint)
  --manifest F      the manifest (default: bqmigrate.json found from the current folder up)
Exit codes: 0 written (or up to date), 1 --check found it stale, 2 usage or manifest error.`;

/** Legacy references left per mapping index: the findings of the rules that name a mapped legacy name. */
async function referencesLeft(loaded: Parameters<typeof lintFiles>[1], skip: string): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  for await (const r of lintFiles([loaded.root], loaded)) {
    if (path.resolve(r.filePath) === skip) continue;
    for (const v of r.violations) {
      if (v.mappingIndex === undefined || !['legacy-reference', 'shim-reference', 'legacy-column'].includes(v.ruleId)) continue;
      counts.set(v.mappingIndex, (counts.get(v.mappingIndex) ?? 0) + 1);
    }
  }
  return counts;
}

export const lineageCommand: CliCommand = {
  name: 'lineage',
  summary: 'write the lineage document (DATA_LINEAGE_MAP.md) from the manifest',
  usage,
  async run(args, io) {
    let values;
    try {
      values = parseArgs({ args, options: { out: { type: 'string' }, check: { type: 'boolean' }, 'no-references': { type: 'boolean' }, manifest: { type: 'string' } }, strict: true, allowPositionals: false }).values;
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const loaded = loadLintManifest(values.manifest, [io.cwd], io);
    if (!loaded) return 2;
    const toStdout = values.out === '-';
    if (toStdout && values.check) throw new UsageError('--check compares a file: give --out F, not "-"');
    const out = toStdout ? '' : path.resolve(values.out === undefined ? loaded.root : io.cwd, values.out ?? LINEAGE_FILE);
    const references = values['no-references'] ? undefined : await referencesLeft(loaded, out);
    const text = lineageMarkdown(loaded.manifest, { references, manifestName: path.basename(loaded.file) });
    if (toStdout) {
      io.stdout.write(text);
      return 0;
    }
    let current: string | undefined;
    try {
      current = fs.readFileSync(out, 'utf8');
    } catch {
      current = undefined;
    }
    const rel = path.relative(io.cwd, out) || out;
    if (values.check) {
      if (current === text) {
        io.stdout.write(`${rel} is up to date\n`);
        return 0;
      }
      io.stderr.write(`bqmigrate: ${rel} ${current === undefined ? 'does not exist' : 'is stale'}; run \`bqmigrate lineage\` to regenerate it\n`);
      return 1;
    }
    if (current === text) {
      io.stdout.write(`${rel} is up to date (unchanged)\n`);
      return 0;
    }
    writeFileAtomic(out, text);
    io.stdout.write(`wrote ${rel}\n`);
    return 0;
  },
};
