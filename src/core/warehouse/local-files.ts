/**
 * Files in and out of the local warehouse: `bqmigrate local load` (CSV/Parquet
 * into a table) and exports (a table to Parquet/CSV/NDJSON, temp file + rename).
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { publishFileAtomic } from '../fix/write';
import { duckError } from './duckdb-types';
import { WarehouseError } from './errors';
import { duckDbDialect } from './identifiers';
import type { LocalWarehouse } from './local';
import { recordJob, touchObject } from './local-meta';
import type { ExtractOptions, JobOptions, TableId } from './types';

/** Writes a table to a local file (PARQUET, CSV or NDJSON), atomically (temp + rename). */
export async function extractToFile(wh: LocalWarehouse, id: TableId, destination: string, opts: ExtractOptions = {}): Promise<{ jobId?: string; rows?: number }> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(destination)) {
    throw new WarehouseError(`the local warehouse writes local files only, not ${destination}; use --backend bigquery for gs:// exports`, 'invalid');
  }
  const info = await wh.getTable(id);
  if (!info) throw new WarehouseError(`Not found: Table ${wh.project}:${id.dataset}.${id.table}`, 'notFound');
  const format = { PARQUET: 'parquet', CSV: 'csv, HEADER true', NEWLINE_DELIMITED_JSON: 'json' }[opts.format ?? 'PARQUET'];
  const jobId = `local_${randomUUID()}`;
  const compression = (opts.format ?? 'PARQUET') === 'PARQUET' && opts.compression ? `, COMPRESSION ${{ NONE: 'uncompressed', SNAPPY: 'snappy', GZIP: 'gzip', ZSTD: 'zstd' }[opts.compression]}` : '';
  let sql = '';
  let rows = 0;
  await wh.withConnection(async (c) => {
    try {
      rows = await publishFileAtomic(destination, async (tmp) => {
        sql = `COPY (SELECT * FROM ${duckDbDialect.table(id)}) TO ${duckDbDialect.literal(tmp)} (FORMAT ${format}${compression})`;
        const r = await c.runAndReadAll(sql);
        return Number(r.getRowObjectsJson()[0]?.Count ?? info.rowCount ?? 0);
      });
    } catch (err) {
      throw duckError(err, `export of ${id.dataset}.${id.table} to ${destination} failed`);
    }
    await recordJob(c, { id: jobId, kind: 'extract', statement: sql, labels: opts.labels ?? wh.defaultLabels });
  });
  return { jobId, rows };
}

/** Loads a CSV or Parquet file into a table (replacing it), creating the dataset when missing. */
export async function loadFromFile(wh: LocalWarehouse, id: TableId, file: string, opts: JobOptions & { partitioning?: string; clustering?: string[] } = {}): Promise<{ rows: number }> {
  if (!fs.existsSync(file)) throw new WarehouseError(`${file}: no such file`, 'notFound');
  const lower = file.toLowerCase();
  const reader = lower.endsWith('.parquet') ? 'read_parquet' : /\.(csv|tsv|txt)(\.gz)?$/.test(lower) ? 'read_csv_auto' : undefined;
  if (!reader) throw new WarehouseError(`${file}: expected a .csv or .parquet file`, 'invalid');
  if (!(await wh.getDataset(id.dataset))) await wh.createDataset({ dataset: id.dataset });
  const sql = `CREATE OR REPLACE TABLE ${duckDbDialect.table(id)} AS SELECT * FROM ${reader}(${duckDbDialect.literal(path.resolve(file))})`;
  return wh.withConnection(async (c) => {
    try {
      await c.run(sql);
    } catch (err) {
      throw duckError(err, `loading ${file} into ${id.dataset}.${id.table} failed`);
    }
    await touchObject(c, id.dataset, id.table, { partitioning: opts.partitioning, clustering: opts.clustering }, true);
    await recordJob(c, { id: `local_${randomUUID()}`, kind: 'load', statement: sql, labels: opts.labels ?? wh.defaultLabels });
    const n = await c.runAndReadAll(`SELECT count(*) AS n FROM ${duckDbDialect.table(id)}`);
    return { rows: Number(n.getRowObjectsJson()[0]!.n) };
  });
}
