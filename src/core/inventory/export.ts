/**
 * `bqmigrate export` and the `export` step: tables to Parquet.
 * Spec: { "run": "export", "tables": "training.zl_training_{surface}_allhistory_{horizon}", "to": "exports/{table}.parquet" }
 * (placeholders from the manifest's variables; {dataset} and {table} in `to`).
 * Local warehouse: DuckDB COPY … (FORMAT parquet). BigQuery: an extract job for
 * gs:// URIs, or for a local path the table read through the API (tabledata.list,
 * with progress) and written to Parquet by DuckDB. A local file newer than the
 * table is not overwritten unless `force`; the written row count is verified.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { publishFileAtomic } from '../fix/write';
import type { LoadedManifest } from '../manifest/load';
import { WarehouseError } from '../warehouse/errors';
import { parseTableId } from '../warehouse/identifiers';
import { openLocalWarehouse } from '../warehouse/local';
import type { ColumnInfo, JobLabels, ParquetCompression, TableId, Warehouse } from '../warehouse/types';
import { expandTemplate, fill } from './expand';
import type { OperationOptions } from './types';

export interface ExportSpec {
  /** `dataset.table` template. */
  tables: string;
  /** Destination template: a path relative to the manifest folder, or a gs:// URI. */
  to: string;
  format?: 'PARQUET';
  /** Parquet compression (default snappy on both backends; BigQuery's own default would be none). */
  compression?: ExportCompression;
}

export const EXPORT_COMPRESSIONS = ['snappy', 'gzip', 'zstd'] as const;
export type ExportCompression = (typeof EXPORT_COMPRESSIONS)[number];

/** BigQuery writes at most 1 GB to one file ("Exporting table data"); a larger export needs a `*` wildcard URI. */
export const SINGLE_FILE_LIMIT_BYTES = 1_000_000_000;

export interface ExportOutcome {
  table: string;
  destination: string;
  status: 'exported' | 'skipped-newer' | 'failed';
  rows?: number;
  /** How the row count was verified: read back from the file, or from the job/table (gs://). */
  verified?: 'file' | 'table';
  bytes?: number;
  jobId?: string;
  error?: string;
  /** How a view's rows were exported: through which temporary table. */
  via?: string;
}

export interface ExportOptions extends OperationOptions {
  loaded: LoadedManifest;
  force?: boolean;
  labels?: JobLabels;
  /** Plan only: say what would happen, write nothing. */
  dryRun?: boolean;
  /** Largest table exported to one gs:// file (default SINGLE_FILE_LIMIT_BYTES, BigQuery's 1 GB). */
  singleFileLimitBytes?: number;
}

/** The concrete (table, destination) pairs of a spec. */
export function expandExportSpec(spec: ExportSpec, loaded: LoadedManifest): { id: TableId; name: string; destination: string }[] {
  if (!spec.tables || !spec.to) throw new WarehouseError('an export needs "tables" (a dataset.table template) and "to" (a path or gs:// URI template)', 'invalid');
  return expandTemplate(spec.tables, loaded.manifest.variables).map(({ text, values }) => {
    const id = parseTableId(text);
    const dest = fill(spec.to, { ...values, dataset: id.dataset, table: id.table });
    const destination = dest.startsWith('gs://') ? dest : path.resolve(loaded.root, dest);
    return { id, name: `${id.dataset}.${id.table}`, destination };
  });
}

export async function exportTables(wh: Warehouse, spec: ExportSpec, opts: ExportOptions): Promise<ExportOutcome[]> {
  const out: ExportOutcome[] = [];
  for (const { id, name, destination } of expandExportSpec(spec, opts.loaded)) {
    if (opts.signal?.aborted) throw new WarehouseError('export cancelled', 'cancelled');
    const action = `export:${name}`;
    opts.onEvent?.({ event: 'action-start', action, details: { destination } });
    let outcome: ExportOutcome;
    try {
      outcome = await exportOne(wh, id, name, destination, { ...opts, compression: spec.compression });
    } catch (err) {
      outcome = { table: name, destination, status: 'failed', error: (err as Error).message };
    }
    out.push(outcome);
    if (outcome.status === 'failed') opts.onEvent?.({ event: 'action-error', action, error: outcome.error, details: { destination } });
    else opts.onEvent?.({ event: 'action-end', action, rows: outcome.rows, jobIds: outcome.jobId ? [outcome.jobId] : undefined, details: { destination, status: outcome.status, verified: outcome.verified, bytes: outcome.bytes } });
  }
  return out;
}

async function exportOne(wh: Warehouse, id: TableId, name: string, destination: string, opts: ExportOptions & { compression?: ExportCompression }): Promise<ExportOutcome> {
  const info = await wh.getTable(id);
  if (!info) throw new WarehouseError(`Not found: Table ${wh.project}:${name}`, 'notFound');
  const gcs = destination.startsWith('gs://');
  if (!gcs && fs.existsSync(destination) && !opts.force) {
    const fileTime = fs.statSync(destination).mtimeMs;
    const tableTime = info.modified ? Date.parse(info.modified) : Number.POSITIVE_INFINITY;
    if (fileTime >= tableTime || !info.modified) {
      return { table: name, destination, status: 'skipped-newer', error: `${destination} is newer than ${name}${info.modified ? ` (modified ${info.modified})` : ''}; pass --force to overwrite` };
    }
  }
  if (gcs && wh.kind !== 'bigquery') throw new WarehouseError(`gs:// exports need --backend bigquery (got ${destination})`, 'invalid');
  if (gcs && !destination.includes('*') && (info.sizeBytes ?? 0) > (opts.singleFileLimitBytes ?? SINGLE_FILE_LIMIT_BYTES)) {
    const dot = destination.lastIndexOf('.');
    const suggestion = dot > destination.lastIndexOf('/') ? `${destination.slice(0, dot)}-*${destination.slice(dot)}` : `${destination}-*`;
    throw new WarehouseError(`${name} is ${info.sizeBytes} bytes: BigQuery exports at most ${opts.singleFileLimitBytes ?? SINGLE_FILE_LIMIT_BYTES} bytes (1 GB) to a single file — give a wildcard URI such as ${suggestion} (one file per shard)`, 'invalid');
  }
  // BigQuery cannot export or list a view (tabledata.list, extract jobs): its rows go through a query into a table first.
  const throughTable = wh.kind === 'bigquery' && info.type !== 'TABLE';
  if (opts.dryRun) return { table: name, destination, status: 'exported', rows: info.rowCount ?? undefined, ...(throughTable ? { via: 'a temporary table (a view cannot be exported directly)' } : {}) };
  if (throughTable) return viaTemporaryTable(wh, id, name, destination, opts);
  const extract = { format: 'PARQUET' as const, compression: compressionOf(opts.compression), labels: opts.labels, signal: opts.signal };
  if (gcs) {
    const r = await wh.extractTable(id, destination, extract);
    return { table: name, destination, status: 'exported', rows: r.rows ?? info.rowCount ?? undefined, verified: 'table', jobId: r.jobId };
  }
  let jobId: string | undefined;
  if (wh.kind === 'local') {
    jobId = (await wh.extractTable(id, destination, extract)).jobId;
  } else {
    await downloadToParquet(wh, id, destination, opts);
  }
  const written = await parquetRowCount(destination);
  const expected = info.rowCount;
  if (expected !== null && written !== expected) {
    throw new WarehouseError(`${destination} has ${written} rows, ${name} has ${expected}: the export is incomplete (the file is kept for inspection)`, 'internalError');
  }
  return { table: name, destination, status: 'exported', rows: written, verified: 'file', bytes: fs.statSync(destination).size, jobId };
}

const compressionOf = (c: ExportCompression | undefined): ParquetCompression => (c ?? 'snappy').toUpperCase() as ParquetCompression;

/**
 * A view (or materialized view) on BigQuery: `CREATE TABLE _bqmigrate_export_<hex> AS SELECT *` in
 * the view's dataset (expiring in a day, in case the drop below never runs), exported like a table,
 * then dropped. The outcome says which table carried the rows.
 */
async function viaTemporaryTable(wh: Warehouse, id: TableId, name: string, destination: string, opts: ExportOptions & { compression?: ExportCompression }): Promise<ExportOutcome> {
  const temp: TableId = { ...(id.project ? { project: id.project } : {}), dataset: id.dataset, table: `_bqmigrate_export_${randomBytes(6).toString('hex')}` };
  const r = await wh.query(`CREATE TABLE ${wh.dialect.table(temp)} AS SELECT * FROM ${wh.dialect.table(id)}`, { labels: opts.labels, signal: opts.signal });
  try {
    await wh.patchTable(temp, { expirationTime: new Date(Date.now() + 86_400_000).toISOString(), description: `bqmigrate: rows of the view ${name} for an export; dropped when the export ends` }, { labels: opts.labels, signal: opts.signal });
    const outcome = await exportOne(wh, temp, name, destination, { ...opts, force: true });
    return { ...outcome, table: name, via: `${temp.dataset}.${temp.table} (a view cannot be exported directly)`, ...(r.jobId && !outcome.jobId ? { jobId: r.jobId } : {}) };
  } finally {
    await wh.dropTable(temp, { ifExists: true, labels: opts.labels });
  }
}

const DUCK_TYPES: Record<string, string> = {
  INT64: 'BIGINT',
  FLOAT64: 'DOUBLE',
  STRING: 'VARCHAR',
  BOOL: 'BOOLEAN',
  DATE: 'DATE',
  TIMESTAMP: 'TIMESTAMPTZ',
  DATETIME: 'TIMESTAMP',
  TIME: 'TIME',
  NUMERIC: 'DECIMAL(38, 9)',
  BIGNUMERIC: 'DOUBLE',
  JSON: 'JSON',
};

function duckColumnType(c: ColumnInfo): string {
  const t = DUCK_TYPES[c.type] ?? 'VARCHAR';
  return c.mode === 'REPEATED' ? `${t}[]` : t;
}

/** Reads a BigQuery table page by page into NDJSON, then DuckDB types it from the schema and writes Parquet (temp + rename). */
async function downloadToParquet(wh: Warehouse, id: TableId, destination: string, opts: ExportOptions & { compression?: ExportCompression }): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bqmigrate-export-'));
  const ndjson = path.join(work, 'rows.ndjson');
  let schema: ColumnInfo[] | undefined;
  try {
    const fd = fs.openSync(ndjson, 'w');
    try {
      for await (const page of wh.readTable(id, {
        signal: opts.signal,
        onProgress: (read, total) => opts.onProgress?.(`export ${id.dataset}.${id.table}: ${read}${total !== null ? `/${total}` : ''} rows`),
      })) {
        schema ??= page.schema;
        fs.writeSync(fd, page.rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
      }
    } finally {
      fs.closeSync(fd);
    }
    if (!schema) schema = (await wh.getTable(id))?.schema ?? [];
    const duck = await openLocalWarehouse({ file: ':memory:', project: wh.project });
    try {
      const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
      const columns = schema.map((c) => `${lit(c.name)}: ${lit(duckColumnType(c))}`).join(', ');
      const select = schema.length ? `SELECT * FROM read_json(${lit(ndjson)}, format = 'newline_delimited', columns = {${columns}})` : 'SELECT 1 WHERE false';
      await publishFileAtomic(destination, (tmp) => duck.query(`COPY (${select}) TO ${lit(tmp)} (FORMAT parquet, COMPRESSION ${opts.compression ?? 'snappy'})`));
    } finally {
      await duck.close();
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Rows in a Parquet file, read back by DuckDB. */
export async function parquetRowCount(file: string): Promise<number> {
  const duck = await openLocalWarehouse({ file: ':memory:', project: 'local-check' });
  try {
    const r = await duck.query(`SELECT count(*) AS n FROM read_parquet('${file.replace(/'/g, "''")}')`);
    return Number(r.rows[0]!.n);
  } finally {
    await duck.close();
  }
}
