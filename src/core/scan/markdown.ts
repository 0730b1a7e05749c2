/**
 * Markdown: fenced code blocks (```` ``` ```` or `~~~`, any indentation) are handed to the lexer their info
 * string names (```` ```sql ````, ```` ```bash ````, ```` ```python ````; unknown names read as plain
 * text); everything else — prose, inline code, tables, HTML comments — is plain text.
 */
import { Ch } from './chars';
import type { LexContext } from './lexer';
import { lexPlain } from './plain';
import { lineEnd } from './sql';
import type { LanguageId } from './types';

/** An opening fence: indentation, three or more backticks or tildes, the info string's first word. */
const FENCE = /^[ \t]*(`{3,}|~{3,})[ \t]*\{?\.?([A-Za-z0-9_+#-]*)/gm;

export function lexMarkdown(ctx: LexContext, from: number, to: number, fenceLanguage: (info: string) => LanguageId): void {
  const { text } = ctx;
  let prose = from;
  const fences = new RegExp(FENCE.source, 'gm'); // per call: a fence may hold Markdown that has fences
  fences.lastIndex = from;
  for (let m = fences.exec(text); m !== null && m.index < to; m = fences.exec(text)) {
    const fence = m[1]!;
    const open = m.index;
    const openEnd = lineEnd(text, open, to);
    // a backtick fence's info string may not hold a backtick (that is inline code)
    if (fence.charCodeAt(0) === Ch.Backtick && text.slice(open + m[0].length, openEnd).includes('`')) {
      fences.lastIndex = openEnd;
      continue;
    }
    const bodyStart = nextLine(text, openEnd, to);
    const close = closingFence(text, bodyStart, to, fence);
    if (open > prose) lexPlain(ctx, prose, open);
    ctx.rec.resetSql();
    ctx.embed(fenceLanguage(m[2]!.toLowerCase()), bodyStart, close.bodyEnd);
    prose = close.next;
    fences.lastIndex = close.next;
    if (close.next >= to) break;
  }
  if (prose < to) lexPlain(ctx, prose, to);
}

/** The info string of the fence holding `offset`, or undefined when it is in prose. */
export function fenceInfoAt(text: string, offset: number): string | undefined {
  const fences = new RegExp(FENCE.source, 'gm');
  for (let m = fences.exec(text); m !== null && m.index <= offset; m = fences.exec(text)) {
    const openEnd = lineEnd(text, m.index, text.length);
    if (m[1]!.charCodeAt(0) === Ch.Backtick && text.slice(m.index + m[0].length, openEnd).includes('`')) continue;
    const bodyStart = nextLine(text, openEnd, text.length);
    const close = closingFence(text, bodyStart, text.length, m[1]!);
    if (offset >= bodyStart && offset < close.bodyEnd) return m[2]!.toLowerCase();
    fences.lastIndex = close.next;
  }
  return undefined;
}

function nextLine(text: string, eol: number, to: number): number {
  if (eol >= to) return to;
  return text.charCodeAt(eol) === Ch.CR && text.charCodeAt(eol + 1) === Ch.LF ? eol + 2 : eol + 1;
}

/** The line that closes `fence` (same character, at least as long, nothing else): where the body ends and prose resumes. */
function closingFence(text: string, from: number, to: number, fence: string): { bodyEnd: number; next: number } {
  const ch = fence.charCodeAt(0);
  let line = from;
  while (line < to) {
    const end = lineEnd(text, line, to);
    let s = line;
    while (s < end && (text.charCodeAt(s) === Ch.Space || text.charCodeAt(s) === Ch.Tab)) s++;
    let k = s;
    while (k < end && text.charCodeAt(k) === ch) k++;
    if (k - s >= fence.length) {
      let e = k;
      while (e < end && (text.charCodeAt(e) === Ch.Space || text.charCodeAt(e) === Ch.Tab)) e++;
      if (e === end) return { bodyEnd: line, next: nextLine(text, end, to) };
    }
    line = nextLine(text, end, to);
  }
  return { bodyEnd: to, next: to };
}
