/**
 * Python lexer: comments and every string form (r/u/b/f/t prefixes and their pairs, single and triple
 * quotes). String content goes to the recogniser with its placeholders: f-string `{expr}` fields, and
 * `{name}` / `%(name)s` / `%s` format fields in any other string.
 */
import { Ch, isIdentLike, isSpace, isWord } from './chars';
import { readComment } from './comments';
import type { LexContext } from './lexer';
import { Mode, type Hole } from './path-parser';
import { findHoles, HoleKind } from './placeholders';
import { lineEnd, nextOf } from './sql';

const PREFIX_LETTERS = new Set([98, 102, 114, 116, 117]); // b f r t u
const MAX_FIELD = 256;

/** What can start a comment or a string: the lexer jumps between these (see `nextOf`). */
const SPECIAL = /[#'"]/g;

export function lexPython(ctx: LexContext, from: number, to: number): void {
  const { text, rec } = ctx;
  const n = to;
  // One placeholder map for every string: the recogniser reads it only while it scans that string.
  const holes = new Map<number, Hole>();
  /** The next `$` at or after the current string, found once per stretch of text (-2: not searched). */
  let dollar = -2;
  let i = from;
  while (i < n) {
    i = nextOf(SPECIAL, text, i);
    if (i < 0 || i >= n) break;
    const c = text.charCodeAt(i);
    if (c === Ch.Hash) {
      const end = lineEnd(text, i + 1, n);
      readComment(ctx, i, end, i + 1);
      i = end;
      continue;
    }
    const fmt = formatPrefix(text, i);
    const triple = text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c;
    const body = triple ? i + 3 : i + 1;
    holes.clear();
    const [bodyEnd, end] = stringEnd(text, body, n, c, triple, holes, fmt);
    // `string.Template` / os.path.expandvars / shell-built strings: `$PROJECT`, `${PROJECT}`
    if (dollar === -2 || (dollar >= 0 && dollar < body)) dollar = text.indexOf('$', body);
    if (dollar >= 0 && dollar < bodyEnd) findHoles(text, dollar, bodyEnd, fmt ? HoleKind.DollarName : HoleKind.DollarName | HoleKind.DollarBrace, holes);
    rec.scan(body, bodyEnd, Mode.Str, holes);
    ctx.fields.literal(body, bodyEnd);
    i = end;
  }
}

/** Whether the string opening at `quote` has an f or t prefix (`f"`, `rf'`, `Tr"""`); other prefixes are raw/bytes/unicode. */
function formatPrefix(text: string, quote: number): boolean {
  if (quote === 0) return false;
  const a = text.charCodeAt(quote - 1) | 0x20;
  if (!PREFIX_LETTERS.has(a)) return false;
  if (quote === 1 || !isIdentLike(text.charCodeAt(quote - 2))) return a === 102 || a === 116;
  const b = text.charCodeAt(quote - 2) | 0x20;
  if (!PREFIX_LETTERS.has(b) || (quote > 2 && isIdentLike(text.charCodeAt(quote - 3)))) return false;
  // rb, br, rf, fr, rt, tr: an r with b, f or t
  const other = a === 114 ? b : b === 114 ? a : -1;
  return other === 102 || other === 116;
}

/** Where a string's scan must stop and look, per quote: the quote, a backslash, a line break, and the placeholder openers. */
const PLAIN_STOPS = { [Ch.SQuote]: /['\\\n\r{%]/g, [Ch.DQuote]: /["\\\n\r{%]/g } as Record<number, RegExp>;
const F_STOPS = { [Ch.SQuote]: /['\\\n\r{}]/g, [Ch.DQuote]: /["\\\n\r{}]/g } as Record<number, RegExp>;

function closes(text: string, i: number, quote: number, triple: boolean): boolean {
  return text.charCodeAt(i) === quote && (!triple || (text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote));
}

/**
 * Where a string whose body starts at i ends: [end of its body, index after its closing quote]
 * ([i, i] at an unclosed single-line string's line break, [n, n] at the end of the text). A backslash
 * escapes the next character and `{{` is a literal brace in every string; anything else that stops
 * the scan goes to `placeholder`.
 */
function stringEnd(text: string, i: number, n: number, quote: number, triple: boolean, holes: Map<number, Hole>, fString: boolean): [number, number] {
  const stops = (fString ? F_STOPS : PLAIN_STOPS)[quote]!;
  const placeholder = fString ? fStringField : formatField;
  for (; i < n; i++) {
    i = nextOf(stops, text, i);
    if (i < 0) break;
    const c = text.charCodeAt(i);
    if (c === Ch.Backslash) {
      i++;
    } else if (c === quote) {
      if (closes(text, i, quote, triple)) return [i, triple ? i + 3 : i + 1];
    } else if (!triple && (c === Ch.LF || c === Ch.CR)) {
      return [i, i];
    } else if (c === Ch.LBrace && text.charCodeAt(i + 1) === Ch.LBrace) {
      i++;
    } else {
      i = placeholder(text, i, n, quote, triple, holes);
    }
  }
  return [n, n];
}

/**
 * A non-f string's placeholder at i: `{name}`, `{}`, `%(name)s` and `%s` are recorded (`%%` is a
 * literal percent). Returns the index of the placeholder's last character, or i when there is none.
 */
function formatField(text: string, i: number, n: number, quote: number, _triple: boolean, holes: Map<number, Hole>): number {
  const c = text.charCodeAt(i);
  if (c === Ch.LBrace) {
    let j = i + 1;
    while (j < n && j - i < 64 && (isWord(text.charCodeAt(j)) || text.charCodeAt(j) === Ch.Dot)) j++;
    const nameEnd = j;
    while (j < n && j - i < 64 && text.charCodeAt(j) !== Ch.RBrace && text.charCodeAt(j) !== quote && text.charCodeAt(j) !== Ch.LF && text.charCodeAt(j) !== Ch.LBrace) j++;
    if (text.charCodeAt(j) === Ch.RBrace && (nameEnd === j || text.charCodeAt(nameEnd) === Ch.Colon || text.charCodeAt(nameEnd) === Ch.Bang)) {
      holes.set(i, { start: i, end: j + 1, exprStart: i + 1, exprEnd: nameEnd });
      return j;
    }
  } else if (c === Ch.Percent) {
    const d = text.charCodeAt(i + 1);
    if (d === Ch.Percent) return i + 1;
    if (d === 115 /* s */) {
      holes.set(i, { start: i, end: i + 2, exprStart: i + 1, exprEnd: i + 1 });
      return i + 1;
    }
    if (d === Ch.LParen) {
      let close = i + 2;
      while (close < n && close - i < 66 && text.charCodeAt(close) !== Ch.RParen) close++;
      if (close < n && text.charCodeAt(close) === Ch.RParen && close - i < 66 && isWord(text.charCodeAt(i + 2)) && /[sdirf]/.test(text.charAt(close + 1))) {
        let ok = true;
        for (let k = i + 2; k < close; k++) if (!isWord(text.charCodeAt(k))) ok = false;
        if (ok) {
          holes.set(i, { start: i, end: close + 2, exprStart: i + 2, exprEnd: close });
          return close + 1;
        }
      }
    }
  }
  return i;
}

/**
 * An f-string's placeholder at i: `{expr[!conv][:spec]}`, whose expression may hold brackets and
 * quotes (`}}` is a literal brace). Returns the index of its last character, or i when there is none.
 */
function fStringField(text: string, i: number, n: number, quote: number, triple: boolean, holes: Map<number, Hole>): number {
  const c = text.charCodeAt(i);
  if (c === Ch.LBrace) {
    const end = fieldEnd(text, i + 1, n, quote, triple);
    if (end === -1) return i;
    let exprEnd = end.exprEnd;
    while (exprEnd > i + 1 && isSpace(text.charCodeAt(exprEnd - 1))) exprEnd--;
    holes.set(i, { start: i, end: end.close + 1, exprStart: i + 1, exprEnd });
    return end.close;
  }
  if (c === Ch.RBrace && text.charCodeAt(i + 1) === Ch.RBrace) return i + 1;
  return i;
}

/** The `}` closing an f-string field opened just before i, and where its expression ends (before `!`, `:` or `=`). */
function fieldEnd(text: string, i: number, n: number, quote: number, triple: boolean): { close: number; exprEnd: number } | -1 {
  let depth = 0;
  let exprEnd = -1;
  // A field longer than this is not a placeholder worth reading; the bound keeps `{` floods linear.
  n = Math.min(n, i + MAX_FIELD);
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === Ch.LF && !triple) return -1;
    if (c === Ch.SQuote || c === Ch.DQuote) {
      if (c === quote && closes(text, i, quote, triple) && depth === 0 && exprEnd < 0) return -1; // the string ends inside the field
      let j = i + 1;
      while (j < n && text.charCodeAt(j) !== c && text.charCodeAt(j) !== Ch.LF) j++;
      if (j >= n || text.charCodeAt(j) === Ch.LF) return -1;
      i = j;
    } else if (c === Ch.LParen || c === Ch.LBracket || c === Ch.LBrace) depth++;
    else if (c === Ch.RParen || c === Ch.RBracket) depth--;
    else if (c === Ch.RBrace) {
      if (depth === 0) return { close: i, exprEnd: exprEnd < 0 ? i : exprEnd };
      depth--;
    } else if (depth === 0 && exprEnd < 0) {
      if (c === Ch.Colon) exprEnd = i;
      else if (c === Ch.Bang && text.charCodeAt(i + 1) !== Ch.Eq) exprEnd = i;
      else if (c === Ch.Eq && text.charCodeAt(i + 1) !== Ch.Eq && text.charCodeAt(i - 1) !== Ch.Eq && text.charCodeAt(i - 1) !== Ch.Bang && text.charCodeAt(i - 1) !== Ch.Lt && text.charCodeAt(i - 1) !== Ch.Gt) exprEnd = i;
    }
  }
  return -1;
}
