/**
 * Content comparison of two tables (`bqmigrate diff`, validate's content check): which columns
 * compare with which and how (columns.ts), the SQL of the three tiers per backend (sql.ts),
 * running them under a byte budget (run.ts) and the text report (format.ts). Imports
 * src/core/warehouse only; never vscode.
 */
export { diffTables, prepareDiff, summaryQuery, DiffError, type DiffOptions, type DiffReport, type RowDifference, type TierResult } from './run';
export { formatDiffReport } from './format';
export { parseColumnList, planColumns, comparisonOf, roundingDigits } from './columns';
