/** What every built-in step shares: its planning context and the few warehouse calls actions make. */
import * as z from 'zod';
import type { LoadedManifest } from '../../manifest/load';
import type { JobOptions, TableId } from '../../warehouse/types';
import { tableKey } from '../identifiers';
import type { Ledger } from '../ledger';
import { countRows } from '../row-count';
import { dropTableSql, type SqlTarget } from '../sql';
import type { ActionContext, ActionOutcome, ConcreteMapping, PlannedAction, PlannedStep, WarehouseSnapshot } from '../types';

export interface StepPlanContext {
  loaded: LoadedManifest;
  snapshot: WarehouseSnapshot;
  mappings: ConcreteMapping[];
  target: SqlTarget;
  phase: string;
  stepId: string;
  /** The step's own fields from the manifest (`tables`, `sql`, `command`, …). */
  options: Record<string, unknown>;
  today: Date;
  /** Archive date, YYYYMMDD. */
  date: string;
  /** Run-wide switches from the CLI / editor (`--include-disabled`). */
  flags?: PlanFlags;
  /** What the journal says bqmigrate made, when the caller read it (rollback plans). */
  ledger?: Ledger;
}

export interface PlanFlags {
  /** repoint-definitions: also update disabled scheduled queries. */
  includeDisabled?: boolean;
  /** drop-shims: treat a shim whose reads from other projects could not be verified as quiet. */
  assumeQuiet?: boolean;
}

export interface StepPlan {
  actions: PlannedAction[];
  notes: string[];
  /** What the step cannot do, named: a run refuses the whole plan unless told to do what it can (`--partial`). */
  blockers?: string[];
  /** Manifest mapping indices the blockers are about. */
  blockedMappings?: number[];
}

export interface BuiltinStep {
  name: string;
  title: string;
  destructive: boolean;
  sequential?: boolean;
  marks?: PlannedStep['marks'];
  /**
   * The fields this step accepts besides run/id/title, as a zod object: the manifest check parses a
   * step's fields with it (strict: an unknown field is reported at its position), and the step reads
   * its typed options with `stepOptions`. Absent: the step takes no options.
   */
  options?: z.ZodObject;
  plan(ctx: StepPlanContext): StepPlan;
  /** Inverse actions for `rollback --phase`; absent when the step creates nothing to undo. */
  rollback?(ctx: StepPlanContext): StepPlan & { marks?: PlannedStep['marks'] };
}

/**
 * What every job an action starts carries: the run's labels, the cancel signal, and a journal note
 * for each job BigQuery failed by itself and bqmigrate resubmitted under a new id.
 */
export function jobOptions(ctx: ActionContext): JobOptions {
  return {
    labels: { run: ctx.runId, phase: ctx.phase, step: ctx.step },
    signal: ctx.signal,
    onResubmit: (r) => ctx.note({ resubmitted: r }),
  };
}

/** Runs one statement with the run's job labels; returns job id and bytes for the journal. */
export async function exec(ctx: ActionContext, sql: string, acc?: ActionOutcome): Promise<Record<string, unknown>[]> {
  if (ctx.signal?.aborted) throw new Error('cancelled');
  const r = await ctx.wh.query(sql, jobOptions(ctx));
  if (acc) {
    if (r.jobId) (acc.jobIds ??= []).push(r.jobId);
    if (r.totalBytesProcessed !== undefined) acc.bytes = (acc.bytes ?? 0) + r.totalBytesProcessed;
  }
  return r.rows;
}

/** Copies `from` into `to` by a copy job (replacing what `to` holds), the job recorded for the journal. */
export async function copyByJob(ctx: ActionContext, from: TableId, to: TableId, acc: ActionOutcome): Promise<void> {
  const job = await ctx.wh.copyTable(from, to, { ...jobOptions(ctx), writeDisposition: 'WRITE_TRUNCATE' });
  if (job.jobId) (acc.jobIds ??= []).push(job.jobId);
}

/** A copy that does not hold its source's rows is dropped before the error, so running again starts from nothing. */
export async function dropShortCopy(ctx: ActionContext, copy: TableId, acc: ActionOutcome, error: string): Promise<never> {
  await exec(ctx, dropTableSql(ctx.wh, copy), acc);
  throw new Error(error);
}

/** Rows of a table: BigQuery's metadata where exact, else COUNT(*) over every partition (row-count.ts). */
export async function rowCount(ctx: ActionContext, id: TableId, acc?: ActionOutcome): Promise<number> {
  const n = await countRows(ctx.wh, id, (sql) => exec(ctx, sql, acc));
  if (!Number.isFinite(n)) throw new Error(`could not read the row count of ${tableKey(id)}`);
  return n;
}

/** 'TABLE', 'VIEW', … or undefined when the object does not exist. */
export async function objectType(ctx: ActionContext, id: TableId): Promise<string | undefined> {
  const info = await ctx.wh.getTable(id);
  return info?.type;
}

/** The `tables` filter of archive, create-targets, shim-views and drop-shims: legacy names, or prefixes ending in `*`. */
export const TablesFilterOptions = z.object({ tables: z.union([z.string(), z.array(z.string())]).optional() });

/** A step's own fields from the manifest, typed by its schema (run/id/title and unknown fields dropped; the manifest check has reported those). */
export function stepOptions<S extends z.ZodObject>(schema: S, ctx: StepPlanContext): z.infer<S> {
  const parsed = schema.safeParse(ctx.options);
  if (!parsed.success) throw new Error(`step ${ctx.stepId}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(step)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** Mappings selected by the step's optional `tables` filter (a legacy name, or a prefix ending in `*`). */
export function selectMappings(ctx: StepPlanContext): ConcreteMapping[] {
  const filter = stepOptions(TablesFilterOptions, ctx).tables;
  if (filter === undefined) return ctx.mappings;
  const list = Array.isArray(filter) ? filter : [filter];
  return ctx.mappings.filter((m) => list.some((f) => (f.endsWith('*') ? m.from.startsWith(f.slice(0, -1)) : m.from === f)));
}

export function snapshotType(ctx: StepPlanContext, id: TableId): string | undefined {
  return ctx.snapshot.objects[tableKey(id)];
}

/** A legacy name that is a view of its own (not a shim bqmigrate made): views hold no data to archive or copy. */
export function isOwnView(ctx: StepPlanContext, m: ConcreteMapping): boolean {
  return snapshotType(ctx, m.legacy) === 'VIEW' && !snapshotType(ctx, m.archive);
}

export const OWN_VIEW_NOTE = 'is a view, not a table: views are not archived, copied or shimmed — pull it (`bqmigrate definitions pull`), fix it and push it with a repoint-definitions step';

/** Most recent journal note for an action carrying `key` (e.g. a verified archive row count). */
export function lastNote(ctx: ActionContext, actionId: string, key: string): unknown {
  const events = ctx.history();
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.action === actionId && e.details && key in e.details) return e.details[key];
  }
  return undefined;
}

/**
 * A step asked to work on mapped tables, none of which is in the warehouse, did nothing it was
 * asked: a blocker (the run refuses) rather than an "ok" with every mapping skipped.
 */
export function nothingThere(actions: readonly PlannedAction[], missing: readonly string[], verb: string): string[] {
  if (actions.length > 0 || missing.length === 0) return [];
  const shown = missing.slice(0, 5).join(', ') + (missing.length > 5 ? `, and ${missing.length - 5} more` : '');
  return [`none of the ${missing.length} mapped table(s) is in the warehouse (${shown}): nothing to ${verb} — load the legacy tables first (\`bqmigrate local seed\` loads the sample)`];
}
