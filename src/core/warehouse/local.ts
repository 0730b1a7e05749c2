/**
 * The embedded local warehouse: DuckDB through @duckdb/node-api, stored in
 * `<manifest dir>/.bqmigrate/local.duckdb`, datasets as schemas. Schemas are
 * reported with BigQuery type names and BigQuery SQL (backticks, @params, type
 * names) is translated, so the phases run the same code on both backends.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { duckError } from './duckdb-types';
import type { TableSizes } from './local-sizes';
import { extractToFile, loadFromFile } from './local-files';
import { acquireInstance, queueOn, sizesOf, type SharedInstance } from './local-share';
import { afterWrite, checkDdlTargets, estimateBytes, READ_ONLY_STATEMENTS, toResult } from './local-query';
import { catalogType, readTableInfo } from './local-tables';
import { WarehouseError } from './errors';
import { assertIdentifier, duckDbDialect } from './identifiers';
import { extractDdl } from './ddl-options';
import { copyObjectMeta, datasetMeta, ensureMeta, HIDDEN_SCHEMAS, patchObject, readJobs, recordJob, syncObjects, touchObject, upsertDataset, type LocalJob } from './local-meta';
import { ensureDefinitionsMeta, getLocalDefinition, getLocalScheduled, keepViewText, listLocalDefinitions, listLocalScheduled, mayHoldDefinitionDdl, putLocalScheduled, runDefinitionScript, syncDefinitions, updateLocalScheduled } from './local-definitions';
import { bigQueryToDuckDb } from './translate';
import type { ColumnInfo, CopyOptions, DatasetInfo, ExtractOptions, Definition, DefinitionKind, JobLabels, JobOptions, QueryOptions, QueryResult, ReadOptions, ScheduledQuery, ScheduledQueryUpdate, TableId, TableInfo, TableMetadataPatch, Warehouse } from './types';

export interface LocalWarehouseOptions {
  /** The DuckDB file, or ":memory:". */
  file: string;
  /** Reported as the warehouse's project (the manifest's project). */
  project: string;
  /** Default dataset location (the manifest's location). */
  location?: string;
  /** What another process holding the file is doing (from the journal next to it), for the "in use" message. */
  describeHolder?(): string | undefined;
  /** Labels recorded for jobs started without a step's labels (ad-hoc CLI commands), as on BigQuery. */
  defaultLabels?: JobLabels;
}

/** `<manifest dir>/.bqmigrate/local.duckdb`. */
export function localWarehouseFile(manifestRoot: string): string {
  return path.join(manifestRoot, '.bqmigrate', 'local.duckdb');
}

type Duck = typeof import('@duckdb/node-api');

/** The DuckDB builds bqmigrate ships: a VSIX per platform, and the npm package's optional bindings. */
export const LOCAL_WAREHOUSE_PLATFORMS = ['darwin-arm64', 'darwin-x64', 'linux-x64', 'linux-arm64', 'win32-x64'] as const;

/**
 * DuckDB's API and this platform's native binding. The universal VSIX (for platforms DuckDB has
 * no binding for) ships neither; that and a missing binding get one message saying what to do.
 */
export function loadDuckDb(load: () => unknown = () => require('@duckdb/node-api')): Duck {
  try {
    return load() as Duck;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e?.code !== 'MODULE_NOT_FOUND' || !/@duckdb\//.test(e.message)) throw err;
    const platform = `${process.platform}-${process.arch}`;
    throw new WarehouseError(
      `the local warehouse (DuckDB) is not available in this build of bqmigrate on ${platform}: ${e.message.split('\n')[0]}. ` +
        `Use BigQuery instead (setting "bqmigrate.bigquery.backend": "bigquery", or --backend bigquery in the CLI), ` +
        `or install the bqmigrate VSIX built for your platform (${LOCAL_WAREHOUSE_PLATFORMS.join(', ')}).`,
      'unknown',
      { cause: err },
    );
  }
}

export async function openLocalWarehouse(opts: LocalWarehouseOptions): Promise<LocalWarehouse> {
  // Loaded here, not at import time: the native module is only needed once a warehouse is opened.
  const duck = loadDuckDb();
  if (opts.file !== ':memory:') fs.mkdirSync(path.dirname(opts.file), { recursive: true });
  let held: SharedInstance;
  try {
    held = await acquireInstance(opts.file, (file) => duck.DuckDBInstance.create(file));
  } catch (err) {
    const msg = (err as Error).message;
    if (/lock/i.test(msg)) {
      const busy = opts.describeHolder?.();
      throw new WarehouseError(`the local warehouse ${opts.file} is in use by another process (${msg.split('\n')[0]})${busy ? `; ${busy}` : ''}; wait for it to finish or close it`, 'locked', { cause: err });
    }
    throw new WarehouseError(`cannot open the local warehouse ${opts.file}: ${msg}`, 'unknown', { cause: err });
  }
  const wh = new LocalWarehouse(held.instance, opts, held.release);
  await wh.withConnection(ensureMeta);
  await wh.withConnection(ensureDefinitionsMeta);
  return wh;
}

export class LocalWarehouse implements Warehouse {
  readonly kind = 'local' as const;
  readonly dialect = duckDbDialect;
  readonly project: string;
  private closed = false;
  /** Measured table sizes, shared by every LocalWarehouse on the same file in this process (a write through any of them forgets them). */
  private get sizes(): TableSizes {
    return sizesOf(this.instance);
  }

  constructor(
    private readonly instance: DuckDBInstance,
    readonly options: LocalWarehouseOptions,
    private readonly release: () => void = () => instance.closeSync(),
  ) {
    this.project = options.project;
  }

  get defaultLabels(): JobLabels | undefined {
    return this.options.defaultLabels;
  }

  /**
   * One connection per operation: DuckDB runs them concurrently under MVCC. An operation may
   * write unless it says `reads`: then the table sizes measured so far are forgotten.
   */
  async withConnection<T>(fn: (c: DuckDBConnection) => Promise<T>, access: 'reads' | 'may-write' = 'may-write'): Promise<T> {
    if (this.closed) throw new WarehouseError('the local warehouse is closed', 'unknown');
    const c = await this.instance.connect();
    if (access === 'may-write') this.sizes.forget();
    try {
      return await fn(c);
    } finally {
      if (access === 'may-write') this.sizes.forget();
      c.disconnectSync();
    }
  }

  /** Every dataset but hidden ones: like BigQuery's datasets.list, names starting with "_" (bqmigrate's `_bqmigrate`) are left out. */
  async listDatasets(): Promise<DatasetInfo[]> {
    return (await this.allDatasets()).filter((d) => !d.dataset.startsWith('_'));
  }

  private async allDatasets(): Promise<DatasetInfo[]> {
    return this.withConnection(async (c) => {
      const meta = await datasetMeta(c);
      const r = await c.runAndReadAll(`SELECT schema_name FROM information_schema.schemata WHERE catalog_name = current_database() ORDER BY schema_name`);
      return r
        .getRowObjectsJson()
        .map((row) => String(row.schema_name))
        .filter((s) => !HIDDEN_SCHEMAS.has(s))
        .map((dataset) => ({ location: this.options.location ?? 'US', ...meta.get(dataset), dataset }));
    }, 'reads');
  }

  async getDataset(dataset: string): Promise<DatasetInfo | undefined> {
    return (await this.allDatasets()).find((d) => d.dataset === dataset);
  }

  /** Idempotent: an existing dataset in the same location is left alone. */
  async createDataset(info: DatasetInfo): Promise<void> {
    const existing = await this.getDataset(info.dataset);
    const location = info.location ?? this.options.location ?? 'US';
    if (existing && existing.location && existing.location !== location) {
      throw new WarehouseError(`dataset ${info.dataset} already exists in location ${existing.location}, not ${location}`, 'duplicate');
    }
    await this.withConnection(async (c) => {
      await c.run(`CREATE SCHEMA IF NOT EXISTS "${assertIdentifier('dataset', info.dataset)}"`);
      await upsertDataset(c, { ...existing, ...info, location });
    });
  }

  async listTables(dataset: string): Promise<TableInfo[]> {
    const names = await this.withConnection(async (c) => {
      const r = await c.runAndReadAll(`SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database() AND table_schema = $d ORDER BY table_name`, { d: dataset });
      return r.getRowObjectsJson().map((row) => String(row.table_name));
    }, 'reads');
    const out: TableInfo[] = [];
    for (const table of names) {
      const info = await this.getTable({ dataset, table });
      if (info) out.push(info);
    }
    return out;
  }

  async getTable(id: TableId): Promise<TableInfo | undefined> {
    if (HIDDEN_SCHEMAS.has(id.dataset)) return undefined;
    return this.withConnection((c) => readTableInfo(c, this.project, id, this.sizes), 'reads');
  }

  async query(sql: string, opts: QueryOptions = {}): Promise<QueryResult> {
    if (mayHoldDefinitionDdl(sql)) {
      const handled = await runDefinitionScript(this, sql, opts);
      if (handled) return handled;
    }
    // PARTITION BY, CLUSTER BY, OPTIONS(…): DuckDB has none of them; they are recorded as metadata instead.
    const ddl = extractDdl(sql);
    const text = bigQueryToDuckDb(ddl.sql, { projects: [this.project] });
    const jobId = `local_${randomUUID()}`;
    // Queries of one file run one at a time, statement and metadata bookkeeping together: between a
    // rename's commit and the move of its metadata, another query's sync of the object log would take
    // the renamed table for a new one (the history uploads and the lock's heartbeat run beside a run's steps).
    return queueOn(this.instance, () => this.withConnection(async (c) => {
      if (opts.signal?.aborted) throw new WarehouseError('the query was cancelled', 'cancelled');
      const onAbort = () => c.interrupt();
      opts.signal?.addEventListener('abort', onAbort);
      // A statement that is not a SELECT may write: the table sizes measured so far are forgotten.
      let wrote = ddl.effects.length > 0;
      if (wrote) this.sizes.forget();
      try {
        let statements: Awaited<ReturnType<DuckDBConnection['extractStatements']>> | { count: 0; prepare(i: number): never };
        try {
          // A script of nothing but ALTER TABLE … SET OPTIONS has no statement left for DuckDB.
          statements = /\S/.test(text) ? await c.extractStatements(text) : { count: 0, prepare: () => { throw new Error('no statements'); } };
        } catch (err) {
          throw duckError(err, 'invalid query');
        }
        const bytes = await estimateBytes(c, text, (id) => this.getTable(id));
        await checkDdlTargets(c, this.project, ddl.effects);
        if (opts.dryRun) {
          // A script's later statements may read what earlier ones create; only the first is prepared.
          if (statements.count > 0) await statements.prepare(0).catch((err: unknown) => {
            if (statements.count === 1 || !/Catalog Error/.test(String((err as Error).message))) throw duckError(err, 'invalid query');
          });
          await recordJob(c, { id: jobId, kind: 'query', statement: sql, labels: opts.labels ?? this.defaultLabels, dryRun: true, bytes });
          return { rows: [], jobId, totalBytesProcessed: bytes ?? 0 };
        }
        if (opts.maximumBytesBilled !== undefined && (bytes ?? 0) > opts.maximumBytesBilled) {
          throw new WarehouseError(`Query exceeded limit for bytes billed: ${opts.maximumBytesBilled}. ${bytes} or higher required.`, 'bytesBilledLimitExceeded');
        }
        let last: Awaited<ReturnType<DuckDBConnection['runAndReadAll']>> | undefined;
        try {
          for (let i = 0; i < statements.count; i++) {
            const prepared = await statements.prepare(i);
            if (!READ_ONLY_STATEMENTS.has(prepared.statementType)) {
              wrote = true;
              this.sizes.forget();
            }
            if (opts.params && prepared.parameterCount > 0) {
              const names = new Set(Array.from({ length: prepared.parameterCount }, (_v, k) => prepared.parameterName(k + 1)));
              prepared.bind(Object.fromEntries(Object.entries(opts.params).filter(([k]) => names.has(k))) as Record<string, never>);
            }
            // A concurrent writer to the same catalog entry makes DuckDB abort with a conflict: try again.
            for (let attempt = 0; ; attempt++) {
              try {
                last = await prepared.runAndReadAll();
                break;
              } catch (err) {
                if (attempt >= 4 || !/conflict/i.test(String((err as Error).message))) throw err;
                await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
              }
            }
          }
        } catch (err) {
          await recordJob(c, { id: jobId, kind: 'query', statement: sql, labels: opts.labels ?? this.defaultLabels, error: String((err as Error).message) }).catch(() => undefined);
          if (opts.signal?.aborted) throw new WarehouseError('the query was cancelled', 'cancelled', { cause: err });
          throw duckError(err, 'query failed');
        }
        await recordJob(c, { id: jobId, kind: 'query', statement: sql, labels: opts.labels ?? this.defaultLabels, bytes });
        await afterWrite(c, text, ddl.effects);
        return toResult(last, jobId, bytes);
      } finally {
        if (wrote) this.sizes.forget();
        opts.signal?.removeEventListener('abort', onAbort);
      }
    }, 'reads'));
  }

  async copyTable(source: TableId, destination: TableId, opts: CopyOptions = {}): Promise<{ jobId?: string }> {
    const src = await this.getTable(source);
    if (!src) throw new WarehouseError(`Not found: Table ${this.project}:${source.dataset}.${source.table}`, 'notFound');
    if (src.type !== 'TABLE') throw new WarehouseError(`${source.dataset}.${source.table} is a ${src.type.toLowerCase()}; only tables can be copied`, 'invalid');
    const dst = await this.getTable(destination);
    const disposition = opts.writeDisposition ?? 'WRITE_EMPTY';
    if (dst && disposition === 'WRITE_EMPTY' && (dst.rowCount ?? 0) > 0) {
      throw new WarehouseError(`Already Exists: Table ${this.project}:${destination.dataset}.${destination.table} has data (copy with WRITE_EMPTY)`, 'duplicate');
    }
    const s = duckDbDialect.table(source);
    const d = duckDbDialect.table(destination);
    const sql = dst && disposition === 'WRITE_APPEND' ? `INSERT INTO ${d} SELECT * FROM ${s}` : `CREATE OR REPLACE TABLE ${d} AS SELECT * FROM ${s}`;
    const jobId = `local_${randomUUID()}`;
    await this.withConnection(async (c) => {
      try {
        await c.run(sql);
      } catch (err) {
        throw duckError(err, `copy ${source.dataset}.${source.table} → ${destination.dataset}.${destination.table} failed`);
      }
      // A copy job keeps the schema's metadata, partitioning and clustering; table options stay behind (carried by tables.patch).
      if (disposition !== 'WRITE_APPEND' || !dst) {
        await touchObject(c, destination.dataset, destination.table, {}, true);
        await copyObjectMeta(c, source, destination);
      } else await touchObject(c, destination.dataset, destination.table);
      await recordJob(c, { id: jobId, kind: 'copy', statement: sql, labels: opts.labels ?? this.defaultLabels });
    });
    return { jobId };
  }

  async createView(id: TableId, selectSql: string, opts: JobOptions & { replace?: boolean } = {}): Promise<void> {
    const select = bigQueryToDuckDb(selectSql, { projects: [this.project] }).trim().replace(/;\s*$/, '');
    const sql = `CREATE ${opts.replace ? 'OR REPLACE ' : ''}VIEW ${duckDbDialect.table(id)} AS ${select}`;
    await this.withConnection(async (c) => {
      try {
        await c.run(sql);
      } catch (err) {
        throw duckError(err, `create view ${id.dataset}.${id.table} failed`);
      }
      await touchObject(c, id.dataset, id.table, {}, !opts.replace);
      await keepViewText(c, id, selectSql.trim().replace(/;\s*$/, ''));
      await recordJob(c, { id: `local_${randomUUID()}`, kind: 'query', statement: sql, labels: opts.labels ?? this.defaultLabels });
    });
  }

  async patchTable(id: TableId, patch: TableMetadataPatch, opts: JobOptions = {}): Promise<void> {
    const info = await this.getTable(id);
    if (!info) throw new WarehouseError(`Not found: Table ${this.project}:${id.dataset}.${id.table}`, 'notFound');
    for (const name of Object.keys(patch.columns ?? {})) {
      if (!info.schema.some((c) => c.name === name)) throw new WarehouseError(`${id.dataset}.${id.table} has no column ${name}; only existing columns can be described or tagged`, 'invalid');
    }
    await this.withConnection(async (c) => {
      await patchObject(c, id.dataset, id.table, patch);
      await recordJob(c, { id: `local_${randomUUID()}`, kind: 'patch', statement: `tables.patch ${id.dataset}.${id.table} ${JSON.stringify(patch)}`, labels: opts.labels ?? this.defaultLabels });
    });
  }

  /** TABLE, VIEW or undefined, from the catalog alone (no scan). */
  async objectType(id: TableId): Promise<'TABLE' | 'VIEW' | undefined> {
    if (HIDDEN_SCHEMAS.has(id.dataset)) return undefined;
    return this.withConnection(async (c) => {
      const kind = await catalogType(c, id);
      return kind === undefined ? undefined : kind === 'VIEW' ? 'VIEW' : 'TABLE';
    }, 'reads');
  }

  async dropTable(id: TableId, opts: JobOptions & { ifExists?: boolean } = {}): Promise<void> {
    const type = await this.objectType(id);
    const info = type ? { type } : undefined;
    if (!info) {
      if (opts.ifExists) return;
      throw new WarehouseError(`Not found: Table ${this.project}:${id.dataset}.${id.table}`, 'notFound');
    }
    const sql = `DROP ${info.type === 'VIEW' ? 'VIEW' : 'TABLE'} ${duckDbDialect.table(id)}`;
    await this.withConnection(async (c) => {
      await c.run(sql).catch((err: unknown) => {
        throw duckError(err, `drop ${id.dataset}.${id.table} failed`);
      });
      await syncObjects(c);
      await syncDefinitions(c);
      await recordJob(c, { id: `local_${randomUUID()}`, kind: 'query', statement: sql, labels: opts.labels ?? this.defaultLabels });
    });
  }

  async *readTable(id: TableId, opts: ReadOptions = {}): AsyncIterable<{ schema: ColumnInfo[]; rows: Record<string, unknown>[] }> {
    const info = await this.getTable(id);
    if (!info) throw new WarehouseError(`Not found: Table ${this.project}:${id.dataset}.${id.table}`, 'notFound');
    const pageSize = opts.pageSize ?? 10_000;
    let read = 0;
    for (;;) {
      if (opts.signal?.aborted) throw new WarehouseError('reading was cancelled', 'cancelled');
      const page = await this.query(`SELECT * FROM ${duckDbDialect.table(id)} LIMIT ${pageSize} OFFSET ${read}`);
      read += page.rows.length;
      opts.onProgress?.(read, info.rowCount);
      if (page.rows.length > 0) yield { schema: info.schema, rows: page.rows };
      if (page.rows.length < pageSize) return;
    }
  }

  /** Writes a table to a local file (PARQUET, CSV or NDJSON), atomically (temp + rename). */
  extractTable(id: TableId, destination: string, opts: ExtractOptions = {}): Promise<{ jobId?: string; rows?: number }> {
    return extractToFile(this, id, destination, opts);
  }

  /** Loads a CSV or Parquet file into a table (replacing it), creating the dataset when missing. */
  loadFile(id: TableId, file: string, opts: JobOptions & { partitioning?: string; clustering?: string[] } = {}): Promise<{ rows: number }> {
    return loadFromFile(this, id, file, opts);
  }

  /** Records partitioning and clustering (which DuckDB itself does not have) and any other metadata, as a CREATE TABLE would. */
  async setTableOptions(id: TableId, opts: { partitioning?: string; clustering?: string[] } & TableMetadataPatch): Promise<void> {
    await this.withConnection((c) => patchObject(c, id.dataset, id.table, opts));
  }

  /** Jobs recorded so far (newest last): each statement, the `bqmigrate-*` labels it carried, when and by whom. */
  jobs(): Promise<LocalJob[]> {
    return this.withConnection(readJobs, 'reads');
  }

  listDefinitions(datasets?: string[]): Promise<Definition[]> {
    return this.withConnection((c) => listLocalDefinitions(c, this.project, datasets), 'reads');
  }

  getDefinition(kind: DefinitionKind, id: TableId): Promise<Definition | undefined> {
    return this.withConnection((c) => getLocalDefinition(c, this.project, kind, id), 'reads');
  }

  listScheduledQueries(): Promise<ScheduledQuery[]> {
    return this.withConnection((c) => listLocalScheduled(c), 'reads');
  }

  getScheduledQuery(name: string): Promise<ScheduledQuery | undefined> {
    return this.withConnection((c) => getLocalScheduled(c, name), 'reads');
  }

  updateScheduledQuery(name: string, update: ScheduledQueryUpdate): Promise<ScheduledQuery> {
    return this.withConnection((c) => updateLocalScheduled(c, name, update));
  }

  /** Creates or replaces a scheduled query (the sample, tests and the fake server's store). */
  putScheduledQuery(q: Omit<ScheduledQuery, 'updateTime'>): Promise<ScheduledQuery> {
    return this.withConnection((c) => putLocalScheduled(c, q));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.release();
  }
}
