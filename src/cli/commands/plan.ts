/** `bqmigrate plan [--phase ID]`: every step's exact SQL and what it costs (dry runs), without running anything. */
import { buildLedger, findDrift, formatPlan, formatPlanCost, planBlockers, previewPhase, readJournal, totalCost, type PhasePlan, type PlanCost, type StepCost } from '../../core/phases/index';
import { readSharedHistory } from '../../core/history/shared';
import { COMMON_USAGE, loadForPhases, openFor, parsePhaseArgs, reportError } from '../phase-options';
import type { CliCommand } from './types';

export const planCommand: CliCommand = {
  name: 'plan',
  summary: 'show what a phase (or every phase) would run: exact SQL, bytes processed and billed, money',
  usage: `usage: bqmigrate plan [--phase ID] [--rollback] [--json] [options]

Plans against the warehouse as it is now (wildcard mappings expand over existing tables)
and prints every step and action with the exact SQL it runs. Nothing is changed.
Every statement is dry-run: bytes processed, bytes billed (whole MiB, at least 10 MiB per
query) and money at pricing.onDemandUsdPerTiB (default: the on-demand list price, named in
the output), per action, per step and in total; copy jobs and metadata operations are free.
Statements that read what an earlier phase creates, and scripts from a CREATE TEMP TABLE on
(BigQuery cannot dry-run it), cannot be priced yet and are counted as "not estimable", never
as 0 bytes; an estimate BigQuery gives only as a lower bound is shown "at least …".
With budget.maxBytesBilled the total is checked against it.
Exit 1 when \`run\`/\`rollback\` would refuse the plan: objects the journal records that the
warehouse lacks (drift, see \`bqmigrate status\`), or what a step cannot do (BLOCKED lines: a
rollback with no archive copy to restore from, a step with no mapped table to work on).

  --phase ID   one phase (default: all, in manifest order)
  --rollback   show the rollback plan of --phase instead
  --json       machine-readable plan
  --include-disabled  repoint-definitions: plan updates of disabled scheduled queries too
${COMMON_USAGE}`,
  async run(args, io) {
    const parsed = parsePhaseArgs(args, { phase: { type: 'string' }, json: { type: 'boolean' }, rollback: { type: 'boolean' }, 'include-disabled': { type: 'boolean' } });
    const { values } = parsed;
    const loaded = loadForPhases(values, io);
    if (!loaded) return 2;
    const phases = typeof values.phase === 'string' ? [values.phase] : loaded.manifest.phases.map((p) => p.id);
    if (phases.length === 0) {
      io.stderr.write(`bqmigrate plan: ${loaded.file} has no "phases"; add some (see \`bqmigrate init\`)\n`);
      return 2;
    }
    let wh;
    try {
      wh = await openFor(loaded, parsed, io, 'plan');
      const out: unknown[] = [];
      const steps: StepCost[] = [];
      const plans: PhasePlan[] = [];
      // What earlier runs made, from every machine's history (the local journal alone, with a warning, when it cannot be read).
      let events;
      try {
        events = (await readSharedHistory(wh, loaded)).events;
      } catch (err) {
        io.stderr.write(`warning: the ${wh.kind} warehouse history could not be read (${(err as Error).message.split('\n')[0]}): planning from this machine's journal only\n`);
        events = readJournal(loaded.root);
      }
      const ledger = buildLedger(loaded, events, wh.kind);
      const drift = await findDrift(wh, ledger);
      for (const id of phases) {
        const { plan, bytes, cost } = await previewPhase(wh, loaded, id, { rollback: !!values.rollback, includeDisabled: !!values['include-disabled'], ledger });
        plans.push(plan);
        for (const st of cost.steps) steps.push(st);
        if (values.json) {
          const actionCost = (step: string, action: string) => cost.steps.find((c) => c.step === step)?.actions.find((c) => c.action === action);
          out.push({
            phase: plan.phase,
            title: plan.title,
            steps: plan.steps.map((s) => ({
              id: s.id,
              kind: s.kind,
              title: s.title,
              destructive: s.destructive,
              notes: s.notes,
              ...(s.blockers ? { blockers: s.blockers } : {}),
              actions: s.actions.map((a) => {
                const c = actionCost(s.id, a.id);
                return { id: a.id, title: a.title, destructive: a.destructive, sql: a.sql, ...(a.diff ? { diff: a.diff } : {}), dryRunBytes: c?.processed, ...(c ? { cost: jsonCost(c) } : {}) };
              }),
            })),
            cost: { processed: cost.processed, billed: cost.billed, usd: cost.usd, unknown: cost.unknown, lowerBound: cost.lowerBound, price: cost.price, ...(cost.budget ? { budget: cost.budget } : {}) },
          });
        } else io.stdout.write(`${formatPlan(plan, bytes)}\n\n`);
      }
      const total = totalCost(loaded, steps);
      if (values.json) io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      else io.stdout.write(`${formatPlanCost(total)}\n`);
      if (total.budget?.over) io.stderr.write(`bqmigrate plan: over budget — \`bqmigrate run\` of ${phases.length === 1 ? `phase ${phases[0]}` : 'these phases'} refuses to start without --over-budget\n`);
      const verb = values.rollback ? 'rollback' : 'run';
      const blockers = planBlockers(plans);
      if (drift.length) io.stderr.write(`bqmigrate plan: \`bqmigrate ${verb}\` would refuse: the journal records ${drift.length} object(s) the warehouse lacks:\n${drift.map((d) => `  - ${d.detail}`).join('\n')}\nput them back, or run with --reconcile to plan from what exists\n`);
      if (blockers.length) io.stderr.write(`bqmigrate plan: \`bqmigrate ${verb}\` would refuse:\n${blockers.map((b) => `  - ${b}`).join('\n')}\n${values.rollback ? '--partial restores only what can be restored (and still fails, naming the rest)\n' : ''}`);
      return drift.length || blockers.length ? 1 : 0;
    } catch (err) {
      return reportError(err, io);
    } finally {
      await wh?.close();
    }
  },
};

/** An action's cost for --json: the statements without their SQL (the action lists it). */
function jsonCost(c: PlanCost['steps'][number]['actions'][number]) {
  return { processed: c.processed, billed: c.billed, usd: c.usd, unknown: c.unknown, lowerBound: c.lowerBound, statements: c.statements.map(({ sql: _sql, ...rest }) => rest) };
}
