/**
 * Row counts and full scans of tables that may require a partition filter. BigQuery refuses
 * `SELECT COUNT(*)` and `SELECT *` without a filter on the partitioning column of a table with
 * `requirePartitionFilter`, so: a BigQuery table's count is read from its metadata where that is
 * exact (`numRows` of a table without a streaming buffer; free), and a scan that is needed gets a
 * filter every partition passes (`allPartitionsFilter`, table-meta.ts).
 */
import { allPartitionsFilter } from '../warehouse/table-meta';
import type { TableId, TableInfo, Warehouse } from '../warehouse/types';
import { countSql } from './sql';

/** The predicate a full scan of `info` needs, or undefined. */
export function scanFilter(wh: Pick<Warehouse, 'kind' | 'dialect'>, info: Pick<TableInfo, 'partitioning' | 'requirePartitionFilter' | 'schema'> | undefined): string | undefined {
  return info ? allPartitionsFilter(wh.kind, info, (n) => wh.dialect.ident(n)) : undefined;
}

/** A BigQuery table's row count from tables.get when it is exact (no streaming buffer), else undefined. */
export function exactMetadataCount(wh: Pick<Warehouse, 'kind'>, info: TableInfo | undefined): number | undefined {
  if (wh.kind !== 'bigquery' || info?.type !== 'TABLE' || info.streamingBuffer || info.rowCount === null || info.rowCount === undefined) return undefined;
  return info.rowCount;
}

/** Rows of `id`: from metadata where exact, else COUNT(*) run by `run` (with the all-partitions filter when needed). */
export async function countRows(wh: Warehouse, id: TableId, run: (sql: string) => Promise<Record<string, unknown>[]>): Promise<number> {
  const info = wh.kind === 'bigquery' ? await wh.getTable(id) : undefined;
  const exact = exactMetadataCount(wh, info);
  if (exact !== undefined) return exact;
  const rows = await run(countSql(wh, id, scanFilter(wh, info)));
  const v = rows[0]?.row_count;
  return typeof v === 'bigint' ? Number(v) : Number(v);
}
