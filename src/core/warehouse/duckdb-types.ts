/**
 * DuckDB column types reported under BigQuery's names, and DuckDB values turned
 * into the plain JSON values both backends return (INT64 as a number when it is
 * safe, else a string; DATE as "YYYY-MM-DD"; TIMESTAMP as ISO 8601 UTC).
 */
import { WarehouseError } from './errors';
import type { ColumnInfo } from './types';

/** BigQuery type (and mode) for a DuckDB type string such as "BIGINT", "DECIMAL(10,2)", "VARCHAR[]". */
export function bigQueryTypeOf(duckType: string): Pick<ColumnInfo, 'type' | 'mode'> {
  const t = duckType.trim().toUpperCase();
  if (t.endsWith('[]')) return { type: bigQueryTypeOf(t.slice(0, -2)).type, mode: 'REPEATED' };
  if (/^(BIGINT|INTEGER|SMALLINT|TINYINT|HUGEINT|UBIGINT|UINTEGER|USMALLINT|UTINYINT|UHUGEINT|INT\d*)$/.test(t)) return { type: 'INT64' };
  if (/^(DOUBLE|FLOAT|REAL)$/.test(t)) return { type: 'FLOAT64' };
  if (/^(VARCHAR|UUID|ENUM.*)$/.test(t)) return { type: 'STRING' };
  if (t === 'BOOLEAN') return { type: 'BOOL' };
  if (t === 'BLOB') return { type: 'BYTES' };
  if (t === 'DATE') return { type: 'DATE' };
  if (t === 'TIME') return { type: 'TIME' };
  if (t.startsWith('TIMESTAMP')) return { type: 'TIMESTAMP' };
  if (t === 'INTERVAL') return { type: 'INTERVAL' };
  if (t === 'JSON') return { type: 'JSON' };
  const dec = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(t);
  if (dec) return { type: Number(dec[1]) > 38 || Number(dec[2]) > 9 ? 'BIGNUMERIC' : 'NUMERIC' };
  if (t.startsWith('STRUCT') || t.startsWith('MAP')) return { type: 'STRUCT' };
  return { type: t };
}

/** Bytes BigQuery bills per value of a fixed-width type; STRING/BYTES are measured. */
export function fixedWidthOf(bqType: string): number | undefined {
  switch (bqType) {
    case 'INT64':
    case 'FLOAT64':
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
    case 'DATETIME':
    case 'INTERVAL':
      return 8;
    case 'BOOL':
      return 1;
    case 'NUMERIC':
      return 16;
    case 'BIGNUMERIC':
      return 32;
    default:
      return undefined;
  }
}

/** A DuckDB JSON-converted value as the warehouse returns it. */
export function plainValue(value: unknown, duckType: string): unknown {
  if (value === null || value === undefined) return null;
  const t = duckType.toUpperCase();
  if (typeof value === 'string' && /^(BIGINT|HUGEINT|UBIGINT|UHUGEINT)$/.test(t)) {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  }
  if (typeof value === 'string' && t.startsWith('TIMESTAMP')) {
    const iso = value.includes('T') ? value : value.replace(' ', 'T');
    const d = new Date(/[zZ]|[+-]\d\d(:?\d\d)?$/.test(iso) ? iso : `${iso}Z`);
    return Number.isNaN(d.getTime()) ? value : d.toISOString();
  }
  return value;
}

/** DuckDB error → WarehouseError with BigQuery's reason. */
export function duckError(err: unknown, what: string): WarehouseError {
  if (err instanceof WarehouseError) return err;
  const msg = (err as Error).message ?? String(err);
  const reason = /does not exist|not found/i.test(msg) && /Catalog Error/i.test(msg) ? 'notFound' : /already exists/i.test(msg) ? 'duplicate' : /Parser Error|Binder Error|Catalog Error|Conversion Error|Invalid Input/i.test(msg) ? 'invalidQuery' : 'unknown';
  return new WarehouseError(`${what}: ${msg.split('\n')[0]}`, reason, { cause: err });
}
