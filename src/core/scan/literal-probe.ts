/**
 * The literal probe: whether a string (or template) of a JavaScript or JSON text holds one of the prefilter's
 * keyword candidates, decided on the text's UTF-8 bytes without decoding them. Real code names table keywords
 * mostly outside strings (`delete x.y`, `import a from './b'`, `// copy from the docs.`): there the recogniser
 * reads no region (it skips a string or comment without a candidate, and keywords count only in strings), so
 * the scan finds nothing and the file need not be decoded or linted at all.
 *
 * The loops below cut the bytes exactly where lexJavaScript and lexJson cut the decoded text: those lexers
 * decide on ASCII characters only, and every non-ASCII character is treated as its UTF-8 bytes are (none is
 * special; before a `/` it is a value and it ends a word). test/corpus/literal-probe-reference.ts runs the
 * lexers themselves for the same answer, and property tests compare the two. The probe stops at the first
 * string holding a candidate, and once the bytes past the last candidate are code (no literal open).
 * `visitCandidateLiterals` walks the same way and hands the literal check (literal-check.ts) every such
 * string and template, with a template's holes, and every comment holding a known name.
 */
import { lowerBound, maxOf } from '../arrays';
import { isSpace, isWord } from './chars';
import { REGEX_AFTER } from './javascript';

const BACKSLASH = 0x5c;
const BACKTICK = 0x60;
const DOLLAR = 0x24;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const SLASH = 0x2f;
const STAR = 0x2a;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const RPAREN = 0x29;
const LF = 0x0a;
const CR = 0x0d;

/** Bytes that matter in JavaScript code: quotes, backtick, slash (SPECIAL), and braces (BRACES, only inside a template hole). */
const SPECIAL = 1;
const BRACES = 2;
const JS_CLASS = new Uint8Array(256);
for (const c of [SQUOTE, DQUOTE, BACKTICK, SLASH]) JS_CLASS[c] = SPECIAL;
JS_CLASS[LBRACE] = BRACES;
JS_CLASS[RBRACE] = BRACES;

const LONGEST_REGEX_AFTER = maxOf([...REGEX_AFTER].map((w) => w.length));

/** Whether an ascending list holds a value in [s, e). */
function holds(xs: readonly number[], s: number, e: number): boolean {
  const k = lowerBound(xs, s);
  return k < xs.length && xs[k]! < e;
}

/** The first LF or CR at or after i, or n. */
function lineEnd(b: Uint8Array, i: number, n: number): number {
  for (; i < n; i++) if (b[i] === LF || b[i] === CR) return i;
  return n;
}

/** A template literal open in code, as lexJavaScript's stack holds it. */
interface Frame {
  contentStart: number;
  braces: number;
  holeStart: number;
  /** Its `${…}` holes closed so far (byte offsets), kept only when literals are collected. */
  holes: Hole[] | undefined;
}

/** A `${…}` hole of a template, by byte offsets: what lexJavaScript hands the recogniser. */
export interface ByteHole {
  start: number;
  end: number;
  exprStart: number;
  exprEnd: number;
}
type Hole = ByteHole;

/**
 * A JavaScript string, template or comment that holds a candidate, as lexJavaScript hands it to the
 * recogniser: the byte range of its content (a comment's text), and a template's holes (undefined for a
 * quoted string, which the recogniser reads with the language's own placeholders, and for a comment).
 */
export interface CandidateLiteral {
  start: number;
  end: number;
  holes: Hole[] | undefined;
  comment: boolean;
}

const NO_HOLES: Hole[] = [];

/**
 * Whether a JavaScript string or template in `b` (from `from`, past any BOM) holds one of `keywords` (byte
 * offsets, ascending): lexJavaScript's walk over the bytes.
 */
export function javascriptLiteralsHold(b: Uint8Array, from: number, keywords: readonly number[]): boolean {
  return walkJavaScript(b, from, keywords, NONE, undefined);
}

/**
 * Hands `visit` each JavaScript string or template in `b` that holds one of `keywords` or `names`, and each
 * comment that holds one of `names` (a keyword counts only in a string) — what lexJavaScript hands the
 * recogniser and the recogniser reads — until `visit` returns true (then so does this).
 */
export function visitCandidateLiterals(b: Uint8Array, from: number, keywords: readonly number[], names: readonly number[], visit: (literal: CandidateLiteral) => boolean): boolean {
  return walkJavaScript(b, from, keywords, names, visit);
}

const NONE: readonly number[] = [];

/**
 * lexJavaScript's walk over the bytes. Without `visit`, true at the first literal holding a keyword; with
 * it, each literal holding a keyword or a name, and each comment holding a name, is visited, and the walk
 * stops (true) when the visit says so.
 */
function walkJavaScript(b: Uint8Array, from: number, keywords: readonly number[], names: readonly number[], visit: ((literal: CandidateLiteral) => boolean) | undefined): boolean {
  const n = b.length;
  if (keywords.length === 0 && names.length === 0) return false;
  const last = Math.max(maxOf(keywords), maxOf(names));
  const withNames = names.length > 0;
  const stack: Frame[] = [];
  const commentStarts: number[] = [];
  const commentEnds: number[] = [];
  let inTemplate = false;
  let literalEnd = -1;
  let i = from;
  if (n - from >= 2 && b[from] === 0x23 && b[from + 1] === 0x21) {
    // #!
    const end = lineEnd(b, from + 2, n);
    commentStarts.push(from);
    commentEnds.push(end);
    i = end;
  }
  while (i < n) {
    if (inTemplate) {
      const top = stack[stack.length - 1]!;
      while (i < n && b[i] !== BACKSLASH && b[i] !== BACKTICK && b[i] !== DOLLAR) i++;
      if (i >= n) {
        i = n;
        break;
      }
      const c = b[i]!;
      if (c === BACKSLASH) i += 2;
      else if (c === BACKTICK) {
        if (holds(keywords, top.contentStart, i) || (withNames && holds(names, top.contentStart, i))) {
          if (visit === undefined || visit({ start: top.contentStart, end: i, holes: top.holes ?? NO_HOLES, comment: false })) return true;
        }
        stack.pop();
        inTemplate = false;
        i++;
        literalEnd = i;
      } else if (b[i + 1] === LBRACE) {
        top.holeStart = i;
        top.braces = 0;
        inTemplate = false;
        i += 2;
      } else i++;
      continue;
    }
    // In code with no template open, nothing after the last candidate can hold one.
    if (stack.length === 0) {
      if (i > last) return false;
      while (i < n && JS_CLASS[b[i]!] !== SPECIAL) i++;
    } else while (i < n && JS_CLASS[b[i]!] === 0) i++;
    if (i >= n) break;
    const c = b[i]!;
    if (c === SQUOTE || c === DQUOTE) {
      let j = i + 1;
      let bodyEnd = n;
      let end = n;
      for (; j < n; j++) {
        const d = b[j]!;
        if (d === BACKSLASH) j++;
        else if (d === c) {
          bodyEnd = j;
          end = j + 1;
          break;
        } else if (d === LF || d === CR) {
          bodyEnd = end = j;
          break;
        }
      }
      if (holds(keywords, i + 1, bodyEnd) || (withNames && holds(names, i + 1, bodyEnd))) {
        if (visit === undefined || visit({ start: i + 1, end: bodyEnd, holes: undefined, comment: false })) return true;
      }
      i = literalEnd = end;
    } else if (c === BACKTICK) {
      stack.push({ contentStart: i + 1, braces: 0, holeStart: -1, holes: undefined });
      inTemplate = true;
      i++;
    } else if (c === SLASH) {
      const d = b[i + 1];
      if (d === SLASH) {
        const end = lineEnd(b, i + 2, n);
        commentStarts.push(i);
        commentEnds.push(end);
        if (withNames && visit !== undefined && holds(names, i + 2, end) && visit({ start: i + 2, end, holes: undefined, comment: true })) return true;
        i = end;
      } else if (d === STAR) {
        const close = Buffer.from(b.buffer, b.byteOffset, b.byteLength).indexOf('*/', i + 2, 'latin1');
        const bodyEnd = close < 0 || close >= n ? n : close;
        const end = bodyEnd === n ? n : bodyEnd + 2;
        commentStarts.push(i);
        commentEnds.push(end);
        if (withNames && visit !== undefined && holds(names, i + 2, bodyEnd) && visit({ start: i + 2, end: bodyEnd, holes: undefined, comment: true })) return true;
        i = end;
      } else if (valueBefore(b, from, i, commentStarts, commentEnds, literalEnd)) i++;
      else i = literalEnd = regexEnd(b, i + 1, n);
    } else if (c === LBRACE) {
      stack[stack.length - 1]!.braces++;
      i++;
    } else {
      // `}` inside a hole
      const top = stack[stack.length - 1]!;
      if (top.braces === 0 && top.holeStart >= 0) {
        if (visit !== undefined) (top.holes ??= []).push({ start: top.holeStart, end: i + 1, exprStart: top.holeStart + 2, exprEnd: i });
        top.holeStart = -1;
        inTemplate = true;
      } else top.braces--;
      i++;
    }
  }
  // Unterminated templates, as lexJavaScript reads them: each one's content up to its open hole (the innermost one's to the end).
  for (let k = stack.length - 1; k >= 0; k--) {
    const f = stack[k]!;
    const end = k === stack.length - 1 && inTemplate ? n : f.holeStart >= 0 ? f.holeStart : n;
    if (holds(keywords, f.contentStart, end) || (withNames && holds(names, f.contentStart, end))) {
      if (visit === undefined || visit({ start: f.contentStart, end, holes: f.holes ?? NO_HOLES, comment: false })) return true;
    }
  }
  return false;
}

/** javascript.ts `valueBefore` on the bytes (the text starting at `from`): whether the token before the `/` at i ends an expression. */
function valueBefore(b: Uint8Array, from: number, i: number, commentStarts: readonly number[], commentEnds: readonly number[], literalEnd: number): boolean {
  let k = i - 1;
  let ci = commentStarts.length - 1;
  for (;;) {
    while (k >= from && isSpace(b[k]!)) k--;
    if (k < from) return false;
    while (ci >= 0 && commentStarts[ci]! > k) ci--;
    if (ci >= 0 && commentEnds[ci]! > k) {
      k = commentStarts[ci]! - 1;
      continue;
    }
    break;
  }
  if (k < literalEnd) return true;
  const c = b[k]!;
  if (c === RPAREN || c === RBRACKET || c >= 128) return true;
  if (!isWord(c) && c !== DOLLAR) return false;
  let s = k;
  while (s > from && (isWord(b[s - 1]!) || b[s - 1] === DOLLAR)) s--;
  if (s < literalEnd) s = literalEnd;
  if (b[s]! >= 0x30 && b[s]! <= 0x39) return true;
  if (k + 1 - s > LONGEST_REGEX_AFTER) return true;
  return !REGEX_AFTER.has(Buffer.from(b.buffer, b.byteOffset + s, k + 1 - s).toString('latin1'));
}

/** javascript.ts `regexEnd` on the bytes. */
function regexEnd(b: Uint8Array, i: number, n: number): number {
  let inClass = false;
  for (; i < n; i++) {
    const c = b[i]!;
    if (c === LF || c === CR) return i;
    if (c === BACKSLASH) i++;
    else if (c === LBRACKET) inClass = true;
    else if (c === RBRACKET) inClass = false;
    else if (c === SLASH && !inClass) {
      i++;
      while (i < n && isWord(b[i]!)) i++;
      return i;
    }
  }
  return n;
}

/** Whether a JSON string in `b` (from `from`) holds one of `keywords` (byte offsets, ascending): lexJson's walk over the bytes. */
export function jsonLiteralsHold(b: Uint8Array, from: number, keywords: readonly number[]): boolean {
  const n = b.length;
  if (keywords.length === 0) return false;
  const last = maxOf(keywords);
  let i = from;
  while (i < n) {
    if (i > last) return false;
    while (i < n && b[i] !== DQUOTE && b[i] !== SLASH) i++;
    if (i >= n) break;
    if (b[i] === DQUOTE) {
      let end = i + 1;
      for (; end < n; end++) {
        const c = b[end]!;
        if (c === BACKSLASH) end++;
        else if (c === DQUOTE || c === LF) break;
      }
      if (end > n) end = n;
      if (holds(keywords, i + 1, end)) return true;
      i = end + 1;
      continue;
    }
    const d = b[i + 1];
    if (d === SLASH) i = lineEnd(b, i + 2, n);
    else if (d === STAR) {
      const close = Buffer.from(b.buffer, b.byteOffset, b.byteLength).indexOf('*/', i + 2, 'latin1');
      i = close < 0 ? n : close + 2;
    } else i++;
  }
  return false;
}
