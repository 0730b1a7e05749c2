/** `bqmigrate export`: tables to Parquet, from --tables/--to or the manifest's export steps. */
import * as path from 'node:path';
import { EXPORT_COMPRESSIONS, exportTables, type ExportCompression, type ExportOutcome, type ExportSpec } from '../../core/inventory/index';
import { openCommandJournal } from '../../core/phases/command-journal';
import { formatRows, loadManifestFor, openWarehouseFor, parseWarehouseArgs, reportWarehouseError, WAREHOUSE_USAGE } from '../warehouse-options';
import { UsageError, type CliCommand } from './types';
import { appendAll } from '../../core/arrays';

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'export tables to Parquet (local files or gs://), verified row counts',
  usage: `usage: bqmigrate export [--tables T --to P] [--force] [--dry-run] [options]

Writes tables to Parquet. T is a dataset.table template over the manifest's variables, e.g.
"training.zl_training_{surface}_allhistory_{horizon}"; P is a path (relative to the manifest) or a
gs:// URI, with {table}, {dataset} and the variables, e.g. "exports/{table}.parquet". Without
--tables, every { "run": "export" } step of the manifest's phases is run.
Local warehouse: DuckDB writes the file. BigQuery: an extract job for gs://, or for a local path
the table is read through the API (with progress) and written by DuckDB. A local file newer than
the table is kept unless --force. The written row count is checked against the table.
  --tables T    the tables template
  --to P        the destination template
  --force       overwrite files newer than their table
  --dry-run     list what would be exported; write nothing
  --compression snappy|gzip|zstd
                Parquet compression (default snappy, on both backends; BigQuery's own default is none)
${WAREHOUSE_USAGE}`,
  async run(args, io) {
    const parsed = parseWarehouseArgs(args, { tables: { type: 'string' }, to: { type: 'string' }, force: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, compression: { type: 'string' } });
    const asked = parsed.values.compression as string | undefined;
    if (asked !== undefined && !(EXPORT_COMPRESSIONS as readonly string[]).includes(asked)) throw new UsageError(`--compression ${asked}: expected one of ${EXPORT_COMPRESSIONS.join(', ')}`);
    const compression = asked as ExportCompression | undefined;
    const { tables, to } = parsed.values as { tables?: string; to?: string };
    if ((tables === undefined) !== (to === undefined)) throw new UsageError('give both --tables and --to, or neither (then the manifest\'s export steps run)');
    const loaded = loadManifestFor(parsed.values, io);
    if (!loaded) return 2;
    const specs: ExportSpec[] = tables && to
      ? [{ tables, to, ...(compression ? { compression } : {}) }]
      : loaded.manifest.phases.flatMap((p) =>
          p.steps.filter((s) => s.run === 'export').map((s) => {
            const own = (s as { compression?: ExportCompression }).compression;
            return { tables: String(s.tables ?? ''), to: String(s.to ?? ''), ...(compression ?? own ? { compression: compression ?? own } : {}) };
          }),
        );
    if (!specs.length) throw new UsageError('no --tables/--to given and the manifest has no { "run": "export" } step');
    let wh;
    try {
      wh = await openWarehouseFor(loaded, parsed, io, 'export');
      const outcomes: ExportOutcome[] = [];
      const dryRun = !!parsed.values['dry-run'];
      // A dry run changes nothing, so it leaves no trace in the journal.
      const journal = dryRun ? undefined : await openCommandJournal(loaded.root, 'export');
      try {
        for (const spec of specs) {
          appendAll(outcomes, await exportTables(wh, spec, { loaded, force: !!parsed.values.force, dryRun, onEvent: journal?.record, onProgress: (m) => io.stderr.isTTY && io.stderr.write(`\r${m}`) }));
        }
      } finally {
        journal?.close();
      }
      io.stdout.write(
        formatRows(outcomes.map((o) => ({
          table: o.table,
          destination: o.destination.startsWith('gs://') ? o.destination : path.relative(io.cwd, o.destination),
          status: parsed.values['dry-run'] && o.status === 'exported' ? 'would export' : o.status,
          rows: o.rows ?? '',
          verified: o.verified ?? '',
        }))),
      );
      for (const o of outcomes.filter((x) => x.error)) io.stderr.write(`${o.table}: ${o.error}\n`);
      return outcomes.some((o) => o.status === 'failed') ? 1 : 0;
    } catch (err) {
      return reportWarehouseError(err, io, 'export');
    } finally {
      await wh?.close();
    }
  },
};
