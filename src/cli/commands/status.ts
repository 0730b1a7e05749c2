/** `bqmigrate status [--json]`: phase and step status derived from the journal (no warehouse access). */
import { blockingProblems, formatJournalProblem, formatStatus, inspectJournal, phaseStatuses, unfinishedRun } from '../../core/phases/index';
import { loadForPhases, parsePhaseArgs } from '../phase-options';
import type { CliCommand } from './types';

export const statusCommand: CliCommand = {
  name: 'status',
  summary: 'phase status (not started / in progress / complete / failed) from the journal',
  usage: `usage: bqmigrate status [--json] [--manifest F]

Reads .bqmigrate/journal.jsonl next to the manifest; touches no warehouse. A journal line that cannot
be used is named (file:line, what is wrong, the way out) and the exit code is 1; a torn last line
(a crash mid-write) is named and tolerated.

  --json   print [{ id, title, state, start, end, runId, steps: [{ id, state, … }] }]`,
  async run(args, io) {
    const { values } = parsePhaseArgs(args, { json: { type: 'boolean' } });
    const loaded = loadForPhases(values, io, { phases: false });
    if (!loaded) return 2;
    const reading = inspectJournal(loaded.root);
    const events = reading.events;
    const statuses = phaseStatuses(loaded, events);
    // Every line the journal could not use is named, in either format; one that stops a run makes status fail.
    const blocking = blockingProblems(reading);
    for (const p of reading.problems) io.stderr.write(`${p.torn || p.setAside ? 'note' : 'error'}: ${formatJournalProblem(reading, p)}\n`);
    if (values.json) {
      io.stdout.write(`${JSON.stringify(statuses, null, 2)}\n`);
      return blocking.length ? 1 : 0;
    }
    io.stdout.write(`${formatStatus(statuses)}\n`);
    const open = unfinishedRun(events);
    if (!blocking.length && open && !events.some((e) => e.runId === open.runId && e.event === 'run-end')) io.stdout.write(`\nrun ${open.runId} was interrupted: \`bqmigrate run --resume\` continues it (or \`bqmigrate run --abandon-run ${open.runId}\` gives it up)\n`);
    if (blocking.length) io.stderr.write(`\nthe status above leaves out ${blocking.length === 1 ? 'that line' : 'those lines'}; run, --resume and rollback refuse until ${blocking.length === 1 ? 'it is' : 'they are'} dealt with\n`);
    return blocking.length ? 1 : 0;
  },
};
