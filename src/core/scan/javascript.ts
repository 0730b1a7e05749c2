/**
 * JavaScript / TypeScript / JSX lexer: comments, '…' and "…" strings, template literals whose `${…}`
 * holes hold code (nested templates included, tracked on an explicit stack so deep nesting cannot
 * overflow), and regex literals, told apart from division by the previous significant token.
 */
import { Ch, isDigit, isSpace, isWord } from './chars';
import { Mode, type Hole } from './path-parser';
import type { Span } from './types';
import { readComment, readBlockComment } from './comments';
import type { LexContext } from './lexer';
import { lineEnd, nextOf, stringEnd } from './sql';

/** Words after which a `/` starts a regex rather than dividing (literal-probe.ts reads them too). */
export const REGEX_AFTER = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

interface TemplateFrame {
  contentStart: number;
  holes: Map<number, Hole>;
  /** `{` opened inside the current `${…}` hole and not yet closed. */
  braces: number;
  holeStart: number;
}

/** In code: what can start a string, template, comment or regex, or open or close a template hole. */
const CODE_SPECIAL = /['"`/{}]/g;
/** Inside a template literal: an escape, its end, or a `${` hole. */
const TEMPLATE_SPECIAL = /[\\`$]/g;

export function lexJavaScript(ctx: LexContext, from: number, to: number): void {
  const { text, rec, sup } = ctx;
  const n = to;
  const stack: TemplateFrame[] = [];
  let inTemplate = false;
  /** End of the last string, template or regex literal in code: a `/` right after one divides it. */
  let literalEnd = -1;
  let i = from;
  if (text.startsWith('#!', from)) {
    const end = lineEnd(text, from + 2, n);
    sup.comment(from, end, from + 2, end);
    i = end;
  }
  while (i < n) {
    if (inTemplate) {
      const top = stack[stack.length - 1]!;
      i = nextOf(TEMPLATE_SPECIAL, text, i);
      if (i < 0 || i >= n) {
        i = n;
        break;
      }
      const c = text.charCodeAt(i);
      if (c === Ch.Backslash) {
        i += 2;
      } else if (c === Ch.Backtick) {
        rec.scan(top.contentStart, i, Mode.Str, top.holes);
        if (top.holes.size === 0) ctx.fields.literal(top.contentStart, i);
        stack.pop();
        inTemplate = false;
        i++;
        literalEnd = i;
      } else if (c === Ch.Dollar && text.charCodeAt(i + 1) === Ch.LBrace) {
        top.holeStart = i;
        top.braces = 0;
        inTemplate = false;
        i += 2;
      } else i++;
      continue;
    }
    // Code between the characters that matter is skipped in machine code; whether a `/` divides or starts a
    // regex is decided by looking back at the token before it (see valueBefore).
    i = nextOf(CODE_SPECIAL, text, i);
    if (i < 0 || i >= n) break;
    const c = text.charCodeAt(i);
    switch (c) {
      case Ch.SQuote:
      case Ch.DQuote: {
        const [bodyEnd, end] = stringEnd(text, i + 1, n, c, false);
        rec.scan(i + 1, bodyEnd, Mode.Str);
        ctx.fields.literal(i + 1, bodyEnd);
        i = literalEnd = end;
        continue;
      }
      case Ch.Backtick:
        stack.push({ contentStart: i + 1, holes: new Map(), braces: 0, holeStart: -1 });
        inTemplate = true;
        i++;
        continue;
      case Ch.Slash: {
        const d = text.charCodeAt(i + 1);
        if (d === Ch.Slash) {
          const end = lineEnd(text, i + 2, n);
          readComment(ctx, i, end, i + 2);
          i = end;
          continue;
        }
        if (d === Ch.Star) {
          i = readBlockComment(ctx, i, n);
          continue;
        }
        if (valueBefore(text, i, sup.comments, literalEnd)) {
          i++;
          continue;
        }
        i = literalEnd = regexEnd(text, i + 1, n);
        continue;
      }
      case Ch.LBrace:
        if (stack.length > 0) stack[stack.length - 1]!.braces++;
        i++;
        continue;
      default: {
        // `}`
        const top = stack[stack.length - 1];
        if (top !== undefined && top.braces === 0 && top.holeStart >= 0) {
          top.holes.set(top.holeStart, { start: top.holeStart, end: i + 1, exprStart: top.holeStart + 2, exprEnd: i });
          top.holeStart = -1;
          inTemplate = true;
        } else if (top !== undefined) top.braces--;
        i++;
        continue;
      }
    }
  }
  // Unterminated templates: each one's content runs up to its open `${` hole (the innermost one's to the
  // end of the text), so nested frames are scanned once each, not once per enclosing frame.
  for (let k = stack.length - 1; k >= 0; k--) {
    const f = stack[k]!;
    const end = k === stack.length - 1 && inTemplate ? n : f.holeStart >= 0 ? f.holeStart : n;
    rec.scan(f.contentStart, end, Mode.Str, f.holes);
  }
}

/**
 * Whether the significant token before the `/` at i ends an expression (so the `/` divides): a literal,
 * `)`, `]`, a number, or a name other than a keyword after which an expression starts (`return /x/`).
 * Whitespace and comments (recorded in order, so the last ones are checked) are skipped. Only ASCII
 * characters decide (the keywords are ASCII; a non-ASCII character ends a word, and one before the `/` is a
 * value), so the text's UTF-8 bytes read as Latin-1 get the same answer (prefilter.ts `literalsHoldCandidates`).
 */
function valueBefore(text: string, i: number, comments: readonly Span[], literalEnd: number): boolean {
  let k = i - 1;
  let ci = comments.length - 1;
  for (;;) {
    while (k >= 0 && isSpace(text.charCodeAt(k))) k--;
    if (k < 0) return false;
    while (ci >= 0 && comments[ci]!.start > k) ci--;
    if (ci >= 0 && comments[ci]!.end > k) {
      k = comments[ci]!.start - 1;
      continue;
    }
    break;
  }
  if (k < literalEnd) return true;
  const c = text.charCodeAt(k);
  if (c === Ch.RParen || c === Ch.RBracket || c >= 128) return true;
  if (!isWord(c) && c !== Ch.Dollar) return false;
  let s = k;
  while (s > 0 && (isWord(text.charCodeAt(s - 1)) || text.charCodeAt(s - 1) === Ch.Dollar)) s--;
  if (s < literalEnd) s = literalEnd; // regex flags run on into a name: the name starts after the literal
  return isDigit(text.charCodeAt(s)) || !REGEX_AFTER.has(text.slice(s, k + 1));
}

/** Skips a regex literal body (classes may hold `/`); stops at the line end when unterminated. */
function regexEnd(text: string, i: number, n: number): number {
  let inClass = false;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === Ch.LF || c === Ch.CR) return i;
    if (c === Ch.Backslash) i++;
    else if (c === Ch.LBracket) inClass = true;
    else if (c === Ch.RBracket) inClass = false;
    else if (c === Ch.Slash && !inClass) {
      i++;
      while (i < n && isWord(text.charCodeAt(i))) i++;
      return i;
    }
  }
  return n;
}
