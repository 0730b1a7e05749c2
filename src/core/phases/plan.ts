/**
 * Planning is pure: manifest + warehouse snapshot → steps → actions with their exact SQL.
 * Nothing here talks to a warehouse; `run` and `preview` take a snapshot first.
 */
import type { LoadedManifest } from '../manifest/load';
import { archiveDate, expandMappings } from './expand';
import type { Ledger } from './ledger';
import type { SqlTarget } from './sql';
import { commandStep, findBuiltin, sqlStep, type BuiltinStep, type StepPlanContext } from './steps/index';
import type { PhasePlan, PlannedStep, WarehouseSnapshot } from './types';
import { appendAll } from '../arrays';

export interface PlanOptions {
  today?: Date;
  /** repoint-definitions: also update disabled scheduled queries (`--include-disabled`). */
  includeDisabled?: boolean;
  /** drop-shims: reads from other projects that could not be verified count as quiet. */
  assumeQuiet?: boolean;
  /** What the journal says bqmigrate made (rollback plans restore shims whose archive copy is gone, and say they cannot). */
  ledger?: Ledger;
}

type ManifestStep = LoadedManifest['manifest']['phases'][number]['steps'][number];

export function stepKind(step: ManifestStep): string {
  return step.run ?? (step.sql !== undefined ? 'sql' : 'command');
}

/** A step's id: its `id`, else its kind ("archive", "sql", …), suffixed with its 1-based position when the kind repeats in the phase. */
export function stepId(steps: readonly ManifestStep[], index: number): string {
  const step = steps[index]!;
  if (step.id !== undefined) return step.id;
  const kind = stepKind(step);
  return steps.filter((s) => s.id === undefined && stepKind(s) === kind).length > 1 ? `${kind}-${index + 1}` : kind;
}

export function stepImplementation(step: ManifestStep): BuiltinStep | undefined {
  if (step.run !== undefined) return findBuiltin(step.run);
  return step.sql !== undefined ? sqlStep : commandStep;
}

/** A phase id the manifest does not have: a usage error (the CLI exits 2), not a failed run. */
export class UnknownPhase extends Error {}

export function findPhase(loaded: LoadedManifest, phaseId: string) {
  const phase = loaded.manifest.phases.find((p) => p.id === phaseId);
  if (!phase) {
    const ids = loaded.manifest.phases.map((p) => p.id);
    throw new UnknownPhase(`no phase "${phaseId}" in ${loaded.file}; phases: ${ids.length ? ids.join(', ') : '(none — run `bqmigrate init` or add "phases")'}`);
  }
  return phase;
}

function contextFor(loaded: LoadedManifest, phase: string, id: string, step: ManifestStep, snapshot: WarehouseSnapshot, target: SqlTarget, opts: PlanOptions) {
  const today = opts.today ?? new Date();
  const expanded = expandMappings(loaded.manifest, snapshot, today);
  const ctx: StepPlanContext = { loaded, snapshot, mappings: expanded.mappings, target, phase, stepId: id, options: step as Record<string, unknown>, today, date: archiveDate(loaded.manifest, today), flags: { includeDisabled: opts.includeDisabled, ...(opts.assumeQuiet ? { assumeQuiet: true } : {}) }, ...(opts.ledger ? { ledger: opts.ledger } : {}) };
  return { ctx, notes: expanded.notes };
}

export function planPhase(loaded: LoadedManifest, phaseId: string, snapshot: WarehouseSnapshot, target: SqlTarget, opts: PlanOptions = {}): PhasePlan {
  const phase = findPhase(loaded, phaseId);
  const steps: PlannedStep[] = phase.steps.map((step, index) => {
    const id = stepId(phase.steps, index);
    const impl = stepImplementation(step);
    if (!impl) throw new Error(`phase ${phase.id}, step ${id}: unknown built-in step "${step.run}"`);
    const { ctx, notes } = contextFor(loaded, phase.id, id, step, snapshot, target, opts);
    const planned = impl.plan(ctx);
    return {
      phase: phase.id,
      id,
      kind: stepKind(step),
      title: step.title ?? impl.title,
      destructive: impl.destructive || planned.actions.some((a) => a.destructive),
      actions: planned.actions,
      notes: [...(index === 0 ? notes : []), ...planned.notes],
      sequential: impl.sequential,
      marks: impl.marks,
      ...(planned.blockers?.length ? { blockers: planned.blockers } : {}),
    };
  });
  return { phase: phase.id, title: phase.title, steps };
}

/** The inverse of a phase: its steps' rollbacks in reverse order. Steps without one are listed with a note; what cannot be undone is a step's `blockers`. */
export function planRollback(loaded: LoadedManifest, phaseId: string, snapshot: WarehouseSnapshot, target: SqlTarget, opts: PlanOptions = {}): PhasePlan {
  const phase = findPhase(loaded, phaseId);
  const steps: PlannedStep[] = [];
  phase.steps.forEach((step, index) => {
    const id = stepId(phase.steps, index);
    const impl = stepImplementation(step);
    if (!impl) throw new Error(`phase ${phase.id}, step ${id}: unknown built-in step "${step.run}"`);
    if (!impl.rollback) {
      steps.push({ phase: phase.id, id: `rollback-${id}`, kind: stepKind(step), title: `${step.title ?? impl.title}: nothing to roll back`, destructive: false, actions: [], notes: [impl.name === 'sql' || impl.name === 'command' ? 'sql and command steps cannot be rolled back automatically; undo them by hand' : 'creates nothing to undo'] });
      return;
    }
    const { ctx } = contextFor(loaded, phase.id, id, step, snapshot, target, opts);
    const planned = impl.rollback(ctx);
    steps.push({ phase: phase.id, id: `rollback-${id}`, kind: `rollback-${stepKind(step)}`, title: `Roll back: ${step.title ?? impl.title}`, destructive: true, actions: planned.actions, notes: planned.notes, marks: planned.marks, sequential: impl.sequential, ...(planned.blockers?.length ? { blockers: planned.blockers, blockedMappings: planned.blockedMappings ?? [] } : {}) });
  });
  return { phase: phase.id, title: `Roll back ${phase.title}`, steps: steps.reverse() };
}

/** Human-readable plan: every step, every action, its exact SQL, and dry-run bytes when known. */
export function formatPlan(plan: PhasePlan, bytes?: Map<string, number | string>): string {
  const lines = [`Phase ${plan.phase}: ${plan.title}`];
  for (const step of plan.steps) {
    lines.push('', `  step ${step.id} (${step.kind})${step.destructive ? '  [destructive: needs --yes]' : ''} — ${step.title}`);
    for (const n of step.notes) lines.push(`    note: ${n}`);
    for (const b of step.blockers ?? []) lines.push(`    BLOCKED: ${b}`);
    if (step.actions.length === 0 && !step.blockers?.length) lines.push('    (nothing to do)');
    for (const a of step.actions) {
      const b = bytes?.get(`${step.id}/${a.id}`);
      lines.push(`    • ${a.title}${b !== undefined ? `  [dry run: ${typeof b === 'number' ? `${formatBytes(b)}` : b}]` : ''}`);
      if (a.diff) appendAll(lines, a.diff.replace(/\n$/, '').split('\n').map((l) => `      ${l}`));
      for (const s of a.sql) appendAll(lines, s.split('\n').map((l) => `        ${l}`));
    }
  }
  return lines.join('\n');
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

/** Every blocker of a plan, prefixed with its step. */
export function planBlockers(plans: readonly PhasePlan[]): string[] {
  return plans.flatMap((p) => p.steps.flatMap((s) => (s.blockers ?? []).map((b) => `${s.phase}/${s.id}: ${b}`)));
}
