/**
 * The fake's extract jobs as BigQuery documents them ("Exporting table data"): to
 * `gs://bucket/path` (written under <gcsDir>/bucket/path); one `*` wildcard shards the export
 * (the fake writes one shard, `*` → 000000000000); a table over 1 GB (`singleFileLimitBytes`)
 * needs a wildcard URI; views cannot be exported (nor listed through tabledata.list); Parquet
 * compression is NONE unless `compression` says SNAPPY, GZIP or ZSTD.
 */
import * as path from 'node:path';
import type { LocalWarehouse } from '../../src/core/warehouse/local';
import type { TableInfo } from '../../src/core/warehouse/types';
import { ApiFailure } from './engine';

export interface ExtractConfig {
  sourceTable: { datasetId: string; tableId: string };
  destinationUris: string[];
  destinationFormat?: string;
  compression?: string;
}

/** BigQuery refuses exports and tabledata.list of anything but a table. */
export function requireExportable(t: TableInfo, project: string): void {
  if (t.type !== 'TABLE') throw new ApiFailure(400, 'invalid', `${project}:${t.dataset}.${t.table} is not allowed for this operation because it is currently a ${t.type}.`);
}

export async function runExtract(wh: LocalWarehouse, gcsDir: string, project: string, singleFileLimitBytes: number, extract: ExtractConfig, table: TableInfo): Promise<{ destinationUriFileCounts: string[] }> {
  const uri = extract.destinationUris[0] ?? '';
  const m = /^gs:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!m) throw new ApiFailure(400, 'invalid', `Invalid extract destination URI '${uri}'. Must be a valid Google Storage path.`);
  const wildcards = (m[2]!.match(/\*/g) ?? []).length;
  if (wildcards > 1) throw new ApiFailure(400, 'invalid', `Invalid extract destination URI '${uri}': at most one wildcard is allowed.`);
  requireExportable(table, project);
  if (wildcards === 0 && (table.sizeBytes ?? 0) > singleFileLimitBytes) {
    throw new ApiFailure(400, 'invalid', `Table ${project}:${table.dataset}.${table.table} too large to be exported to a single file. Specify a uri including a * to shard export. See 'Exporting data into one or more files' in https://cloud.google.com/bigquery/docs/exporting-data.`);
  }
  const compression = (extract.compression ?? 'NONE').toUpperCase();
  if (!['NONE', 'SNAPPY', 'GZIP', 'ZSTD'].includes(compression)) throw new ApiFailure(400, 'invalid', `Invalid compression ${compression} for ${extract.destinationFormat ?? 'CSV'}.`);
  const dest = path.join(gcsDir, m[1]!, ...m[2]!.replace('*', '000000000000').split('/'));
  await wh.extractTable({ dataset: table.dataset, table: table.table }, dest, { format: (extract.destinationFormat ?? 'CSV') as never, compression: compression as never });
  return { destinationUriFileCounts: ['1'] };
}
