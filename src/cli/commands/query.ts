/** `bqmigrate query "<sql>" [--format json|table] [--dry-run]`: one query against the warehouse. */
import { formatRows, loadManifestFor, openWarehouseFor, parseWarehouseArgs, reportWarehouseError, WAREHOUSE_USAGE } from '../warehouse-options';
import { UsageError, type CliCommand } from './types';

export const queryCommand: CliCommand = {
  name: 'query',
  summary: 'run one SQL query against the local warehouse or BigQuery',
  usage: `usage: bqmigrate query "<sql>" [--format table|json] [--dry-run] [options]

Runs BigQuery SQL (on the local warehouse, backtick names, @params and BigQuery type names are
translated to DuckDB). On BigQuery the query is dry-run first; the bytes it would process go to stderr.
  --format table|json   table (default) or a JSON array of row objects on stdout
  --dry-run             validate and report bytes only; run nothing
${WAREHOUSE_USAGE}`,
  async run(args, io) {
    const parsed = parseWarehouseArgs(args, { format: { type: 'string' }, 'dry-run': { type: 'boolean' } }, true);
    const format = (parsed.values.format as string | undefined) ?? 'table';
    if (format !== 'json' && format !== 'table') throw new UsageError(`--format must be "json" or "table", not "${format}"`);
    if (parsed.positionals.length !== 1) throw new UsageError('give the SQL as one argument, quoted');
    const loaded = loadManifestFor(parsed.values, io);
    if (!loaded) return 2;
    let wh;
    try {
      wh = await openWarehouseFor(loaded, parsed, io, 'query');
      const r = await wh.query(parsed.positionals[0]!, { dryRun: !!parsed.values['dry-run'] });
      if (r.totalBytesProcessed !== undefined) io.stderr.write(`${parsed.values['dry-run'] ? 'would process' : 'processed'} ${r.totalBytesProcessed} bytes${r.jobId ? ` (job ${r.jobId})` : ''}\n`);
      if (format === 'json') io.stdout.write(`${JSON.stringify(r.rows, null, 2)}\n`);
      else if (r.rows.length || r.schema?.length) io.stdout.write(formatRows(r.rows, r.schema?.map((c) => c.name)));
      return 0;
    } catch (err) {
      return reportWarehouseError(err, io, 'query');
    } finally {
      await wh?.close();
    }
  },
};
