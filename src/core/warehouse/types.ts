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
}

export interface DatasetInfo {
  dataset: string;
  location?: string;
  description?: string;
  labels?: Record<string, string>;
}

export interface TableInfo extends TableId {
  type: ObjectType;
  schema: ColumnInfo[];
  rowCount: number | null;
  sizeBytes: number | null;
  created?: string;
  modified?: string;
  partitioning?: string;
  clustering?: string[];
  /** For views: the defining query. */
  viewQuery?: string;
  labels?: Record<string, string>;
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
  rows: Record<string, unknown>[];
  jobId?: string;
  totalBytesProcessed?: number;
  affectedRows?: number;
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
  copyTable(source: TableId, destination: TableId, opts?: JobOptions): Promise<{ jobId?: string }>;
  createView(id: TableId, selectSql: string, opts?: JobOptions & { replace?: boolean }): Promise<void>;
  dropTable(id: TableId, opts?: JobOptions): Promise<void>;

  close(): Promise<void>;
}
