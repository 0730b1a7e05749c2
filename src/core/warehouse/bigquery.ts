/**
 * The Warehouse on BigQuery. The client library is required lazily from
 * ./bigquery-client.js (its own bundle in dist/). Every job is inserted with an
 * explicit job id and the `bqmigrate-*` labels, queries are dry-run first (bytes
 * reported, `maximumBytesBilled` enforced), and every API call is retried with
 * backoff only on transient errors (retry.ts).
 */
import * as path from 'node:path';
import type { BigQuery } from '@google-cloud/bigquery';
import type { BigQueryClientOptions } from './bigquery-client';
import { getBigQueryDefinition, listBigQueryDefinitions, type BigQueryAccess } from './bigquery-definitions';
import { ScheduledQueries } from './bigquery-scheduled';
import { integerCast, jobLabels, patchBody, plainBigQueryValue, toColumns, toTableInfo, type TableResource } from './bigquery-shapes';
import { WarehouseError } from './errors';
import { bigQueryDialect } from './identifiers';
import { dryRunEstimate } from './bigquery-dry-run';
import { runJob } from './bigquery-jobs';
import { billedBytes } from './billing';
import { withRetry, type RetryPolicy } from './retry';
import type { ColumnInfo, CopyOptions, DatasetInfo, ExtractOptions, Definition, DefinitionKind, JobLabels, JobOptions, QueryOptions, QueryResult, ReadOptions, ScheduledQuery, ScheduledQueryUpdate, TableId, TableInfo, TableMetadataPatch, Warehouse } from './types';
import { appendAll } from '../arrays';

export interface BigQueryWarehouseOptions extends BigQueryClientOptions {
  maximumBytesBilled?: number;
  maxRetries?: number;
  retryBaseDelayMs?: number;
  /** Labels for jobs started without a step's labels (ad-hoc CLI queries). */
  defaultLabels?: JobLabels;
  /** Told about each retry (the CLI prints them). */
  onRetry?: RetryPolicy['onRetry'];
  /** Page size for lists and results (default 1,000). */
  pageSize?: number;
  /** Resubmissions of a job that ended with a retryable errorResult (default 3); see bigquery-jobs.ts. */
  maxJobResubmits?: number;
}

type ClientModule = typeof import('./bigquery-client');

/** dist/bigquery-client.js next to the bundle; out/ or tsx next to this file. */
function loadClientModule(): ClientModule {
  try {
    // A literal path: esbuild keeps it external, so dist/cli.js and dist/extension.js load dist/bigquery-client.js.
    return require('./bigquery-client.js') as ClientModule;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw err;
  }
  const candidates = [path.join(__dirname, 'bigquery-client.js'), path.join(__dirname, 'bigquery-client')];
  let lastError: unknown;
  for (const c of candidates) {
    try {
      return require(c) as ClientModule;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw err;
      lastError = err;
    }
  }
  throw new WarehouseError(`the BigQuery client (bigquery-client.js) is missing next to ${__dirname}; run \`npm run build\``, 'unknown', { cause: lastError });
}

export async function openBigQueryWarehouse(opts: BigQueryWarehouseOptions): Promise<BigQueryWarehouse> {
  const client = loadClientModule().createBigQueryClient(opts);
  return new BigQueryWarehouse(client, opts);
}

export class BigQueryWarehouse implements Warehouse {
  readonly kind = 'bigquery' as const;
  readonly project: string;
  readonly dialect;
  private readonly location?: string;
  /** Scheduled queries (Data Transfer Service): its client loads on first use. */
  private readonly scheduled: ScheduledQueries;

  constructor(
    readonly client: BigQuery,
    readonly options: BigQueryWarehouseOptions,
  ) {
    this.project = options.project;
    this.location = options.location;
    this.dialect = bigQueryDialect(options.project);
    this.scheduled = new ScheduledQueries(
      { project: this.project, location: this.location, retry: (what, fn, signal) => this.retry(what, fn, signal) },
      { project: this.project, apiEndpoint: options.apiEndpoint ?? loadClientModule().emulatorEndpoint(), keyFilename: options.keyFilename, timeoutMs: options.timeoutMs },
    );
  }

  /** What the definitions code needs: project, client, queries and retried calls. */
  private get access(): BigQueryAccess {
    return { project: this.project, client: this.client, query: (sql, opts) => this.query(sql, opts), retry: (what, fn) => this.retry(what, fn) };
  }

  async listDefinitions(datasets?: string[]): Promise<Definition[]> {
    const names = datasets ?? (await this.listDatasets()).map((d) => d.dataset);
    const out: Definition[] = [];
    for (const d of names) appendAll(out, (await listBigQueryDefinitions(this.access, d)));
    return out;
  }

  getDefinition(kind: DefinitionKind, id: TableId): Promise<Definition | undefined> {
    return getBigQueryDefinition(this.access, kind, id);
  }

  listScheduledQueries(opts: { signal?: AbortSignal } = {}): Promise<ScheduledQuery[]> {
    return this.scheduled.list(opts.signal);
  }

  getScheduledQuery(name: string, opts: { signal?: AbortSignal } = {}): Promise<ScheduledQuery | undefined> {
    return this.scheduled.get(name, opts.signal);
  }

  updateScheduledQuery(name: string, update: ScheduledQueryUpdate, opts: { signal?: AbortSignal } = {}): Promise<ScheduledQuery> {
    return this.scheduled.update(name, update, opts.signal);
  }

  private retry<T>(what: string, fn: (attempt: number) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return withRetry(what, fn, { maxRetries: this.options.maxRetries, baseDelayMs: this.options.retryBaseDelayMs, onRetry: this.options.onRetry, signal, attemptTimeoutMs: this.options.timeoutMs ?? 120_000 });
  }

  private labels(labels?: JobLabels): Record<string, string> {
    return jobLabels(labels ?? this.options.defaultLabels ?? { run: 'adhoc', phase: 'none', step: 'none' })!;
  }

  async listDatasets(): Promise<DatasetInfo[]> {
    const out: DatasetInfo[] = [];
    let pageToken: string | undefined;
    do {
      const [datasets, , resp] = await this.retry('list datasets', () =>
        this.client.getDatasets({ autoPaginate: false, maxResults: this.options.pageSize ?? 1000, ...(pageToken ? { pageToken } : {}) }),
      );
      for (const d of datasets) {
        const meta = (d.metadata ?? {}) as { location?: string; labels?: Record<string, string> };
        out.push({ dataset: d.id!, location: meta.location, labels: meta.labels });
      }
      pageToken = (resp as { nextPageToken?: string } | undefined)?.nextPageToken;
    } while (pageToken);
    return out;
  }

  async getDataset(dataset: string): Promise<DatasetInfo | undefined> {
    try {
      const [meta] = await this.retry(`get dataset ${dataset}`, () => this.client.dataset(dataset).getMetadata());
      return { dataset, location: meta.location, description: meta.description ?? undefined, labels: meta.labels, ...(meta.defaultTableExpirationMs ? { defaultTableExpirationMs: Number(meta.defaultTableExpirationMs) } : {}) };
    } catch (err) {
      if (err instanceof WarehouseError && err.reason === 'notFound') return undefined;
      throw err;
    }
  }

  /** Idempotent: an existing dataset in the same location is left alone; another location is an error. */
  async createDataset(info: DatasetInfo, opts: JobOptions = {}): Promise<void> {
    const location = info.location ?? this.location;
    try {
      await this.retry(`create dataset ${info.dataset}`, () =>
        this.client.createDataset(info.dataset, { location, description: info.description, labels: info.labels, ...(info.defaultTableExpirationMs ? { defaultTableExpirationMs: String(info.defaultTableExpirationMs) } : {}) }),
        opts.signal,
      );
    } catch (err) {
      if (!(err instanceof WarehouseError && err.reason === 'duplicate')) throw err;
      const existing = await this.getDataset(info.dataset);
      if (existing?.location && location && existing.location.toUpperCase() !== location.toUpperCase()) {
        throw new WarehouseError(`dataset ${info.dataset} already exists in location ${existing.location}, not ${location}`, 'duplicate');
      }
    }
  }

  async listTables(dataset: string): Promise<TableInfo[]> {
    const ids: string[] = [];
    let pageToken: string | undefined;
    do {
      const [tables, , resp] = await this.retry(`list tables of ${dataset}`, () =>
        this.client.dataset(dataset).getTables({ autoPaginate: false, maxResults: this.options.pageSize ?? 1000, ...(pageToken ? { pageToken } : {}) }),
      );
      appendAll(ids, tables.map((t) => t.id!));
      pageToken = (resp as { nextPageToken?: string } | undefined)?.nextPageToken;
    } while (pageToken);
    // tables.list has no row counts or sizes: one tables.get per object, four at a time.
    const out: (TableInfo | undefined)[] = new Array(ids.length);
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const i = next++;
        out[i] = await this.getTable({ dataset, table: ids[i]! });
      }
    };
    await Promise.all(Array.from({ length: Math.min(4, ids.length) }, worker));
    return out.filter((t): t is TableInfo => t !== undefined);
  }

  async getTable(id: TableId): Promise<TableInfo | undefined> {
    try {
      const [meta] = await this.retry(`get table ${id.dataset}.${id.table}`, () => this.tableRef(id).getMetadata());
      return toTableInfo(this.project, id.dataset, id.table, meta as TableResource);
    } catch (err) {
      if (err instanceof WarehouseError && err.reason === 'notFound') return undefined;
      throw err;
    }
  }

  private tableRef(id: TableId) {
    return this.client.dataset(id.dataset, { projectId: id.project ?? this.project }).table(id.table);
  }

  private runJob(configuration: Record<string, unknown>, what: string, opts: JobOptions = {}) {
    return runJob(
      { client: this.client, location: this.location, retry: (w, fn, signal) => this.retry(w, fn, signal), maxResubmits: this.options.maxJobResubmits, baseDelayMs: this.options.retryBaseDelayMs, onRetry: this.options.onRetry },
      configuration,
      what,
      { signal: opts.signal, onResubmit: opts.onResubmit },
    );
  }

  async query(sql: string, opts: QueryOptions = {}): Promise<QueryResult> {
    // A call's cap never loosens the configured one (bigquery.maximumBytesBilled, --maximum-bytes-billed).
    const [asked, configured] = [opts.maximumBytesBilled, this.options.maximumBytesBilled];
    const cap = asked === undefined ? configured : configured === undefined ? asked : Math.min(asked, configured);
    const base = {
      query: sql,
      useLegacySql: false,
      ...(opts.params ? { parameterMode: 'NAMED', queryParameters: namedParameters(opts.params) } : {}),
    };
    const labels = this.labels(opts.labels);
    // The dry run: validates the SQL and says what it would scan, before anything runs.
    // bqmigrate's own bookkeeping statements skip it (no estimate: the job still carries the cap).
    const dry = opts.skipDryRun && !opts.dryRun
      ? ({} as Awaited<ReturnType<typeof dryRunEstimate>>)
      : await dryRunEstimate({ client: this.client, location: this.location, retry: (w, fn, signal) => this.retry(w, fn, signal) }, base, labels, opts.signal);
    if (opts.dryRun) {
      return { rows: [], ...(dry.bytes !== undefined ? { totalBytesProcessed: dry.bytes } : {}), ...(dry.accuracy !== 'PRECISE' ? { bytesAccuracy: dry.accuracy } : {}), ...(dry.notEstimable ? { notEstimable: dry.notEstimable } : {}), ...(dry.tablesRead !== undefined ? { tablesRead: dry.tablesRead } : {}) };
    }
    // BigQuery compares the cap with bytes billed (whole MiB, at least 10 MiB per table read), not bytes processed;
    // a lower bound over the cap is over it too. Without an estimate the job still carries the cap.
    const billed = dry.bytes !== undefined ? billedBytes(dry.bytes, dry.tablesRead) : undefined;
    if (cap !== undefined && billed !== undefined && billed > cap) {
      const bound = dry.accuracy === 'LOWER_BOUND' ? 'at least ' : '';
      throw new WarehouseError(`Query exceeded limit for bytes billed: ${cap}. ${billed} or higher required (dry run: ${bound}${dry.bytes} bytes processed; BigQuery bills whole MiB, at least 10 MiB per table read).`, 'bytesBilledLimitExceeded');
    }
    const bytes = dry.bytes;
    const { job, resource, resubmissions } = await this.runJob({ query: { ...base, ...(cap !== undefined ? { maximumBytesBilled: String(cap) } : {}) }, labels }, 'query', opts);
    const rows: Record<string, unknown>[] = [];
    let schema: ColumnInfo[] | undefined;
    let affected: number | undefined;
    let pageToken: string | undefined;
    for (let wait = 100; ; ) {
      const [page, , resp] = await this.retry(
        `query results of ${job.id}`,
        () => job.getQueryResults({ autoPaginate: false, maxResults: this.options.pageSize ?? 1000, wrapIntegers: integerCast, ...(pageToken ? { pageToken } : {}) }),
        opts.signal,
      );
      const r = resp as { schema?: { fields?: never[] }; pageToken?: string; numDmlAffectedRows?: string; jobComplete?: boolean } | undefined;
      if (r?.jobComplete === false) {
        // Still running: ask again, the same page, a little later.
        await new Promise((res) => setTimeout(res, wait));
        wait = Math.min(wait * 2, 5000);
        continue;
      }
      schema ??= r?.schema ? toColumns(r.schema.fields) : undefined;
      if (r?.numDmlAffectedRows !== undefined) affected = Number(r.numDmlAffectedRows);
      for (const row of page as Record<string, unknown>[]) rows.push(plainBigQueryValue(row) as Record<string, unknown>);
      pageToken = r?.pageToken;
      if (!pageToken) break;
    }
    const ran = resource.statistics?.query?.totalBytesProcessed ?? resource.statistics?.totalBytesProcessed;
    const processed = ran !== undefined ? Number(ran) : bytes;
    return { rows, schema, jobId: job.id, ...(processed !== undefined ? { totalBytesProcessed: processed } : {}), ...(affected !== undefined ? { affectedRows: affected } : {}), ...(resubmissions.length ? { resubmissions } : {}) };
  }

  async copyTable(source: TableId, destination: TableId, opts: CopyOptions = {}): Promise<{ jobId?: string }> {
    const ref = (id: TableId) => ({ projectId: id.project ?? this.project, datasetId: id.dataset, tableId: id.table });
    const { job } = await this.runJob(
      { copy: { sourceTables: [ref(source)], destinationTable: ref(destination), writeDisposition: opts.writeDisposition ?? 'WRITE_EMPTY' }, labels: this.labels(opts.labels) },
      `copy ${source.dataset}.${source.table} → ${destination.dataset}.${destination.table}`,
      opts,
    );
    return { jobId: job.id };
  }

  async createView(id: TableId, selectSql: string, opts: JobOptions & { replace?: boolean } = {}): Promise<void> {
    this.dialect.table(id);
    const view = { query: selectSql.trim().replace(/;\s*$/, ''), useLegacySql: false };
    const existing = opts.replace ? await this.getTable(id) : undefined;
    if (existing && existing.type !== 'VIEW') {
      throw new WarehouseError(`${id.dataset}.${id.table} is a ${existing.type.toLowerCase()}, not a view: drop it (after its archive copy is verified) before creating the view`, 'duplicate');
    }
    if (existing) {
      await this.retry(`replace view ${id.dataset}.${id.table}`, () => this.tableRef(id).setMetadata({ view }), opts.signal);
      return;
    }
    await this.retry(`create view ${id.dataset}.${id.table}`, () => this.client.dataset(id.dataset).createTable(id.table, { view, labels: this.labels(opts.labels) }), opts.signal);
  }

  /** tables.patch (free): table options, and the schema with the columns' descriptions and policy tags. */
  async patchTable(id: TableId, patch: TableMetadataPatch, opts: JobOptions = {}): Promise<void> {
    this.dialect.table(id);
    const [current] = await this.retry(`get table ${id.dataset}.${id.table}`, () => this.tableRef(id).getMetadata(), opts.signal);
    let body: Record<string, unknown>;
    try {
      body = patchBody(current as TableResource, patch);
    } catch (err) {
      throw new WarehouseError(`patch ${id.dataset}.${id.table}: ${(err as Error).message}`, 'invalid');
    }
    if (Object.keys(body).length === 0) return;
    await this.retry(`patch ${id.dataset}.${id.table}`, () => this.tableRef(id).setMetadata(body), opts.signal);
  }

  async dropTable(id: TableId, opts: JobOptions & { ifExists?: boolean } = {}): Promise<void> {
    this.dialect.table(id);
    try {
      await this.retry(`drop ${id.dataset}.${id.table}`, () => this.tableRef(id).delete(), opts.signal);
    } catch (err) {
      if (opts.ifExists && err instanceof WarehouseError && err.reason === 'notFound') return;
      throw err;
    }
  }

  async *readTable(id: TableId, opts: ReadOptions = {}): AsyncIterable<{ schema: ColumnInfo[]; rows: Record<string, unknown>[] }> {
    const table = this.tableRef(id);
    const [meta] = await this.retry(`get table ${id.dataset}.${id.table}`, () => table.getMetadata(), opts.signal);
    const info = toTableInfo(this.project, id.dataset, id.table, meta as TableResource);
    let read = 0;
    let pageToken: string | undefined;
    do {
      const [rows, , resp] = await this.retry(
        `read ${id.dataset}.${id.table}`,
        () => table.getRows({ autoPaginate: false, maxResults: opts.pageSize ?? 10_000, wrapIntegers: integerCast, ...(pageToken ? { pageToken } : {}) }),
        opts.signal,
      );
      read += rows.length;
      opts.onProgress?.(read, info.rowCount);
      if (rows.length) yield { schema: info.schema, rows: rows.map((r) => plainBigQueryValue(r) as Record<string, unknown>) };
      pageToken = (resp as { pageToken?: string } | undefined)?.pageToken;
    } while (pageToken);
  }

  /**
   * An extract job to a `gs://` URI (a local path is read with readTable instead; see inventory/export.ts).
   * BigQuery exports tables only: a view is refused with the reason (`bqmigrate export` exports one
   * through a temporary table). Parquet is written with `compression` (BigQuery's default is NONE).
   */
  async extractTable(id: TableId, destination: string, opts: ExtractOptions = {}): Promise<{ jobId?: string; rows?: number }> {
    if (!destination.startsWith('gs://')) {
      throw new WarehouseError(`BigQuery extract jobs write to Cloud Storage (gs://…), not ${destination}`, 'invalid');
    }
    const before = await this.getTable(id);
    if (before && before.type !== 'TABLE') {
      throw new WarehouseError(`${id.dataset}.${id.table} is a ${before.type.toLowerCase().replace('_', ' ')}: BigQuery extract jobs export tables only — query it into a table first (\`bqmigrate export\` does this for you)`, 'invalid');
    }
    const format = opts.format ?? 'PARQUET';
    const { job } = await this.runJob(
      {
        extract: { sourceTable: { projectId: id.project ?? this.project, datasetId: id.dataset, tableId: id.table }, destinationUris: [destination], destinationFormat: format, ...(format === 'PARQUET' && opts.compression ? { compression: opts.compression } : {}) },
        labels: this.labels(opts.labels),
      },
      `extract ${id.dataset}.${id.table} → ${destination}`,
      opts,
    );
    const info = await this.getTable(id);
    return { jobId: job.id, rows: info?.rowCount ?? undefined };
  }

  /** The credentials' principal (SESSION_USER()); an emulator has none to say. */
  async principal(): Promise<string | undefined> {
    if (this.options.apiEndpoint ?? loadClientModule().emulatorEndpoint()) return undefined;
    const r = await this.query('SELECT SESSION_USER() AS who');
    return typeof r.rows[0]?.who === 'string' ? (r.rows[0].who as string) : undefined;
  }

  async close(): Promise<void> {
    // The BigQuery client holds no sockets open between requests beyond the shared agent; the Data Transfer client may.
    await this.scheduled.close();
  }
}

/** @params for a NAMED-mode query: BigQuery types inferred from the JS values. */
function namedParameters(params: Record<string, unknown>): unknown[] {
  return Object.entries(params).map(([name, value]) => {
    const type = typeof value === 'number' ? (Number.isInteger(value) ? 'INT64' : 'FLOAT64') : typeof value === 'boolean' ? 'BOOL' : 'STRING';
    return { name, parameterType: { type }, parameterValue: { value: value === null ? null : String(value) } };
  });
}
