import { parseArgs } from 'node:util';
import { columnMappingLabel } from '../../core/columns/catalog';
import { locate } from '../../core/manifest/load';
import { LineIndex } from '../../core/text/positions';
import { loadLintManifest } from '../lint-options';
import { UsageError, type CliCommand } from './types';
import { maxOf } from '../../core/arrays';

const usage = `usage: bqmigrate mappings [--json] [--manifest F]

Lists the manifest's mappings in the order of the file: from → to, kind, status, note. A column
mapping shows as table.column (or table.(a, b, …) when it consolidates several) → canonical column.
  --json        one JSON array of { index, line, from, to, kind, status, note, shimmedOn, inventory };
                column mappings have { table, from (a name or a list), to, combine, expression }
  --manifest F  the manifest (default: bqmigrate.json found from the current folder up)`;

export const mappingsCommand: CliCommand = {
  name: 'mappings',
  summary: 'list the legacy → new mappings',
  usage,
  async run(args, io) {
    let values: Record<string, unknown>;
    try {
      values = parseArgs({ args, options: { json: { type: 'boolean' }, manifest: { type: 'string' } }, strict: true, allowPositionals: false }).values;
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const loaded = loadLintManifest(values.manifest, [io.cwd], io);
    if (!loaded) return 2;
    const index = new LineIndex(loaded.text);
    const rows = loaded.manifest.mappings.map((m, i) => ({ index: i, line: index.positionAt(locate(loaded.tree, ['mappings', i]).start).line + 1, ...m }));
    if (values.json) {
      io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return 0;
    }
    // A column mapping shows as table.column (or table.(a, b)) → its canonical column, with its combine rule.
    const shown = rows.map((r) => ({
      from: r.kind === 'column' ? columnMappingLabel(r) : r.from,
      to: r.to ?? '(unmapped)',
      status: r.status,
      kind: r.kind === 'column' && r.combine ? `column (${r.combine === 'sql' ? `sql: ${r.expression}` : r.combine})` : r.kind,
      note: r.note,
    }));
    const w = maxOf(shown.map((r) => r.from.length), 4);
    const t = maxOf(shown.map((r) => r.to.length), 2);
    io.stdout.write(`${'from'.padEnd(w)}  ${'to'.padEnd(t)}  ${'status'.padEnd(8)}  kind\n`);
    for (const r of shown) io.stdout.write(`${r.from.padEnd(w)}  ${r.to.padEnd(t)}  ${r.status.padEnd(8)}  ${r.kind}${r.note ? `  — ${r.note}` : ''}\n`);
    io.stdout.write(`\n${rows.length} mapping${rows.length === 1 ? '' : 's'} (${rows.filter((r) => r.to === undefined).length} unmapped) in ${loaded.file}\n`);
    return 0;
  },
};
