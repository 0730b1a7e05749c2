/**
 * `bqmigrate import-inventory`: reads the team's inventory export
 * (dataset_name,table_name,table_type,row_count,created,modified,location,partitioning,clustering)
 * and adds every legacy object no mapping covers as an unmapped entry with its
 * inventory facts; reports table names found in several datasets and empty tables.
 */
import { parse } from 'csv-parse/sync';
import { MappingResolver } from '../match/resolver';
import { addMappings } from './edit';
import { ManifestError, parseManifest, type ManifestProblem } from './load';
import { TABLE_ID, DATASET_ID, type Mapping } from './schema';

export const INVENTORY_COLUMNS = ['dataset_name', 'table_name', 'table_type', 'row_count', 'created', 'modified', 'location', 'partitioning', 'clustering'] as const;

export interface InventoryImport {
  text: string;
  added: number;
  /** Already covered by a mapping, or in an approved / the archive dataset. */
  covered: number;
  duplicates: { table: string; datasets: string[]; lines: number[] }[];
  empty: { name: string; line: number }[];
  problems: ManifestProblem[];
}

type Row = Record<(typeof INVENTORY_COLUMNS)[number], string | undefined>;

export function importInventory(manifestText: string, csvText: string, csvFile: string, manifestFile = 'bqmigrate.json'): InventoryImport {
  const parsed = parseManifest(manifestText, manifestFile);
  if (!parsed.ok) throw new ManifestError(parsed.problems);
  const manifest = parsed.loaded.manifest;
  const problems: ManifestProblem[] = [];
  const problem = (line: number, column: number, message: string, hint?: string) => problems.push({ file: csvFile, start: 0, end: 0, line, column, path: [], message, hint, severity: 'warning' });

  let records: { record: Row; info: { lines: number } }[];
  try {
    records = parse(csvText.replace(/^\ufeff/, ''), { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true, relax_column_count: true, info: true }) as typeof records;
  } catch (err) {
    const e = err as Error & { lines?: number; column?: number };
    problems.push({ file: csvFile, start: 0, end: 0, line: e.lines ?? 1, column: 1, path: [], message: `cannot read the CSV: ${e.message}`, hint: 'export the inventory as comma-separated values with a header line' });
    return { text: manifestText, added: 0, covered: 0, duplicates: [], empty: [], problems };
  }
  const header = records.length ? Object.keys(records[0]!.record) : [];
  const missing = ['dataset_name', 'table_name'].filter((c) => !header.includes(c));
  if (records.length && missing.length) {
    problem(1, 1, `the inventory has no ${missing.join(', ')} column`, `expected the columns ${INVENTORY_COLUMNS.join(',')}`);
    return { text: manifestText, added: 0, covered: 0, duplicates: [], empty: [], problems };
  }

  const resolver = new MappingResolver(manifest);
  const settled = new Set([...Object.keys(manifest.datasets), manifest.archive.dataset].map((d) => d.toLowerCase()));
  const byTable = new Map<string, { datasets: string[]; lines: number[] }>();
  const empty: InventoryImport['empty'] = [];
  const entries: (Partial<Mapping> & { from: string })[] = [];
  const seen = new Set<string>();
  let covered = 0;
  for (const { record: r, info } of records) {
    const line = info.lines;
    const dataset = r.dataset_name ?? '';
    const table = r.table_name ?? '';
    if (!DATASET_ID.test(dataset) || !TABLE_ID.test(table)) {
      problem(line, 1, `"${dataset}.${table}" is not a dataset.table this tool can map`, 'dataset and table ids are letters, digits and underscores');
      continue;
    }
    const name = `${dataset}.${table}`;
    if (seen.has(name.toLowerCase())) {
      problem(line, 1, `${name} is listed twice; the later row is ignored`);
      continue;
    }
    seen.add(name.toLowerCase());
    const dup = byTable.get(table) ?? { datasets: [], lines: [] };
    dup.datasets.push(dataset);
    dup.lines.push(line);
    byTable.set(table, dup);
    const rowCount = r.row_count === undefined || r.row_count === '' ? undefined : Number(r.row_count);
    if (rowCount !== undefined && (!Number.isInteger(rowCount) || rowCount < 0)) problem(line, header.indexOf('row_count') + 1, `row_count "${r.row_count}" is not a whole number; recorded without rows`);
    const rows = rowCount !== undefined && Number.isInteger(rowCount) && rowCount >= 0 ? rowCount : undefined;
    if (rows === 0) empty.push({ name, line });
    if (settled.has(dataset.toLowerCase()) || resolver.resolveName(name)) {
      covered++;
      continue;
    }
    const facts: NonNullable<Mapping['inventory']> = {};
    if (r.table_type) facts.type = r.table_type;
    if (rows !== undefined) facts.rows = rows;
    for (const k of ['created', 'modified', 'location', 'partitioning', 'clustering'] as const) if (r[k]) facts[k] = r[k];
    entries.push({ from: name, status: 'planned', ...(rows === 0 ? { note: 'empty in the inventory' } : {}), inventory: facts });
  }
  const duplicates = [...byTable.entries()].filter(([, d]) => d.datasets.length > 1).map(([table, d]) => ({ table, ...d }));
  return { text: addMappings(manifestText, entries), added: entries.length, covered, duplicates, empty, problems };
}
