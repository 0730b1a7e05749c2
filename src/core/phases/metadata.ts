/**
 * What a copy must keep: for each archive and target table, the metadata it should end up
 * with (the legacy table's, or the manifest's stated difference), and the one routine that
 * carries it over with tables.patch. The archive and create-targets steps build with it; the
 * validation's metadata check compares against the same expectation.
 */
import type { Mapping } from '../manifest/schema';
import { compareMetadata, metadataPatch, parsePartitioning, tableOptionsFrom, type ExpectedMetadata, type MetadataDifference, type TableOptions } from '../warehouse/table-meta';
import type { TableId, TableInfo, Warehouse } from '../warehouse/types';
import { tableKey } from './identifiers';
import { METADATA_COLUMNS } from './sql';
import type { ActionContext, ActionOutcome } from './types';

/** The new table's partitioning, clustering and options: the source's, with the manifest's `metadata` over them. */
export function expectedTarget(source: TableInfo, mapping: Mapping | undefined, renamed?: Record<string, string>): ExpectedMetadata {
  const m = mapping?.metadata;
  const overrides: TableOptions = {
    ...(m?.description !== undefined ? { description: m.description } : {}),
    ...(m?.friendlyName !== undefined ? { friendlyName: m.friendlyName } : {}),
    ...(m?.labels !== undefined ? { labels: { ...(source.labels ?? {}), ...m.labels } } : {}),
    ...(m?.requirePartitionFilter !== undefined ? { requirePartitionFilter: m.requirePartitionFilter } : {}),
  };
  return {
    ...(m?.partitioning !== undefined ? { partitioning: m.partitioning } : {}),
    ...(m?.clustering !== undefined ? { clustering: m.clustering } : {}),
    options: { ...tableOptionsFrom(source), ...overrides },
    ...(renamed ? { renamed } : {}),
  };
}

/** The archive copy: everything the legacy table had, and no expiration. */
export function expectedArchive(source: TableInfo): ExpectedMetadata {
  const { partitionExpirationMs: _partitionsExpire, ...options } = tableOptionsFrom(source);
  return { options, noExpiration: true };
}

/** True when the manifest changes partitioning or clustering: a copy job cannot, so the target is built with SQL. */
export function changesLayout(source: TableInfo | undefined, mapping: Mapping | undefined): boolean {
  const m = mapping?.metadata;
  if (!m) return false;
  const norm = (p: string | null | undefined) => {
    const parsed = parsePartitioning(p ?? undefined);
    return parsed ? JSON.stringify(parsed) : '';
  };
  if (m.partitioning !== undefined && norm(m.partitioning) !== norm(source?.partitioning)) return true;
  if (m.clustering !== undefined && (m.clustering ?? []).join(',') !== (source?.clustering ?? []).join(',')) return true;
  return false;
}

/** The partitioning and clustering a CREATE TABLE for the target states. */
export function layoutOf(source: TableInfo | undefined, expected: ExpectedMetadata): { partitioning?: string; clustering?: string[] } {
  const partitioning = expected.partitioning === undefined ? source?.partitioning : (expected.partitioning ?? undefined);
  const clustering = expected.clustering === undefined ? source?.clustering : (expected.clustering ?? undefined);
  return { ...(partitioning ? { partitioning } : {}), ...(clustering?.length ? { clustering } : {}) };
}

async function requireInfo(wh: Warehouse, id: TableId): Promise<TableInfo> {
  const info = await wh.getTable(id);
  if (!info) throw new Error(`${tableKey(id)} disappeared while its metadata was being carried over`);
  return info;
}

/**
 * Carries `source`'s table options and column metadata over to `dest` with one tables.patch
 * (free on BigQuery), leaving `requirePartitionFilter` for `applyPartitionFilter` unless told
 * otherwise (the copy is counted before the flag would make that count need a filter).
 * Returns the names of what it changed, for the journal.
 */
export async function carryMetadata(
  a: ActionContext,
  source: TableInfo,
  dest: TableId,
  expected: ExpectedMetadata,
  opts: { partitionFilter?: boolean } = {},
): Promise<string[]> {
  const current = await requireInfo(a.wh, dest);
  const options = opts.partitionFilter ? expected.options : { ...expected.options, requirePartitionFilter: !!current.requirePartitionFilter };
  const patch = metadataPatch(source, current, { expiration: expected.noExpiration ? 'none' : 'keep', overrides: options, ...(expected.renamed ? { renamed: expected.renamed } : {}) });
  if (!patch) return [];
  await a.wh.patchTable(dest, patch, { labels: { run: a.runId, phase: a.phase, step: a.step }, signal: a.signal });
  return describePatch(patch);
}

/** Sets the partition-filter requirement last: after every count the step makes. */
export async function applyPartitionFilter(a: ActionContext, dest: TableId, expected: ExpectedMetadata): Promise<boolean> {
  const want = !!expected.options.requirePartitionFilter;
  const current = await requireInfo(a.wh, dest);
  if (!!current.requirePartitionFilter === want || (want && !current.partitioning)) return false;
  await a.wh.patchTable(dest, { requirePartitionFilter: want }, { labels: { run: a.runId, phase: a.phase, step: a.step }, signal: a.signal });
  return true;
}

function describePatch(patch: NonNullable<ReturnType<typeof metadataPatch>>): string[] {
  const out: string[] = [];
  if (patch.description !== undefined) out.push('description');
  if (patch.friendlyName !== undefined) out.push('friendly name');
  if (patch.labels) out.push('labels');
  if (patch.requirePartitionFilter !== undefined) out.push('require partition filter');
  if (patch.expirationTime !== undefined || patch.partitionExpirationMs !== undefined) out.push('no expiration');
  const cols = Object.values(patch.columns ?? {});
  if (cols.some((c) => c.description !== undefined)) out.push('column descriptions');
  if (cols.some((c) => c.policyTags !== undefined)) out.push('policy tags');
  return out;
}

/** Metadata of a table worth keeping in the journal: what the legacy table had, checked later when it is a shim. */
export function recordedMetadata(t: TableInfo): TableInfo {
  return {
    dataset: t.dataset,
    table: t.table,
    type: t.type,
    rowCount: t.rowCount,
    sizeBytes: null,
    schema: t.schema.map((c) => ({ name: c.name, type: c.type, ...(c.description ? { description: c.description } : {}), ...(c.policyTags ? { policyTags: c.policyTags } : {}) })),
    ...(t.partitioning ? { partitioning: t.partitioning } : {}),
    ...(t.partitionExpirationMs ? { partitionExpirationMs: t.partitionExpirationMs } : {}),
    ...(t.clustering ? { clustering: t.clustering } : {}),
    ...(t.requirePartitionFilter ? { requirePartitionFilter: true } : {}),
    ...(t.description ? { description: t.description } : {}),
    ...(t.friendlyName ? { friendlyName: t.friendlyName } : {}),
    ...(t.labels ? { labels: t.labels } : {}),
  };
}

/** Adds the metadata notes an action's outcome detail carries. */
export function withMetadataNote(out: ActionOutcome, detail: string, carried: string[]): ActionOutcome {
  return { ...out, detail: carried.length ? `${detail}; metadata carried over: ${carried.join(', ')}` : detail };
}

/** The archive's own columns never exist in the legacy table: not a difference. */
export const ARCHIVE_ONLY_COLUMNS: readonly string[] = METADATA_COLUMNS;

export function metadataDifferences(source: TableInfo, target: TableInfo, expected: ExpectedMetadata): MetadataDifference[] {
  return compareMetadata(source, target, expected);
}
