/** `bqmigrate check-access`: each approved dataset exists in the right location and is writable, readable and droppable. */
import { approvedDatasets, checkAccess, formatAccessTable } from '../../core/inventory/index';
import { openCommandJournal } from '../../core/phases/command-journal';
import { loadManifestFor, openWarehouseFor, parseWarehouseArgs, reportWarehouseError, WAREHOUSE_USAGE } from '../warehouse-options';
import { UsageError, type CliCommand } from './types';

export const checkAccessCommand: CliCommand = {
  name: 'check-access',
  summary: 'verify each approved dataset exists in its location and the credentials can create, read and drop there',
  usage: `usage: bqmigrate check-access [--dataset D]... [--json] [options]

For each dataset of the manifest's "datasets" (or each --dataset): it exists, in the location the
manifest expects, and the current credentials can create, read and drop a scratch table named
_bqmigrate_probe_<random> (always removed, even when a check fails). A failure names the missing
IAM permission when BigQuery says which. Exit 1 when any check fails.
  --dataset D   only this dataset (repeatable)
  --json        results as JSON
${WAREHOUSE_USAGE}`,
  async run(args, io) {
    const parsed = parseWarehouseArgs(args, { dataset: { type: 'string', multiple: true }, json: { type: 'boolean' } });
    const loaded = loadManifestFor(parsed.values, io);
    if (!loaded) return 2;
    const only = parsed.values.dataset as string[] | undefined;
    const all = approvedDatasets(loaded);
    const unknown = only?.filter((d) => !all.some((a) => a.dataset === d)) ?? [];
    if (unknown.length) throw new UsageError(`not an approved dataset of the manifest: ${unknown.join(', ')} (approved: ${all.map((a) => a.dataset).join(', ')})`);
    let wh;
    try {
      wh = await openWarehouseFor(loaded, parsed, io, 'check-access');
      const journal = await openCommandJournal(loaded.root, 'check-access');
      let checks;
      try {
        checks = await checkAccess(wh, only ? all.filter((a) => only.includes(a.dataset)) : all, { onEvent: journal.record });
      } finally {
        journal.close();
      }
      io.stdout.write(parsed.values.json ? `${JSON.stringify(checks, null, 2)}\n` : formatAccessTable(checks));
      return checks.every((c) => c.ok) ? 0 : 1;
    } catch (err) {
      return reportWarehouseError(err, io, 'check-access');
    } finally {
      await wh?.close();
    }
  },
};
