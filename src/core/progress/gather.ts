/**
 * Reads everything the dashboard shows from a manifest's folder — the manifest,
 * the journal, reference snapshots, the latest validation report, the last
 * `bqmigrate readers` report — and builds the DashboardState. Unreadable parts become problems shown
 * on the page; the rest still renders.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import { formatProblem, loadManifestFile, type LoadedManifest } from '../manifest/load';
import { readJournal } from '../phases/journal';
import { phaseStatuses } from '../phases/status';
import type { DashboardState, DefinitionsSection } from '../../protocol/messages';
import { buildDashboardState, type ValidationReportInput } from './model';
import { readSnapshots } from './snapshots';
import { definitionsSectionFromDisk } from '../definitions/summary';
import { appendAll } from '../arrays';
import { readReadersFile } from '../readers/report';
import type { MigrationState } from '../history/team';
import { historyView } from './history-view';

export const VALIDATION_FILE = path.join('.bqmigrate', 'validation-latest.json');

const ValidationFile = z.object({
  ts: z.string().optional(),
  checks: z.array(
    z.object({ id: z.string(), family: z.string().optional(), subject: z.string().optional(), description: z.string().optional(), legacy: z.unknown().optional(), new: z.unknown().optional(), pass: z.boolean(), skipped: z.boolean().optional(), detail: z.string().optional() }).passthrough(),
  ),
}).passthrough();

function readJsonFile<T>(file: string, schema: z.ZodType<T>, what: string, problems: string[]): T | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`${file}: cannot read ${what}: ${(err as Error).message}`);
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    problems.push(`${file}:1:1: ${what} is not valid JSON (${(err as Error).message}); rerun the step that writes it`);
    return undefined;
  }
  const r = schema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    problems.push(`${file}:1:1: ${what}: expected ${issue?.path.join('.') || 'value'} to match (${issue?.message}); rerun the step that writes it`);
    return undefined;
  }
  return r.data;
}

export function validationReportPath(manifestDir: string): string {
  return path.join(manifestDir, VALIDATION_FILE);
}

/**
 * The state for an already loaded manifest. `migration` is the state `bqmigrate status` reads (the
 * warehouse history merged with the journal); without it the phases come from the journal alone.
 */
export function gatherFromLoaded(loaded: LoadedManifest, now: Date = new Date(), extraProblems: string[] = [], opts: { definitions?: DefinitionsSection; migration?: MigrationState } = {}): DashboardState {
  const dir = loaded.root;
  const problems = [...extraProblems];
  const events = opts.migration?.shared.events ?? readJournal(dir);
  const statuses = phaseStatuses(loaded, events);
  const snapshots = readSnapshots(dir);
  appendAll(problems, snapshots.problems);
  const validation = readJsonFile(validationReportPath(dir), ValidationFile, 'the validation report', problems) as ValidationReportInput | undefined;
  const readers = readReadersFile(dir);
  if (readers.problem) problems.push(readers.problem);
  const state = buildDashboardState({
    loaded,
    statuses,
    journalEvents: events.length,
    snapshots: snapshots.snapshots,
    ...(validation ? { validation } : {}),
    ...(readers.report ? { readers: readers.report } : {}),
    // The editor passes its live lint of the pulled files; otherwise they are linted from disk.
    definitions: opts.definitions ?? definitionsSectionFromDisk(loaded),
    problems,
    now,
  });
  if (opts.migration) state.phases.history = historyView(opts.migration);
  return state;
}

export type GatherResult = { ok: true; state: DashboardState; loaded: LoadedManifest } | { ok: false; problems: string[] };

/** Loads the manifest at `manifestFile` and gathers the state. */
export function gatherDashboardState(manifestFile: string, now: Date = new Date()): GatherResult {
  const r = loadManifestFile(manifestFile);
  if (!r.ok) return { ok: false, problems: r.problems.map(formatProblem) };
  return { ok: true, loaded: r.loaded, state: gatherFromLoaded(r.loaded, now, r.problems.map(formatProblem)) };
}
