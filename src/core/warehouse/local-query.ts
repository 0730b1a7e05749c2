/**
 * The pieces of a query on the local warehouse around DuckDB's own run: the bytes BigQuery's dry run
 * would bill, the check that an ALTER … SET OPTIONS target exists, a result in BigQuery's shape, and
 * the metadata bookkeeping after a statement that wrote (renames, created/modified times, options).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { bigQueryTypeOf, plainValue } from './duckdb-types';
import type { DdlEffect } from './ddl-options';
import { WarehouseError } from './errors';
import { forgetTableText, syncDefinitions } from './local-definitions';
import { HIDDEN_SCHEMAS, META_SCHEMA, patchObject, renameObject, syncObjects, touchObject } from './local-meta';
import { catalogType } from './local-tables';
import type { QueryResult, TableId, TableInfo } from './types';

/** Statements that cannot change a table's rows (the job record a query adds is in a hidden schema). */
export const READ_ONLY_STATEMENTS = new Set<number>([1 /* SELECT */, 4 /* EXPLAIN */]);

const WRITE_TARGET = /\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|MERGE\s+INTO|TRUNCATE(?:\s+TABLE)?|CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP\w*\s+)?(?:TABLE|VIEW)(?:\s+IF\s+NOT\s+EXISTS)?)\s+"?([A-Za-z0-9_]+)"?\s*\.\s*"?([^"\s(.]+)"?/gi;

/** Sum of the logical sizes of the base tables a statement reads: what BigQuery's dry run would bill (all columns). */
export async function estimateBytes(c: DuckDBConnection, sql: string, getTable: (id: TableId) => Promise<TableInfo | undefined>): Promise<number> {
  let names: readonly string[] = [];
  try {
    names = c.getTableNames(sql, true);
  } catch {
    return 0;
  }
  let total = 0;
  for (const name of new Set(names)) {
    // Qualified names come back quoted where DuckDB needs it: cmp."source".
    const parts = [...name.matchAll(/"((?:[^"]|"")*)"|([^."]+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!));
    const [dataset, table] = parts.length >= 2 ? parts.slice(-2) : ['main', parts[0] ?? name];
    const info = await getTable({ dataset: dataset!, table: table! }).catch(() => undefined);
    total += info?.sizeBytes ?? 0;
  }
  return total;
}

export function toResult(reader: Awaited<ReturnType<DuckDBConnection['runAndReadAll']>> | undefined, jobId: string, bytes?: number): QueryResult {
  if (!reader) return { rows: [], jobId };
  const names = reader.columnNames();
  const types = reader.columnTypes().map((t) => t.toString());
  const schema = names.map((name, i) => ({ name, ...bigQueryTypeOf(types[i]!) }));
  const rows = reader.getRowObjectsJson().map((row) => Object.fromEntries(names.map((n, i) => [n, plainValue(row[n], types[i]!)])));
  const affected = names.length === 1 && names[0] === 'Count' ? Number(rows[0]?.Count) : undefined;
  return { rows, schema, jobId, ...(bytes !== undefined ? { totalBytesProcessed: bytes } : {}), ...(affected !== undefined ? { affectedRows: affected } : {}) };
}

/** ALTER TABLE … SET OPTIONS on a table that does not exist fails as it would on BigQuery. */
export async function checkDdlTargets(c: DuckDBConnection, project: string, effects: DdlEffect[]): Promise<void> {
  for (const e of effects) {
    if (e.kind !== 'patch') continue;
    if ((await catalogType(c, e.target)) === undefined) throw new WarehouseError(`Not found: Table ${project}:${e.target.dataset}.${e.target.table}`, 'notFound');
  }
}

/** The metadata bookkeeping after a statement that may have written: moved, touched, created and patched objects. */
export async function afterWrite(c: DuckDBConnection, text: string, effects: DdlEffect[] = []): Promise<void> {
  // A rename moves the metadata first, so the sync below does not take the new name for a new table.
  for (const e of effects) if (e.kind === 'rename') await renameObject(c, e.target.dataset, e.target.table, e.to);
  await syncObjects(c);
  for (const m of text.matchAll(WRITE_TARGET)) {
    if (m[1] !== META_SCHEMA && !HIDDEN_SCHEMAS.has(m[1]!)) {
      await touchObject(c, m[1]!, m[2]!, {}, /CREATE\s+OR\s+REPLACE/i.test(m[0]));
      // A view or table made by a plain DuckDB statement replaces any kept BigQuery text of that name.
      if (/^CREATE/i.test(m[0])) await forgetTableText(c, m[1]!, m[2]!);
    }
  }
  for (const e of effects) {
    if (e.kind === 'create') {
      await patchObject(c, e.target.dataset, e.target.table, {
        ...e.patch,
        ...(e.partitioning !== undefined ? { partitioning: e.partitioning } : {}),
        ...(e.clustering !== undefined ? { clustering: e.clustering } : {}),
        ...(e.partitionExpirationMs !== undefined ? { partitionExpirationMs: e.partitionExpirationMs } : {}),
      });
    } else if (e.kind === 'patch') await patchObject(c, e.target.dataset, e.target.table, e.patch);
  }
  // Only a DROP or ALTER can take a view or macro away; other writes leave the kept texts as they are.
  if (/\b(?:DROP|ALTER)\b/i.test(text)) await syncDefinitions(c);
}
