/**
 * What a plan will cost before anything is spent: each statement dry-run for the bytes it
 * would process, the bytes BigQuery bills for that (rounded up to a MiB, at least 10 MiB per
 * query that reads anything), and the money at the on-demand price; copy jobs, tables.patch,
 * renames, drops and views are free. `budget.maxBytesBilled` refuses a run over it.
 */
import type { LoadedManifest } from '../manifest/load';
import { billedBytes } from '../warehouse/billing';
import type { Warehouse } from '../warehouse/types';
import { formatBytes } from './plan';
import type { PhasePlan, PlannedAction } from './types';
import { maxOf } from '../arrays';

/**
 * Google's on-demand list price per TiB for the US and EU multi-regions, in effect since
 * 2023-07-05 (it was $5 before) and still the list price when this was written (2026); single
 * regions differ. The first TiB a month is free per billing account — not subtracted here.
 */
export const DEFAULT_ON_DEMAND_USD_PER_TIB = 6.25;
export const DEFAULT_PRICE_NOTE = "Google's on-demand list price for the US and EU multi-regions since 2023-07-05 (other regions differ: set pricing.onDemandUsdPerTiB); the monthly free TiB is not subtracted";

const MIB = 2 ** 20;
const TIB = 2 ** 40;

export { billedBytes };

export function usdFor(billed: number, usdPerTiB: number): number {
  return (billed / TIB) * usdPerTiB;
}

/** The price the manifest says, or the default, and where it came from. */
export function priceOf(loaded: LoadedManifest): { usdPerTiB: number; source: 'manifest' | 'default'; note: string } {
  const set = loaded.manifest.pricing.onDemandUsdPerTiB;
  return set !== undefined ? { usdPerTiB: set, source: 'manifest', note: 'pricing.onDemandUsdPerTiB in the manifest' } : { usdPerTiB: DEFAULT_ON_DEMAND_USD_PER_TIB, source: 'default', note: DEFAULT_PRICE_NOTE };
}

export type CostKind = 'query' | 'copy' | 'metadata' | 'check' | 'estimate';

export interface StatementCost {
  /** The statement's first line, or what the estimate is for. */
  what: string;
  kind: CostKind;
  /** Bytes processed (dry run or estimate); undefined when it could not be estimated. */
  processed?: number;
  billed: number;
  usd: number;
  /** Why it could not be estimated. */
  unknown?: string;
  /** processed/billed are a lower bound (BigQuery's LOWER_BOUND, or a script estimated only up to a statement it cannot dry-run): why. */
  lowerBound?: string;
  /** The statement itself (queries only), so a run can cap the job it becomes. */
  sql?: string;
}

export interface ActionCost {
  action: string;
  statements: StatementCost[];
  processed: number;
  billed: number;
  usd: number;
  /** Statements that could not be estimated. */
  unknown: number;
  /** Statements whose estimate is only a lower bound. */
  lowerBound: number;
}

export interface StepCost {
  phase: string;
  step: string;
  title: string;
  actions: ActionCost[];
  processed: number;
  billed: number;
  usd: number;
  unknown: number;
  lowerBound: number;
}

export interface PlanCost {
  steps: StepCost[];
  processed: number;
  billed: number;
  usd: number;
  unknown: number;
  lowerBound: number;
  price: { usdPerTiB: number; source: 'manifest' | 'default'; note: string };
  budget?: { maxBytesBilled: number; over: boolean };
}

/**
 * What a planned statement costs: the plan's notes for copy jobs, patches, API calls, extract
 * jobs and verified counts are free; a shell command's cost is unknown; DDL that reads no rows
 * is free; anything else (leading comment lines aside) is a query to dry-run.
 */
export function statementKind(sql: string): CostKind | 'note' | 'shell' {
  const s = sql.trimStart();
  if (s.startsWith('-- copy job')) return 'copy';
  if (/^-- (?:tables\.patch|warehouse API|Data Transfer API|extract job|read the table|journal )/.test(s)) return 'metadata';
  if (s.startsWith('-- verify')) return 'check';
  if (s.startsWith('-- shell:')) return 'shell';
  const body = s.replace(/^(?:--[^\n]*(?:\n|$)\s*)+/, '');
  if (!body) return 'note';
  if (/^(?:DROP\s|ALTER\s+TABLE\s+\S+\s+(?:RENAME|SET\s+OPTIONS|ADD\s+COLUMN|ALTER\s+COLUMN)|ALTER\s+SCHEMA\s|CREATE\s+(?:OR\s+REPLACE\s+)?(?:VIEW|SCHEMA)\s|CREATE\s+SCHEMA\s+IF)/i.test(body)) return 'metadata';
  return 'query';
}

const firstLine = (sql: string) => {
  const line = sql.trim().split('\n')[0]!;
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
};

interface DryRunBytes {
  /** Undefined when nothing could be estimated (`notEstimable` says why): never a 0 that means "unknown". */
  processed?: number;
  billed: number;
  lowerBound?: string;
  notEstimable?: string;
}

/**
 * Bytes a statement would process and bill. `CREATE TABLE … AS SELECT` into a dataset an earlier
 * phase creates cannot be dry-run yet; its SELECT, which is what it bills, can. A script BigQuery
 * cannot dry-run fully gives a lower bound or nothing, with the reason.
 */
async function dryRunBytes(wh: Warehouse, sql: string): Promise<DryRunBytes> {
  let r;
  try {
    r = await wh.query(sql, { dryRun: true });
  } catch (err) {
    const select = /^\s*CREATE\s+(?:OR\s+REPLACE\s+)?TABLE\b[\s\S]*?\bAS\s+((?:SELECT|WITH)\b[\s\S]*)$/i.exec(sql)?.[1];
    if (!select) throw err;
    r = await wh.query(select, { dryRun: true });
  }
  if (r.totalBytesProcessed === undefined) return { billed: 0, notEstimable: r.notEstimable ?? 'the dry run gave no estimate' };
  const lowerBound = r.bytesAccuracy === 'LOWER_BOUND' || r.notEstimable ? (r.notEstimable ?? 'BigQuery says the estimate is a lower bound') : undefined;
  return { processed: r.totalBytesProcessed, billed: billedBytes(r.totalBytesProcessed, r.tablesRead), ...(lowerBound ? { lowerBound } : {}) };
}

async function actionCost(wh: Warehouse, a: PlannedAction, usdPerTiB: number): Promise<ActionCost> {
  const statements: StatementCost[] = [];
  for (const sql of a.sql) {
    const kind = statementKind(sql);
    if (kind === 'note') continue;
    if (kind === 'shell') {
      statements.push({ what: firstLine(sql), kind: 'estimate', billed: 0, usd: 0, unknown: 'a shell command: what it runs in the warehouse is not known to bqmigrate' });
      continue;
    }
    if (kind !== 'query') {
      statements.push({ what: firstLine(sql), kind, processed: 0, billed: 0, usd: 0 });
      continue;
    }
    try {
      const d = await dryRunBytes(wh, sql);
      if (d.processed === undefined) statements.push({ what: firstLine(sql), kind, billed: 0, usd: 0, unknown: d.notEstimable, sql });
      else statements.push({ what: firstLine(sql), kind, processed: d.processed, billed: d.billed, usd: usdFor(d.billed, usdPerTiB), ...(d.lowerBound ? { lowerBound: d.lowerBound } : {}), sql });
    } catch (err) {
      statements.push({ what: firstLine(sql), kind, billed: 0, usd: 0, unknown: (err as Error).message.split('\n')[0]!, sql });
    }
  }
  for (const e of a.estimates ?? []) {
    if (e.sql !== undefined) {
      try {
        const d = await dryRunBytes(wh, e.sql);
        if (d.processed !== undefined) {
          statements.push({ what: e.what, kind: 'query', processed: d.processed, billed: d.billed, usd: usdFor(d.billed, usdPerTiB), ...(d.lowerBound ? { lowerBound: d.lowerBound } : {}) });
          continue;
        }
        if (e.bytes === undefined) {
          statements.push({ what: e.what, kind: 'query', billed: 0, usd: 0, unknown: d.notEstimable });
          continue;
        }
      } catch (err) {
        if (e.bytes === undefined) {
          statements.push({ what: e.what, kind: 'query', billed: 0, usd: 0, unknown: (err as Error).message.split('\n')[0]! });
          continue;
        }
      }
    }
    if (e.bytes !== undefined) {
      const billed = billedBytes(e.bytes);
      statements.push({ what: e.what, kind: 'estimate', processed: e.bytes, billed, usd: usdFor(billed, usdPerTiB) });
    } else statements.push({ what: e.what, kind: 'estimate', billed: 0, usd: 0, unknown: 'no size known yet' });
  }
  const sum = (f: (s: StatementCost) => number) => statements.reduce((n, s) => n + f(s), 0);
  return { action: a.id, statements, processed: sum((s) => s.processed ?? 0), billed: sum((s) => s.billed), usd: sum((s) => s.usd), unknown: statements.filter((s) => s.unknown).length, lowerBound: statements.filter((s) => s.lowerBound).length };
}

/** Dry-runs every statement of the plans (both backends: the local warehouse estimates as BigQuery would bill). */
export async function estimateCost(wh: Warehouse, loaded: LoadedManifest, plans: PhasePlan[], opts: { skipSteps?: ReadonlySet<string> } = {}): Promise<PlanCost> {
  const price = priceOf(loaded);
  const steps: StepCost[] = [];
  for (const plan of plans) {
    for (const step of plan.steps) {
      if (opts.skipSteps?.has(`${step.phase}/${step.id}`)) continue;
      const actions: ActionCost[] = [];
      for (const a of step.actions) actions.push(await actionCost(wh, a, price.usdPerTiB));
      const sum = (f: (c: ActionCost) => number) => actions.reduce((n, c) => n + f(c), 0);
      steps.push({ phase: step.phase, step: step.id, title: step.title, actions, processed: sum((c) => c.processed), billed: sum((c) => c.billed), usd: sum((c) => c.usd), unknown: sum((c) => c.unknown), lowerBound: sum((c) => c.lowerBound) });
    }
  }
  return totalCost(loaded, steps);
}

/** The steps' costs summed, with the price and the budget verdict; also joins the costs of several phases' plans. */
export function totalCost(loaded: LoadedManifest, steps: StepCost[]): PlanCost {
  const sum = (f: (c: StepCost) => number) => steps.reduce((n, c) => n + f(c), 0);
  const cost: PlanCost = { steps, processed: sum((s) => s.processed), billed: sum((s) => s.billed), usd: sum((s) => s.usd), unknown: sum((s) => s.unknown), lowerBound: sum((s) => s.lowerBound), price: priceOf(loaded) };
  const max = loaded.manifest.budget?.maxBytesBilled;
  if (max !== undefined) cost.budget = { maxBytesBilled: max, over: cost.billed > max };
  return cost;
}

/** A job's cap over its statement's estimate: the tables may grow between the plan and the run. */
export const CAP_HEADROOM = 1.5;

/**
 * The warehouse a budgeted run uses: every query job carries `maximumBytesBilled` — its
 * statement's estimate with CAP_HEADROOM, or, for a statement the plan could not price (it reads
 * what an earlier phase creates, or validate's content comparisons), what is left of `budget`.
 * Without a budget left to spend (`--over-budget`) only the estimated statements are capped.
 * A query that already names its cap keeps it.
 */
export function cappedWarehouse(wh: Warehouse, cost: PlanCost, budget: number | undefined): Warehouse {
  const estimates = new Map<string, number>();
  for (const step of cost.steps) for (const a of step.actions) for (const st of a.statements) if (st.sql && st.processed !== undefined) estimates.set(st.sql.trim(), st.billed);
  let spent = 0;
  const query: Warehouse['query'] = async (sql, opts = {}) => {
    if (opts.dryRun || opts.maximumBytesBilled !== undefined) return wh.query(sql, opts);
    const estimate = estimates.get(sql.trim());
    const cap = estimate !== undefined ? Math.max(10 * MIB, Math.ceil((estimate * CAP_HEADROOM) / MIB) * MIB) : budget !== undefined ? Math.max(10 * MIB, budget - spent) : undefined;
    const result = await wh.query(sql, cap === undefined ? opts : { ...opts, maximumBytesBilled: cap });
    spent += billedBytes(result.totalBytesProcessed ?? 0);
    return result;
  };
  return new Proxy(wh, {
    get(target, prop) {
      if (prop === 'query') return query;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** A run whose plan would bill more than `budget.maxBytesBilled`; nothing ran. */
export class OverBudget extends Error {
  override name = 'OverBudget';
  constructor(readonly cost: PlanCost) {
    const top = [...cost.steps].sort((a, b) => b.billed - a.billed).filter((s) => s.billed > 0).slice(0, 3);
    super(
      `the plan would bill ${formatBytes(cost.billed)} (${formatUsd(cost.usd)}), over budget.maxBytesBilled ${formatBytes(cost.budget!.maxBytesBilled)}; costliest: ${top.map((s) => `${s.phase}/${s.step} ${formatBytes(s.billed)} (${formatUsd(s.usd)})`).join(', ')}`,
    );
  }
}

export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  return usd < 0.01 ? '<$0.01' : `$${usd.toFixed(2)}`;
}

/** "free" for what costs nothing, else processed → billed → money; "at least" when a part is only a lower bound. */
export function formatCost(c: { processed: number; billed: number; usd: number; unknown: number; lowerBound?: number }): string {
  const unknown = c.unknown ? ` (+${c.unknown} not estimable)` : '';
  if (c.billed === 0 && c.processed === 0 && !c.lowerBound) return c.unknown ? `not estimable (${c.unknown} statement${c.unknown === 1 ? '' : 's'})` : 'free';
  const least = c.lowerBound ? 'at least ' : '';
  return `${least}${formatBytes(c.processed)} processed, ${least}${formatBytes(c.billed)} billed, ${least}${formatUsd(c.usd)}${unknown}`;
}

/** The plan's cost as text: one line per step, the total, the price and the budget. */
export function formatPlanCost(cost: PlanCost): string {
  const lines = ['Cost (dry run):'];
  const width = maxOf(cost.steps.map((s) => `${s.phase}/${s.step}`.length), 5);
  for (const s of cost.steps) lines.push(`  ${`${s.phase}/${s.step}`.padEnd(width)}  ${formatCost(s)}`);
  lines.push(`  ${'total'.padEnd(width)}  ${formatCost(cost)}`);
  lines.push(`  at $${cost.price.usdPerTiB} per TiB (${cost.price.note})`);
  if (cost.budget) lines.push(`  budget.maxBytesBilled ${formatBytes(cost.budget.maxBytesBilled)}: ${cost.budget.over ? 'OVER BUDGET — `run` refuses to start without --over-budget' : 'within budget'}`);
  return lines.join('\n');
}
