/**
 * Row counts and BigQuery logical sizes of the local warehouse's tables. Measuring one is a
 * scan of the whole table, and every query's byte estimate (dry run or not) needs the sizes of
 * the tables it reads: so they are kept until the next statement that may write. A write
 * bumps the generation; a measurement that started before a write is not kept.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { fixedWidthOf } from './duckdb-types';
import { duckDbDialect } from './identifiers';
import type { ColumnInfo, TableId } from './types';

export interface TableSize {
  rowCount: number;
  sizeBytes: number;
}

export class TableSizes {
  private readonly known = new Map<string, TableSize>();
  private generation = 0;

  /** Everything measured so far may be stale: a statement that can write ran or is about to. */
  forget(): void {
    this.generation++;
    this.known.clear();
  }

  async get(c: DuckDBConnection, id: TableId, schema: readonly ColumnInfo[]): Promise<TableSize> {
    // The schema is part of the key: a column added or dropped changes the size.
    const key = JSON.stringify([id.dataset, id.table, schema.map((col) => [col.name, col.type, col.mode])]);
    const hit = this.known.get(key);
    if (hit) return hit;
    const started = this.generation;
    const size = await measure(c, id, schema);
    if (this.generation === started) this.known.set(key, size);
    return size;
  }
}

/** Row count and BigQuery's logical size: fixed widths per non-null value, 2 + UTF-8 length for STRING/BYTES. */
async function measure(c: DuckDBConnection, id: TableId, schema: readonly ColumnInfo[]): Promise<TableSize> {
  const parts = schema.map((col) => {
    const q = duckDbDialect.ident(col.name);
    const width = fixedWidthOf(col.type);
    if (col.mode === 'REPEATED' || col.type === 'STRUCT') return `8 * coalesce(sum(len(${q})), 0)`;
    if (width !== undefined) return `${width} * count(${q})`;
    // strlen is a VARCHAR's length in bytes without a copy; other types are measured as their bytes.
    const bytes = col.type === 'STRING' ? `strlen(CAST(${q} AS VARCHAR))` : `octet_length(CAST(${q} AS BLOB))`;
    return `coalesce(sum(${bytes}), 0) + 2 * count(${q})`;
  });
  const r = await c.runAndReadAll(`SELECT count(*) AS n${parts.length ? `, ${parts.join(' + ')} AS bytes` : ''} FROM ${duckDbDialect.table(id)}`);
  const row = r.getRowObjectsJson()[0]!;
  return { rowCount: Number(row.n), sizeBytes: Number(row.bytes ?? 0) };
}
