/**
 * The SQL texts of a file, each at its own offsets: a .sql file whole, and the string literals of Python
 * and JavaScript/TypeScript that hold a table reference. Inside a string, host placeholders (`{h}`,
 * `${x}`, `%(x)s`) and escape sequences are overwritten with filler of the same length, so the SQL
 * parser sees plain SQL and every offset in it is the file's offset minus the region's start.
 */
import { pythonParser } from './parsers';
import type { Span } from '../scan/types';

export interface SqlRegion {
  /** Offset in the file of the region's first character. */
  start: number;
  /** The SQL, as long as the region: `sql[i]` stands at file offset `start + i`. */
  sql: string;
}

const NAME_CHAR = /[A-Za-z0-9_.`]/;
const NAME_BEFORE = /\b(?:FROM|JOIN|INTO|UPDATE|TABLE|VIEW)\s*$/i;

/**
 * Overwrites [from, to) of `chars` with filler of the same length: `_` where the placeholder is (part of) a
 * name (`x_{h}`, `FROM {table}`), else `1`, a number where a value stands (`LIMIT {n}`, `> {threshold}`).
 */
function fill(chars: string[], from: number, to: number): void {
  const before = chars.slice(Math.max(0, from - 12), from).join('');
  const inName = NAME_CHAR.test(chars[from - 1] ?? '') || NAME_CHAR.test(chars[to] ?? '') || NAME_BEFORE.test(before);
  for (let k = from; k < to && k < chars.length; k++) chars[k] = inName ? '_' : '1';
}

/** Host placeholders a plain (non-f) string may hold: `{name}`, `%(name)s`, `%s`. */
const FORMAT_FIELDS = /\{[A-Za-z_][A-Za-z0-9_.]*\}|%\([A-Za-z_][A-Za-z0-9_]*\)[sd]|%[sd]/g;

function bodyRegion(text: string, bodyStart: number, bodyEnd: number, holes: Span[], escapes: boolean): SqlRegion {
  const chars = [...text.slice(bodyStart, bodyEnd)];
  // Astral characters would shift offsets between the array and the text: keep code units instead.
  const units = chars.length === bodyEnd - bodyStart ? chars : text.slice(bodyStart, bodyEnd).split('');
  for (const h of holes) fill(units, h.start - bodyStart, h.end - bodyStart);
  if (escapes) {
    for (let k = 0; k < units.length; k++) {
      if (units[k] === '\\') {
        units[k] = ' ';
        if (k + 1 < units.length) units[k + 1] = ' ';
        k++;
      }
    }
  }
  const body = units.join('');
  for (const m of body.matchAll(FORMAT_FIELDS)) fill(units, m.index!, m.index! + m[0].length);
  return { start: bodyStart, sql: units.join('') };
}

/** Python string literals (any prefix, single or triple quoted) that contain one of `spans`. */
export function pythonSqlRegions(text: string, spans: readonly Span[]): SqlRegion[] {
  if (spans.length === 0) return [];
  const tree = pythonParser().parse(text);
  const out: SqlRegion[] = [];
  const seen = new Set<number>();
  for (const span of spans) {
    let node: ReturnType<typeof tree.resolveInner> | null = tree.resolveInner(span.start, 1);
    while (node && node.name !== 'String' && node.name !== 'FormatString') node = node.parent;
    if (!node || seen.has(node.from)) continue;
    seen.add(node.from);
    let q = node.from;
    while (q < node.to && /[A-Za-z]/.test(text[q]!)) q++;
    const prefix = text.slice(node.from, q).toLowerCase();
    const quote = text[q];
    if (quote !== '"' && quote !== "'") continue;
    const triple = text.startsWith(quote.repeat(3), q);
    const bodyStart = q + (triple ? 3 : 1);
    const bodyEnd = node.to - (triple ? 3 : 1);
    if (bodyEnd < bodyStart) continue;
    const holes: Span[] = [];
    if (node.name === 'FormatString') {
      // The replacement fields `{expr}` of an f-string.
      tree.iterate({ from: bodyStart, to: bodyEnd, enter: (n) => {
        if (n.name === 'FormatReplacement' && n.from >= bodyStart && n.to <= bodyEnd) holes.push({ start: n.from, end: n.to });
      } });
    }
    out.push(bodyRegion(text, bodyStart, bodyEnd, holes, !prefix.includes('r')));
  }
  return out;
}

/** JavaScript/TypeScript string and template literals that contain one of `spans`; `${…}` holes filled. */
export function javascriptSqlRegions(text: string, spans: readonly Span[]): SqlRegion[] {
  if (spans.length === 0) return [];
  const literals = javascriptLiterals(text);
  const out: SqlRegion[] = [];
  let k = 0;
  for (const lit of literals) {
    while (k < spans.length && spans[k]!.start < lit.start) k++;
    if (k < spans.length && spans[k]!.start < lit.end) out.push(bodyRegion(text, lit.start, lit.end, lit.holes, true));
  }
  return out;
}

interface Literal extends Span {
  holes: Span[];
}

/** String literal bodies of a JavaScript text, in order, skipping comments; template `${…}` holes listed. */
function javascriptLiterals(text: string): Literal[] {
  const out: Literal[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i]!;
    if (c === '/' && text[i + 1] === '/') {
      const e = text.indexOf('\n', i);
      i = e < 0 ? n : e;
    } else if (c === '/' && text[i + 1] === '*') {
      const e = text.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < n && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      out.push({ start: i + 1, end: Math.min(j, n), holes: [] });
      i = j + 1;
    } else if (c === '`') {
      const lit: Literal = { start: i + 1, end: n, holes: [] };
      let j = i + 1;
      while (j < n && text[j] !== '`') {
        if (text[j] === '\\') j += 2;
        else if (text[j] === '$' && text[j + 1] === '{') {
          const end = holeEnd(text, j + 2);
          lit.holes.push({ start: j, end });
          j = end;
        } else j++;
      }
      lit.end = Math.min(j, n);
      out.push(lit);
      i = j + 1;
    } else i++;
  }
  return out;
}

/** The offset just after the `}` that closes a `${` hole whose expression starts at `i`. */
function holeEnd(text: string, i: number): number {
  let depth = 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
    else if (c === '"' || c === "'" || c === '`') {
      const q = c;
      i++;
      while (i < text.length && text[i] !== q) i += text[i] === '\\' ? 2 : 1;
    }
    i++;
  }
  return text.length;
}
