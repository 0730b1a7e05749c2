/**
 * Every statement the phases run, built from validated identifiers quoted by the
 * warehouse's dialect. The few dialect differences (EXCEPT vs EXCLUDE, DROP SCHEMA
 * naming) are decided here by `kind`, nowhere else.
 */
import type { Dialect, TableId } from '../warehouse/types';
import { bigQueryToDuckDb } from '../warehouse/translate';
import { assertTableId } from './identifiers';

export const METADATA_COLUMNS = ['archived_date', 'original_location', 'migration_version'] as const;

export interface SqlTarget {
  kind: 'local' | 'bigquery';
  project: string;
  dialect: Dialect;
}

const t = (w: SqlTarget, id: TableId) => w.dialect.table(assertTableId(id));

/** ` WHERE <filter>` for a scan of a table that requires a partition filter (allPartitionsFilter in table-meta.ts), else nothing. */
const where = (filter?: string) => (filter ? ` WHERE ${filter}` : '');

export function countSql(w: SqlTarget, id: TableId, filter?: string): string {
  return `SELECT COUNT(*) AS ${w.dialect.ident('row_count')} FROM ${t(w, id)}${where(filter)}`;
}

const isoDate = (date: string) => `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`;

/** `CREATE OR REPLACE TABLE dest`, then its PARTITION BY / CLUSTER BY / OPTIONS lines (table-meta.ts), then `AS`. */
const createHead = (w: SqlTarget, dest: TableId, clauses: readonly string[]) => (clauses.length ? [`CREATE OR REPLACE TABLE ${t(w, dest)}`, ...clauses, 'AS'].join('\n') : `CREATE OR REPLACE TABLE ${t(w, dest)} AS`);

/** archived_date as a DATE literal from YYYYMMDD; `clauses` keep the legacy table's partitioning, clustering and options. */
export function archiveCopySql(w: SqlTarget, source: TableId, dest: TableId, date: string, version: string, clauses: readonly string[] = [], filter?: string): string {
  const original = `${w.project}.${source.dataset}.${source.table}`;
  return [
    createHead(w, dest, clauses),
    `SELECT *, DATE ${w.dialect.literal(isoDate(date))} AS ${w.dialect.ident('archived_date')},`,
    `  ${w.dialect.literal(original)} AS ${w.dialect.ident('original_location')},`,
    `  ${w.dialect.literal(version)} AS ${w.dialect.ident('migration_version')}`,
    `FROM ${t(w, source)}${where(filter)}`,
  ].join('\n');
}

/**
 * The archive of an ingestion-time partitioned table: CREATE TABLE … AS SELECT cannot keep
 * `_PARTITIONTIME`, so the copy job's table (partitions kept) gets the three metadata columns
 * added and filled in place.
 */
export function archiveColumnsSql(w: SqlTarget, source: TableId, dest: TableId, date: string, version: string): string[] {
  const str = w.kind === 'bigquery' ? 'STRING' : 'VARCHAR';
  const original = `${w.project}.${source.dataset}.${source.table}`;
  return [
    `ALTER TABLE ${t(w, dest)} ADD COLUMN ${w.dialect.ident('archived_date')} DATE`,
    `ALTER TABLE ${t(w, dest)} ADD COLUMN ${w.dialect.ident('original_location')} ${str}`,
    `ALTER TABLE ${t(w, dest)} ADD COLUMN ${w.dialect.ident('migration_version')} ${str}`,
    `UPDATE ${t(w, dest)} SET ${w.dialect.ident('archived_date')} = DATE ${w.dialect.literal(isoDate(date))}, ${w.dialect.ident('original_location')} = ${w.dialect.literal(original)}, ${w.dialect.ident('migration_version')} = ${w.dialect.literal(version)} WHERE TRUE`,
  ];
}

export function copySql(w: SqlTarget, source: TableId, dest: TableId): string {
  return `CREATE OR REPLACE TABLE ${t(w, dest)} AS SELECT * FROM ${t(w, source)}`;
}

/** What `plan` shows for a copy job (no SQL: BigQuery copies tables for free, metadata included). */
export function copyJobNote(source: TableId, dest: TableId): string {
  return `-- copy job: ${source.dataset}.${source.table} → ${dest.dataset}.${dest.table} (free; keeps schema, column descriptions, policy tags, partitioning, clustering)`;
}

/** What `plan` shows for a metadata patch (tables.patch, free). */
export function patchNote(dest: TableId, what: string): string {
  return `-- tables.patch ${dest.dataset}.${dest.table}: ${what} (free)`;
}

export function ctasSql(w: SqlTarget, dest: TableId, select: string, clauses: readonly string[] = []): string {
  return `${createHead(w, dest, clauses)}\n${select.trim().replace(/;\s*$/, '')}`;
}

/** The archive copy without its metadata columns: what the legacy table was. */
export function restoreSql(w: SqlTarget, archive: TableId, dest: TableId, clauses: readonly string[] = [], filter?: string): string {
  const cols = METADATA_COLUMNS.map((c) => w.dialect.ident(c)).join(', ');
  const except = w.kind === 'bigquery' ? `EXCEPT (${cols})` : `EXCLUDE (${cols})`;
  return `${createHead(w, dest, clauses)} SELECT * ${except} FROM ${t(w, archive)}${where(filter)}`;
}

export function renameSql(w: SqlTarget, from: TableId, toTable: string): string {
  assertTableId({ dataset: from.dataset, table: toTable });
  return `ALTER TABLE ${t(w, from)} RENAME TO ${w.dialect.tableName(toTable)}`;
}

export function dropTableSql(w: SqlTarget, id: TableId): string {
  return `DROP TABLE IF EXISTS ${t(w, id)}`;
}

export function dropViewSql(w: SqlTarget, id: TableId): string {
  return `DROP VIEW IF EXISTS ${t(w, id)}`;
}

export function viewSelectSql(w: SqlTarget, target: TableId): string {
  return `SELECT * FROM ${t(w, target)}`;
}

export function createViewSql(w: SqlTarget, id: TableId, target: TableId): string {
  return `CREATE VIEW ${t(w, id)} AS ${viewSelectSql(w, target)}`;
}

/** BigQuery: `project.dataset` in one pair of backticks (the project may contain hyphens); DuckDB: the schema by the dataset rule. */
function schemaName(w: SqlTarget, dataset: string): string {
  assertTableId({ project: w.kind === 'bigquery' ? w.project : undefined, dataset, table: 'x' });
  return w.kind === 'bigquery' ? `\`${w.project}.${dataset}\`` : w.dialect.dataset(dataset);
}

export function createDatasetSql(w: SqlTarget, dataset: string, location?: string): string {
  const opts = w.kind === 'bigquery' && location ? ` OPTIONS (location = ${w.dialect.literal(location)})` : '';
  return `CREATE SCHEMA IF NOT EXISTS ${schemaName(w, dataset)}${opts}`;
}

export function dropDatasetSql(w: SqlTarget, dataset: string): string {
  // RESTRICT on both backends: a dataset that still holds anything is never dropped.
  return `DROP SCHEMA IF EXISTS ${schemaName(w, dataset)} RESTRICT`;
}

export function minMaxSql(w: SqlTarget, id: TableId, column: string, filter?: string): string {
  const c = w.dialect.ident(column);
  return `SELECT CAST(MIN(${c}) AS STRING) AS ${w.dialect.ident('min_value')}, CAST(MAX(${c}) AS STRING) AS ${w.dialect.ident('max_value')} FROM ${t(w, id)}${where(filter)}`.replace(
    /AS STRING/g,
    w.kind === 'bigquery' ? 'AS STRING' : 'AS VARCHAR',
  );
}

/** BigQuery SQL → DuckDB SQL (the local translator: backtick names, types, EXCEPT, a few functions). See docs/phases.md for the limits. */
export function translateForLocal(sql: string, project?: string): string {
  return bigQueryToDuckDb(sql, { projects: project ? [project] : [] });
}

export { splitStatements } from '../warehouse/statements';

/**
 * Row count and an order-independent fingerprint of what a view returns: XOR of a hash of each row
 * (BigQuery: FARM_FINGERPRINT of the row as JSON; DuckDB: its own row hash). Compared only with a
 * fingerprint from the same backend.
 */
export function viewFingerprintSql(w: SqlTarget, id: TableId): string {
  const row = w.kind === 'bigquery' ? 'FARM_FINGERPRINT(TO_JSON_STRING(r))' : 'hash(r)';
  return `SELECT COUNT(*) AS ${w.dialect.ident('row_count')}, CAST(BIT_XOR(${row}) AS STRING) AS ${w.dialect.ident('fingerprint')} FROM ${t(w, id)} AS r`.replace('AS STRING', w.kind === 'bigquery' ? 'AS STRING' : 'AS VARCHAR');
}
