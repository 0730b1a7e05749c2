/**
 * The pulled files: where each definition lives (`<dir>/<dataset>/<name>.sql`, scheduled queries in
 * `<dir>/_scheduled/<display name>.sql`), the exact text written for each (so a second pull with
 * nothing changed rewrites nothing), and reading an edited file back into what it now asks for,
 * with the file's line and column when it is not a single CREATE of that same object.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LoadedManifest } from '../manifest/load';
import { LineIndex } from '../text/positions';
import type { Definition, ScheduledQuery } from '../warehouse/types';
import { isTableKind, parseDefinitionStatement, renderDefinition, type ParsedDefinition } from './ddl';

export const SCHEDULED_DIR = '_scheduled';

/** `<manifest dir>/<definitions.dir>` (default `warehouse/`). */
export function definitionsDir(loaded: LoadedManifest): string {
  return path.resolve(loaded.root, loaded.manifest.definitions?.dir ?? 'warehouse');
}

/** The file of a definition, relative to the definitions folder; a routine sharing a view's name gets `.routine.sql`. */
export function definitionRelPath(def: Pick<Definition, 'kind' | 'dataset' | 'name'>, all: readonly Pick<Definition, 'kind' | 'dataset' | 'name'>[] = []): string {
  const clash = !isTableKind(def.kind) && all.some((d) => isTableKind(d.kind) && d.dataset === def.dataset && d.name === def.name);
  return path.join(def.dataset, `${def.name}${clash ? '.routine' : ''}.sql`);
}

/** A display name as a file name: path separators, reserved and control characters become "_". */
export function safeFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const s = name.replace(/[/\\:*?"<>|\u0000-\u001f\u007f]/g, '_').replace(/^[.\s]+|[.\s]+$/g, '').slice(0, 150);
  return s;
}

/** Scheduled query file names, relative to the definitions folder: the display name, with the config id when two collide. */
export function scheduledRelPaths(queries: readonly ScheduledQuery[]): Map<string, string> {
  const base = new Map(queries.map((q) => [q.name, safeFileName(q.displayName) || configId(q.name)]));
  const counts = new Map<string, number>();
  for (const b of base.values()) counts.set(b.toLowerCase(), (counts.get(b.toLowerCase()) ?? 0) + 1);
  return new Map(queries.map((q) => {
    const b = base.get(q.name)!;
    return [q.name, path.join(SCHEDULED_DIR, `${(counts.get(b.toLowerCase()) ?? 0) > 1 ? `${b} (${configId(q.name)})` : b}.sql`)];
  }));
}

export function configId(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

/** The directive that keeps lint and fix off the name a file defines: its own name is not a reference to rewrite. */
export const SELF_DIRECTIVE_REASON = 'the name this file defines';

/** The pulled file of a definition: an optional suppression of rules that would flag its own name, then the statement. */
export function definitionFileText(def: Definition, project: string, suppress: readonly string[] = []): string {
  const statement = renderDefinition(def, project);
  const head = suppress.length ? `-- bqmigrate-disable-next-line ${[...suppress].sort().join(', ')} -- ${SELF_DIRECTIVE_REASON}\n` : '';
  return `${head}${statement}\n`;
}

const HEADER = '-- bqmigrate scheduled query (BigQuery Data Transfer Service). Edit the query below and the destination line; the repoint-definitions step applies them.';

/** Offset and length of the object's own name in a rendered statement's first line (for the lint check of the pulled file). */
export function nameSpan(text: string): { start: number; end: number } | undefined {
  const m = /^CREATE OR REPLACE [A-Z ]+? (`[^`\n]+`)/m.exec(text);
  if (!m) return undefined;
  const start = m.index + m[0].length - m[1]!.length;
  return { start, end: start + m[1]!.length };
}

/** The pulled file of a scheduled query: a header of `-- key: value` lines, then the query exactly. */
export function scheduledFileText(q: ScheduledQuery): string {
  const lines = [HEADER, `-- config: ${q.name}`, `-- display name: ${oneLine(q.displayName)}`];
  if (q.schedule) lines.push(`-- schedule: ${oneLine(q.schedule)}`);
  if (q.destinationDataset || q.destinationTable) lines.push(`-- destination: ${q.destinationDataset ?? ''}${q.destinationTable !== undefined ? `.${q.destinationTable}` : ''}`);
  if (q.writeDisposition) lines.push(`-- write disposition: ${q.writeDisposition}`);
  if (q.disabled) lines.push('-- disabled: true');
  return `${lines.join('\n')}\n${q.query}${q.query.endsWith('\n') ? '' : '\n'}`;
}

const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ');

/** Text as read from disk: BOM dropped, CRLF and lone CR as LF (the warehouse keeps LF). */
export function normalizeFileText(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

export interface FileProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

export function formatFileProblem(p: FileProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.message}`;
}

function problemAt(file: string, text: string, offset: number, message: string): FileProblem {
  const pos = new LineIndex(text).positionAt(Math.min(offset, text.length));
  return { file, line: pos.line + 1, column: pos.character + 1, message };
}

export type DefinitionFileRead = { ok: true; parsed: ParsedDefinition; text: string } | { ok: false; problem: FileProblem };

/** An edited definition file: it must be one CREATE statement of the object its path names. */
export function readDefinitionFile(file: string, raw: string, expected: { dataset: string; name: string; project: string }): DefinitionFileRead {
  const text = normalizeFileText(raw);
  const r = parseDefinitionStatement(text);
  if (!r.ok) return { ok: false, problem: problemAt(file, text, r.problem.offset, `${r.problem.message} — this file must hold one CREATE statement of ${expected.dataset}.${expected.name}`) };
  const d = r.parsed.definition;
  const project = d.project ?? expected.project;
  if (project !== expected.project || d.dataset !== expected.dataset || d.name !== expected.name) {
    return {
      ok: false,
      problem: problemAt(file, text, r.parsed.nameAt, `this file creates ${project}.${d.dataset}.${d.name}, but it holds the definition of ${expected.project}.${expected.dataset}.${expected.name}: keep the name (a definition is repointed in place, not renamed), or move the text to its own file`),
    };
  }
  return { ok: true, parsed: r.parsed, text };
}

export interface ScheduledFile {
  name: string;
  query: string;
  destinationDataset?: string;
  destinationTable?: string;
}

export type ScheduledFileRead = { ok: true; file: ScheduledFile } | { ok: false; problem: FileProblem };

/** An edited scheduled query file: its `-- config:` line says which config, the rest is the query. */
export function readScheduledFile(file: string, raw: string): ScheduledFileRead {
  const text = normalizeFileText(raw);
  const lines = text.split('\n');
  const header: Record<string, { value: string; line: number }> = {};
  let i = 0;
  for (; i < lines.length; i++) {
    const m = /^--\s*([a-z ]+):\s?(.*)$/.exec(lines[i]!);
    if (lines[i] === HEADER || (i === 0 && lines[i]!.startsWith('-- bqmigrate scheduled query'))) continue;
    if (!m) break;
    header[m[1]!.trim()] = { value: m[2]!.trimEnd(), line: i + 1 };
  }
  const config = header.config?.value;
  if (!config) return { ok: false, problem: { file, line: 1, column: 1, message: 'a scheduled query file starts with its header; the "-- config: projects/…/transferConfigs/…" line is missing (pull again to restore it)' } };
  const query = lines.slice(i).join('\n').replace(/\n+$/, '');
  if (!query.trim()) return { ok: false, problem: { file, line: i + 1, column: 1, message: 'the query after the header is empty' } };
  const out: ScheduledFile = { name: config, query };
  const dest = header.destination;
  if (dest) {
    const m = /^([A-Za-z0-9_]*)(?:\.(.+))?$/.exec(dest.value.trim());
    if (!m) return { ok: false, problem: { file, line: dest.line, column: 16, message: `destination ${JSON.stringify(dest.value)} is not dataset.table` } };
    if (m[1]) out.destinationDataset = m[1];
    if (m[2] !== undefined) out.destinationTable = m[2];
  }
  return { ok: true, file: out };
}

/** Every `.sql` file under the definitions folder, relative paths, sorted. */
export function listDefinitionFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else if (e.isFile() && e.name.endsWith('.sql')) out.push(r);
    }
  };
  walk('');
  return out.sort();
}
