import * as fs from 'node:fs';
import { maxOf } from '../../core/arrays';
import { findDuplicateColumns, type DuplicateReport } from '../../core/columns/duplicates';
import { writeFileAtomic } from '../../core/fix/write';
import { parseManifest } from '../../core/manifest/load';
import { appendMappingObjects } from '../../core/manifest/edit';
import { columnSources } from '../../core/manifest/mapping-kinds';
import { loadManifestFor, openWarehouseFor, parseWarehouseArgs, reportWarehouseError, WAREHOUSE_USAGE } from '../warehouse-options';
import { UsageError, type CliCommand } from './types';

const usage = `usage: bqmigrate columns duplicates <dataset.table> [--json] [--threshold R] [--tolerance T] [--merge] [options]

Finds columns of one table that hold the same data, in the warehouse with SQL (no row is read into
bqmigrate): columns whose values are identical, identical where both are set (one has more nulls), or
equal within a tolerance on at least R of the rows where both are set. It reads the table twice: once
for a deterministic sample whose column pairs are compared in SQL, once to measure the candidate pairs
over every row. Names never decide a group; a shared word is shown as a hint.
  --threshold R   share of rows (where both are set) that must agree (default 0.999)
  --tolerance T   FLOAT64 values agree when |a − b| ≤ T × max(1, |a|) (default 1e-9)
  --json          the groups as JSON, with match and null rates
  --merge         add each group to bqmigrate.json as a column mapping (status "planned") onto the
                  proposed canonical column (the fewest nulls, then the shortest name), to be edited;
                  groups whose columns are already mapped are left out and said
${WAREHOUSE_USAGE}
Exit codes: 0 done (groups or none), 1 a warehouse error or the merged manifest would not load, 2 usage error.`;

const pct = (x: number) => `${(x * 100).toFixed(x === 1 || x === 0 ? 0 : 3)} %`;

function formatReport(r: DuplicateReport): string {
  const lines = [`${r.table}: ${r.rows} rows, ${r.columns} columns compared, ${r.candidates} candidate pairs, ${r.groups.length} group${r.groups.length === 1 ? '' : 's'} (threshold ${r.threshold}, ${r.scans} scans of the table)`];
  r.groups.forEach((g, k) => {
    lines.push('', `group ${k + 1}: ${g.columns.length} columns → ${g.canonical}${g.similarNames ? '' : ' (names share no word: check it)'}`);
    const w = maxOf(g.columns.map((c) => c.length));
    for (const c of g.columns) {
      const pair = g.pairs.find((p) => (p.a === c && p.b === g.canonical) || (p.b === c && p.a === g.canonical));
      const how = c === g.canonical ? 'canonical' : pair ? `${pair.kind}, match ${pct(pair.matchRate)} on ${pair.both} rows` : 'matched through another column of the group';
      lines.push(`  ${c.padEnd(w)}  nulls ${pct(g.nullRates[c] ?? 0).padStart(9)}  ${how}`);
    }
  });
  return `${lines.join('\n')}\n`;
}

export const columnsCommand: CliCommand = {
  name: 'columns',
  summary: 'find duplicate columns of a table in the warehouse (columns duplicates)',
  usage,
  async run(args, io) {
    const parsed = parseWarehouseArgs(args, { json: { type: 'boolean' }, threshold: { type: 'string' }, tolerance: { type: 'string' }, merge: { type: 'boolean' } }, true);
    const [sub, table, ...rest] = parsed.positionals;
    if (sub !== 'duplicates') throw new UsageError(sub === undefined ? 'give a subcommand: columns duplicates <dataset.table>' : `unknown subcommand "${sub}": the subcommand is "duplicates"`);
    if (!table || rest.length > 0) throw new UsageError('give exactly one table, e.g. bqmigrate columns duplicates features.master_features_daily');
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(table);
    if (!m) throw new UsageError(`"${table}" is not dataset.table`);
    const number = (key: string, fallback: number, ok: (x: number) => boolean, what: string) => {
      const text = parsed.values[key];
      if (text === undefined) return fallback;
      const x = Number(text);
      if (!ok(x)) throw new UsageError(`--${key} ${what}, not "${String(text)}"`);
      return x;
    };
    const threshold = number('threshold', 0.999, (x) => x > 0 && x <= 1, 'is a share of rows above 0 and at most 1, e.g. 0.999');
    const tolerance = number('tolerance', 1e-9, (x) => x >= 0 && Number.isFinite(x), 'is a number ≥ 0, e.g. 1e-9');
    const loaded = loadManifestFor(parsed.values, io);
    if (!loaded) return 2;
    let wh;
    let report: DuplicateReport;
    try {
      wh = await openWarehouseFor(loaded, parsed, io, 'columns duplicates');
      report = await findDuplicateColumns(wh, { dataset: m[1]!, table: m[2]! }, { threshold, tolerance });
    } catch (err) {
      return reportWarehouseError(err, io, 'columns duplicates');
    } finally {
      await wh?.close();
    }
    io.stdout.write(parsed.values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    if (!parsed.values.merge) return 0;

    // --merge: each group not yet mapped becomes a planned column mapping onto its canonical column.
    const mapped = new Set(loaded.manifest.mappings.flatMap((x) => (x.kind === 'column' && x.table.toLowerCase() === table.toLowerCase() ? columnSources(x).map((c) => c.toLowerCase()) : [])));
    const entries: Record<string, unknown>[] = [];
    for (const g of report.groups) {
      if (g.columns.some((c) => mapped.has(c.toLowerCase()))) {
        io.stderr.write(`bqmigrate columns duplicates: left out the group of ${g.canonical}: ${g.columns.filter((c) => mapped.has(c.toLowerCase())).join(', ')} already in a column mapping\n`);
        continue;
      }
      const from = [g.canonical, ...g.columns.filter((c) => c !== g.canonical)];
      entries.push({ kind: 'column', table, from, to: g.canonical, combine: 'coalesce', status: 'planned', note: `proposed by columns duplicates: ${g.pairs.map((p) => `${p.a}~${p.b} ${p.kind} ${pct(p.matchRate)}`).join(', ')}` });
    }
    if (entries.length === 0) {
      io.stdout.write('nothing to merge\n');
      return 0;
    }
    const text = appendMappingObjects(fs.readFileSync(loaded.file, 'utf8'), entries);
    const check = parseManifest(text, loaded.file);
    if (!check.ok) {
      io.stderr.write(`bqmigrate columns duplicates: not merged, the manifest would not load:\n${check.problems.map((p) => `  ${p.line}:${p.column}: ${p.message}`).join('\n')}\n`);
      return 1;
    }
    writeFileAtomic(loaded.file, text);
    io.stdout.write(`added ${entries.length} column mapping${entries.length === 1 ? '' : 's'} (status planned) to ${loaded.file}: edit the canonical names, then lint\n`);
    return 0;
  },
};
