import { parseArgs } from 'node:util';
import { locate } from '../../core/manifest/load';
import { LineIndex } from '../../core/text/positions';
import { loadLintManifest } from '../lint-options';
import { UsageError, type CliCommand } from './types';
import { maxOf } from '../../core/arrays';

const usage = `usage: bqmigrate mappings [--json] [--manifest F]

Lists the manifest's mappings in precedence order of the file: from → to, kind, status, note.
  --json        one JSON array of { index, line, from, to, kind, status, note, shimmedOn, inventory }
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
    const w = maxOf(rows.map((r) => r.from.length), 4);
    const t = maxOf(rows.map((r) => (r.to ?? '(unmapped)').length), 2);
    io.stdout.write(`${'from'.padEnd(w)}  ${'to'.padEnd(t)}  ${'status'.padEnd(8)}  kind\n`);
    for (const r of rows) io.stdout.write(`${r.from.padEnd(w)}  ${(r.to ?? '(unmapped)').padEnd(t)}  ${r.status.padEnd(8)}  ${r.kind}${r.note ? `  — ${r.note}` : ''}\n`);
    io.stdout.write(`\n${rows.length} mapping${rows.length === 1 ? '' : 's'} (${rows.filter((r) => r.to === undefined).length} unmapped) in ${loaded.file}\n`);
    return 0;
  },
};
