/** `bqmigrate run (--phase ID | --all) [--yes] [--resume]`: executes phases with the journal; resumable. */
import { abandonRun, ConfirmationRequired, DependenciesNotMet, OverBudget, formatPlanCost, runPhases } from '../../core/phases/index';
import { cancelOnSigint, COMMON_USAGE, loadForPhases, openFor, parsePhaseArgs, reportError } from '../phase-options';
import { UsageError, type CliCommand } from './types';

export const runCommand: CliCommand = {
  name: 'run',
  summary: 'run a phase or all phases against the warehouse (journaled, resumable)',
  usage: `usage: bqmigrate run (--phase ID | --all | --resume | --abandon-run ID) [--yes] [--reconcile] [--over-budget] [--concurrency N] [--include-disabled] [--assume-quiet] [options]

Runs the steps of one phase, or of every phase in order. Every step's start and end, job ids,
row counts, bytes and errors go to .bqmigrate/journal.jsonl. Interrupted (Ctrl-C, crash,
kill -9)? \`bqmigrate run --resume\` continues the same run and reaches the same end state.
A phase runs only when the phases in its "dependsOn" are complete (or run before it in the same
run). With "budget": {"maxBytesBilled": N} in the manifest the run is priced first (dry runs, as
\`bqmigrate plan\` shows) and refuses to start over budget; every job carries maximumBytesBilled.
Before anything runs, the warehouse must hold what the journal says earlier runs made (datasets,
archive copies with their verified rows, new tables, shim views): if it does not (a dropped
table, a deleted local.duckdb), the run refuses, naming each object (exit 1). A step that can do
none of what it was asked (no mapped table is in the warehouse) fails the run.

  --phase ID        the phase to run (repeatable through --all only)
  --all             every phase, in manifest order
  --resume          continue the interrupted run
  --reconcile       the journal records objects the warehouse lacks: record them as gone (journaled) and plan from what exists
  --abandon-run ID  give up run ID: append its run-end with status "abandoned" (nothing runs, no line is
                    rewritten), so the journal no longer shows it open; \`line:N\` sets aside unusable line N
  --yes             confirm destructive steps (shim views replace legacy tables, drop-shims, DROP in sql steps)
  --over-budget     run although the plan would bill more than budget.maxBytesBilled (jobs stay capped)
  --concurrency N   independent actions in flight at once (default 4 on BigQuery, 1 on the local warehouse)
  --include-disabled  repoint-definitions: update disabled scheduled queries too (left alone otherwise)
  --assume-quiet      drop-shims: drop a shim nobody in the project read although its reads from other
                      projects could not be verified (no JOBS_BY_ORGANIZATION access; see bqmigrate readers)
${COMMON_USAGE}`,
  async run(args, io) {
    const parsed = parsePhaseArgs(args, { phase: { type: 'string' }, all: { type: 'boolean' }, resume: { type: 'boolean' }, yes: { type: 'boolean' }, 'over-budget': { type: 'boolean' }, concurrency: { type: 'string' }, 'include-disabled': { type: 'boolean' }, 'assume-quiet': { type: 'boolean' }, 'abandon-run': { type: 'string' }, reconcile: { type: 'boolean' } });
    const { values } = parsed;
    if (values['abandon-run'] !== undefined) {
      if (values.resume || values.phase !== undefined || values.all) throw new UsageError('--abandon-run goes alone: abandon first, then start a run');
      const loaded = loadForPhases(values, io, { phases: false });
      if (!loaded) return 2;
      try {
        io.stdout.write(`${abandonRun(loaded.root, String(values['abandon-run'])).message}\n`);
        return 0;
      } catch (err) {
        return reportError(err, io);
      }
    }
    if (!values.resume && (values.phase === undefined) === !values.all) throw new UsageError('give exactly one of --phase ID or --all (or --resume)');
    const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
    if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) throw new UsageError('--concurrency must be a positive integer');
    const loaded = loadForPhases(values, io);
    if (!loaded) return 2;
    const phases = typeof values.phase === 'string' ? [values.phase] : loaded.manifest.phases.map((p) => p.id);
    const cancel = cancelOnSigint(io);
    let wh;
    try {
      wh = await openFor(loaded, parsed, io, 'run');
      const result = await runPhases({ wh, loaded, phases, resume: !!values.resume, yes: !!values.yes, ...(values['over-budget'] ? { overBudget: true } : {}), concurrency, ...(values['include-disabled'] ? { includeDisabled: true } : {}), ...(values['assume-quiet'] ? { assumeQuiet: true } : {}), ...(values.reconcile ? { reconcile: true } : {}), signal: cancel.signal, log: (line) => io.stdout.write(`${line}\n`) });
      const summary = `run ${result.runId}: ${result.status}${result.error ? ` — ${result.error}` : ''}`;
      if (result.status === 'ok') io.stdout.write(`\n${summary}\n`);
      else io.stderr.write(`\n${summary}\n${result.status === 'cancelled' ? 'continue with `bqmigrate run --resume`\n' : 'fix the cause, then `bqmigrate run --resume` (or `bqmigrate rollback --phase ID`)\n'}`);
      return result.status === 'ok' ? 0 : 1;
    } catch (err) {
      if (err instanceof ConfirmationRequired) {
        io.stderr.write(`bqmigrate run: ${err.message}\nreview them with \`bqmigrate plan\`, then run again with --yes\n`);
        return 1;
      }
      if (err instanceof OverBudget) {
        io.stderr.write(`${formatPlanCost(err.cost)}\nbqmigrate run: nothing ran: ${err.message}\nraise budget.maxBytesBilled in bqmigrate.json or run again with --over-budget\n`);
        return 2;
      }
      if (err instanceof DependenciesNotMet) {
        io.stderr.write(`bqmigrate run: nothing ran: ${err.message}\n`);
        return 2;
      }
      return reportError(err, io);
    } finally {
      cancel.dispose();
      await wh?.close();
    }
  },
};
