/**
 * Warehouse inventory, access checks and exports (the seeds' Phase 1, Phase 2
 * and data-export steps), on any Warehouse. Imports only src/core.
 */
export { runInventory, inventoryCsv, mergeInventory, type InventoryObject, type InventoryOptions, type InventoryResult } from './inventory';
export { checkAccess, approvedDatasets, formatAccessTable, PROBE_PREFIX, type AccessCheck, type CheckAccessOptions } from './check-access';
export { exportTables, expandExportSpec, parquetRowCount, EXPORT_COMPRESSIONS, SINGLE_FILE_LIMIT_BYTES, type ExportCompression, type ExportOptions, type ExportOutcome, type ExportSpec } from './export';
export type { OperationOptions, WarehouseEvent } from './types';
