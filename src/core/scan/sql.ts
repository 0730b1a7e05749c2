/**
 * BigQuery SQL lexer: splits the text into code, strings and comments and hands each to the recogniser.
 * Backtick identifiers stay inside code (the recogniser reads `a`.`b`.`c` across them). The lexer jumps
 * from one character that may start something else to the next with a one-character-class global regex
 * (`test` + `lastIndex`, so no match objects): V8 runs that search in generated machine code, about twice
 * as fast as a JavaScript loop over the characters.
 */
import { Ch, isIdentLike } from './chars';
import { readComment, readBlockComment } from './comments';
import type { LexContext } from './lexer';
import { Mode } from './path-parser';

/** Characters that may start something other than plain code. */
const SPECIAL = /[`'"#\-/]/g;
/** The same, and `$` for `${…}` JavaScript expressions (Dataform), whose quotes are not SQL strings. */
const SPECIAL_TEMPLATES = /[`'"#\-/$]/g;
const LINE_BREAK = /[\n\r]/g;
/** A quoted identifier ends at its backtick or, unterminated, at the line break. */
const QUOTED_END = /[`\n\r]/g;

/** Index of the next match of a one-character global regex at or after i, or -1. */
export function nextOf(re: RegExp, text: string, i: number): number {
  re.lastIndex = i;
  return re.test(text) ? re.lastIndex - 1 : -1;
}

/**
 * Lexes [from, to) (from: the start or just after a `;` in code); returns where its last code segment
 * starts. With `templates`, a `${…}` expression is one piece of code (its quotes are JavaScript's).
 */
export function lexSql(ctx: LexContext, from: number, to: number, templates = false): number {
  const { text, rec } = ctx;
  const n = to;
  const special = templates ? SPECIAL_TEMPLATES : SPECIAL;
  let seg = from;
  let i = from;
  while (i < n) {
    i = nextOf(special, text, i);
    if (i < 0 || i >= n) break;
    const c = text.charCodeAt(i);
    if (c === Ch.Dollar) {
      i = text.charCodeAt(i + 1) === Ch.LBrace ? templateEnd(text, i + 2, n) : i + 1;
      continue;
    }
    if (c === Ch.Backtick) {
      let j = nextOf(QUOTED_END, text, i + 1);
      if (j < 0 || j > n) j = n;
      i = j < n && text.charCodeAt(j) === Ch.Backtick ? j + 1 : j;
      continue;
    }
    if (c === Ch.Minus || c === Ch.Hash) {
      if (c === Ch.Minus && text.charCodeAt(i + 1) !== Ch.Minus) {
        i++;
        continue;
      }
      rec.scan(seg, i, Mode.SqlCode);
      const body = c === Ch.Hash ? i + 1 : i + 2;
      const end = lineEnd(text, body, n);
      readComment(ctx, i, end, body);
      i = seg = end;
      continue;
    }
    if (c === Ch.Slash) {
      if (text.charCodeAt(i + 1) !== Ch.Star) {
        i++;
        continue;
      }
      rec.scan(seg, i, Mode.SqlCode);
      i = seg = readBlockComment(ctx, i, n);
      continue;
    }
    // a quote: a string literal; an r/b/rb/br prefix belongs to the literal, not to the code before it
    let start = i;
    for (let k = i - 1; k >= Math.max(from, i - 2); k--) {
      const p = text.charCodeAt(k) | 0x20;
      if (p !== 114 /* r */ && p !== 98 /* b */) break;
      if (k === from || !isIdentLike(text.charCodeAt(k - 1))) start = k;
    }
    rec.scan(seg, start, Mode.SqlCode);
    const triple = text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c;
    const bodyStart = triple ? i + 3 : i + 1;
    const [bodyEnd, end] = stringEnd(text, bodyStart, n, c, triple);
    rec.resetSql();
    rec.scan(bodyStart, bodyEnd, Mode.Str);
    i = seg = end;
  }
  rec.scan(seg, n, Mode.SqlCode);
  return seg;
}

export function lineEnd(text: string, i: number, n: number): number {
  const j = nextOf(LINE_BREAK, text, i);
  return j < 0 || j > n ? n : j;
}

/** Where a '…', '''…''', "…" or """…""" literal's scan must stop and look: its quote, a backslash, a line break (one-line forms). */
const STRING_STOPS = [/['\\\n\r]/g, /['\\]/g, /["\\\n\r]/g, /["\\]/g];

/** [end of content, end of literal]; an unterminated one-line string ends at the line break. A backslash protects the next character, in raw literals too. */
export function stringEnd(text: string, i: number, n: number, quote: number, triple: boolean): [number, number] {
  const re = STRING_STOPS[(quote === Ch.DQuote ? 2 : 0) + (triple ? 1 : 0)]!;
  for (; i < n; i++) {
    i = nextOf(re, text, i);
    if (i < 0 || i >= n) break;
    const c = text.charCodeAt(i);
    if (c === Ch.Backslash) {
      i++;
      continue;
    }
    if (c === quote) {
      if (!triple) return [i, i + 1];
      if (text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote) return [i, i + 3];
    } else if (!triple && (c === Ch.LF || c === Ch.CR)) return [i, i];
  }
  return [n, n];
}

/** Just past the `}` closing a `${` expression whose inside starts at i (nested braces and quoted strings skipped). */
function templateEnd(text: string, i: number, n: number): number {
  let depth = 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === Ch.SQuote || c === Ch.DQuote || c === Ch.Backtick) {
      for (i++; i < n && text.charCodeAt(i) !== c && text.charCodeAt(i) !== Ch.LF; i++) if (text.charCodeAt(i) === Ch.Backslash) i++;
    } else if (c === Ch.LBrace) depth++;
    else if (c === Ch.RBrace) {
      if (depth === 0) return i + 1;
      depth--;
    } else if (c === Ch.LF) return i;
  }
  return n;
}
