/**
 * The fake's dry run of a query as BigQuery documents it for multi-statement queries
 * ("Work with multi-statement queries" → dry run): statements are validated in order; the dry
 * run stops after the first DDL statement and at FOR / IF / WHILE / LOOP / REPEAT / BEGIN /
 * CALL / EXECUTE IMMEDIATE (the estimate is then a LOWER_BOUND); DML statements are estimated
 * on the tables as they are; a CREATE TEMP TABLE cannot be dry-run at all (400 invalidQuery).
 * A single statement is estimated as a whole (PRECISE).
 */
import { splitStatements } from '../../src/core/warehouse/statements';
import type { LocalWarehouse } from '../../src/core/warehouse/local';
import { ApiFailure } from './engine';

export type Accuracy = 'PRECISE' | 'LOWER_BOUND';

const body = (s: string) => s.replace(/^(?:\s*(?:--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/))*\s*/, '');
const TEMP_TABLE = /^CREATE\s+(?:OR\s+REPLACE\s+)?TEMP(?:ORARY)?\s+TABLE\b/i;
const DDL = /^(?:CREATE|ALTER|DROP|TRUNCATE)\b/i;
const STOPS = /^(?:FOR|IF|WHILE|LOOP|REPEAT|BEGIN|CALL|EXECUTE\s+IMMEDIATE)\b/i;
const VARIABLES = /^(?:DECLARE|SET)\b/i;
const ROUTINE = /^CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP(?:ORARY)?\s+)?(?:PROCEDURE|(?:TABLE\s+|AGGREGATE\s+)?FUNCTION)\b/i;

export const TEMP_TABLE_DRY_RUN = 'Dry run is not supported for CREATE TEMP TABLE statements; run the query without dryRun';

export async function dryRunQuery(wh: LocalWarehouse, sql: string, params?: Record<string, unknown>): Promise<{ bytes: number; accuracy: Accuracy; statements: number }> {
  // A routine's body is part of its CREATE statement: its `;`s do not make a script.
  const statements = ROUTINE.test(body(sql)) ? [sql] : splitStatements(sql);
  if (statements.length <= 1) {
    if (TEMP_TABLE.test(body(sql))) throw new ApiFailure(400, 'invalidQuery', TEMP_TABLE_DRY_RUN);
    const r = await wh.query(sql, { dryRun: true, params });
    return { bytes: r.totalBytesProcessed ?? 0, accuracy: 'PRECISE', statements: 1 };
  }
  let bytes = 0;
  for (let i = 0; i < statements.length; i++) {
    const s = body(statements[i]!);
    const rest = i < statements.length - 1;
    if (TEMP_TABLE.test(s)) throw new ApiFailure(400, 'invalidQuery', `${TEMP_TABLE_DRY_RUN} (statement ${i + 1} of the script)`);
    if (STOPS.test(s)) return { bytes, accuracy: 'LOWER_BOUND', statements: i };
    if (VARIABLES.test(s)) continue;
    bytes += (await wh.query(statements[i]!, { dryRun: true, params })).totalBytesProcessed ?? 0;
    if (DDL.test(s)) return { bytes, accuracy: rest ? 'LOWER_BOUND' : 'PRECISE', statements: i + 1 };
  }
  return { bytes, accuracy: 'PRECISE', statements: statements.length };
}
