/** `bqmigrate rollback --phase ID [--yes]`: undoes a phase, restoring legacy tables from the archive. */
import { ConfirmationRequired, rollbackPhase } from '../../core/phases/index';
import { cancelOnSigint, COMMON_USAGE, loadForPhases, openFor, parsePhaseArgs, reportError } from '../phase-options';
import { UsageError, type CliCommand } from './types';

export const rollbackCommand: CliCommand = {
  name: 'rollback',
  summary: 'roll back a phase: drop what it created, restore legacy tables from the archive',
  usage: `usage: bqmigrate rollback --phase ID [--yes] [--resume] [--partial] [--reconcile] [options]

Undoes the phase's steps in reverse: shim views and dropped shims are replaced by the legacy
table restored from its archive copy (verified by row count before the swap); new tables are
dropped only while the legacy table still holds the data; archive copies are dropped only while
the legacy table has the same rows; datasets only if bqmigrate created them and they are empty.
See the plan first with \`bqmigrate plan --phase ID --rollback\`.
Before anything changes, every legacy table to restore must have its archive copy: one the
journal says was archived or shimmed whose archive copy is missing is named and the rollback
exits 1 having changed nothing (--partial restores the others and still exits 1 naming it).
Objects the journal records that the warehouse lacks make it refuse too (--reconcile).

  --phase ID   the phase to roll back
  --yes        confirm (rollback drops objects)
  --resume     continue an interrupted rollback
  --partial    restore what can be restored when some legacy tables cannot be; still exit 1, naming them
  --reconcile  record objects the journal lists but the warehouse lacks as gone, and plan from what exists
${COMMON_USAGE}`,
  async run(args, io) {
    const parsed = parsePhaseArgs(args, { phase: { type: 'string' }, yes: { type: 'boolean' }, resume: { type: 'boolean' }, partial: { type: 'boolean' }, reconcile: { type: 'boolean' } });
    const { values } = parsed;
    if (typeof values.phase !== 'string' && !values.resume) throw new UsageError('--phase ID is required');
    const loaded = loadForPhases(values, io);
    if (!loaded) return 2;
    const cancel = cancelOnSigint(io);
    let wh;
    try {
      wh = await openFor(loaded, parsed, io, 'rollback');
      const result = await rollbackPhase({ wh, loaded, phase: String(values.phase ?? ''), resume: !!values.resume, yes: !!values.yes, partial: !!values.partial, reconcile: !!values.reconcile, signal: cancel.signal, log: (line) => io.stdout.write(`${line}\n`) });
      const summary = `rollback ${result.runId}: ${result.status}${result.error ? ` — ${result.error}` : ''}`;
      (result.status === 'ok' ? io.stdout : io.stderr).write(`\n${summary}\n`);
      return result.status === 'ok' ? 0 : 1;
    } catch (err) {
      if (err instanceof ConfirmationRequired) {
        io.stderr.write(`bqmigrate rollback: ${err.message}\nreview with \`bqmigrate plan --phase ${String(values.phase)} --rollback\`, then run again with --yes\n`);
        return 1;
      }
      return reportError(err, io);
    } finally {
      cancel.dispose();
      await wh?.close();
    }
  },
};
