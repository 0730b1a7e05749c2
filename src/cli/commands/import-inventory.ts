import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../../core/fix/write';
import { formatProblem, ManifestError } from '../../core/manifest/load';
import { importInventory } from '../../core/manifest/inventory';
import { loadLintManifest } from '../lint-options';
import { UsageError, type CliCommand } from './types';
import { describeFsError } from '../../core/fs-errors';

const usage = `usage: bqmigrate import-inventory <inventory.csv> [--manifest F] [--dry-run]

Reads an inventory export with the columns
  dataset_name,table_name,table_type,row_count,created,modified,location,partitioning,clustering
and adds each legacy object that no mapping covers as an unmapped entry (no "to") with its
inventory facts. Existing entries and comments stay as they are. Reports table names found in
several datasets and empty tables. Objects in approved datasets and the archive are not added.
  --dry-run     report what would be added and write nothing`;

export const importInventoryCommand: CliCommand = {
  name: 'import-inventory',
  summary: 'add unmapped entries for every legacy object in an inventory CSV',
  usage,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({ args, options: { manifest: { type: 'string' }, 'dry-run': { type: 'boolean' } }, strict: true, allowPositionals: true });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const csv = parsed.positionals[0];
    if (!csv || parsed.positionals.length > 1) throw new UsageError('give one inventory CSV file');
    const csvFile = path.resolve(io.cwd, csv);
    let csvText: string;
    try {
      csvText = fs.readFileSync(csvFile, 'utf8');
    } catch (err) {
      io.stderr.write(`bqmigrate: ${csv}: cannot read: ${describeFsError(err)}\n`);
      return 2;
    }
    const loaded = loadLintManifest(parsed.values.manifest, [io.cwd], io);
    if (!loaded) return 2;
    let result;
    try {
      result = importInventory(loaded.text, csvText, path.relative(io.cwd, csvFile) || csvFile, loaded.file);
    } catch (err) {
      if (err instanceof ManifestError) {
        for (const p of err.problems) io.stderr.write(`${formatProblem(p)}\n`);
        return 2;
      }
      throw err;
    }
    for (const p of result.problems) io.stderr.write(`${formatProblem(p)}\n`);
    const out: string[] = [];
    out.push(`${parsed.values['dry-run'] ? 'would add' : 'added'} ${result.added} unmapped entr${result.added === 1 ? 'y' : 'ies'}; ${result.covered} object${result.covered === 1 ? '' : 's'} already covered`);
    if (result.duplicates.length) {
      out.push(`${result.duplicates.length} table name${result.duplicates.length === 1 ? '' : 's'} in several datasets:`);
      for (const d of result.duplicates) out.push(`  ${d.table}: ${d.datasets.join(', ')} (lines ${d.lines.join(', ')})`);
    }
    if (result.empty.length) {
      out.push(`${result.empty.length} empty table${result.empty.length === 1 ? '' : 's'}:`);
      for (const e of result.empty) out.push(`  ${e.name} (line ${e.line})`);
    }
    io.stdout.write(`${out.join('\n')}\n`);
    if (!parsed.values['dry-run'] && result.text !== loaded.text) writeFileAtomic(loaded.file, result.text);
    return 0;
  },
};
