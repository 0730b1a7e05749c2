/** `bqmigrate unlock --run ID [--yes]`: takes the migration lock of a run that died (its heartbeat is stale). */
import { breakLock, inspectLockFor } from '../../core/history/lock';
import { describeProgress } from '../../core/history/progress';
import { runIdentity } from '../../core/history/identity';
import { insertHistory, readHistory } from '../../core/history/table';
import { JournalWriter } from '../../core/phases/journal';
import { COMMON_USAGE, loadForPhases, openFor, parsePhaseArgs, reportError } from '../phase-options';
import { UsageError, type CliCommand } from './types';

export const unlockCommand: CliCommand = {
  name: 'unlock',
  summary: 'take the migration lock of a run that died (stale heartbeat), after confirmation',
  usage: `usage: bqmigrate unlock --run ID [--yes] [options]

A run holds the migration lock (<project>.<history.dataset>.lock, default _bqmigrate.lock) from
before its first step to its end and renews a heartbeat while it runs. A run that was killed or
lost its machine leaves the lock behind; once its heartbeat is older than lock.staleMinutes
(default 30), this command says what that run was doing (from the warehouse history) and, with
--yes, removes the lock and records that in the history. Then \`bqmigrate run --resume\` continues
the run's work from any machine. A lock whose heartbeat is fresh, or held by another run id, is
refused (exit 1); without --yes nothing changes (exit 1).

  --run ID   the run holding the lock (\`bqmigrate run\` names it when it refuses)
  --yes      confirm: remove the lock
${COMMON_USAGE}`,
  async run(args, io) {
    const parsed = parsePhaseArgs(args, { run: { type: 'string' }, yes: { type: 'boolean' } });
    const { values } = parsed;
    if (typeof values.run !== 'string' || !values.run) throw new UsageError('give the run holding the lock: --run ID');
    const runId = values.run;
    const loaded = loadForPhases(values, io, { phases: false });
    if (!loaded) return 2;
    let wh;
    try {
      wh = await openFor(loaded, parsed, io, 'unlock');
      const { lock } = await inspectLockFor(wh, loaded, runId);
      const history = (await readHistory(wh, loaded)) ?? [];
      const progress = describeProgress(history.map((h) => h.event), runId);
      io.stdout.write(`the migration lock is held by run ${lock.runId}: ${lock.holder} on ${lock.host}, since ${lock.started}, last heartbeat ${lock.heartbeat} (stale)\n${progress}\n`);
      if (!values.yes) {
        io.stderr.write('bqmigrate unlock: nothing changed; run again with --yes to remove the lock\n');
        return 1;
      }
      if (!(await breakLock(wh, loaded, runId))) {
        io.stderr.write(`bqmigrate unlock: the lock changed hands while this ran; nothing changed (\`bqmigrate status\`)\n`);
        return 1;
      }
      const writer = new JournalWriter(loaded.root);
      const identity = await runIdentity(wh, loaded);
      try {
        const e = writer.append({ runId, event: 'unlock', details: { by: identity.principal, host: identity.host, holder: lock.holder, heartbeat: lock.heartbeat, progress } });
        await insertHistory(wh, loaded, [{ event: e, seq: writer.history().length - 1, identity }]).catch((err: Error) => io.stderr.write(`bqmigrate unlock: the lock is removed; recording that in the warehouse history failed (${err.message.split('\n')[0]}); the next run uploads it\n`));
      } finally {
        writer.close();
      }
      io.stdout.write(`lock of run ${runId} removed; continue its work with \`bqmigrate run --resume\`\n`);
      return 0;
    } catch (err) {
      return reportError(err, io);
    } finally {
      await wh?.close();
    }
  },
};
