/** `bqmigrate inventory [--out inventory.csv] [--merge]`: every dataset and object of the warehouse. */
import * as path from 'node:path';
import { writeGeneratedFile } from '../../core/fix/write';
import { inventoryCsv, mergeInventory, runInventory } from '../../core/inventory/index';
import { formatProblem } from '../../core/manifest/load';
import { loadManifestFor, openWarehouseFor, parseWarehouseArgs, reportWarehouseError, WAREHOUSE_USAGE } from '../warehouse-options';
import type { CliCommand } from './types';

export const inventoryCommand: CliCommand = {
  name: 'inventory',
  summary: 'list every dataset and object of the warehouse (CSV), report empty/duplicate/missing, --merge into the manifest',
  usage: `usage: bqmigrate inventory [--out inventory.csv] [--merge] [--dataset D]... [options]

Lists every dataset and object (table, view, materialized view, external, snapshot) with type, row
count, created/modified, location, partitioning and clustering, in the CSV shape of the team's
inventory (dataset_name,table_name,table_type,row_count,created,modified,location,partitioning,clustering).
Reports empty tables, table names found in several datasets, and legacy objects the manifest maps
that the warehouse no longer has (exit 1 when there are any of those).
  --out F        write the CSV to F (atomically); default: CSV on stdout, report on stderr
  --merge        add every unmapped object to the manifest as an unmapped entry (comments kept),
                 like \`bqmigrate import-inventory\`
  --dataset D    only this dataset (repeatable)
${WAREHOUSE_USAGE}`,
  async run(args, io) {
    const parsed = parseWarehouseArgs(args, { out: { type: 'string' }, merge: { type: 'boolean' }, dataset: { type: 'string', multiple: true } });
    const loaded = loadManifestFor(parsed.values, io);
    if (!loaded) return 2;
    let wh;
    try {
      wh = await openWarehouseFor(loaded, parsed, io, 'inventory');
      const inv = await runInventory(wh, { loaded, datasets: parsed.values.dataset as string[] | undefined, onProgress: (m) => io.stderr.isTTY && io.stderr.write(`${m}\n`) });
      const csv = inventoryCsv(inv.objects);
      const report = io.stderr;
      if (typeof parsed.values.out === 'string') {
        const out = path.resolve(io.cwd, parsed.values.out);
        writeGeneratedFile(out, csv);
        io.stdout.write(`wrote ${inv.objects.length} objects in ${inv.datasets.length} datasets to ${path.relative(io.cwd, out) || out}\n`);
      } else {
        io.stdout.write(csv);
      }
      report.write(`${inv.objects.length} objects in ${inv.datasets.length} datasets (${wh.kind} warehouse, project ${wh.project})\n`);
      if (inv.empty.length) report.write(`empty tables (${inv.empty.length}):\n${inv.empty.map((o) => `  ${o.dataset}.${o.table}\n`).join('')}`);
      if (inv.duplicates.length) report.write(`table names in several datasets (${inv.duplicates.length}):\n${inv.duplicates.map((d) => `  ${d.table}: ${d.datasets.join(', ')}\n`).join('')}`);
      if (inv.missing.length) report.write(`mapped in the manifest but not in the warehouse (${inv.missing.length}):\n${inv.missing.map((m) => `  ${m.name} (mappings[${m.mappingIndex}])\n`).join('')}`);
      if (parsed.values.merge) {
        const merged = mergeInventory(loaded, inv.objects);
        for (const p of merged.problems) report.write(`${formatProblem(p)}\n`);
        report.write(`merged into ${path.relative(io.cwd, loaded.file) || loaded.file}: ${merged.added} unmapped objects added, ${merged.covered} already covered\n`);
      }
      return inv.empty.length || inv.duplicates.length || inv.missing.length ? 1 : 0;
    } catch (err) {
      return reportWarehouseError(err, io, 'inventory');
    } finally {
      await wh?.close();
    }
  },
};
