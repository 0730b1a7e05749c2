/**
 * `repoint-definitions`: pushes the pulled definition files (definitions pull, then lint and fix)
 * back into the warehouse. Planning reads every file under the definitions folder and refuses, with
 * the file's path and line, anything that is not one CREATE of the object its path names, a hostile
 * name, a reference to an object that does not exist, or a cycle — before anything runs. Each file
 * that differs from the warehouse becomes one action (a unified diff and the exact statement), in an
 * order where an object comes after the objects it reads. Rollback re-creates every definition from
 * the backups its forward runs journaled.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { definitionNameProblem, isTableKind, kindWords, renderDefinition, sameDefinition } from '../../definitions/ddl';
import { configId, definitionsDir, listDefinitionFiles, readDefinitionFile, readScheduledFile, scheduledFileText, SCHEDULED_DIR, type ScheduledFile } from '../../definitions/files';
import { definitionReads, orderByReads, readKey, type DefinitionRead } from '../../definitions/graph';
import { createLinter, type Linter } from '../../lint/linter';
import { LineIndex } from '../../text/positions';
import type { Definition, ScheduledQuery } from '../../warehouse/types';
import { readJournal } from '../journal';
import type { PlannedAction } from '../types';
import * as z from 'zod';
import { stepOptions, type BuiltinStep, type StepPlanContext } from './common';

/** repoint-definitions: `includeDisabled` also updates disabled scheduled queries (as --include-disabled does). */
const RepointOptions = z.object({ includeDisabled: z.boolean().optional() });
import { repointDefinitionAction, repointScheduledAction, restoreDefinitionAction, restoreScheduledAction, scheduledUpdate, type BackupNote } from './definitions-actions';

const STATUSES_OF_A_COPY = new Set(['migrated', 'shimmed', 'archived']);

type Target =
  | { type: 'definition'; key: string; action: PlannedAction; reads: DefinitionRead[] }
  | { type: 'scheduled'; key: string; action: PlannedAction; reads: DefinitionRead[] };

const slug = (d: Pick<Definition, 'kind'>) => d.kind.toLowerCase().replace(/_/g, '-');

function positionOf(text: string, offset: number): string {
  const p = new LineIndex(text).positionAt(offset);
  return `${p.line + 1}:${p.character + 1}`;
}

function diffOf(rel: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${rel}`, `b/${rel}`, `${before}\n`, `${after}\n`, 'in the warehouse', 'the file', { context: 3 });
}

/** Whether every table the new definition reads is unchanged or the copy (`migrated`/`shimmed`/`archived`, no `sql`) of a table the old one read. */
function readsOnlyCopies(ctx: StepPlanContext, oldReads: DefinitionRead[], newReads: DefinitionRead[]): boolean {
  const old = new Set(oldReads.filter((r) => !r.call).map((r) => readKey(r.dataset, r.name)));
  return newReads
    .filter((r) => !r.call)
    .every((r) => {
      const key = readKey(r.dataset, r.name);
      if (old.has(key)) return true;
      return ctx.mappings.some((m) => m.to === key && old.has(m.from) && m.sql === undefined && STATUSES_OF_A_COPY.has(ctx.loaded.manifest.mappings[m.mappingIndex]?.status ?? ''));
    });
}

/** What each read names must exist: a table or view in the snapshot, a routine among the definitions. */
function missingReads(ctx: StepPlanContext, defs: readonly Definition[], reads: DefinitionRead[]): DefinitionRead[] {
  const objects = Object.keys(ctx.snapshot.objects);
  return reads.filter((r) => {
    if (r.call) return !defs.some((d) => !isTableKind(d.kind) && d.dataset === r.dataset && d.name === r.name);
    if (r.wildcard) return !objects.some((o) => o.startsWith(`${r.dataset}.${r.name.replace(/\*$/, '')}`));
    const key = readKey(r.dataset, r.name);
    return ctx.snapshot.objects[key] === undefined && !defs.some((d) => isTableKind(d.kind) && d.dataset === r.dataset && d.name === r.name);
  });
}

interface Planned {
  targets: Target[];
  problems: string[];
  notes: string[];
}

function planDefinitionFile(ctx: StepPlanContext, linter: Linter, dir: string, rel: string, defs: readonly Definition[], out: Planned): void {
  const project = ctx.target.project;
  const shown = path.relative(ctx.loaded.root, path.join(dir, rel));
  const [dataset, file] = rel.split(path.sep);
  const routineFile = file!.endsWith('.routine.sql');
  const name = file!.slice(0, -(routineFile ? '.routine.sql'.length : '.sql'.length));
  const current = defs.find((d) => d.dataset === dataset && d.name === name && (routineFile ? !isTableKind(d.kind) : true));
  const bad = definitionNameProblem({ kind: current?.kind ?? 'VIEW', dataset: dataset!, name });
  if (bad) {
    out.problems.push(`${shown}:1:1: refusing ${dataset}.${name}: ${bad}`);
    return;
  }
  const raw = fs.readFileSync(path.join(dir, rel), 'utf8');
  const read = readDefinitionFile(shown, raw, { dataset: dataset!, name, project });
  if (!read.ok) {
    out.problems.push(`${read.problem.file}:${read.problem.line}:${read.problem.column}: ${read.problem.message}`);
    return;
  }
  const next: Definition = { ...read.parsed.definition, project };
  const nameProblem = definitionNameProblem(next);
  if (nameProblem) {
    out.problems.push(`${shown}:${positionOf(read.text, read.parsed.nameAt)}: refusing ${kindWords(next.kind)} ${next.dataset}.${next.name}: ${nameProblem}`);
    return;
  }
  if (!current) {
    out.problems.push(`${shown}:${positionOf(read.text, read.parsed.createAt)}: ${kindWords(next.kind)} ${dataset}.${name} is not in the warehouse: repoint-definitions changes existing objects only; delete the file or run \`bqmigrate definitions pull --prune\``);
    return;
  }
  if (current.kind !== next.kind) {
    out.problems.push(`${shown}:${positionOf(read.text, read.parsed.createAt)}: the file creates a ${kindWords(next.kind)}, but ${dataset}.${name} is a ${kindWords(current.kind)} in the warehouse; a definition keeps its kind (drop and re-create it by hand)`);
    return;
  }
  if (sameDefinition(current, next)) {
    out.notes.push(`${shown}: same as the warehouse`);
    return;
  }
  const reads = definitionReads(read.text, linter, project, { skip: { start: read.parsed.nameAt, end: read.parsed.nameAt + 1 } });
  for (const r of missingReads(ctx, defs, reads)) {
    out.problems.push(`${shown}:${positionOf(read.text, r.start)}: ${kindWords(next.kind)} ${dataset}.${name} ${r.call ? 'calls' : 'reads'} ${r.dataset}.${r.name}, which is not in the warehouse (create it first, e.g. with the create-targets step, or fix the name)`);
  }
  const currentStatement = renderDefinition(current, project);
  const statement = renderDefinition(next, project);
  const oldReads = definitionReads(currentStatement, linter, project, { skip: { start: currentStatement.indexOf('`'), end: currentStatement.indexOf('`') + 1 } });
  const action = repointDefinitionAction({
    id: `repoint:${slug(current)}:${dataset}.${name}`,
    rel: shown,
    current,
    next,
    statement,
    fingerprint: isTableKind(current.kind) && readsOnlyCopies(ctx, oldReads, reads),
    diff: diffOf(path.join(path.basename(dir), rel), currentStatement, statement),
  });
  out.targets.push({ type: 'definition', key: readKey(dataset!, name), action, reads });
}

function planScheduledFile(ctx: StepPlanContext, linter: Linter, dir: string, rel: string, scheduled: readonly ScheduledQuery[], defs: readonly Definition[], out: Planned): void {
  const shown = path.relative(ctx.loaded.root, path.join(dir, rel));
  const read = readScheduledFile(shown, fs.readFileSync(path.join(dir, rel), 'utf8'));
  if (!read.ok) {
    out.problems.push(`${read.problem.file}:${read.problem.line}:${read.problem.column}: ${read.problem.message}`);
    return;
  }
  const f: ScheduledFile = read.file;
  const current = scheduled.find((q) => q.name === f.name);
  if (!current) {
    out.problems.push(`${shown}:2:1: scheduled query ${f.name} is not in the project's Data Transfer configs; delete the file or run \`bqmigrate definitions pull --prune\``);
    return;
  }
  const update = scheduledUpdate(current, f);
  if (Object.keys(update).length === 0) {
    out.notes.push(`${shown}: same as the warehouse`);
    return;
  }
  if (current.disabled && !ctx.flags?.includeDisabled && stepOptions(RepointOptions, ctx).includeDisabled !== true) {
    out.notes.push(`${shown}: scheduled query "${current.displayName}" is disabled; left alone (pass --include-disabled to update it too)`);
    return;
  }
  if (update.destinationDataset !== undefined && !ctx.snapshot.datasets.includes(update.destinationDataset)) {
    out.problems.push(`${shown}: the destination dataset ${update.destinationDataset} is not in the warehouse (create it first, e.g. with the create-datasets step)`);
  }
  const text = read.file.query;
  const queryAt = fs.readFileSync(path.join(dir, rel), 'utf8').replace(/\r\n?/g, '\n').indexOf(text);
  const reads = definitionReads(text, linter, ctx.target.project);
  for (const r of missingReads(ctx, defs, reads)) {
    const whole = fs.readFileSync(path.join(dir, rel), 'utf8').replace(/\r\n?/g, '\n');
    out.problems.push(`${shown}:${positionOf(whole, queryAt + r.start)}: scheduled query "${current.displayName}" reads ${r.dataset}.${r.name}, which is not in the warehouse (create it first, or fix the name)`);
  }
  const after: ScheduledQuery = { ...current, ...(update.query !== undefined ? { query: update.query } : {}), ...(update.destinationDataset !== undefined ? { destinationDataset: update.destinationDataset } : {}), ...(update.destinationTable !== undefined ? { destinationTable: update.destinationTable } : {}) };
  const action = repointScheduledAction({ id: `repoint:scheduled:${configId(current.name)}`, rel: shown, current, update, diff: diffOf(path.join(path.basename(dir), rel), scheduledFileText(current).trimEnd(), scheduledFileText(after).trimEnd()) });
  out.targets.push({ type: 'scheduled', key: `scheduled:${current.name}`, action, reads });
}

function plan(ctx: StepPlanContext) {
  const snap = ctx.snapshot.definitions;
  if (!snap) throw new Error('repoint-definitions needs the warehouse definitions in the plan snapshot (takeSnapshot with { definitions: true })');
  const dir = definitionsDir(ctx.loaded);
  const files = listDefinitionFiles(dir);
  const out: Planned = { targets: [], problems: [], notes: [] };
  if (files.length === 0) return { actions: [], notes: [`no definition files in ${path.relative(ctx.loaded.root, dir) || '.'}; run \`bqmigrate definitions pull\` first`] };
  const linter = createLinter(ctx.loaded);
  const hasScheduled = files.some((f) => f.startsWith(`${SCHEDULED_DIR}${path.sep}`));
  if (hasScheduled && snap.scheduledError) out.problems.push(`${path.relative(ctx.loaded.root, path.join(dir, SCHEDULED_DIR))}: scheduled queries could not be read: ${snap.scheduledError}`);
  for (const rel of files) {
    const parts = rel.split(path.sep);
    if (parts[0] === SCHEDULED_DIR) {
      if (!snap.scheduledError) planScheduledFile(ctx, linter, dir, rel, snap.scheduled, snap.objects, out);
    } else if (parts.length === 2) planDefinitionFile(ctx, linter, dir, rel, snap.objects, out);
    else out.problems.push(`${path.relative(ctx.loaded.root, path.join(dir, rel))}:1:1: not where a pulled definition lives (<dir>/<dataset>/<name>.sql or <dir>/${SCHEDULED_DIR}/<name>.sql)`);
  }
  const { order, cycle } = orderByReads(out.targets.map((t) => ({ key: t.key, reads: t.reads.map((r) => readKey(r.dataset, r.name)) })));
  if (cycle) out.problems.push(`these definitions read each other in a cycle, so no order applies them safely: ${cycle.join(' → ')}`);
  if (out.problems.length) {
    throw new Error(`repoint-definitions refused before anything ran (${out.problems.length} problem${out.problems.length === 1 ? '' : 's'}):\n${out.problems.map((p) => `  ${p}`).join('\n')}`);
  }
  const byKey = new Map(out.targets.map((t) => [t.key, t]));
  const same = out.notes.filter((n) => n.endsWith(': same as the warehouse')).length;
  const notes = [...out.notes.filter((n) => !n.endsWith(': same as the warehouse')), ...(same ? [`${same} file(s) match the warehouse: nothing to do for them`] : [])];
  return { actions: order.map((k) => byKey.get(k)!.action), notes };
}

/** The backups journaled by forward runs of this step since the phase was last rolled back, earliest per action, in the order they were taken. */
export function journaledBackups(root: string, phase: string, step: string): { action: string; note: BackupNote }[] {
  const events = readJournal(root);
  const kinds = new Map<string, unknown>();
  for (const e of events) if (e.event === 'run-start') kinds.set(e.runId, e.details?.kind);
  let from = 0;
  events.forEach((e, i) => {
    if (e.phase === phase && e.event === 'rollback-end') from = i + 1;
  });
  const seen = new Map<string, BackupNote>();
  for (const e of events.slice(from)) {
    if (e.phase !== phase || e.step !== step || e.event !== 'action-note' || !e.action || !e.details || !('backup' in e.details)) continue;
    if (kinds.get(e.runId) !== 'run' || seen.has(e.action)) continue;
    seen.set(e.action, e.details as unknown as BackupNote);
  }
  return [...seen].map(([action, note]) => ({ action, note }));
}

function rollback(ctx: StepPlanContext) {
  const backups = journaledBackups(ctx.loaded.root, ctx.phase, ctx.stepId).reverse();
  const current = ctx.snapshot.definitions?.objects ?? [];
  const actions = backups.map(({ action, note }) => {
    if (note.backup.scheduled) return restoreScheduledAction({ id: action.replace(/^repoint:/, 'restore:'), note });
    const d = note.backup.definition!.definition;
    const live = current.find((c) => c.kind === d.kind && c.dataset === d.dataset && c.name === d.name);
    const diff = live && !sameDefinition(live, d) ? diffOf(`${d.dataset}/${d.name}.sql`, renderDefinition(live, ctx.target.project), note.backup.definition!.statement) : undefined;
    return restoreDefinitionAction({ id: action.replace(/^repoint:/, 'restore:'), note, ...(diff ? { diff } : {}) });
  });
  return { actions, notes: backups.length ? [] : ['no definition was repointed since the last rollback: nothing to restore'] };
}

export const repointDefinitionsStep: BuiltinStep = {
  name: 'repoint-definitions',
  title: 'Repoint warehouse definitions (views, routines, scheduled queries) to the edited files',
  destructive: true,
  sequential: true,
  options: RepointOptions,
  plan,
  rollback,
};
