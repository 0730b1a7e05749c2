import { parseArgs } from 'node:util';
import { ColumnCatalog } from '../../core/columns/catalog';
import { MappingResolver } from '../../core/match/resolver';
import { explainName } from '../../core/naming/explain';
import { loadLintManifest } from '../lint-options';
import { UsageError, type CliCommand } from './types';
import { maxOf } from '../../core/arrays';

const usage = `usage: bqmigrate explain-name <dataset.table> [--json] [--manifest F]

Checks one name against its dataset's naming convention, segment by segment: each segment's value
and allowed values, the failing segment, and the closest valid name when there is one. Also says
whether the name is a legacy table and which column mappings apply to the table.
  --json        the verdict as JSON
Exit codes: 0 valid, exempt or ungoverned; 1 the name fails the convention; 2 usage or manifest error.`;

export const explainNameCommand: CliCommand = {
  name: 'explain-name',
  summary: 'explain a name against its dataset\'s naming convention',
  usage,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({ args, options: { json: { type: 'boolean' }, manifest: { type: 'string' } }, strict: true, allowPositionals: true });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const name = parsed.positionals[0];
    if (!name || parsed.positionals.length > 1) throw new UsageError('give exactly one name, e.g. training.zl_training_prod_allhistory_1m');
    if (!/^[^.\s]+\.[^.\s]+$/.test(name)) throw new UsageError(`"${name}" is not dataset.table`);
    const loaded = loadLintManifest(parsed.values.manifest, [io.cwd], io);
    if (!loaded) return 2;
    const verdict = explainName(loaded.manifest, name);
    const resolver = new MappingResolver(loaded.manifest);
    const legacy = resolver.resolveName(name);
    const columns = [...new ColumnCatalog(loaded.manifest, resolver).forTable(name).values()].map((c) => ({ mappingIndex: c.mappingIndex, from: c.from, to: c.to, combine: c.mapping.combine, expression: c.mapping.expression, status: c.mapping.status }));
    if (parsed.values.json) {
      io.stdout.write(`${JSON.stringify({ ...verdict, legacy: legacy ? { mappingIndex: legacy.mappingIndex, to: legacy.to, status: legacy.mapping.status } : undefined, columns }, null, 2)}\n`);
      return verdict.ok ? 0 : 1;
    }
    const lines = [`${name}: ${verdict.status}${verdict.pattern ? ` (${verdict.dataset}: ${verdict.pattern})` : ''}`];
    if (verdict.segments.length) {
      const w = maxOf(verdict.segments.map((s) => s.name.length));
      const v = maxOf(verdict.segments.map((s) => (s.value ?? '—').length), 1);
      for (const s of verdict.segments) {
        const mark = s.value === undefined ? ' ' : s.ok ? '✓' : '✗';
        lines.push(`  ${mark} {${s.name}}${' '.repeat(w - s.name.length)}  ${(s.value ?? '—').padEnd(v)}  ${s.allowed}`);
      }
    }
    if (!verdict.ok) lines.push(verdict.message);
    if (legacy) lines.push(`${name} is a legacy name: mappings[${legacy.mappingIndex}] maps it to ${legacy.to ?? '(nothing yet)'} (${legacy.mapping.status})`);
    for (const c of columns) lines.push(`column ${c.from} → ${c.to}${c.combine ? ` (${c.combine === 'sql' ? `sql: ${c.expression}` : c.combine})` : ''}: mappings[${c.mappingIndex}] (${c.status})`);
    io.stdout.write(`${lines.join('\n')}\n`);
    return verdict.ok ? 0 : 1;
  },
};
