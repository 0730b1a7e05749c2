/**
 * The fake's state: datasets, tables and jobs of one project, executed by
 * DuckDB (the local warehouse in memory). Turns them into the REST resources
 * BigQuery returns (legacy type names, string-encoded row values, millisecond
 * timestamps) so the real Node client parses them as it would BigQuery's.
 */
import { splitStatements } from '../../src/core/warehouse/statements';
import { WarehouseError } from '../../src/core/warehouse/errors';
import { openLocalWarehouse, type LocalWarehouse } from '../../src/core/warehouse/local';
import { partitioningOf, type TableResource } from '../../src/core/warehouse/bigquery-shapes';
import { INGESTION_TIME, parsePartitioning } from '../../src/core/warehouse/table-meta';
import type { ColumnInfo, TableInfo, TableMetadataPatch } from '../../src/core/warehouse/types';
import { namesDefinitionsView, prepareDefinitionsQuery } from './definitions';
import { dryRunQuery } from './dry-run';
import { runExtract, type ExtractConfig } from './extract';
import { baseTablesRead, QueryCache, seededEntry, type SeededJob } from './job-history';
import { failedJob, type JobFailureReason } from './job-states';
import { requirePartitionFilters } from './partition-filter';
import { namesJobsView, prepareJobsQuery, referencedTables, type JobLogEntry } from './jobs-view';

export class ApiFailure extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

const LEGACY_TYPES: Record<string, string> = { INT64: 'INTEGER', FLOAT64: 'FLOAT', BOOL: 'BOOLEAN', STRUCT: 'RECORD' };

export function fields(schema: ColumnInfo[]): { name: string; type: string; mode: string; description?: string; policyTags?: { names: string[] } }[] {
  return schema.map((c) => ({
    name: c.name,
    type: LEGACY_TYPES[c.type] ?? c.type,
    mode: c.mode ?? 'NULLABLE',
    ...(c.description ? { description: c.description } : {}),
    ...(c.policyTags?.length ? { policyTags: { names: c.policyTags } } : {}),
  }));
}

/** A plain value as BigQuery's REST API encodes it ("v" strings; TIMESTAMP as int64 microseconds). */
function encode(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((x) => ({ v: encode(x, type) }));
  if (type === 'TIMESTAMP') return String(BigInt(Date.parse(String(value))) * 1000n);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function encodeRows(schema: ColumnInfo[], rows: Record<string, unknown>[]): { f: { v: unknown }[] }[] {
  return rows.map((row) => ({ f: schema.map((c) => ({ v: encode(row[c.name], c.type) })) }));
}

/** A WarehouseError from the engine as BigQuery's HTTP error. */
export function toApiFailure(err: unknown, project: string): ApiFailure {
  if (err instanceof ApiFailure) return err;
  if (err instanceof WarehouseError) {
    const code = { notFound: 404, duplicate: 409, accessDenied: 403 }[err.reason as string] ?? 400;
    const reason = err.reason === 'unknown' ? 'invalidQuery' : err.reason;
    return new ApiFailure(code, reason, err.message.replace(/"/g, '').replace(`${project}:`, `${project}:`));
  }
  return new ApiFailure(500, 'internalError', String((err as Error).message ?? err));
}

/** `timePartitioning` / `rangePartitioning` as tables.get returns them. */
function partitioningResource(t: TableInfo): Record<string, unknown> {
  const p = parsePartitioning(t.partitioning);
  if (!p) return {};
  if (p.kind === 'range') return { rangePartitioning: { field: p.field, range: { start: String(p.start), end: String(p.end), interval: String(p.interval) } } };
  return { timePartitioning: { type: p.unit, ...(p.field === INGESTION_TIME ? {} : { field: p.field }), ...(t.partitionExpirationMs ? { expirationMs: String(t.partitionExpirationMs) } : {}) } };
}

/** A tables.insert/patch body's metadata as the warehouse records it. */
export function metadataFromResource(body: Record<string, unknown>): TableMetadataPatch & { partitioning?: string; clustering?: string[] } {
  const r = body as TableResource;
  const out: TableMetadataPatch & { partitioning?: string; clustering?: string[] } = {};
  if ('description' in body) out.description = r.description ?? null;
  if ('friendlyName' in body) out.friendlyName = r.friendlyName ?? null;
  if ('labels' in body) out.labels = (body.labels ?? {}) as Record<string, string | null>;
  if ('requirePartitionFilter' in body) out.requirePartitionFilter = r.requirePartitionFilter === true;
  else if (r.timePartitioning?.requirePartitionFilter !== undefined) out.requirePartitionFilter = r.timePartitioning.requirePartitionFilter;
  if ('expirationTime' in body) out.expirationTime = r.expirationTime === null || r.expirationTime === undefined ? null : new Date(Number(r.expirationTime)).toISOString();
  const partitioning = partitioningOf(r);
  if (partitioning) out.partitioning = partitioning;
  if (r.timePartitioning && 'expirationMs' in r.timePartitioning) out.partitionExpirationMs = r.timePartitioning.expirationMs === null || r.timePartitioning.expirationMs === undefined ? null : Number(r.timePartitioning.expirationMs);
  if (r.clustering?.fields) out.clustering = r.clustering.fields;
  const columns: NonNullable<TableMetadataPatch['columns']> = {};
  for (const f of r.schema?.fields ?? []) {
    const change: { description?: string | null; policyTags?: string[] | null } = {};
    if ('description' in f) change.description = f.description ?? null;
    if ('policyTags' in f) change.policyTags = f.policyTags?.names ?? null;
    if (Object.keys(change).length) columns[f.name] = change;
  }
  if (Object.keys(columns).length) out.columns = columns;
  return out;
}

export interface StoredJob {
  /** The job as it is once DONE (job-states.ts shows it PENDING and RUNNING first). */
  resource: Record<string, unknown>;
  result?: { schema: ColumnInfo[]; rows: Record<string, unknown>[]; affected?: number };
  failure?: ApiFailure;
  /** Looks (jobs.get, getQueryResults) left before the job shows DONE. */
  looksLeft?: number;
}

const MIB = 2 ** 20;

/** Tables a statement reads (its destination, the table a CREATE TABLE or INSERT writes, is not read). */
function tablesRead(sql: string, project: string): ReturnType<typeof referencedTables> {
  const dest = /^\s*(?:CREATE(?:\s+OR\s+REPLACE)?(?:\s+TEMP(?:ORARY)?)?\s+TABLE(?:\s+IF\s+NOT\s+EXISTS)?|INSERT(?:\s+INTO)?)\s+`([^`]+)`/i.exec(sql)?.[1];
  const destParts = dest?.split('.');
  const destKey = destParts ? (destParts.length === 3 ? destParts : [project, ...destParts]).join('.') : undefined;
  return referencedTables(sql, project).filter((t) => `${t.projectId}.${t.datasetId}.${t.tableId}` !== destKey);
}

/** A request with several statements is a multi-statement query (statementType SCRIPT). */
const isScript = (sql: string) => splitStatements(sql).length > 1;

/** What BigQuery bills for a query: whole MiB, at least 10 MiB per table it reads (and per query that reads anything). */
export function fakeBilledBytes(processed: number, tablesRead: number): number {
  if (tablesRead === 0 && !(processed > 0)) return 0;
  return Math.max(Math.ceil(processed / MIB) * MIB, 10 * MIB * Math.max(1, tablesRead));
}

export class FakeEngine {
  readonly jobs = new Map<string, StoredJob>();
  /** What INFORMATION_SCHEMA.JOBS shows: every job that ran (not dry runs), oldest first. */
  readonly jobLog: JobLogEntry[] = [];
  /** The principal the API's jobs run as (JOBS.user_email). */
  user = 'tester@cbi-v14.iam.gserviceaccount.com';
  /** Whether the caller may read INFORMATION_SCHEMA.JOBS_BY_ORGANIZATION (bigquery.jobs.listAll on the organization). */
  organizationAccess = false;
  /** BigQuery's query cache (off by default: `queryCache.enabled = true` turns it on). */
  readonly queryCache = new QueryCache();
  /** Looks each new job takes to be DONE: 2 is PENDING → RUNNING → DONE. */
  jobLooks = 2;
  /** Largest table an extract writes to a single file (BigQuery: 1 GB); larger needs a `*` URI. */
  singleFileLimitBytes = 2 ** 30;

  private constructor(
    readonly project: string,
    readonly location: string,
    readonly wh: LocalWarehouse,
    readonly gcsDir: string,
  ) {}

  static async create(project: string, location: string, gcsDir: string): Promise<FakeEngine> {
    const wh = await openLocalWarehouse({ file: ':memory:', project, location });
    return new FakeEngine(project, location, wh, gcsDir);
  }

  datasetResource(d: { dataset: string; location?: string; description?: string; labels?: Record<string, string>; defaultTableExpirationMs?: number }): Record<string, unknown> {
    return {
      kind: 'bigquery#dataset',
      id: `${this.project}:${d.dataset}`,
      datasetReference: { projectId: this.project, datasetId: d.dataset },
      location: d.location ?? this.location,
      ...(d.description ? { description: d.description } : {}),
      ...(d.labels ? { labels: d.labels } : {}),
      ...(d.defaultTableExpirationMs ? { defaultTableExpirationMs: String(d.defaultTableExpirationMs) } : {}),
    };
  }

  tableResource(t: TableInfo, full = true): Record<string, unknown> {
    const ms = (iso?: string) => (iso ? String(Date.parse(iso)) : String(Date.now()));
    const base = {
      kind: 'bigquery#table',
      id: `${this.project}:${t.dataset}.${t.table}`,
      tableReference: { projectId: this.project, datasetId: t.dataset, tableId: t.table },
      type: t.type,
      creationTime: ms(t.created),
      ...(t.labels ? { labels: t.labels } : {}),
    };
    if (!full) return base;
    return {
      ...base,
      location: this.location,
      schema: { fields: fields(t.schema) },
      lastModifiedTime: ms(t.modified ?? t.created),
      ...(t.type === 'TABLE' || t.type === 'MATERIALIZED_VIEW' ? { numRows: String(t.rowCount ?? 0), numBytes: String(t.sizeBytes ?? 0) } : {}),
      ...(t.viewQuery !== undefined && t.type === 'VIEW' ? { view: { query: t.viewQuery, useLegacySql: false } } : {}),
      ...partitioningResource(t),
      ...(t.clustering?.length ? { clustering: { fields: t.clustering } } : {}),
      ...(t.requirePartitionFilter ? { requirePartitionFilter: true } : {}),
      ...(t.description ? { description: t.description } : {}),
      ...(t.friendlyName ? { friendlyName: t.friendlyName } : {}),
      ...(t.expirationTime ? { expirationTime: String(Date.parse(t.expirationTime)) } : {}),
    };
  }

  async requireTable(dataset: string, table: string): Promise<TableInfo> {
    const t = await this.wh.getTable({ dataset, table });
    if (!t) throw new ApiFailure(404, 'notFound', `Not found: Table ${this.project}:${dataset}.${table}`);
    return t;
  }

  /** jobs.insert: runs the job to completion and stores its resource (and result). */
  async insertJob(body: { jobReference?: { jobId?: string; location?: string }; configuration?: Record<string, unknown> }, injected?: JobFailureReason): Promise<StoredJob> {
    const cfg = body.configuration ?? {};
    const jobId = body.jobReference?.jobId ?? `job_${this.jobs.size + 1}`;
    if (!cfg.dryRun && this.jobs.has(jobId)) throw new ApiFailure(409, 'duplicate', `Already Exists: Job ${this.project}:${this.location}.${jobId}`);
    const now = String(Date.now());
    const resource: Record<string, unknown> = {
      kind: 'bigquery#job',
      id: `${this.project}:${this.location}.${jobId}`,
      jobReference: { projectId: this.project, jobId, location: body.jobReference?.location ?? this.location },
      configuration: cfg,
      status: { state: 'DONE' },
      statistics: { creationTime: now, startTime: now, endTime: now },
    };
    if (injected && !cfg.dryRun) {
      const q = (cfg.query as { query?: string } | undefined)?.query;
      if (q !== undefined && isScript(q)) (resource.statistics as Record<string, unknown>).query = { statementType: 'SCRIPT' };
      const failed = { ...failedJob(resource, injected), looksLeft: this.jobLooks };
      this.jobs.set(jobId, failed);
      return failed;
    }
    const job: StoredJob = { resource, looksLeft: cfg.dryRun ? 0 : this.jobLooks };
    const text = (cfg.query as { query?: string; useQueryCache?: boolean } | undefined)?.query;
    const cacheHit = !cfg.dryRun && text !== undefined && this.queryCache.lookup(this.user, text, (cfg.query as { useQueryCache?: boolean }).useQueryCache);
    try {
      if (cfg.query) await this.runQuery(cfg as never, job);
      else if (cfg.copy) await this.runCopy(cfg.copy as never, job);
      else if (cfg.extract) await this.runExtract(cfg.extract as never, job);
      else throw new ApiFailure(400, 'invalid', 'Job configuration must contain query, copy, extract or load');
    } catch (err) {
      const f = toApiFailure(err, this.project);
      // Dry runs and malformed requests fail the HTTP call; a job that ran fails in its status.
      if (cfg.dryRun || f.code === 409 || f.reason === 'invalid') throw f;
      job.failure = f;
      resource.status = { state: 'DONE', errorResult: { reason: f.reason, message: f.message }, errors: [{ reason: f.reason, message: f.message }] };
    }
    if (!cfg.dryRun) {
      this.jobs.set(jobId, job);
      if (cacheHit) ((resource.statistics as Record<string, unknown>).query as Record<string, unknown> | undefined ?? {}).cacheHit = true;
      this.jobLog.push({
        jobId,
        creationTime: new Date(Number(now)),
        jobType: cfg.copy ? 'COPY' : cfg.extract ? 'EXTRACT' : 'QUERY',
        state: 'DONE',
        referencedTables: cacheHit ? [] : await this.jobReads(cfg),
        labels: (cfg.labels as Record<string, string>) ?? {},
        userEmail: this.user,
        projectId: this.project,
        cacheHit,
        ...(text !== undefined ? { query: text } : {}),
      });
    }
    return job;
  }

  /** Adds jobs to the history as if they had run (backdated, other users, other projects, cache hits). */
  async seedJobs(jobs: SeededJob[]): Promise<JobLogEntry[]> {
    const entries: JobLogEntry[] = [];
    for (const j of jobs) entries.push(await seededEntry(this.wh, this.project, this.user, j));
    this.jobLog.push(...entries);
    return entries;
  }

  private async jobReads(cfg: Record<string, unknown>): Promise<JobLogEntry['referencedTables']> {
    const q = cfg.query as { query?: string } | undefined;
    if (q?.query) return baseTablesRead(this.wh, q.query, this.project);
    const copy = cfg.copy as { sourceTables?: { datasetId: string; tableId: string }[]; sourceTable?: { datasetId: string; tableId: string } } | undefined;
    const src = copy?.sourceTables?.[0] ?? copy?.sourceTable ?? (cfg.extract as { sourceTable?: { datasetId: string; tableId: string } } | undefined)?.sourceTable;
    return src ? [{ projectId: this.project, datasetId: src.datasetId, tableId: src.tableId }] : [];
  }

  private async runQuery(cfg: { query: { query: string; maximumBytesBilled?: string; queryParameters?: { name: string; parameterValue: { value: string }; parameterType: { type: string } }[] }; dryRun?: boolean }, job: StoredJob): Promise<void> {
    const params = cfg.query.queryParameters?.length
      ? Object.fromEntries(cfg.query.queryParameters.map((p) => [p.name, /INT64|FLOAT64/.test(p.parameterType.type) ? Number(p.parameterValue.value) : p.parameterValue.value]))
      : undefined;
    let sql = namesJobsView(cfg.query.query) ? await prepareJobsQuery(this.wh, this.jobLog, cfg.query.query, { project: this.project, user: this.user, organizationAccess: this.organizationAccess }) : cfg.query.query;
    if (namesDefinitionsView(sql)) sql = await prepareDefinitionsQuery(this.wh, sql, this.project);
    const reads = tablesRead(cfg.query.query, this.project);
    await requirePartitionFilters(this.wh, cfg.query.query, reads);
    const cap = cfg.query.maximumBytesBilled;
    if (cap !== undefined && !cfg.dryRun) {
      // BigQuery refuses before running anything: the job fails, nothing is billed or changed.
      const estimate = await this.wh.query(sql, { dryRun: true, params });
      const billed = fakeBilledBytes(estimate.totalBytesProcessed ?? 0, reads.length);
      if (billed > Number(cap)) throw new ApiFailure(400, 'bytesBilledLimitExceeded', `Query exceeded limit for bytes billed: ${cap}. ${billed} or higher required.`);
    }
    const stats = job.resource.statistics as Record<string, unknown>;
    if (cfg.dryRun) {
      const d = await dryRunQuery(this.wh, sql, params);
      stats.totalBytesProcessed = String(d.bytes);
      stats.query = { totalBytesProcessed: String(d.bytes), totalBytesProcessedAccuracy: d.accuracy, referencedTables: reads, ...(isScript(cfg.query.query) ? { statementType: 'SCRIPT' } : {}) };
      return;
    }
    const r = await this.wh.query(sql, { params });
    const bytes = String(r.totalBytesProcessed ?? 0);
    stats.totalBytesProcessed = bytes;
    stats.query = {
      totalBytesProcessed: bytes,
      totalBytesBilled: String(fakeBilledBytes(r.totalBytesProcessed ?? 0, reads.length)),
      referencedTables: reads,
      ...(isScript(cfg.query.query) ? { statementType: 'SCRIPT' } : {}),
      ...(r.affectedRows !== undefined ? { numDmlAffectedRows: String(r.affectedRows) } : {}),
    };
    job.result = { schema: r.schema ?? [], rows: r.rows, affected: r.affectedRows };
  }

  private async runCopy(copy: { sourceTables?: { datasetId: string; tableId: string }[]; sourceTable?: { datasetId: string; tableId: string }; destinationTable: { datasetId: string; tableId: string }; writeDisposition?: string }, _job: StoredJob): Promise<void> {
    const src = copy.sourceTables?.[0] ?? copy.sourceTable!;
    await this.requireTable(src.datasetId, src.tableId);
    await this.wh.copyTable({ dataset: src.datasetId, table: src.tableId }, { dataset: copy.destinationTable.datasetId, table: copy.destinationTable.tableId }, { writeDisposition: copy.writeDisposition as never });
  }

  /** gs://bucket/path → <gcsDir>/bucket/path (extract.ts). */
  private async runExtract(extract: ExtractConfig, job: StoredJob): Promise<void> {
    const table = await this.requireTable(extract.sourceTable.datasetId, extract.sourceTable.tableId);
    (job.resource.statistics as Record<string, unknown>).extract = await runExtract(this.wh, this.gcsDir, this.project, this.singleFileLimitBytes, extract, table);
  }

  async close(): Promise<void> {
    await this.wh.close();
  }
}
