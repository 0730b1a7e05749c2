/** `bqmigrate diff <tableA> <tableB>`: proves two tables hold the same rows, or shows the rows that differ. */
import { diffTables, DiffError, formatDiffReport, parseColumnList } from '../../core/diff/index';
import { IdentifierError, parseTableId } from '../../core/warehouse/identifiers';
import { isWarehouseError } from '../../core/warehouse/errors';
import { loadManifestFor, openWarehouseFor, parseWarehouseArgs, WAREHOUSE_USAGE } from '../warehouse-options';
import { UsageError, type CliCommand } from './types';

export const diffCommand: CliCommand = {
  name: 'diff',
  summary: 'compare the content of two tables in the warehouse: equal, or the rows that differ',
  usage: `usage: bqmigrate diff <tableA> <tableB> [--key col,…] [--columns a,b:c,…] [--where SQL] [--limit N] [--tolerance X] [--json] [options]

Compares two tables (dataset.table or project.dataset.table) in three tiers, all run as SQL in the
warehouse — rows never leave it, except the differences shown:
  1. row count and per-column nulls, min and max, and a sum of per-row fingerprints;
  2. fingerprints per partition (both tables partitioned alike) or per hash bucket, to find the
     buckets that differ;
  3. the rows of those buckets that differ: by --key side by side, or without a key as multisets
     (a duplicated row counts).
Types are normalised and the report says how: FLOAT64 (and NUMERIC or INT64 against FLOAT64) are
equal within --tolerance, timestamps compare as UTC instants, other mismatched types as text.
Each query is dry-run first; with --maximum-bytes-billed N a tier that would go past N bytes in all
is reported "not validated", never equal.

  --key col,…         columns (of tableA) that identify a row
  --columns a,b:c     compare only these columns; b:c compares A's b with B's c (renamed)
  --where SQL         a predicate both tables are filtered by (BigQuery SQL)
  --limit N           differing rows shown (default 20)
  --tolerance X       FLOAT64 tolerance (default 1e-9)
  --max-buckets N     differing buckets looked into for rows (default 1000)
  --json              the report as JSON
${WAREHOUSE_USAGE}

Exit codes: 0 the tables are equal, 1 they differ (or could not be validated), 2 usage or warehouse error.`,
  async run(args, io) {
    const parsed = parseWarehouseArgs(
      args,
      { key: { type: 'string' }, columns: { type: 'string' }, where: { type: 'string' }, limit: { type: 'string' }, tolerance: { type: 'string' }, 'max-buckets': { type: 'string' }, json: { type: 'boolean' } },
      true,
    );
    const v = parsed.values;
    if (parsed.positionals.length !== 2) throw new UsageError(`give two tables, e.g. bqmigrate diff models_v4.production_training_data_1m training.zl_training_prod_allhistory_1m (got ${parsed.positionals.length})`);
    const number = (name: string, text: unknown, ok: (n: number) => boolean) => {
      if (text === undefined) return undefined;
      const n = Number(text);
      if (!ok(n)) throw new UsageError(`--${name} must be ${name === 'tolerance' ? 'a non-negative number' : 'a positive whole number'}, not "${String(text)}"`);
      return n;
    };
    const limit = number('limit', v.limit, (n) => Number.isInteger(n) && n > 0);
    const tolerance = number('tolerance', v.tolerance, (n) => Number.isFinite(n) && n >= 0);
    const maxBuckets = number('max-buckets', v['max-buckets'], (n) => Number.isInteger(n) && n > 0);
    let a, b;
    try {
      [a, b] = parsed.positionals.map((t) => parseTableId(t));
    } catch (err) {
      if (err instanceof IdentifierError) throw new UsageError(err.message);
      throw err;
    }
    const key = typeof v.key === 'string' ? v.key.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
    const columns = typeof v.columns === 'string' ? parseColumnList(v.columns) : undefined;
    if (columns && !columns.length) throw new UsageError('--columns names no column');
    const loaded = loadManifestFor(v, io);
    if (!loaded) return 2;
    let wh;
    try {
      wh = await openWarehouseFor(loaded, parsed, io, 'diff');
      const report = await diffTables(wh, a!, b!, {
        ...(key?.length ? { key } : {}),
        ...(columns ? { columns } : {}),
        ...(typeof v.where === 'string' ? { where: v.where } : {}),
        limit: limit ?? loaded.manifest.validation.limit,
        tolerance: tolerance ?? loaded.manifest.validation.tolerance,
        ...(maxBuckets ? { maxBuckets } : {}),
        ...(parsed.maximumBytesBilled ? { maxBytes: parsed.maximumBytesBilled } : {}),
      });
      io.stdout.write(v.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatDiffReport(report)}\n`);
      return report.verdict === 'equal' ? 0 : 1;
    } catch (err) {
      if (err instanceof DiffError) {
        io.stderr.write(`bqmigrate diff: ${err.message}\n`);
        return 2;
      }
      if (err instanceof UsageError) throw err;
      const reason = isWarehouseError(err) ? ` [${err.reason}]` : '';
      io.stderr.write(`bqmigrate diff: ${(err as Error).message}${reason}\n`);
      return 2;
    } finally {
      await wh?.close();
    }
  },
};
