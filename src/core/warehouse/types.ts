/**
 * The warehouse the phases run against. Two implementations: BigQuery
 * (bigquery.ts, loads @google-cloud/bigquery lazily) and the embedded local
 * warehouse (local.ts, DuckDB; datasets are schemas). Nothing above this
 * interface knows which one it talks to, except through `dialect`.
 */

export interface TableId {
  /** Defaults to the warehouse's project. */
  project?: string;
  dataset: string;
  table: string;
}

export type ObjectType = 'TABLE' | 'VIEW' | 'MATERIALIZED_VIEW' | 'EXTERNAL' | 'SNAPSHOT' | 'MODEL';

export interface ColumnInfo {
  name: string;
  /** BigQuery standard type names (INT64, FLOAT64, STRING, DATE, TIMESTAMP, BOOL, NUMERIC, …) on both backends. */
  type: string;
  mode?: 'NULLABLE' | 'REQUIRED' | 'REPEATED';
  /** The column's description (BigQuery schema field `description`). */
  description?: string;
  /** Data Catalog policy tag resource names (`projects/…/locations/…/taxonomies/…/policyTags/…`), column-level security. */
  policyTags?: string[];
}

export interface DatasetInfo {
  dataset: string;
  location?: string;
  description?: string;
  labels?: Record<string, string>;
  /** New tables in the dataset expire this long after creation unless they say otherwise. */
  defaultTableExpirationMs?: number;
}

export interface TableInfo extends TableId {
  type: ObjectType;
  schema: ColumnInfo[];
  rowCount: number | null;
  sizeBytes: number | null;
  created?: string;
  modified?: string;
  /** `DAY(date)`, `MONTH(ts)`, `DAY(_PARTITIONTIME)` (ingestion time), `RANGE(col, start, end, interval)`; see table-meta.ts. */
  partitioning?: string;
  /** Partitions older than this are deleted (time partitioning only). */
  partitionExpirationMs?: number;
  clustering?: string[];
  /** Queries must filter on the partitioning column. */
  requirePartitionFilter?: boolean;
  /** For views: the defining query. */
  viewQuery?: string;
  labels?: Record<string, string>;
  description?: string;
  friendlyName?: string;
  /** When the table expires (ISO 8601); absent when it never does. */
  expirationTime?: string;
  /** BigQuery: rows are still in the streaming buffer, so rowCount (numRows) is not exact. */
  streamingBuffer?: boolean;
}

/**
 * A change to a table's metadata (BigQuery tables.patch). Absent fields are left alone; `null`
 * removes a value (a label, the description, the expiration). Columns are matched by name.
 */
export interface TableMetadataPatch {
  description?: string | null;
  friendlyName?: string | null;
  labels?: Record<string, string | null>;
  requirePartitionFilter?: boolean;
  expirationTime?: string | null;
  /** Time-partitioned tables: how long partitions live; null keeps them forever. */
  partitionExpirationMs?: number | null;
  columns?: Record<string, { description?: string | null; policyTags?: string[] | null }>;
}

/** Every job a step runs carries these labels (`bqmigrate-run`, `bqmigrate-phase`, `bqmigrate-step`). */
export interface JobLabels {
  run: string;
  phase: string;
  step: string;
}

export interface JobOptions {
  labels?: JobLabels;
  signal?: AbortSignal;
  /** BigQuery: told about each job resubmitted after a job-level failure (the phases journal it). */
  onResubmit?(info: JobResubmission): void;
}

/** A BigQuery job that ended DONE with a retryable errorResult and was run again under a new job id. */
export interface JobResubmission {
  failedJobId: string;
  reason: string;
  message: string;
  /** 1 for the first resubmission. */
  attempt: number;
  delayMs: number;
}

export interface QueryOptions extends JobOptions {
  dryRun?: boolean;
  /**
   * bqmigrate's own small statements on its own tables (the history, the lock): run without the
   * dry run that otherwise goes first, saving a round trip; the job still carries the byte cap.
   */
  skipDryRun?: boolean;
  /** Cap on bytes billed; BigQuery fails the job past it. */
  maximumBytesBilled?: number;
  params?: Record<string, unknown>;
}

export interface QueryResult {
  /** Plain JSON values: INT64 as a number when safe (else a string), DATE "YYYY-MM-DD", TIMESTAMP ISO 8601 UTC, NUMERIC a string. */
  rows: Record<string, unknown>[];
  /** Columns of the result, BigQuery type names; absent for statements without a result. */
  schema?: ColumnInfo[];
  jobId?: string;
  totalBytesProcessed?: number;
  affectedRows?: number;
  /** BigQuery: jobs that failed by themselves before this one succeeded (each run again under a new id). */
  resubmissions?: JobResubmission[];
  /** Dry runs: how exact totalBytesProcessed is (BigQuery's totalBytesProcessedAccuracy; absent means PRECISE). */
  bytesAccuracy?: BytesAccuracy;
  /** Dry runs: why (part of) the query could not be estimated; totalBytesProcessed is then absent or a lower bound, never a 0 that means "unknown". */
  notEstimable?: string;
  /** Dry runs: the number of tables the query reads, when known (BigQuery bills at least 10 MiB for each). */
  tablesRead?: number;
}

/** BigQuery's totalBytesProcessedAccuracy. */
export type BytesAccuracy = 'PRECISE' | 'LOWER_BOUND' | 'UPPER_BOUND' | 'UNKNOWN';

/** BigQuery's write dispositions; copyTable defaults to WRITE_EMPTY (fails when the destination has data). */
export type WriteDisposition = 'WRITE_EMPTY' | 'WRITE_TRUNCATE' | 'WRITE_APPEND';

/** Parquet compression (BigQuery's extract default for Parquet is NONE; DuckDB's is SNAPPY). */
export type ParquetCompression = 'NONE' | 'SNAPPY' | 'GZIP' | 'ZSTD';

export interface ExtractOptions extends JobOptions {
  format?: 'PARQUET' | 'CSV' | 'NEWLINE_DELIMITED_JSON';
  /** Parquet only. */
  compression?: ParquetCompression;
}

export interface CopyOptions extends JobOptions {
  writeDisposition?: WriteDisposition;
}

export interface ReadOptions {
  signal?: AbortSignal;
  /** Rows per page (BigQuery tabledata.list maxResults); default 10,000. */
  pageSize?: number;
  /** Called after each page with the rows read so far and the table's total when known. */
  onProgress?(read: number, total: number | null): void;
}

export interface Dialect {
  /** Fully qualified, quoted name of a table for this backend's SQL. */
  table(id: TableId): string;
  /** Quoted column or other identifier (the column-name rule: not starting with a digit). */
  ident(name: string): string;
  /** A table's own name, unqualified (`RENAME TO`), by the table-name rule: `2019_soy_prices` is a table name. */
  tableName(name: string): string;
  /** A dataset's own name, unqualified, by the dataset-name rule (letters, digits, underscores; may start with a digit). */
  dataset(name: string): string;
  /** A string literal. */
  literal(value: string): string;
}

/** What a warehouse definition is: BigQuery's views, materialized views and routines. */
export type DefinitionKind = 'VIEW' | 'MATERIALIZED_VIEW' | 'FUNCTION' | 'AGGREGATE_FUNCTION' | 'TABLE_FUNCTION' | 'PROCEDURE';

/** The options a definition's DDL carries (`OPTIONS (…)`) that bqmigrate reads back and writes. */
export interface DefinitionOptions {
  description?: string;
  friendlyName?: string;
  labels?: Record<string, string>;
  /** ISO 8601 UTC (views, materialized views). */
  expirationTimestamp?: string;
  /** Materialized views. */
  enableRefresh?: boolean;
  refreshIntervalMinutes?: number;
  /** JavaScript UDFs: `gs://` libraries. */
  library?: string[];
}

/** A column of a view's column list: its name and, when it has one, its description. */
export interface DefinitionColumn {
  name: string;
  description?: string;
}

/**
 * A view, materialized view or routine as the warehouse keeps it: the body exactly as it was
 * written (BigQuery's INFORMATION_SCHEMA.VIEWS / routines.get return the text as written; the
 * local warehouse keeps it in `bqmigrate_meta.definitions`), so rendering it gives the statement
 * that re-creates it (src/core/definitions).
 */
export interface Definition {
  kind: DefinitionKind;
  project?: string;
  dataset: string;
  name: string;
  /** Routines: the argument list as text between the parentheses, `x INT64, y STRING` (procedures: `IN x INT64`). */
  arguments?: string;
  /** Routines: `RETURNS` type text (`FLOAT64`, `TABLE<a INT64>`). */
  returns?: string;
  /** Routines: `js`, `python`, … — absent for SQL. */
  language?: string;
  /** The view's query, the SQL function's expression (inside its parentheses), the JS code, the table function's query, the procedure's BEGIN…END. */
  body: string;
  options: DefinitionOptions;
  /**
   * Views: the column list, `(a OPTIONS (description = '…'), b)`. A read-back has it when the view
   * was created with one (BigQuery: `view.useExplicitColumnNames`, the names in its schema) or a
   * column is described (the descriptions live in the view's schema).
   */
  columns?: DefinitionColumn[];
  /** Views: created with a column list that names its columns (BigQuery tables.get `view.useExplicitColumnNames`). */
  explicitColumnNames?: boolean;
  /** Materialized views: `PARTITION BY` / `CLUSTER BY` expressions as text. */
  partitionBy?: string;
  clusterBy?: string;
}

/** A BigQuery scheduled query (a Data Transfer Service transfer config with data source `scheduled_query`). */
export interface ScheduledQuery {
  /** `projects/<p>/locations/<l>/transferConfigs/<id>`: the config id that identifies it. */
  name: string;
  displayName: string;
  schedule?: string;
  disabled: boolean;
  query: string;
  destinationDataset?: string;
  /** `destination_table_name_template` (may hold `{run_date}`). */
  destinationTable?: string;
  writeDisposition?: string;
  /** Every `params` entry (query, destination_table_name_template, write_disposition, partitioning_field, …): an update sends them all back. */
  params: Record<string, unknown>;
  updateTime?: string;
}

/** What `updateScheduledQuery` may change; the update mask names exactly these. */
export interface ScheduledQueryUpdate {
  query?: string;
  destinationDataset?: string;
  destinationTable?: string;
}

export interface Warehouse {
  readonly kind: 'local' | 'bigquery';
  readonly project: string;
  readonly dialect: Dialect;

  listDatasets(): Promise<DatasetInfo[]>;
  getDataset(dataset: string): Promise<DatasetInfo | undefined>;
  createDataset(info: DatasetInfo, opts?: JobOptions): Promise<void>;

  listTables(dataset: string): Promise<TableInfo[]>;
  getTable(id: TableId): Promise<TableInfo | undefined>;

  query(sql: string, opts?: QueryOptions): Promise<QueryResult>;
  copyTable(source: TableId, destination: TableId, opts?: CopyOptions): Promise<{ jobId?: string }>;
  createView(id: TableId, selectSql: string, opts?: JobOptions & { replace?: boolean }): Promise<void>;
  /** Changes table and column metadata (BigQuery tables.patch; the local warehouse keeps it in `bqmigrate_meta`). Free on BigQuery. */
  patchTable(id: TableId, patch: TableMetadataPatch, opts?: JobOptions): Promise<void>;
  /** Drops a table or view; a missing one is a `notFound` WarehouseError unless `ifExists`. */
  dropTable(id: TableId, opts?: JobOptions & { ifExists?: boolean }): Promise<void>;

  /** Reads a table page by page (BigQuery: tabledata.list with pageToken), with its schema. */
  readTable(id: TableId, opts?: ReadOptions): AsyncIterable<{ schema: ColumnInfo[]; rows: Record<string, unknown>[] }>;
  /**
   * Writes a table to files: BigQuery runs an extract job to a `gs://` URI; the local
   * warehouse writes to a local path. Format PARQUET unless told otherwise.
   */
  extractTable(id: TableId, destination: string, opts?: ExtractOptions): Promise<{ jobId?: string; rows?: number }>;

  /** Views, materialized views and routines of these datasets (default: every dataset), with their bodies as written. */
  listDefinitions(datasets?: string[]): Promise<Definition[]>;
  /** One definition, or undefined when no such object of that kind exists. */
  getDefinition(kind: DefinitionKind, id: TableId): Promise<Definition | undefined>;
  /** Scheduled queries of the project (Data Transfer Service on BigQuery; `bqmigrate_meta` locally). */
  listScheduledQueries(opts?: { signal?: AbortSignal }): Promise<ScheduledQuery[]>;
  getScheduledQuery(name: string, opts?: { signal?: AbortSignal }): Promise<ScheduledQuery | undefined>;
  /** `transferConfigs.patch` with an update mask naming only what changes; returns the config as stored. */
  updateScheduledQuery(name: string, update: ScheduledQueryUpdate, opts?: { signal?: AbortSignal }): Promise<ScheduledQuery>;

  /** Who the warehouse says is asking (BigQuery: the credentials' principal); undefined when it cannot say (the local warehouse, an emulator). */
  principal?(): Promise<string | undefined>;

  close(): Promise<void>;
}
