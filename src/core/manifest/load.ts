/**
 * Loads `bqmigrate.json` (JSON with comments) with positions kept, validates it
 * with the zod schema, and turns every problem into a ManifestProblem that says
 * file:line:column, what was expected and what to do.
 */
import * as fs from 'node:fs';
import * as jsonc from 'jsonc-parser';
import type { z } from 'zod';
import { describeFsError } from '../fs-errors';
import { closest } from '../naming/distance';
import { LineIndex } from '../text/positions';
import { loadedManifest, type LoadedManifest } from './loaded';
import { ManifestSchema } from './schema';
import { checkManifestSemantics } from './semantic';

export { findManifest, MANIFEST_FILE, type LoadedManifest } from './loaded';

export interface ManifestProblem {
  file: string;
  /** 0-based offsets into the manifest text. */
  start: number;
  end: number;
  /** 1-based, for messages. */
  line: number;
  column: number;
  /** JSON path of the offending value, e.g. ["mappings", 3, "to"]. */
  path: (string | number)[];
  message: string;
  hint?: string;
  /** Errors stop the load; warnings (from the semantic checks) come back with a loaded manifest. Absent means error. */
  severity?: 'error' | 'warning';
}

export type ManifestLoadResult =
  | { ok: true; loaded: LoadedManifest; problems: ManifestProblem[] }
  | { ok: false; problems: ManifestProblem[] };

export class ManifestError extends Error {
  constructor(readonly problems: ManifestProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ManifestError';
  }
}

export function formatProblem(p: ManifestProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.severity === 'warning' ? 'warning: ' : ''}${p.message}${p.hint ? ` (${p.hint})` : ''}`;
}

export function loadManifestFile(file: string): ManifestLoadResult {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return {
      ok: false,
      problems: [{ file, start: 0, end: 0, line: 1, column: 1, path: [], message: `cannot read the manifest: ${describeFsError(err)}`, hint: 'check the path given with --manifest or the bqmigrate.manifest setting' }],
    };
  }
  return parseManifest(text, file);
}

/** Parses manifest text; `file` is used for messages and to resolve relative paths. */
export function parseManifest(text: string, file: string): ManifestLoadResult {
  const index = new LineIndex(text);
  const at = (start: number, end: number, p: (string | number)[], message: string, hint?: string): ManifestProblem => {
    const pos = index.positionAt(start);
    return { file, start, end, line: pos.line + 1, column: pos.character + 1, path: p, message, hint };
  };
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const shift = text.length - body.length;
  const errors: jsonc.ParseError[] = [];
  const tree = jsonc.parseTree(body, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0 || !tree) {
    const problems = errors.map((e) =>
      at(e.offset + shift, e.offset + shift + e.length, [], `invalid JSON: ${jsonc.printParseErrorCode(e.error)}`, 'bqmigrate.json is JSON with comments; fix the syntax at this position'),
    );
    if (problems.length === 0) problems.push(at(0, 0, [], 'the manifest is empty', 'write a JSON object, or run `bqmigrate init`'));
    return { ok: false, problems };
  }
  const value: unknown = jsonc.getNodeValue(tree);
  const parsed = ManifestSchema.safeParse(value);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((issue) => issueToProblem(issue, tree, shift, at)) };
  }
  const problems = checkManifestSemantics(parsed.data).map((s) => {
    const where = locate(tree, s.path, shift);
    let message = s.message;
    for (const r of s.related ?? []) {
      const pos = index.positionAt(locate(tree, r, shift).start);
      message = message.includes('{A}') ? message.replace('{A}', `line ${pos.line + 1}:${pos.character + 1}`) : `${message} (see line ${pos.line + 1}:${pos.character + 1})`;
    }
    return { ...at(where.start, where.end, s.path, `${s.path.join('.')}: ${message}`, s.hint), severity: s.severity };
  });
  if (problems.some((p) => p.severity === 'error')) return { ok: false, problems };
  return { ok: true, loaded: loadedManifest(file, text, tree, parsed.data), problems };
}

/** Loads or throws a ManifestError with every problem. */
export function loadManifestOrThrow(file: string): LoadedManifest {
  const r = loadManifestFile(file);
  if (!r.ok) throw new ManifestError(r.problems);
  return r.loaded;
}

/** The object's keys in the manifest text at `p` (for "did you mean": a key already there is no suggestion). */
function objectAt(tree: jsonc.Node, p: (string | number)[]): Record<string, true> {
  const node = jsonc.findNodeAtLocation(tree, p);
  const out: Record<string, true> = {};
  for (const prop of node?.type === 'object' ? (node.children ?? []) : []) {
    const k = prop.children?.[0]?.value;
    if (typeof k === 'string') out[k] = true;
  }
  return out;
}

/** The field names the schema allows for the object at `p` (records, arrays, optional, default and union layers looked through). */
function fieldsAt(schema: unknown, p: readonly (string | number)[]): string[] {
  type Def = { type: string; shape?: Record<string, unknown>; innerType?: unknown; in?: unknown; valueType?: unknown; element?: unknown; options?: unknown[] };
  const defOf = (s: unknown): Def | undefined => (s as { _zod?: { def?: Def } })?._zod?.def;
  const unwrap = (s: unknown): unknown[] => {
    const d = defOf(s);
    if (!d) return [];
    if (d.type === 'optional' || d.type === 'default' || d.type === 'nullable' || d.type === 'prefault' || d.type === 'readonly') return unwrap(d.innerType);
    if (d.type === 'pipe') return unwrap(d.in);
    if (d.type === 'union') return (d.options ?? []).flatMap(unwrap);
    return [s];
  };
  let current = unwrap(schema);
  for (const key of p) {
    current = current.flatMap((s) => {
      const d = defOf(s)!;
      if (d.type === 'object' && typeof key === 'string' && d.shape && key in d.shape) return unwrap(d.shape[key]);
      if (d.type === 'record') return unwrap(d.valueType);
      if (d.type === 'array' && typeof key === 'number') return unwrap(d.element);
      return [];
    });
  }
  return [...new Set(current.flatMap((s) => (defOf(s)?.type === 'object' ? Object.keys(defOf(s)!.shape ?? {}) : [])))];
}

/** Offsets (in the full text) of the JSON value at `jsonPath`, or of its nearest existing ancestor. */
export function locate(tree: jsonc.Node | undefined, jsonPath: (string | number)[], shift = 0): { start: number; end: number; keyStart?: number } {
  if (!tree) return { start: 0, end: 0 };
  for (let n = jsonPath.length; n >= 0; n--) {
    const node = jsonc.findNodeAtLocation(tree, jsonPath.slice(0, n));
    if (node) {
      const keyNode = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
      // A record key that is itself wrong (e.g. a bad dataset id) is reported on the key.
      return { start: node.offset + shift, end: node.offset + node.length + shift, keyStart: keyNode ? keyNode.offset + shift : undefined };
    }
  }
  return { start: 0, end: 0 };
}

function issueToProblem(
  issue: z.core.$ZodIssue,
  tree: jsonc.Node,
  shift: number,
  at: (s: number, e: number, p: (string | number)[], m: string, h?: string) => ManifestProblem,
): ManifestProblem {
  const p = issue.path.map((k) => (typeof k === 'symbol' ? String(k) : k)) as (string | number)[];
  const where = locate(tree, p, shift);
  const start = issue.code === 'invalid_key' && where.keyStart !== undefined ? where.keyStart : where.start;
  const end = where.end;
  const label = p.length ? p.join('.') : 'the manifest';
  let message = `${label}: ${issue.message}`;
  let hint: string | undefined;
  switch (issue.code) {
    case 'unrecognized_keys': {
      message = `${label}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
      const allowed = fieldsAt(ManifestSchema, p);
      const guess = allowed.length ? closest(issue.keys[0]!, allowed.filter((k) => !(k in objectAt(tree, p)))) : undefined;
      hint = `${guess ? `did you mean "${guess}"? ` : ''}${allowed.length ? `the fields here are ${allowed.map((k) => `"${k}"`).join(', ')}` : 'remove it or check its spelling'}; see the manifest reference in the README`;
      {
        const keyNode = jsonc.findNodeAtLocation(tree, [...p, issue.keys[0]!]);
        const prop = keyNode?.parent;
        if (prop?.type === 'property') return at(prop.offset + shift, prop.offset + prop.length + shift, [...p, issue.keys[0]!], message, hint);
      }
      break;
    }
    case 'invalid_key': {
      // A record key that fails its pattern, e.g. a dataset id with a non-ASCII letter.
      const key = String(p[p.length - 1]);
      const what = p.length === 2 && (p[0] === 'datasets' || p[0] === 'legacyDatasets') ? 'dataset id' : p[0] === 'variables' ? 'variable name' : 'key';
      const bad = [...key].filter((c) => !/[A-Za-z0-9_]/.test(c));
      message = `${label}: "${key}" is not a valid ${what}${bad.length ? `: ${[...new Set(bad)].map((c) => JSON.stringify(c)).join(', ')} ${bad.length > 1 ? 'are' : 'is'} not allowed` : ''}`;
      hint = `a ${what} is ASCII letters, digits and underscores, not starting with a digit${bad.length ? `, e.g. "${key.normalize('NFD').replace(/[^A-Za-z0-9_]/g, '')}"` : ''}`;
      break;
    }
    case 'invalid_type':
      message = `${label}: expected ${issue.expected}`;
      hint = where.start === 0 && p.length > 0 ? `add the field "${p[p.length - 1]}"` : 'change the value to the expected type';
      break;
    case 'invalid_value':
      message = `${label}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
      break;
    case 'invalid_union':
      // A mapping whose "kind" is none of the kinds (the discriminator of the mapping union).
      if ((issue as { discriminator?: string }).discriminator === 'kind') {
        message = `${label}: expected one of "table", "path", "column"`;
        hint = 'a table mapping may leave "kind" out; see the manifest reference in the README';
      }
      break;
    default:
      break;
  }
  return at(start, end, p, message, hint);
}
