/**
 * A table of the local warehouse as BigQuery's tables.get reports it: DuckDB's catalog gives the
 * columns (in BigQuery type names), the metadata schema what DuckDB does not keep, the kept
 * definitions a view's BigQuery text, and the shared size cache its row count and logical size.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { bigQueryTypeOf } from './duckdb-types';
import { duckViewBody, keptTableDefinition } from './local-definitions';
import { objectMeta } from './local-meta';
import type { TableSizes } from './local-sizes';
import type { ColumnInfo, TableId, TableInfo } from './types';

/** DuckDB's table_type for a table or view ("BASE TABLE", "VIEW"), or undefined when there is none. */
export async function catalogType(c: DuckDBConnection, id: TableId): Promise<string | undefined> {
  const t = await c.runAndReadAll(`SELECT table_type FROM information_schema.tables WHERE table_catalog = current_database() AND table_schema = $d AND table_name = $t`, { d: id.dataset, t: id.table });
  const kind = t.getRowObjectsJson()[0]?.table_type;
  return kind === undefined ? undefined : String(kind);
}

export async function readTableInfo(c: DuckDBConnection, project: string, id: TableId, sizes: TableSizes): Promise<TableInfo | undefined> {
  const kind = await catalogType(c, id);
  if (kind === undefined) return undefined;
  const cols = await c.runAndReadAll(
    `SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_catalog = current_database() AND table_schema = $d AND table_name = $t ORDER BY ordinal_position`,
    { d: id.dataset, t: id.table },
  );
  const { columns: columnMeta, ...meta } = await objectMeta(c, id.dataset, id.table);
  const schema: ColumnInfo[] = cols.getRowObjectsJson().map((row) => {
    const bq = bigQueryTypeOf(String(row.data_type));
    const name = String(row.column_name);
    return { name, type: bq.type, mode: bq.mode ?? (row.is_nullable === 'NO' ? 'REQUIRED' : 'NULLABLE'), ...columnMeta?.[name] };
  });
  const isView = kind === 'VIEW';
  let viewQuery: string | undefined;
  let rowCount: number | null = null;
  let sizeBytes: number | null = null;
  const kept = isView ? await keptTableDefinition(c, project, id.dataset, id.table) : undefined;
  if (isView) {
    const v = await c.runAndReadAll(`SELECT sql FROM duckdb_views() WHERE schema_name = $d AND view_name = $t`, { d: id.dataset, t: id.table });
    // The BigQuery text it was created from, when kept; else DuckDB's own.
    viewQuery = kept?.body ?? duckViewBody(String(v.getRowObjectsJson()[0]?.sql ?? ''));
    if (kept?.kind === 'MATERIALIZED_VIEW') ({ rowCount, sizeBytes } = await sizes.get(c, id, schema));
  } else {
    ({ rowCount, sizeBytes } = await sizes.get(c, id, schema));
  }
  return {
    project,
    dataset: id.dataset,
    table: id.table,
    type: kept?.kind === 'MATERIALIZED_VIEW' ? 'MATERIALIZED_VIEW' : isView ? 'VIEW' : 'TABLE',
    schema,
    rowCount,
    sizeBytes,
    ...meta,
    ...(viewQuery !== undefined ? { viewQuery } : {}),
  } satisfies TableInfo;
}
