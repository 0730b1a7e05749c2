/**
 * `requirePartitionFilter` as BigQuery enforces it ("Managing partitioned tables" → require a
 * partition filter): a query that reads such a table without a WHERE on its partitioning column
 * (`_PARTITIONTIME` / `_PARTITIONDATE` for ingestion-time tables) is refused, dry run or not,
 * with 400 invalidQuery. The fake's check is textual: the column named anywhere after a WHERE
 * counts as a filter; tables read through a view are not checked, and CREATE VIEW reads nothing.
 */
import type { LocalWarehouse } from '../../src/core/warehouse/local';
import { INGESTION_TIME, parsePartitioning } from '../../src/core/warehouse/table-meta';
import { ApiFailure } from './engine';

export async function requirePartitionFilters(wh: LocalWarehouse, sql: string, reads: { projectId: string; datasetId: string; tableId: string }[]): Promise<void> {
  // Creating a view reads nothing; only what runs a SELECT scans.
  if (!/\bSELECT\b/i.test(sql) || /^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:MATERIALIZED\s+)?VIEW\b/i.test(sql)) return;
  for (const r of reads) {
    const t = await wh.getTable({ dataset: r.datasetId, table: r.tableId }).catch(() => undefined);
    const p = t?.requirePartitionFilter ? parsePartitioning(t.partitioning) : undefined;
    if (!p) continue;
    const columns = p.field === INGESTION_TIME ? ['_PARTITIONTIME', '_PARTITIONDATE'] : [p.field];
    const filtered = columns.some((c) => new RegExp(`\\bWHERE\\b[\\s\\S]*(?:\\b|[\`"])${c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:\\b|[\`"])`, 'i').test(sql));
    if (!filtered) {
      throw new ApiFailure(400, 'invalidQuery', `Cannot query over table '${r.projectId}.${r.datasetId}.${r.tableId}' without a filter over column(s) '${columns.join("', '")}' that can be used for partition elimination`);
    }
  }
}
