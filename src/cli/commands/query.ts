/** `bqmigrate query "<sql>" [--format json|table] [--dry-run] [--yes]`: one query against the warehouse. */
import { openCommandJournal, type CommandJournal } from '../../core/phases/command-journal';
import { sqlEffect } from '../../core/warehouse/statements';
import { formatRows, loadManifestFor, openWarehouseFor, parseWarehouseArgs, reportWarehouseError, WAREHOUSE_USAGE } from '../warehouse-options';
import { UsageError, type CliCommand } from './types';

/** SQL that starts with a `--` comment is not an option (no option has a space in it): pass it after `--`. */
function sqlLast(args: readonly string[]): string[] {
  const end = args.indexOf('--');
  const head = end < 0 ? args : args.slice(0, end);
  const sql = head.filter((a) => a.startsWith('-') && /\s/.test(a));
  if (sql.length === 0) return [...args];
  return [...head.filter((a) => !sql.includes(a)), '--', ...sql, ...(end < 0 ? [] : args.slice(end + 1))];
}

export const queryCommand: CliCommand = {
  name: 'query',
  summary: 'run one SQL query against the local warehouse or BigQuery',
  usage: `usage: bqmigrate query "<sql>" [--format table|json] [--dry-run] [--yes] [options]

Runs BigQuery SQL (on the local warehouse, backtick names, @params and BigQuery type names are
translated to DuckDB). On BigQuery the query is dry-run first; the bytes it would process go to stderr.
SQL that drops, deletes, updates, merges, alters, truncates or replaces (DROP, DELETE, CREATE OR
REPLACE, EXECUTE IMMEDIATE, …) runs only with --yes. SQL that changes the warehouse is recorded in
.bqmigrate/journal.jsonl (command "query"), as phases are.
  --format table|json   table (default) or a JSON array of row objects on stdout
  --dry-run             validate and report bytes only; run nothing (needs no --yes)
  --yes                 confirm a destructive statement
${WAREHOUSE_USAGE}
Exit codes: 0 ran, 1 the query failed or a destructive one was not confirmed, 2 usage or manifest error.`,
  async run(args, io) {
    const parsed = parseWarehouseArgs(sqlLast(args), { format: { type: 'string' }, 'dry-run': { type: 'boolean' }, yes: { type: 'boolean' } }, true);
    const format = (parsed.values.format as string | undefined) ?? 'table';
    if (format !== 'json' && format !== 'table') throw new UsageError(`--format must be "json" or "table", not "${format}"`);
    if (parsed.positionals.length !== 1) throw new UsageError('give the SQL as one argument, quoted');
    const sql = parsed.positionals[0]!;
    const effect = sqlEffect(sql);
    if (effect.empty) throw new UsageError(`the SQL is empty${sql.trim() ? ' (only comments or ";")' : ''}: give a statement, e.g. bqmigrate query "SELECT 1"`);
    const dryRun = !!parsed.values['dry-run'];
    if (effect.destructive.length > 0 && !dryRun && !parsed.values.yes) {
      io.stderr.write(`bqmigrate query: nothing ran: the SQL is destructive (${effect.destructive.join(', ')}); check it (--dry-run validates it), then run again with --yes\n`);
      return 1;
    }
    const loaded = loadManifestFor(parsed.values, io);
    if (!loaded) return 2;
    let wh;
    let journal: CommandJournal | undefined;
    try {
      wh = await openWarehouseFor(loaded, parsed, io, 'query');
      // A dry run changes nothing, and neither does a read: only what changes the warehouse is journaled.
      if (effect.writes && !dryRun) {
        journal = await openCommandJournal(loaded.root, 'query');
        journal.record({ event: 'action-start', action: 'query', details: { sql, destructive: effect.destructive, confirmed: !!parsed.values.yes } });
      }
      let r;
      try {
        r = await wh.query(sql, { dryRun });
      } catch (err) {
        journal?.record({ event: 'action-error', action: 'query', error: (err as Error).message });
        throw err;
      }
      journal?.record({ event: 'action-end', action: 'query', rows: r.rows.length, ...(r.totalBytesProcessed !== undefined ? { bytes: Number(r.totalBytesProcessed) } : {}), ...(r.jobId ? { jobIds: [r.jobId] } : {}) });
      const least = r.bytesAccuracy === 'LOWER_BOUND' || (r.notEstimable && r.totalBytesProcessed !== undefined) ? 'at least ' : '';
      if (r.totalBytesProcessed !== undefined) io.stderr.write(`${dryRun ? 'would process' : 'processed'} ${least}${r.totalBytesProcessed} bytes${r.jobId ? ` (job ${r.jobId})` : ''}\n`);
      if (r.notEstimable) io.stderr.write(`${r.totalBytesProcessed === undefined ? 'bytes not estimable' : 'the rest is not estimable'}: ${r.notEstimable}\n`);
      if (format === 'json') io.stdout.write(`${JSON.stringify(r.rows, null, 2)}\n`);
      else if (r.rows.length || r.schema?.length) io.stdout.write(formatRows(r.rows, r.schema?.map((c) => c.name)));
      return 0;
    } catch (err) {
      return reportWarehouseError(err, io, 'query');
    } finally {
      journal?.close();
      await wh?.close();
    }
  },
};
