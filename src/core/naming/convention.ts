/**
 * A dataset's naming convention compiled to literal and segment tokens, and a
 * parser that tries the alternatives: segment values may contain the separator
 * (`trump_2023_2025`), so each segment offers every end it could have and the
 * parser backtracks, memoising dead (token, position) pairs. When no parse
 * exists it reports the furthest segment reached: that segment is the failing one.
 */
import type { Manifest, NamingConvention } from '../manifest/schema';

/** Stands for a host placeholder (`{h}`) in a name: it may be any one segment value. */
export const PLACEHOLDER_MARK = '\u0000';

export type SegmentAllowed =
  | { kind: 'values'; values: string[]; source: 'segments' | 'variables' }
  | { kind: 'regex'; regex: RegExp; description?: string }
  | { kind: 'any' };

export type ConventionToken = { kind: 'lit'; text: string } | { kind: 'segment'; name: string; allowed: SegmentAllowed };

export interface CompiledConvention {
  dataset: string;
  pattern: string;
  tokens: ConventionToken[];
  /** The segment tokens of `tokens`, in order. */
  segments: Extract<ConventionToken, { kind: 'segment' }>[];
  exempt: Set<string>;
}

export interface ParsedSegment {
  name: string;
  value: string;
}

export type ParseOutcome =
  | { ok: true; segments: ParsedSegment[] }
  | { ok: false; segments: ParsedSegment[]; tokenIndex: number; position: number };

/** Identifier text of a name: letters, digits, `_`, and the placeholder mark. */
function isIdentChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 0;
}

export function compileConvention(dataset: string, c: NamingConvention, variables: Manifest['variables']): CompiledConvention {
  const tokens: ConventionToken[] = [];
  let last = 0;
  for (const m of c.pattern.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
    if (m.index! > last) tokens.push({ kind: 'lit', text: c.pattern.slice(last, m.index) });
    const name = m[1]!;
    const rule = c.segments[name];
    let allowed: SegmentAllowed;
    if (Array.isArray(rule)) allowed = { kind: 'values', values: [...rule], source: 'segments' };
    else if (rule) allowed = { kind: 'regex', regex: new RegExp(`^(?:${rule.regex})$`), description: rule.description };
    else if (variables[name]) allowed = { kind: 'values', values: [...variables[name]!], source: 'variables' };
    else allowed = { kind: 'any' };
    tokens.push({ kind: 'segment', name, allowed });
    last = m.index! + m[0].length;
  }
  if (last < c.pattern.length) tokens.push({ kind: 'lit', text: c.pattern.slice(last) });
  const segments = tokens.filter((t): t is Extract<ConventionToken, { kind: 'segment' }> => t.kind === 'segment');
  return { dataset, pattern: c.pattern, tokens, segments, exempt: new Set(c.exempt) };
}

/** End positions a segment could have when it starts at `pos`. Longest first. */
function segmentEnds(allowed: SegmentAllowed, text: string, pos: number): number[] {
  if (text[pos] === PLACEHOLDER_MARK) {
    let e = pos;
    while (text[e] === PLACEHOLDER_MARK) e++;
    return [e];
  }
  const ends: number[] = [];
  if (allowed.kind === 'values') {
    for (const v of allowed.values) if (text.startsWith(v, pos)) ends.push(pos + v.length);
    return ends.length < 2 ? ends : [...new Set(ends)].sort((a, b) => b - a);
  }
  // A value is identifier text, so it ends within the identifier run starting at pos; longest first, each once.
  let run = pos;
  while (run < text.length && isIdentChar(text.charCodeAt(run))) run++;
  for (let e = run; e > pos; e--) if (allowed.kind === 'any' || allowed.regex.test(text.slice(pos, e))) ends.push(e);
  return ends;
}

export function parseName(conv: CompiledConvention, table: string): ParseOutcome {
  const dead = new Set<number>();
  const stack: ParsedSegment[] = [];
  let deepest = { tokenIndex: 0, position: 0, segments: [] as ParsedSegment[] };
  const note = (ti: number, pos: number) => {
    // The furthest segment reached names the failure best; among equals, the furthest position.
    if (ti > deepest.tokenIndex || (ti === deepest.tokenIndex && pos > deepest.position)) deepest = { tokenIndex: ti, position: pos, segments: [...stack] };
  };
  const go = (ti: number, pos: number): boolean => {
    if (ti === conv.tokens.length) {
      if (pos === table.length) return true;
      note(ti, pos);
      return false;
    }
    const key = ti * (table.length + 1) + pos;
    if (dead.has(key)) return false;
    const tok = conv.tokens[ti]!;
    if (tok.kind === 'lit') {
      if (table.startsWith(tok.text, pos) && go(ti + 1, pos + tok.text.length)) return true;
    } else {
      for (const end of segmentEnds(tok.allowed, table, pos)) {
        stack.push({ name: tok.name, value: table.slice(pos, end) });
        if (go(ti + 1, end)) return true;
        stack.pop();
      }
    }
    note(ti, pos);
    dead.add(key);
    return false;
  };
  if (go(0, 0)) return { ok: true, segments: stack };
  return { ok: false, ...deepest };
}

/** Every valid name when all segments are finite lists and there are not too many. */
export function enumerateNames(conv: CompiledConvention, limit = 20000): string[] | undefined {
  let names = [''];
  for (const t of conv.tokens) {
    if (t.kind === 'lit') names = names.map((n) => n + t.text);
    else if (t.allowed.kind === 'values') {
      const values = t.allowed.values;
      if (names.length * values.length > limit) return undefined;
      names = names.flatMap((n) => values.map((v) => n + v));
    } else return undefined;
  }
  return names;
}

const described = new WeakMap<SegmentAllowed, string>();

/** What a segment allows, in words (at most `max` values listed); computed once per segment rule. */
export function describeAllowed(a: SegmentAllowed, max = 12): string {
  if (max !== 12) return describe(a, max);
  let text = described.get(a);
  if (text === undefined) described.set(a, (text = describe(a, max)));
  return text;
}

function describe(a: SegmentAllowed, max: number): string {
  if (a.kind === 'any') return 'any identifier text';
  if (a.kind === 'regex') return a.description ? `${a.description} (/${a.regex.source.slice(4, -2)}/)` : `text matching /${a.regex.source.slice(4, -2)}/`;
  const shown = a.values.slice(0, max).join(', ');
  return a.values.length > max ? `${shown}, … (${a.values.length} values)` : shown;
}
