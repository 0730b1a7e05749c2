/**
 * What BigQuery bills for a query on demand ("Query pricing"): bytes processed rounded up to a
 * whole MiB, at least 10 MiB per table the query reads and at least 10 MiB per query that reads
 * anything; a query that reads nothing (`SELECT 1`) bills nothing. `maximumBytesBilled` is
 * compared with this, not with bytes processed.
 */
const MIB = 2 ** 20;
export const MIN_BILLED_PER_TABLE = 10 * MIB;

/** Bytes billed for `processed` bytes; `tablesRead` from the dry run's referencedTables when known. */
export function billedBytes(processed: number, tablesRead?: number): number {
  const tables = tablesRead ?? (processed > 0 ? 1 : 0);
  if (tables === 0 && !(processed > 0)) return 0;
  return Math.max(MIN_BILLED_PER_TABLE * Math.max(1, tables), Math.ceil(Math.max(0, processed) / MIB) * MIB);
}
