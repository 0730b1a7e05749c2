/**
 * `run` and `rollback`: plan each phase against a fresh snapshot, ask for confirmation of
 * destructive steps up front, execute step by step with the journal, resume an interrupted
 * run, and write the completed mappings' statuses back into bqmigrate.json.
 */
import { tableMappingAt } from '../manifest/schema';
import * as fs from 'node:fs';
import { ManifestError, parseManifest, type LoadedManifest } from '../manifest/load';
import type { Warehouse } from '../warehouse/types';
import { executeStep, journalAppend, type ExecuteHooks, type StepResult } from './execute';
import { finishedActions, finishedSteps, JournalWriter, newRunId, readJournal, sortByTime, unfinishedRun } from './journal';
import { assertJournalUsable, formatJournalProblem } from './journal-recovery';
import { DependenciesNotMet, unmetDependencies } from './depends';
import { checkPhasesManifest } from './manifest-check';
import { applyStatusUpdates, type StatusUpdate } from './manifest-status';
import { cappedWarehouse, estimateCost, formatCost, formatPlanCost, OverBudget, type PlanCost } from './cost';
import { buildLedger, DriftDetected, findDrift, forgottenKeys, type Ledger } from './ledger';
import { findPhase, planBlockers, planPhase, planRollback, stepId } from './plan';
import { needsDefinitions, takeSnapshot } from './snapshot';
import { startRunHistory, type RunHistory } from '../history/session';
import { formatManifestChange, ManifestChanged, manifestChange, manifestRecord } from '../history/manifest-change';
import type { JournalEvent, PhasePlan, PlannedStep } from './types';

export interface RunOptions extends ExecuteHooks {
  wh: Warehouse;
  loaded: LoadedManifest;
  /** Phase ids in order; ignored with `resume` (the interrupted run's phases are used). */
  phases?: string[];
  resume?: boolean;
  /** Confirms destructive steps (`--yes`, the editor's modal). */
  yes?: boolean;
  today?: Date;
  /** Run although the plan would bill more than budget.maxBytesBilled (`--over-budget`); each job is still capped. */
  overBudget?: boolean;
  /** repoint-definitions: also update disabled scheduled queries (`--include-disabled`); a resumed run keeps the original run's choice. */
  includeDisabled?: boolean;
  /** drop-shims: a shim whose reads from other projects could not be verified counts as quiet (`--assume-quiet`); a resumed run keeps the original run's choice. */
  assumeQuiet?: boolean;
  /** The journal records objects the warehouse lacks: record them as gone and plan from what exists (`--reconcile`), instead of refusing. */
  reconcile?: boolean;
  /** Rollback: restore what can be restored although some legacy tables cannot be (`--partial`); the result is still a failure naming them. */
  partial?: boolean;
  onEvent?(e: JournalEvent): void;
  /** The lock's heartbeat period in ms (default: a third of lock.staleMinutes, at most a minute). */
  heartbeatMs?: number;
}

export interface RunResult {
  runId: string;
  status: 'ok' | 'failed' | 'cancelled';
  steps: StepResult[];
  error?: string;
  /** The manifest after status updates. */
  loaded: LoadedManifest;
}

/** A rollback cannot restore everything it must (archive copies are gone); nothing ran. */
export class PlanBlocked extends Error {
  override name = 'PlanBlocked';
  constructor(readonly blockers: string[]) {
    super(
      `the rollback cannot restore everything; nothing was changed:\n${blockers.map((b) => `  - ${b}`).join('\n')}\n` +
        'put the archive copies back, or run again with --partial to restore only what can be restored (the rollback still fails, naming what it left)',
    );
  }
}

/** Destructive steps were planned and not confirmed; nothing ran. */
export class ConfirmationRequired extends Error {
  override name = 'ConfirmationRequired';
  constructor(readonly steps: string[]) {
    super(`these steps drop or replace warehouse objects and need confirmation (--yes): ${steps.join(', ')}`);
  }
}

export function assertManifestReady(loaded: LoadedManifest): void {
  const problems = checkPhasesManifest(loaded);
  if (problems.length) throw new ManifestError(problems);
}

function reload(loaded: LoadedManifest): LoadedManifest {
  const r = parseManifest(fs.readFileSync(loaded.file, 'utf8'), loaded.file);
  return r.ok ? r.loaded : loaded;
}

/** Forward runs only move a mapping's status forward; rollbacks set it back explicitly. */
const STATUS_RANK: Record<string, number> = { planned: 0, migrated: 1, shimmed: 2, archived: 3, dropped: 4 };

function statusUpdates(loaded: LoadedManifest, step: PlannedStep, result: StepResult, today: Date, rollback: boolean): StatusUpdate[] {
  if (!step.marks || result.status !== 'ok') return [];
  const phase = findPhase(loaded, step.phase);
  const manifestStep = phase.steps.find((_s, i) => stepId(phase.steps, i) === step.id);
  if (manifestStep && (manifestStep as Record<string, unknown>).tables !== undefined) return [];
  const indices = new Set<number>();
  const columns = new Set<number>();
  for (const a of step.actions) {
    if (a.mapping) indices.add(a.mapping.mappingIndex);
    for (const c of a.columnMappings ?? []) columns.add(c);
  }
  const updates: StatusUpdate[] = [];
  const day = today.toISOString().slice(0, 10);
  // A mapping a partial rollback could not restore keeps its status: part of it is still shimmed.
  for (const index of step.blockedMappings ?? []) indices.delete(index);
  // A column mapping's status follows its table's; it has no shimmedOn of its own (the table's grace period applies).
  for (const a of step.actions) if (a.mapping && step.blockedMappings?.includes(a.mapping.mappingIndex)) for (const c of a.columnMappings ?? []) columns.delete(c);
  for (const index of columns) {
    const current = loaded.manifest.mappings[index];
    if (current?.kind !== 'column') continue;
    if (!rollback && (STATUS_RANK[current.status] ?? 0) >= (STATUS_RANK[step.marks.status] ?? 0)) continue;
    if (current.status !== step.marks.status) updates.push({ mappingIndex: index, status: step.marks.status });
  }
  for (const index of indices) {
    const current = tableMappingAt(loaded.manifest, index);
    if (!current) continue;
    if (!rollback && (STATUS_RANK[current.status] ?? 0) >= (STATUS_RANK[step.marks.status] ?? 0) && !(step.marks.shimmedOn === true && !current.shimmedOn)) continue;
    let shimmedOn: string | null | undefined;
    if (step.marks.shimmedOn === true) shimmedOn = current.shimmedOn ?? day;
    else if (step.marks.shimmedOn === 'clear') shimmedOn = current.shimmedOn === undefined ? undefined : null;
    if (current.status === step.marks.status && (shimmedOn === undefined || shimmedOn === (current.shimmedOn ?? null))) continue;
    updates.push({ mappingIndex: index, status: step.marks.status, shimmedOn });
  }
  return updates;
}

async function runPlans(
  opts: RunOptions,
  kind: 'run' | 'rollback',
  phases: string[],
  planOne: (loaded: LoadedManifest, phase: string, flags: { includeDisabled?: boolean; assumeQuiet?: boolean; ledger?: Ledger }) => Promise<PhasePlan>,
): Promise<RunResult> {
  const loaded = opts.loaded;
  // The local warehouse serialises writes in one DuckDB file; concurrency pays off on BigQuery.
  opts = { ...opts, concurrency: opts.concurrency ?? (opts.wh.kind === 'local' ? 1 : 4) };
  assertManifestReady(loaded);
  // A damaged local journal is refused before the shared history is touched: nothing is uploaded from it or added to it.
  assertJournalUsable(loaded.root);
  // The lock first, then the shared history: what this run plans on cannot change under it.
  const lost = new AbortController();
  const history = await startRunHistory(opts.wh, loaded, {
    runId: newRunId(),
    phases,
    log: opts.log,
    heartbeatMs: opts.heartbeatMs,
    onLost: (why) => {
      opts.log?.(`✗ ${why}`);
      lost.abort();
    },
  });
  const signal = opts.signal ? AbortSignal.any([opts.signal, lost.signal]) : lost.signal;
  opts = { ...opts, signal };
  try {
    const result = await runLocked(opts, kind, phases, planOne, history);
    const note = await history.finish();
    if (note) opts.log?.(`warning: ${note}`);
    return lost.signal.aborted ? { ...result, status: 'failed', error: history.lock.lost ?? result.error } : result;
  } catch (err) {
    const note = await history.finish();
    if (note) opts.log?.(`warning: ${note}`);
    throw err;
  }
}

async function runLocked(
  opts: RunOptions,
  kind: 'run' | 'rollback',
  phases: string[],
  planOne: (loaded: LoadedManifest, phase: string, flags: { includeDisabled?: boolean; assumeQuiet?: boolean; ledger?: Ledger }) => Promise<PhasePlan>,
  history: RunHistory,
): Promise<RunResult> {
  let loaded = opts.loaded;
  // A journal line that cannot be used stops the run here, named with its line and the way out, before anything runs.
  const reading = assertJournalUsable(loaded.root);
  // The whole history: this journal and what the warehouse holds of runs on other machines.
  const events = [...reading.events, ...history.remoteOnly];
  sortByTime(events);
  // What the journal says exists must exist before anything is planned on it (resume included).
  const ledger = buildLedger(loaded, events, opts.wh.kind);
  const drift = await findDrift(opts.wh, ledger);
  if (drift.length && !opts.reconcile) throw new DriftDetected(drift, kind);
  for (const k of forgottenKeys(drift)) ledger.delete(k);
  const interrupted = unfinishedRun(events);
  let runId = history.lock.runId;
  let today = opts.today ?? new Date();
  let done = new Set<string>();
  let doneSteps = new Set<string>();
  if (opts.resume) {
    if (!interrupted) {
      const torn = reading.problems.find((p) => p.torn);
      throw new Error(`there is no interrupted run to resume; start one with \`bqmigrate run --phase ID\` or \`--all\`${torn ? `\n${formatJournalProblem(reading, torn)}` : ''}`);
    }
    if (interrupted.details?.kind !== kind) throw new Error(`the interrupted run ${interrupted.runId} is a ${String(interrupted.details?.kind)}; resume it with the matching command`);
    if (interrupted.details?.backend !== opts.wh.kind) throw new Error(`the interrupted run ${interrupted.runId} ran on the ${String(interrupted.details?.backend)} warehouse; resume it with --backend ${String(interrupted.details?.backend)}`);
    runId = interrupted.runId;
    await history.lock.rename(runId);
    phases = (interrupted.details?.phases as string[]) ?? phases;
    const first = events.find((e) => e.runId === runId && e.event === 'run-start');
    if (first && !opts.today) today = new Date(first.ts);
    done = finishedActions(events, runId);
    doneSteps = finishedSteps(events, runId);
    if (first?.details?.includeDisabled === true) opts = { ...opts, includeDisabled: true };
    if (first?.details?.assumeQuiet === true) opts = { ...opts, assumeQuiet: true };
  } else if (interrupted && !events.some((e) => e.runId === interrupted.runId && e.event === 'run-end')) {
    throw new Error(`run ${interrupted.runId} (${(interrupted.details?.phases as string[] | undefined)?.join(', ') ?? ''}) was interrupted; continue it with --resume`);
  }

  for (const p of phases) findPhase(loaded, p);
  // The manifest that ran these phases before is not the one now: show how the mappings differ, go on only when confirmed.
  const change = manifestChange(loaded, events, phases, opts.resume ? runId : undefined);
  if (change && !opts.yes) throw new ManifestChanged(change);
  if (change) opts.log?.(`warning: ${formatManifestChange(change)}\ngoing on with the manifest as it is now (--yes)`);
  if (kind === 'run' && !opts.resume) {
    const unmet = unmetDependencies(loaded, events, phases);
    if (unmet.length) throw new DependenciesNotMet(unmet);
  }

  // Confirmation and the budget are settled once, before anything runs, from a plan of every phase.
  const budget = kind === 'run' ? loaded.manifest.budget?.maxBytesBilled : undefined;
  const upfront: PhasePlan[] = [];
  for (const p of phases) upfront.push(await planOne(loaded, p, { includeDisabled: opts.includeDisabled, assumeQuiet: opts.assumeQuiet, ledger }));
  // A rollback that cannot restore everything changes nothing (unless told --partial). A forward
  // step's blockers are judged when it is reached: an earlier step of the run may load its tables.
  const blockers = kind === 'rollback' ? planBlockers(upfront.map((p) => ({ ...p, steps: p.steps.filter((s) => !doneSteps.has(`${s.phase}/${s.id}`)) }))) : [];
  if (blockers.length && !opts.partial) throw new PlanBlocked(blockers);
  if (!opts.yes) {
    const destructive: string[] = [];
    for (const plan of upfront) for (const s of plan.steps) if (s.destructive && !doneSteps.has(`${s.phase}/${s.id}`)) destructive.push(`${s.phase}/${s.id}`);
    if (destructive.length) throw new ConfirmationRequired(destructive);
  }
  let cost: PlanCost | undefined;
  if (budget !== undefined) {
    cost = await estimateCost(opts.wh, loaded, upfront, { skipSteps: doneSteps });
    if (cost.budget?.over && !opts.overBudget) throw new OverBudget(cost);
    opts.log?.(formatPlanCost(cost));
    opts = { ...opts, wh: cappedWarehouse(opts.wh, cost, opts.overBudget ? undefined : budget) };
  }

  const journal = new JournalWriter(loaded.root, (e, seq) => {
    history.record(e, seq);
    opts.onEvent?.(e);
  });
  history.adopt(journal);
  const results: StepResult[] = [];
  let status: RunResult['status'] = 'ok';
  let error: string | undefined;
  try {
    journalAppend(journal, { runId, event: 'run-start', details: { kind, phases, backend: opts.wh.kind, resumed: !!opts.resume, principal: history.identity.principal, host: history.identity.host, version: history.identity.version, ...manifestRecord(loaded), concurrency: opts.concurrency ?? 4, ...(opts.includeDisabled ? { includeDisabled: true } : {}), ...(opts.assumeQuiet ? { assumeQuiet: true } : {}), ...(opts.reconcile ? { reconcile: true } : {}), ...(opts.partial ? { partial: true } : {}), ...(cost ? { estimatedBytesBilled: cost.billed, ...(cost.budget?.over ? { overBudget: true } : {}) } : {}) } });
    if (opts.reconcile) {
      journalAppend(journal, { runId, event: 'reconcile', details: { forgotten: forgottenKeys(drift), drift: drift.map((d) => d.detail) } });
      opts.log?.(drift.length ? `reconciled: ${drift.length} object(s) the journal recorded are gone; planning from what exists\n${drift.map((d) => `  - ${d.detail}`).join('\n')}` : 'reconcile: the warehouse holds everything the journal recorded');
    }
    outer: for (const phaseId of phases) {
      if (kind === 'rollback') journalAppend(journal, { runId, phase: phaseId, event: 'rollback-start' });
      const plan = await planOne(loaded, phaseId, { includeDisabled: opts.includeDisabled, assumeQuiet: opts.assumeQuiet, ledger });
      opts.log?.(`\n== ${plan.title} (${phaseId}) ==`);
      for (const step of plan.steps) {
        if (doneSteps.has(`${step.phase}/${step.id}`)) {
          opts.log?.(`✓ ${step.phase}/${step.id} — done in the interrupted run`);
          continue;
        }
        if (opts.signal?.aborted) {
          status = 'cancelled';
          break outer;
        }
        // Last line of defence: a step that became destructive after the up-front plan (e.g. new views) still needs confirmation.
        if (step.destructive && step.actions.length > 0 && !opts.yes) throw new ConfirmationRequired([`${step.phase}/${step.id}`]);
        if (kind === 'run' && step.blockers?.length) {
          // Nothing it was asked can be done (no mapped table in the warehouse): a failed step, not an "ok" that did nothing.
          error = `${step.phase}/${step.id}: ${step.blockers.join('; ')}`;
          journalAppend(journal, { runId, phase: step.phase, step: step.id, event: 'step-start', details: { kind: step.kind, actions: 0 } });
          journalAppend(journal, { runId, phase: step.phase, step: step.id, event: 'step-error', error });
          opts.log?.(`✗ ${error}`);
          status = 'failed';
          break outer;
        }
        const r = await executeStep(step, { wh: opts.wh, loaded, runId, journal, done }, opts);
        results.push(r);
        if (r.status !== 'ok') {
          status = r.status === 'cancelled' ? 'cancelled' : 'failed';
          error = r.error;
          break outer;
        }
        const updates = statusUpdates(loaded, step, r, today, kind === 'rollback');
        if (updates.length && applyStatusUpdates(loaded.file, updates)) {
          loaded = reload(loaded);
          opts.log?.(`    bqmigrate.json: ${updates.length} mapping(s) → ${step.marks!.status}`);
        }
      }
      // A partial rollback is not a rollback: the phase keeps its state and the run fails, naming what it left.
      if (kind === 'rollback') journalAppend(journal, { runId, phase: phaseId, event: 'rollback-end', details: { status: blockers.length ? 'partial' : 'ok', ...(blockers.length ? { blockers } : {}) } });
    }
    if (status === 'ok' && blockers.length) {
      status = 'failed';
      error = `restored what could be restored; could not: ${blockers.join('; ')}`;
    }
  } catch (err) {
    status = 'failed';
    error = (err as Error).message;
  } finally {
    journalAppend(journal, { runId, event: 'run-end', error, details: { kind, status } });
    journal.close();
  }
  return { runId, status, steps: results, error, loaded };
}

export function runPhases(opts: RunOptions): Promise<RunResult> {
  const phases = opts.phases ?? opts.loaded.manifest.phases.map((p) => p.id);
  return runPlans(opts, 'run', phases, async (loaded, phase, flags) => planPhase(loaded, phase, await takeSnapshot(opts.wh, loaded, { definitions: needsDefinitions(loaded, [phase]) }), opts.wh, { today: opts.today, ...flags }));
}

/** Undoes one phase: drops what it created (only where nothing is lost) and restores legacy tables from the archive. */
export function rollbackPhase(opts: RunOptions & { phase: string }): Promise<RunResult> {
  return runPlans(opts, 'rollback', [opts.phase], async (loaded, phase, flags) => planRollback(loaded, phase, await takeSnapshot(opts.wh, loaded, { definitions: needsDefinitions(loaded, [phase]) }), opts.wh, { today: opts.today, ...flags }));
}

/**
 * The plan as `plan` / "Preview Phase" shows it, with its cost: every statement dry-run (both
 * backends; the local warehouse estimates as BigQuery would bill), per action in `bytes`.
 */
export async function previewPhase(wh: Warehouse, loaded: LoadedManifest, phase: string, opts: { today?: Date; rollback?: boolean; includeDisabled?: boolean; ledger?: Ledger } = {}): Promise<{ plan: PhasePlan; bytes: Map<string, number | string>; cost: PlanCost }> {
  assertManifestReady(loaded);
  const snapshot = await takeSnapshot(wh, loaded, { definitions: needsDefinitions(loaded, [phase]) });
  const planOpts = { ...opts, ledger: opts.ledger ?? buildLedger(loaded, readJournal(loaded.root), wh.kind) };
  const plan = opts.rollback ? planRollback(loaded, phase, snapshot, wh, planOpts) : planPhase(loaded, phase, snapshot, wh, planOpts);
  const cost = await estimateCost(wh, loaded, [plan]);
  const bytes = new Map<string, number | string>();
  for (const step of cost.steps) for (const a of step.actions) bytes.set(`${step.step}/${a.action}`, formatCost(a));
  return { plan, bytes, cost };
}
