/**
 * The `metadata` check family: for each pair, the copy kept what the legacy table had —
 * partitioning, clustering, the partition-filter requirement, description, friendly name,
 * labels, column descriptions and policy tags (or the manifest's stated difference), and an
 * archive copy never expires. Once the legacy name is a shim, the archive is checked against
 * the legacy metadata the archive step journaled, and the new table against the archive.
 */
import { tableMappingAt } from '../../manifest/schema';
import type { LoadedManifest } from '../../manifest/load';
import type { MetadataDifference } from '../../warehouse/table-meta';
import type { TableInfo } from '../../warehouse/types';
import { tableKey } from '../identifiers';
import { ARCHIVE_ONLY_COLUMNS, expectedArchive, expectedTarget, metadataDifferences } from '../metadata';
import type { ConcreteMapping, JournalEvent, ValidationCheck } from '../types';

export interface PairTables {
  legacy?: TableInfo;
  archive?: TableInfo;
  target?: TableInfo;
}

/** The legacy table's metadata as the archive step saw it, from the journal (the latest note). */
export function journaledLegacyMetadata(history: readonly JournalEvent[], m: ConcreteMapping): TableInfo | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const e = history[i]!;
    if (e.action === `archive:${m.from}` && e.details?.sourceMetadata) return e.details.sourceMetadata as TableInfo;
  }
  return undefined;
}

/** A short line per table: its layout and how much metadata there is to keep (e.g. "DAY(date), by market_regime, 3 labels, 4 described, 1 tagged"). */
export function metadataSummary(t: TableInfo | undefined): string {
  if (!t) return '(none)';
  const described = t.schema.filter((c) => c.description).length;
  const tagged = t.schema.filter((c) => c.policyTags?.length).length;
  const labels = Object.keys(t.labels ?? {}).length;
  return [
    t.partitioning ?? 'unpartitioned',
    t.clustering?.length ? `by ${t.clustering.join('+')}` : undefined,
    t.requirePartitionFilter ? 'filter required' : undefined,
    labels ? `${labels} label${labels === 1 ? '' : 's'}` : undefined,
    described ? `${described} described` : undefined,
    tagged ? `${tagged} tagged` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
}

const detailOf = (diffs: MetadataDifference[]) =>
  diffs.length === 0 ? 'partitioning, clustering, descriptions, labels and policy tags kept' : diffs.slice(0, 6).map((d) => `${d.property}: expected ${d.expected}, got ${d.actual}`).join('; ') + (diffs.length > 6 ? `; and ${diffs.length - 6} more` : '');

export function metadataChecks(loaded: LoadedManifest, history: readonly JournalEvent[], m: ConcreteMapping, tables: PairTables, family: string | undefined, columns?: { renamed: Record<string, string>; unmatched: readonly string[] }): ValidationCheck[] {
  const checks: ValidationCheck[] = [];
  const legacyTable = tables.legacy?.type === 'TABLE' ? tables.legacy : undefined;
  if (tables.archive) {
    const reference = legacyTable ?? journaledLegacyMetadata(history, m);
    const id = `metadata:${tableKey(m.archive)}`;
    if (!reference) {
      checks.push({ id, family, subject: tableKey(m.archive), description: 'metadata kept (archive)', pass: true, skipped: true, detail: `not validated: ${m.from} is no longer a table and the journal holds no record of its metadata (archived by another tool?)` });
    } else {
      const diffs = metadataDifferences(reference, tables.archive, expectedArchive(reference));
      checks.push({ id, family, subject: tableKey(m.archive), description: 'metadata kept (archive)', legacy: metadataSummary(reference), new: metadataSummary(tables.archive), pass: diffs.length === 0, detail: detailOf(diffs) });
    }
  }
  if (tables.target) {
    const source = legacyTable ?? tables.archive;
    const id = `metadata:${m.to}`;
    if (!source) {
      checks.push({ id, family, subject: m.to, description: 'metadata kept', pass: true, skipped: true, detail: `not validated: neither ${m.from} nor its archive copy is a table to compare with` });
    } else {
      const expected = expectedTarget(source, tableMappingAt(loaded.manifest, m.mappingIndex), columns?.renamed);
      // A SQL-built target may drop columns on purpose; the archive's own columns never reach it; a consolidation's other sources pass on no metadata.
      const ignore = [...(source === tables.archive ? ARCHIVE_ONLY_COLUMNS : []), ...(m.sql ? source.schema.filter((c) => !tables.target!.schema.some((t) => t.name === c.name)).map((c) => c.name) : []), ...(columns?.unmatched ?? [])];
      const diffs = metadataDifferences(source, tables.target, { ...expected, ignoreColumns: ignore });
      checks.push({ id, family, subject: m.to, description: `metadata = ${source === tables.archive ? 'archive' : 'legacy'}`, legacy: metadataSummary(source), new: metadataSummary(tables.target), pass: diffs.length === 0, detail: detailOf(diffs) });
    }
  }
  return checks;
}
