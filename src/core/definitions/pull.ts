/**
 * `definitions pull`: every view, materialized view, routine and scheduled query of the warehouse
 * into files under the definitions folder. A file is written (atomically) only when its text
 * changes, so a second pull with nothing changed rewrites nothing; `check` writes nothing and says
 * what differs; files of objects the warehouse no longer has are listed (and removed with `prune`).
 * An object whose name cannot be a safe file name or SQL name is refused by name; the rest goes on.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../fix/write';
import { createLinter } from '../lint/linter';
import { LEGACY_NAME_RULES } from '../rules/index';
import type { LoadedManifest } from '../manifest/load';
import type { Definition, ScheduledQuery, Warehouse } from '../warehouse/types';
import { definitionNameProblem, kindWords, renderDefinition } from './ddl';
import { definitionFileText, definitionRelPath, definitionsDir, listDefinitionFiles, nameSpan, scheduledFileText, scheduledRelPaths, SCHEDULED_DIR } from './files';

export interface PullOptions {
  /** Folder to write (default: the manifest's `definitions.dir`). */
  dir?: string;
  /** Only these datasets (default: every dataset). */
  datasets?: string[];
  /** Also scheduled queries (default true). */
  scheduled?: boolean;
  /** Write nothing; report what differs. */
  check?: boolean;
  /** Remove files of objects the warehouse no longer has. */
  prune?: boolean;
  onProgress?(message: string): void;
}

export type PullFileState = 'written' | 'unchanged' | 'would-write' | 'removed' | 'stale';

export interface PullEntry {
  /** Relative to the definitions folder. */
  file: string;
  state: PullFileState;
  /** `VIEW models_v4.v`, `SCHEDULED QUERY Daily summary`. */
  object?: string;
}

export interface PullReport {
  dir: string;
  entries: PullEntry[];
  /** Objects not written, each with its name and why. */
  refused: { object: string; problem: string }[];
  /** What could not be read at all (e.g. the Data Transfer API is off). */
  errors: string[];
  counts: { views: number; materializedViews: number; routines: number; scheduled: number };
  /** With `check`: the files and the warehouse differ. */
  differs: boolean;
}

/** Rules whose fix would rename a definition's own name (its file suppresses them on that line: a definition is repointed, never renamed). */

/** Rule ids that flag a definition's own name in its rendered statement. */
function selfFlags(linter: ReturnType<typeof createLinter>, statement: string, file: string): string[] {
  const span = nameSpan(statement);
  if (!span) return [];
  const result = linter.lintText(statement, file, 'sql');
  return [...new Set(result.violations.filter((v) => LEGACY_NAME_RULES.has(v.ruleId) && v.range.start < span.end && v.range.end > span.start).map((v) => v.ruleId))];
}

export function describeDefinition(d: Pick<Definition, 'kind' | 'dataset' | 'name'>): string {
  return `${kindWords(d.kind)} ${d.dataset}.${d.name}`;
}

export async function pullDefinitions(wh: Warehouse, loaded: LoadedManifest, opts: PullOptions = {}): Promise<PullReport> {
  const dir = opts.dir ? path.resolve(loaded.root, opts.dir) : definitionsDir(loaded);
  const project = wh.project;
  const report: PullReport = { dir, entries: [], refused: [], errors: [], counts: { views: 0, materializedViews: 0, routines: 0, scheduled: 0 }, differs: false };
  opts.onProgress?.(`reading views and routines${opts.datasets ? ` of ${opts.datasets.join(', ')}` : ''}`);
  const defs = await wh.listDefinitions(opts.datasets);
  let scheduled: ScheduledQuery[] = [];
  const withScheduled = opts.scheduled !== false;
  if (withScheduled) {
    opts.onProgress?.('reading scheduled queries');
    try {
      scheduled = await wh.listScheduledQueries();
    } catch (err) {
      report.errors.push(`scheduled queries could not be read: ${(err as Error).message} (pass --no-scheduled to pull without them)`);
    }
  }
  const linter = createLinter(loaded);
  const wanted = new Map<string, { text: string; object: string }>();
  for (const d of defs) {
    const object = describeDefinition(d);
    const bad = definitionNameProblem(d);
    if (bad) {
      report.refused.push({ object, problem: bad });
      continue;
    }
    const rel = definitionRelPath(d, defs);
    const statement = renderDefinition(d, project);
    wanted.set(rel, { text: definitionFileText(d, project, selfFlags(linter, statement, path.join(dir, rel))), object });
    if (d.kind === 'VIEW') report.counts.views++;
    else if (d.kind === 'MATERIALIZED_VIEW') report.counts.materializedViews++;
    else report.counts.routines++;
  }
  const scheduledPaths = scheduledRelPaths(scheduled);
  for (const q of scheduled) {
    wanted.set(scheduledPaths.get(q.name)!, { text: scheduledFileText(q), object: `SCHEDULED QUERY ${q.displayName} (${q.name})` });
    report.counts.scheduled++;
  }

  for (const [rel, w] of [...wanted].sort(([a], [b]) => a.localeCompare(b))) {
    const full = path.join(dir, rel);
    let current: string | undefined;
    try {
      current = fs.readFileSync(full, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === w.text) {
      report.entries.push({ file: rel, state: 'unchanged', object: w.object });
      continue;
    }
    if (opts.check) {
      report.entries.push({ file: rel, state: 'would-write', object: w.object });
      report.differs = true;
      continue;
    }
    fs.mkdirSync(path.dirname(full), { recursive: true });
    writeFileAtomic(full, w.text);
    report.entries.push({ file: rel, state: 'written', object: w.object });
  }

  // Files of objects this pull covered (the datasets read, scheduled queries when read) that are no longer there.
  const covered = (rel: string) => {
    const top = rel.split(path.sep)[0]!;
    if (top === SCHEDULED_DIR) return withScheduled && report.errors.length === 0;
    return rel.includes(path.sep) && (!opts.datasets || opts.datasets.includes(top));
  };
  for (const rel of listDefinitionFiles(dir)) {
    if (wanted.has(rel) || !covered(rel)) continue;
    if (opts.prune && !opts.check) {
      fs.rmSync(path.join(dir, rel));
      report.entries.push({ file: rel, state: 'removed' });
    } else {
      report.entries.push({ file: rel, state: 'stale' });
      if (opts.check || opts.prune) report.differs = true;
    }
  }
  if (opts.check && report.entries.some((e) => e.state === 'stale')) report.differs = true;
  return report;
}

/** One line per file that changed or needs attention, then a summary. */
export function formatPullReport(r: PullReport, opts: { check?: boolean; root?: string } = {}): string {
  const rel = (f: string) => path.relative(opts.root ?? process.cwd(), path.join(r.dir, f)) || f;
  const lines: string[] = [];
  const verbs: Record<PullFileState, string> = { written: 'wrote', unchanged: 'unchanged', 'would-write': 'differs', removed: 'removed', stale: 'not in the warehouse' };
  for (const e of r.entries) if (e.state !== 'unchanged') lines.push(`${verbs[e.state].padEnd(20)} ${rel(e.file)}${e.object ? `  (${e.object})` : ''}${e.state === 'stale' && !opts.check ? ' — delete it, or pull with --prune' : ''}`);
  for (const x of r.refused) lines.push(`refused              ${x.object}: ${x.problem}`);
  for (const e of r.errors) lines.push(`error                ${e}`);
  const c = r.counts;
  const n = (k: PullFileState) => r.entries.filter((e) => e.state === k).length;
  lines.push(
    `${c.views} view(s), ${c.materializedViews} materialized view(s), ${c.routines} routine(s), ${c.scheduled} scheduled quer${c.scheduled === 1 ? 'y' : 'ies'} in ${rel('.') || '.'}: ` +
      (opts.check ? `${n('would-write')} differ, ${n('stale')} not in the warehouse, ${n('unchanged')} unchanged` : `${n('written')} written, ${n('unchanged')} unchanged, ${n('removed')} removed, ${n('stale')} not in the warehouse`) +
      (r.refused.length ? `, ${r.refused.length} refused` : ''),
  );
  return lines.join('\n');
}
