/** `bqmigrate validate`: every validation check as a pass/fail table; writes .bqmigrate/validation-latest.json. */
import { formatValidationTable, validateMigration, validationPassed } from '../../core/phases/index';
import { COMMON_USAGE, loadForPhases, openFor, parsePhaseArgs, reportError } from '../phase-options';
import type { CliCommand } from './types';

export const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'check row counts, date ranges, schemas, metadata and content of every pair, and the manifest checks',
  usage: `usage: bqmigrate validate [--json] [options]

Checks, for every mapped table: the new table exists and is not empty; its row count equals the
legacy table's (or its archive copy's, once shimmed); its date range is preserved; the archive
copy holds the legacy rows; its metadata (partitioning, clustering, descriptions, labels, policy
tags) was kept, by the archive and by the new table; its content equals the legacy table's (or
the archive's), row for row by the mapping's "key" or as multisets (see \`bqmigrate diff\`);
every table of a templated family (the five horizons) has the same schema; and every SQL check
in the manifest's "checks" returns zero rows. A content check the byte budget does not cover
(--maximum-bytes-billed) is reported SKIP "not validated", never PASS.
Every object the journal says bqmigrate made (datasets, archive copies with their verified row
counts, new tables, shim views) is checked too: a dropped archive copy is a FAIL naming it, never
a check that quietly disappears. A check that cannot run is SKIP with its reason.
Prints a table of every check and writes .bqmigrate/validation-latest.json. Exit 1 if any check
fails, or if nothing was validated (no check passed or failed: an empty or unseeded warehouse).

  --json   print the report as JSON
${COMMON_USAGE}`,
  async run(args, io) {
    const parsed = parsePhaseArgs(args, { json: { type: 'boolean' } });
    const { values } = parsed;
    const loaded = loadForPhases(values, io);
    if (!loaded) return 2;
    let wh;
    try {
      wh = await openFor(loaded, parsed, io, 'validate');
      const report = await validateMigration(wh, loaded, { ...(parsed.maximumBytesBilled ? { maxContentBytes: parsed.maximumBytesBilled } : {}) });
      io.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatValidationTable(report)}\n`);
      if (report.nothingValidated) io.stderr.write(`bqmigrate validate: nothing was validated: ${report.nothingValidated}\n`);
      return validationPassed(report) ? 0 : 1;
    } catch (err) {
      return reportError(err, io);
    } finally {
      await wh?.close();
    }
  },
};
