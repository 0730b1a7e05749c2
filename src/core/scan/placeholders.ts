/**
 * Host placeholders that are not a language's own string fields: `{PROJECT_ID}`, `{1w|1m|3m}`,
 * `{{ params.project }}`, `${PROJECT}`, `$PROJECT`, `$(PROJECT)`, `<project-id>`, `%(project)s`.
 * Each language row says which of these its text may hold (see languages.ts); a placeholder fills a
 * part of a name, and a fix carries it verbatim into the new name.
 */
import { Ch, isWord } from './chars';
import type { Hole } from './path-parser';

/** Bit flags: which placeholder syntaxes a text may hold. */
export const enum HoleKind {
  /** `{name}`, `{ name }`, `{name!r:>3}`, `{a.b}`, and value lists `{1w|1m|3m}` (docs write these). */
  Brace = 1,
  /** Jinja / Airflow / dbt `{{ expr }}`. */
  Jinja = 2,
  /** `${expr}`: shell, Terraform, Dataform, GitHub Actions `${{ … }}`; braces and quotes inside are balanced. */
  DollarBrace = 4,
  /** `$NAME` not right after a name character (so a `t$__UNPARTITIONED__` decorator is not one). */
  DollarName = 8,
  /** Make's `$(NAME)`. */
  DollarParen = 16,
  /** `<PROJECT_ID>`, `<your-project>`: upper case or holding `_` / `-`, so HTML tags (`<br>`) are not. */
  Angle = 32,
  /** Python / configparser `%(name)s`. */
  Percent = 64,
}

/** Every kind but `%(…)s` and `<…>`, for SQL (where `<` compares). */
export const SQL_HOLES = HoleKind.Brace | HoleKind.Jinja | HoleKind.DollarBrace | HoleKind.DollarName;
/** What prose, config and scripts hold. */
export const TEXT_HOLES = SQL_HOLES | HoleKind.DollarParen | HoleKind.Angle;

const MAX_HOLE = 256;
const openers = new Map<number, RegExp>();
/** A global regex matching any character that may open a placeholder of `kinds`. */
function openerRegex(kinds: number): RegExp {
  let re = openers.get(kinds);
  if (re === undefined) {
    let cls = '';
    if (kinds & (HoleKind.Brace | HoleKind.Jinja)) cls += '{';
    if (kinds & (HoleKind.DollarBrace | HoleKind.DollarName | HoleKind.DollarParen)) cls += '$';
    if (kinds & HoleKind.Angle) cls += '<';
    if (kinds & HoleKind.Percent) cls += '%';
    re = new RegExp(`[${cls.replace('$', '\\$')}]`, 'g');
    openers.set(kinds, re);
  }
  return re;
}

/** A hole from `start` to `end`, its expression [exprStart, exprEnd) trimmed of spaces. */
function hole(text: string, start: number, end: number, exprStart: number, exprEnd: number): Hole {
  while (exprStart < exprEnd && text.charCodeAt(exprStart) === Ch.Space) exprStart++;
  while (exprEnd > exprStart && text.charCodeAt(exprEnd - 1) === Ch.Space) exprEnd--;
  return { start, end, exprStart, exprEnd };
}

/**
 * Finds the placeholders of a whole text region by region, in any order of regions: for each character
 * that may open one it keeps the next occurrence (found with indexOf, which runs in machine code), so a
 * text is searched about once however it is cut into regions.
 */
export class PlaceholderFinder {
  private readonly openers: number[] = [];
  /** Per opener: the next occurrence at or after `from[k]` (-1: none). */
  private readonly next: number[] = [];
  private readonly from: number[] = [];

  constructor(
    private readonly text: string,
    private readonly kinds: number,
  ) {
    if (kinds & (HoleKind.Brace | HoleKind.Jinja)) this.openers.push(Ch.LBrace);
    if (kinds & (HoleKind.DollarBrace | HoleKind.DollarName | HoleKind.DollarParen)) this.openers.push(Ch.Dollar);
    if (kinds & HoleKind.Angle) this.openers.push(Ch.Lt);
    if (kinds & HoleKind.Percent) this.openers.push(Ch.Percent);
    for (let k = 0; k < this.openers.length; k++) {
      this.next.push(-2);
      this.from.push(0);
    }
  }

  /** The first character at or after i that may open a placeholder, or -1. */
  private candidate(i: number): number {
    let best = -1;
    for (let k = 0; k < this.openers.length; k++) {
      let n = this.next[k]!;
      if (n === -2 || i < this.from[k]! || (n >= 0 && n < i)) {
        n = this.text.indexOf(String.fromCharCode(this.openers[k]!), i);
        this.next[k] = n;
        this.from[k] = i;
      }
      if (n >= 0 && (best < 0 || n < best)) best = n;
    }
    return best;
  }

  /** The placeholders in [s, e), or undefined when there are none. */
  find(s: number, e: number): Map<number, Hole> | undefined {
    let holes: Map<number, Hole> | undefined;
    for (let i = this.candidate(s); i >= 0 && i < e; i = this.candidate(i + 1)) {
      const h = holeAt(this.text, i, e, this.kinds);
      if (h === undefined) continue;
      (holes ??= new Map()).set(i, h);
      i = h.end - 1;
    }
    return holes;
  }
}

/** Placeholders of the given kinds in [s, e), added to `into` (keyed by start); returns `into`. */
export function findHoles(text: string, s: number, e: number, kinds: number, into: Map<number, Hole>): Map<number, Hole> {
  if (kinds === 0) return into;
  const re = openerRegex(kinds);
  re.lastIndex = s;
  while (re.test(text)) {
    const i = re.lastIndex - 1;
    if (i >= e) break;
    const h = holeAt(text, i, e, kinds);
    if (h !== undefined) {
      into.set(i, h);
      re.lastIndex = h.end;
    }
  }
  return into;
}

function holeAt(text: string, i: number, e: number, kinds: number): Hole | undefined {
  const c = text.charCodeAt(i);
  const next = text.charCodeAt(i + 1);
  if (c === Ch.LBrace) {
    if (next === Ch.LBrace) return kinds & HoleKind.Jinja ? jinja(text, i, e) : undefined;
    if (kinds & HoleKind.Brace && text.charCodeAt(i - 1) !== Ch.LBrace && text.charCodeAt(i - 1) !== Ch.Dollar) return brace(text, i, e);
    return undefined;
  }
  if (c === Ch.Dollar) {
    if (next === Ch.LBrace) return kinds & HoleKind.DollarBrace ? balanced(text, i, e) : undefined;
    if (next === Ch.LParen) return kinds & HoleKind.DollarParen ? dollarParen(text, i, e) : undefined;
    if (kinds & HoleKind.DollarName && (i === 0 || !isWord(text.charCodeAt(i - 1))) && isNameStart(next)) {
      let j = i + 2;
      while (j < e && isWord(text.charCodeAt(j))) j++;
      return hole(text, i, j, i + 1, j);
    }
    return undefined;
  }
  if (c === Ch.Lt) return kinds & HoleKind.Angle ? angle(text, i, e) : undefined;
  if (c === Ch.Percent && kinds & HoleKind.Percent && next === Ch.LParen) {
    let j = i + 2;
    while (j < e && j - i < 66 && isWord(text.charCodeAt(j))) j++;
    if (j > i + 2 && text.charCodeAt(j) === Ch.RParen && /[sdirf]/.test(text.charAt(j + 1))) return hole(text, i, j + 2, i + 2, j);
  }
  return undefined;
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === Ch.Underscore;
}

/** `{name}`, `{ name }`, `{name!r:>3}`, `{a.b}`, `{1w|1m|3m}`: name characters, `|`, `,`, `.`, `-`, spaces; one line. */
function brace(text: string, i: number, e: number): Hole | undefined {
  let j = i + 1;
  while (j < e && text.charCodeAt(j) === Ch.Space) j++;
  if (!isWord(text.charCodeAt(j))) return undefined;
  let exprEnd = -1;
  for (; j < e && j - i < 64; j++) {
    const c = text.charCodeAt(j);
    if (c === Ch.RBrace) return text.charCodeAt(j + 1) === Ch.RBrace ? undefined : hole(text, i, j + 1, i + 1, exprEnd < 0 ? j : exprEnd);
    if (c === Ch.Bang || c === Ch.Colon) {
      if (exprEnd < 0) exprEnd = j;
      continue;
    }
    if (exprEnd >= 0) {
      if (c === Ch.LF || c === Ch.CR || c === Ch.LBrace || c === Ch.DQuote || c === Ch.SQuote) return undefined;
      continue;
    }
    if (!(isWord(c) || c === 124 /* | */ || c === Ch.Comma || c === Ch.Dot || c === Ch.Minus || c === Ch.Space)) return undefined;
  }
  return undefined;
}

/** `{{ expr }}` on one line. */
function jinja(text: string, i: number, e: number): Hole | undefined {
  const limit = Math.min(e, i + MAX_HOLE);
  for (let j = i + 2; j + 1 < limit; j++) {
    const c = text.charCodeAt(j);
    if (c === Ch.LF || c === Ch.CR) return undefined;
    if (c === Ch.RBrace && text.charCodeAt(j + 1) === Ch.RBrace) return hole(text, i, j + 2, i + 2, j);
  }
  return undefined;
}

/** `${…}` with nested braces and quoted strings, on one line. */
function balanced(text: string, i: number, e: number): Hole | undefined {
  const limit = Math.min(e, i + MAX_HOLE);
  let depth = 0;
  for (let j = i + 2; j < limit; j++) {
    const c = text.charCodeAt(j);
    if (c === Ch.LF || c === Ch.CR) return undefined;
    if (c === Ch.DQuote || c === Ch.SQuote) {
      let k = j + 1;
      while (k < limit && text.charCodeAt(k) !== c && text.charCodeAt(k) !== Ch.LF) k += text.charCodeAt(k) === Ch.Backslash ? 2 : 1;
      if (k >= limit || text.charCodeAt(k) !== c) return undefined;
      j = k;
    } else if (c === Ch.LBrace) depth++;
    else if (c === Ch.RBrace) {
      if (depth === 0) return hole(text, i, j + 1, i + 2, j);
      depth--;
    }
  }
  return undefined;
}

/** Make's `$(NAME)`: a name only (a shell `$(command …)` is code, not a placeholder). */
function dollarParen(text: string, i: number, e: number): Hole | undefined {
  let j = i + 2;
  if (!isNameStart(text.charCodeAt(j))) return undefined;
  while (j < e && j - i < 66 && isWord(text.charCodeAt(j))) j++;
  return text.charCodeAt(j) === Ch.RParen ? hole(text, i, j + 1, i + 2, j) : undefined;
}

/** `<PROJECT_ID>`, `<project-id>`: not after a name character, upper case or holding `_` / `-`. */
function angle(text: string, i: number, e: number): Hole | undefined {
  if (i > 0 && isWord(text.charCodeAt(i - 1))) return undefined;
  let j = i + 1;
  if (!isNameStart(text.charCodeAt(j))) return undefined;
  let lower = false;
  let separator = false;
  for (; j < e && j - i < 66; j++) {
    const c = text.charCodeAt(j);
    if (c === Ch.Gt) break;
    if (c === Ch.Minus || c === Ch.Underscore) separator = true;
    else if (c >= 97 && c <= 122) lower = true;
    else if (!isWord(c)) return undefined;
  }
  if (text.charCodeAt(j) !== Ch.Gt || j - i < 3 || (lower && !separator)) return undefined;
  return hole(text, i, j + 1, i + 1, j);
}
