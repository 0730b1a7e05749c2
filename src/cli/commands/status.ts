/** `bqmigrate status [--json] [--offline]`: phase status from the journal, and drift: what the journal says was made that the warehouse lacks. */
import { migrationState, readMigrationState, type MigrationState } from '../../core/history/team';
import { blockingProblems, buildLedger, findDrift, formatJournalProblem, formatStatus, phaseStatuses, unfinishedRun, type Drift } from '../../core/phases/index';
import { COMMON_USAGE, loadForPhases, openFor, parsePhaseArgs } from '../phase-options';
import type { CliCommand } from './types';

export const statusCommand: CliCommand = {
  name: 'status',
  summary: 'phase status (not started / in progress / complete / failed) from the journal, and drift from the warehouse',
  usage: `usage: bqmigrate status [--json] [--offline] [options]

Reads the run history for each phase's state: the warehouse's history table
(<project>.<history.dataset>.history, every machine's runs) merged with .bqmigrate/journal.jsonl
next to the manifest — or the journal alone, with a warning, when the warehouse cannot be read
(or with --offline). Names the run holding the migration lock, if any. Then it lists the
warehouse's drift: every object the journal says bqmigrate made (datasets, archive copies with
their verified rows, new tables, shim views) that the warehouse no longer holds as made — a
dropped table, a dropped dataset, a deleted local.duckdb. Reads listings only; changes nothing.
A journal line that cannot be used is named (file:line, what is wrong, the way out); a torn last
line (a crash mid-write) is named and tolerated.
Exit 1 when there is drift (\`run\` and \`rollback\` refuse until it is put back or told
--reconcile), a journal line cannot be used, or the warehouse could not be read; 0 otherwise.

  --json      print [{ id, title, state, start, end, runId, steps: [{ id, state, … }], drift? }]
  --offline   the local journal only: do not read the warehouse (no shared history, drift is not checked; says so)
${COMMON_USAGE}`,
  async run(args, io) {
    const parsed = parsePhaseArgs(args, { json: { type: 'boolean' }, offline: { type: 'boolean' } });
    const { values } = parsed;
    const loaded = loadForPhases(values, io, { phases: false });
    if (!loaded) return 2;
    // The warehouse history first (every machine's runs), the local journal alone when it cannot be read.
    let state: MigrationState;
    let wh;
    let unchecked: string | undefined;
    if (values.offline) {
      unchecked = '--offline: the warehouse was not read';
      state = migrationState(loaded, undefined, new Date());
    } else {
      const read = await readMigrationState(() => openFor(loaded, parsed, io, 'status'), loaded, parsed.backend);
      state = read.state;
      wh = read.wh;
      if (read.unreachable) unchecked = `the ${parsed.backend} warehouse could not be read: ${read.unreachable}`;
    }
    const shared = state.shared;
    const historyWarning = state.warning;
    const { reading, events } = shared;
    const statuses = phaseStatuses(loaded, events);
    // Every line the journal could not use is named, in either format; one that stops a run makes status fail.
    const blocking = blockingProblems(reading);
    for (const p of reading.problems) io.stderr.write(`${p.torn || p.setAside ? 'note' : 'error'}: ${formatJournalProblem(reading, p)}\n`);
    if (historyWarning) io.stderr.write(`warning: ${historyWarning}\n`);
    const ledger = buildLedger(loaded, events, parsed.backend);
    let drift: Drift[] = [];
    try {
      if (wh && ledger.size > 0) drift = await findDrift(wh, ledger);
    } catch (err) {
      unchecked = `the ${parsed.backend} warehouse could not be read: ${(err as Error).message.split('\n')[0]}`;
    } finally {
      await wh?.close();
    }
    for (const s of statuses) {
      const mine = drift.filter((d) => d.expected.phase === s.id).map((d) => d.detail);
      if (mine.length) s.drift = mine;
    }
    if (values.json) io.stdout.write(`${JSON.stringify(statuses, null, 2)}\n`);
    else {
      io.stdout.write(`${formatStatus(statuses)}\n`);
      const open = unfinishedRun(events);
      if (!blocking.length && open && !events.some((e) => e.runId === open.runId && e.event === 'run-end')) io.stdout.write(`\nrun ${open.runId} was interrupted: \`bqmigrate run --resume\` continues it (or \`bqmigrate run --abandon-run ${open.runId}\` gives it up)\n`);
      if (shared.remoteOnly) io.stdout.write(`\n${shared.remoteOnly} event(s) above come from the warehouse history (runs on other machines or an earlier .bqmigrate/)\n`);
      if (shared.lock) io.stdout.write(`\nrun ${shared.lock.runId} holds the migration lock: ${shared.lock.holder} on ${shared.lock.host}, since ${shared.lock.started}, last heartbeat ${shared.lock.heartbeat}\n`);
      if (blocking.length) io.stderr.write(`\nthe status above leaves out ${blocking.length === 1 ? 'that line' : 'those lines'}; run, --resume and rollback refuse until ${blocking.length === 1 ? 'it is' : 'they are'} dealt with\n`);
    }
    if (drift.length) io.stderr.write(`bqmigrate status: ${drift.length} object(s) the journal records are not in the ${parsed.backend} warehouse as made (drift); \`run\` and \`rollback\` refuse until they are put back or run with --reconcile\n`);
    if (unchecked) io.stderr.write(`bqmigrate status: drift not checked: ${unchecked}\n`);
    return blocking.length || drift.length || (unchecked && !values.offline) ? 1 : 0;
  },
};
