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
}

export interface QueryOptions extends JobOptions {
  dryRun?: boolean;
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
}

/** BigQuery's write dispositions; copyTable defaults to WRITE_EMPTY (fails when the destination has data). */
export type WriteDisposition = 'WRITE_EMPTY' | 'WRITE_TRUNCATE' | 'WRITE_APPEND';

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
  /** Quoted column or other identifier. */
  ident(name: string): string;
  /** A string literal. */
  literal(value: string): string;
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
  extractTable(id: TableId, destination: string, opts?: JobOptions & { format?: 'PARQUET' | 'CSV' | 'NEWLINE_DELIMITED_JSON' }): Promise<{ jobId?: string; rows?: number }>;

  close(): Promise<void>;
}
