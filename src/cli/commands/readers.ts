/** `bqmigrate readers [--days N] [--json]`: who still reads each legacy name and shim. */
import { findReaders, formatReadersReport, readersExitCode, writeReadersFile } from '../../core/readers/index';
import { loadManifestFor, openWarehouseFor, parseWarehouseArgs, reportWarehouseError, WAREHOUSE_USAGE } from '../warehouse-options';
import { UsageError, type CliCommand } from './types';

export const readersCommand: CliCommand = {
  name: 'readers',
  summary: 'who read each legacy name and shim in the last N days (job history)',
  usage: `usage: bqmigrate readers [--days N] [--json] [options]

For every legacy name of the manifest's table mappings (shims included): who read it in the last N
days — principal, job count, last read, a sample job id. On BigQuery the jobs come from
\`region-<location>\`.INFORMATION_SCHEMA.JOBS (referenced_tables, and each job's query text read by
the same reference scanner as lint: cache-hit jobs have empty referenced_tables and are found only
by their text) and, where the credentials allow it (bigquery.jobs.listAll on the organization), from
JOBS_BY_ORGANIZATION for other projects; otherwise the report says "not verified for other
projects". bqmigrate's own labelled jobs are left out; \`bqmigrate query\` jobs count as reads. On the
local warehouse the jobs are the ones run through bqmigrate on its file. The report is also written
to .bqmigrate/readers.json (the editor's mapping tree and dashboard show it).
  --days N      the window, in days (default: the manifest's shims.quietDays)
  --json        the report as JSON on stdout
${WAREHOUSE_USAGE}
Exit codes: 0 every legacy name is quiet and verified, 1 a name is still read or could not be
verified (or the job history could not be read), 2 usage or manifest error.`,
  async run(args, io) {
    const parsed = parseWarehouseArgs(args, { days: { type: 'string' }, json: { type: 'boolean' } });
    const daysText = parsed.values.days as string | undefined;
    const loaded = loadManifestFor(parsed.values, io);
    if (!loaded) return 2;
    const days = daysText === undefined ? Math.max(1, loaded.manifest.shims.quietDays) : Number(daysText);
    if (!Number.isInteger(days) || days < 1 || days > 180) throw new UsageError(`--days must be a whole number of days from 1 to 180 (INFORMATION_SCHEMA.JOBS keeps 180 days), not "${daysText}"`);
    let wh;
    try {
      wh = await openWarehouseFor(loaded, parsed, io, 'readers');
      const report = await findReaders(wh, loaded, { days });
      const file = writeReadersFile(loaded.root, report);
      if (parsed.values.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else io.stdout.write(formatReadersReport(report));
      io.stderr.write(`report written to ${file}\n`);
      return readersExitCode(report);
    } catch (err) {
      return reportWarehouseError(err, io, 'readers');
    } finally {
      await wh?.close();
    }
  },
};
