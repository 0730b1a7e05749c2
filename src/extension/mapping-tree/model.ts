/**
 * The mapping tree's model, free of vscode: group mappings by legacy dataset,
 * status or target dataset, filter them, and label them. Tested without an editor.
 */
import type { Mapping, MappingStatus } from '../../core/manifest/schema';
import { MAPPING_STATUSES } from '../../core/manifest/statuses';

export type Grouping = 'legacyDataset' | 'status' | 'targetDataset';
export type MappingFilter = 'all' | 'unmapped' | 'withReferences' | `status:${MappingStatus}`;

export interface MappingEntry {
  index: number;
  mapping: Mapping;
  /** Legacy references left, code and pulled warehouse definitions together. */
  references: number;
  /** Of those, in pulled warehouse definitions (views, routines, scheduled queries). */
  warehouseReferences?: number;
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

export function mappingLabel(m: Mapping): string {
  return `${m.from} → ${isMapped(m) ? m.to : '(unmapped)'}`;
}

export function referencesDescription(n: number, warehouse?: number): string {
  if (n === 0) return 'no references left';
  const all = `${n} reference${n === 1 ? '' : 's'} left`;
  // Split only when the warehouse's definitions hold some: "3 in code · 2 in the warehouse".
  return warehouse ? `${n - warehouse} in code · ${warehouse} in the warehouse` : all;
}
