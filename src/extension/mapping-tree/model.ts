/**
 * The mapping tree's model, free of vscode: group mappings by legacy dataset,
 * status or target dataset, filter them, and label them. Tested without an editor.
 */
import { tableMappingOf } from '../../core/columns/catalog';
import { columnSources } from '../../core/manifest/mapping-kinds';
import type { ColumnMapping, Manifest, Mapping, MappingStatus } from '../../core/manifest/schema';
import { MappingResolver } from '../../core/match/resolver';
import { MAPPING_STATUSES } from '../../core/manifest/statuses';
import type { NameReaders, ReadersReport } from '../../core/readers/types';

export type Grouping = 'legacyDataset' | 'status' | 'targetDataset';
export type MappingFilter = 'all' | 'unmapped' | 'withReferences' | `status:${MappingStatus}`;

export interface MappingEntry {
  index: number;
  mapping: Mapping;
  /** Legacy references left, code and pulled warehouse definitions together. */
  references: number;
  /** Of those, in pulled warehouse definitions (views, routines, scheduled queries). */
  warehouseReferences?: number;
  /** Who read the mapping's legacy names, from the last `bqmigrate readers` report. */
  readers?: MappingReaders;
  /** The column mappings of this table, in manifest order. */
  columns?: ColumnEntry[];
}

/** A column mapping as the tree shows it: nested under its table's row. */
export interface ColumnEntry {
  index: number;
  mapping: ColumnMapping;
  /** `legacy-column` findings left for it (fixable or dropped-column findings; possible references are not counted). */
  references: number;
}

/** Column mappings of a table no table mapping moves: the tree shows them under the table's own row. */
export interface ColumnTable {
  table: string;
  columns: ColumnEntry[];
}

/** One mapping's part of a readers report: its concrete legacy names (a templated family has several). */
export interface MappingReaders {
  project: string;
  days: number;
  generatedAt: string;
  names: NameReaders[];
  otherProjectsReason?: string;
}

export interface MappingGroup {
  key: string;
  label: string;
  entries: MappingEntry[];
  references: number;
}

export const GROUPING_LABELS: Record<Grouping, string> = {
  legacyDataset: 'Legacy dataset',
  status: 'Status',
  targetDataset: 'Target dataset',
};


export function isMapped(m: Mapping): boolean {
  return m.to !== undefined && m.to !== '';
}

export function passes(entry: MappingEntry, filter: MappingFilter): boolean {
  if (filter === 'all') return true;
  if (filter === 'unmapped') return !isMapped(entry.mapping);
  if (filter === 'withReferences') return entry.references > 0;
  return entry.mapping.status === filter.slice('status:'.length);
}

function groupKey(m: Mapping, grouping: Grouping): string {
  if (grouping === 'status') return m.status;
  if (grouping === 'targetDataset') return isMapped(m) ? (m.kind === 'path' ? '(paths)' : m.to!.split('.')[0]!) : '(unmapped)';
  return m.kind === 'path' ? '(paths)' : m.from.split('.')[0]!;
}

export function groupMappings(entries: MappingEntry[], grouping: Grouping, filter: MappingFilter): MappingGroup[] {
  const groups = new Map<string, MappingGroup>();
  for (const e of entries) {
    if (!passes(e, filter)) continue;
    const key = groupKey(e.mapping, grouping);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, label: key, entries: [], references: 0 }));
    g.entries.push(e);
    g.references += e.references;
  }
  const order = (k: string) => (grouping === 'status' ? (MAPPING_STATUSES as readonly string[]).indexOf(k) : k.startsWith('(') ? 1 : 0);
  return [...groups.values()].sort((a, b) => order(a.key) - order(b.key) || a.key.localeCompare(b.key));
}

/**
 * Puts each column mapping under the row of the table mapping its table belongs to (see
 * `tableMappingOf`); the rest come back by table, for rows of their own.
 */
export function attachColumns(manifest: Manifest, tables: MappingEntry[], columns: ColumnEntry[]): { tables: MappingEntry[]; columnTables: ColumnTable[] } {
  if (columns.length === 0) return { tables, columnTables: [] };
  const resolver = new MappingResolver(manifest);
  const byTable = new Map<number, ColumnEntry[]>();
  const orphans = new Map<string, ColumnEntry[]>();
  for (const c of columns) {
    const owner = tableMappingOf(manifest, resolver, c.mapping.table);
    if (owner !== undefined && tables.some((t) => t.index === owner)) byTable.set(owner, [...(byTable.get(owner) ?? []), c]);
    else orphans.set(c.mapping.table, [...(orphans.get(c.mapping.table) ?? []), c]);
  }
  return {
    tables: tables.map((t) => (byTable.has(t.index) ? { ...t, columns: byTable.get(t.index)! } : t)),
    columnTables: [...orphans].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([table, list]) => ({ table, columns: list })),
  };
}

/** The filter for a column row of a table no mapping moves (a table row's columns are shown with it). */
export function columnPasses(c: ColumnEntry, filter: MappingFilter): boolean {
  if (filter === 'all') return true;
  if (filter === 'unmapped') return false;
  if (filter === 'withReferences') return c.references > 0;
  return c.mapping.status === filter.slice('status:'.length);
}

/** `a → b`, or `a, b, c → d` for a consolidation. */
export function columnLabel(m: ColumnMapping): string {
  return `${columnSources(m).join(', ')} → ${m.to}`;
}

/** How the values combine: "rename", "coalesce" or "sql: <expression>". */
export function combineLabel(m: ColumnMapping): string {
  if (m.combine === 'sql') return `sql: ${m.expression ?? ''}`;
  return m.combine ?? 'rename';
}

export function mappingLabel(m: Mapping): string {
  return `${m.from} → ${isMapped(m) ? m.to : '(unmapped)'}`;
}

export function referencesDescription(n: number, warehouse?: number): string {
  if (n === 0) return 'no references left';
  const all = `${n} reference${n === 1 ? '' : 's'} left`;
  // Split only when the warehouse's definitions hold some: "3 in code · 2 in the warehouse".
  return warehouse ? `${n - warehouse} in code · ${warehouse} in the warehouse` : all;
}

/** The last readers report by manifest mapping index. */
export function readersByMapping(report: ReadersReport): Map<number, MappingReaders> {
  const out = new Map<number, MappingReaders>();
  for (const n of report.names) {
    const r = out.get(n.mappingIndex) ?? { project: report.project, days: report.days, generatedAt: report.generatedAt, names: [], ...(report.coverage.otherProjectsReason ? { otherProjectsReason: report.coverage.otherProjectsReason } : {}) };
    r.names.push(n);
    out.set(n.mappingIndex, r);
  }
  return out;
}

/** The tree row's badge: "still read" when someone read a legacy name in the window, "reads not verified" when that could not be ruled out. */
export function readersBadge(r: MappingReaders | undefined): string | undefined {
  if (!r) return undefined;
  if (r.names.some((n) => n.readers.length > 0)) return 'still read';
  return r.names.some((n) => !n.quiet) ? 'reads not verified' : undefined;
}

/** Markdown lines for the tooltip: per legacy name, its readers (principal, jobs, last read, a sample job id). */
export function readersTooltip(r: MappingReaders): string {
  const lines = [`Readers in the last ${r.days} day(s) (\`bqmigrate readers\`, ${r.generatedAt.slice(0, 16).replace('T', ' ')} UTC):`];
  for (const n of r.names) {
    const state = n.readers.length ? `still read, ${n.jobs} job(s)` : n.quiet ? 'quiet' : 'no reads seen, not verified for other projects';
    lines.push(`- \`${n.name}\`${n.shim ? ' (shim)' : ''}: ${state}`);
    for (const x of n.readers.slice(0, 5)) lines.push(`  - ${x.principal}${x.project === r.project ? '' : ` (project ${x.project})`}: ${x.jobs} job(s)${x.cacheHits ? ` (${x.cacheHits} cache hit(s))` : ''}, last ${x.lastRead.slice(0, 10)}, e.g. job \`${x.sampleJobId}\``);
    if (n.readers.length > 5) lines.push(`  - and ${n.readers.length - 5} more`);
  }
  if (r.names.some((n) => n.otherProjects !== 'verified')) lines.push(`\nNot verified for other projects${r.otherProjectsReason ? `: ${r.otherProjectsReason}` : ''}.`);
  return lines.join('\n');
}
