/** `bqmigrate status [--json]`: phase and step status derived from the journal (no warehouse access). */
import { formatStatus, phaseStatuses, readJournal, unfinishedRun } from '../../core/phases/index';
import { loadForPhases, parsePhaseArgs } from '../phase-options';
import type { CliCommand } from './types';

export const statusCommand: CliCommand = {
  name: 'status',
  summary: 'phase status (not started / in progress / complete / failed) from the journal',
  usage: `usage: bqmigrate status [--json] [--manifest F]

Reads .bqmigrate/journal.jsonl next to the manifest; touches no warehouse.

  --json   print [{ id, title, state, start, end, runId, steps: [{ id, state, … }] }]`,
  async run(args, io) {
    const { values } = parsePhaseArgs(args, { json: { type: 'boolean' } });
    const loaded = loadForPhases(values, io, { phases: false });
    if (!loaded) return 2;
    const events = readJournal(loaded.root);
    const statuses = phaseStatuses(loaded, events);
    if (values.json) {
      io.stdout.write(`${JSON.stringify(statuses, null, 2)}\n`);
      return 0;
    }
    io.stdout.write(`${formatStatus(statuses)}\n`);
    const open = unfinishedRun(events);
    if (open && !events.some((e) => e.runId === open.runId && e.event === 'run-end')) io.stdout.write(`\nrun ${open.runId} was interrupted: \`bqmigrate run --resume\` continues it\n`);
    return 0;
  },
};
