/** `bqmigrate definitions pull [--out DIR] [--dataset D]… [--check] [--prune] [--no-scheduled]`: warehouse definitions into files. */
import { formatPullReport, pullDefinitions } from '../../core/definitions/pull';
import { loadManifestFor, openWarehouseFor, parseWarehouseArgs, reportWarehouseError, WAREHOUSE_USAGE } from '../warehouse-options';
import { UsageError, type CliCommand } from './types';

export const definitionsCommand: CliCommand = {
  name: 'definitions',
  summary: 'pull views, materialized views, routines and scheduled queries into files (lint and fix them like code)',
  usage: `usage: bqmigrate definitions pull [--out DIR] [--dataset D]… [--check] [--prune] [--no-scheduled] [options]

Writes one file per warehouse object that alone re-creates it:
  DIR/<dataset>/<name>.sql          CREATE OR REPLACE VIEW|MATERIALIZED VIEW|FUNCTION|TABLE FUNCTION|PROCEDURE … OPTIONS(…) AS …
  DIR/_scheduled/<display name>.sql  a scheduled query: header (config id, schedule, destination, write disposition), then the query
Files are written only when their text changes: a second pull with nothing changed rewrites nothing.
The files are ordinary lint and fix input; the repoint-definitions step pushes edited files back.

  --out DIR        folder to write (default: "definitions.dir" of the manifest, "warehouse/" next to it)
  --dataset D      only this dataset (repeatable; default: every dataset)
  --check          write nothing; exit 1 when the files and the warehouse differ (for CI)
  --prune          remove files of objects the warehouse no longer has
  --no-scheduled   skip scheduled queries (the Data Transfer Service)
${WAREHOUSE_USAGE}

Exit codes: 0 pulled (or, with --check, in sync), 1 differences with --check or an object that
could not be pulled, 2 usage or manifest error.`,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub !== 'pull') throw new UsageError(sub === undefined ? 'give a subcommand: pull' : `unknown subcommand "${sub}": expected pull`);
    const parsed = parseWarehouseArgs(rest, { out: { type: 'string' }, dataset: { type: 'string', multiple: true }, check: { type: 'boolean' }, prune: { type: 'boolean' }, 'no-scheduled': { type: 'boolean' } });
    const v = parsed.values;
    if (v.check && v.prune) throw new UsageError('--check writes nothing; it cannot be combined with --prune');
    const loaded = loadManifestFor(v, io);
    if (!loaded) return 2;
    let wh;
    try {
      wh = await openWarehouseFor(loaded, parsed, io, 'definitions-pull');
      const report = await pullDefinitions(wh, loaded, {
        dir: typeof v.out === 'string' ? v.out : undefined,
        datasets: Array.isArray(v.dataset) ? (v.dataset as string[]) : undefined,
        scheduled: !v['no-scheduled'],
        check: !!v.check,
        prune: !!v.prune,
        onProgress: io.stderr.isTTY ? (m) => io.stderr.write(`${m}…\n`) : undefined,
      });
      io.stdout.write(`${formatPullReport(report, { check: !!v.check, root: io.cwd })}\n`);
      if (report.refused.length || report.errors.length) return 1;
      if (v.check && report.differs) {
        io.stderr.write('bqmigrate definitions pull --check: the files and the warehouse differ; run `bqmigrate definitions pull` (or push the files with a repoint-definitions step)\n');
        return 1;
      }
      return 0;
    } catch (err) {
      return reportWarehouseError(err, io, 'definitions pull');
    } finally {
      await wh?.close();
    }
  },
};
