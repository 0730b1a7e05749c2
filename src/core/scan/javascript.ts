/**
 * JavaScript / TypeScript / JSX lexer: comments, '…' and "…" strings, template literals whose `${…}`
 * holes hold code (nested templates included, tracked on an explicit stack so deep nesting cannot
 * overflow), and regex literals, told apart from division by the previous significant token.
 */
import { Ch, isDigit, isIdentLike, isSpace, isWord } from './chars';
import { Mode, type Hole } from './path-parser';
import type { Recogniser } from './recogniser';
import { lineEnd, stringEnd } from './sql';
import type { SuppressionCollector } from './suppressions';

/** Words after which a `/` starts a regex rather than dividing. */
const REGEX_AFTER = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

interface TemplateFrame {
  contentStart: number;
  holes: Map<number, Hole>;
  /** `{` opened inside the current `${…}` hole and not yet closed. */
  braces: number;
  holeStart: number;
}

export function lexJavaScript(text: string, rec: Recogniser, sup: SuppressionCollector): void {
  const n = text.length;
  const stack: TemplateFrame[] = [];
  let inTemplate = false;
  /** True when the previous significant token ends an expression (so `/` divides). */
  let afterValue = false;
  let i = 0;
  if (text.startsWith('#!')) {
    const end = lineEnd(text, 2, n);
    sup.comment(0, end, 2, end);
    i = end;
  }
  while (i < n) {
    if (inTemplate) {
      const top = stack[stack.length - 1]!;
      const c = text.charCodeAt(i);
      if (c === Ch.Backslash) {
        i += 2;
      } else if (c === Ch.Backtick) {
        rec.scan(top.contentStart, i, Mode.Str, top.holes);
        stack.pop();
        inTemplate = false;
        afterValue = true;
        i++;
      } else if (c === Ch.Dollar && text.charCodeAt(i + 1) === Ch.LBrace) {
        top.holeStart = i;
        top.braces = 0;
        inTemplate = false;
        afterValue = false;
        i += 2;
      } else i++;
      continue;
    }
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (isWord(c) || c === Ch.Dollar || c >= 128) {
      const s = i;
      while (i < n && (isIdentLike(text.charCodeAt(i)) || text.charCodeAt(i) === Ch.Dollar)) i++;
      if (i === s) i++;
      afterValue = isDigit(c) || !REGEX_AFTER.has(text.slice(s, i));
      continue;
    }
    switch (c) {
      case Ch.SQuote:
      case Ch.DQuote: {
        const [bodyEnd, end] = stringEnd(text, i + 1, n, c, false);
        rec.scan(i + 1, bodyEnd, Mode.Str);
        i = end;
        afterValue = true;
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
          sup.comment(i, end, i + 2, end);
          rec.scan(i + 2, end, Mode.Comment);
          i = end;
          continue;
        }
        if (d === Ch.Star) {
          const close = text.indexOf('*/', i + 2);
          const bodyEnd = close < 0 ? n : close;
          const end = close < 0 ? n : close + 2;
          sup.comment(i, end, i + 2, bodyEnd);
          rec.scan(i + 2, bodyEnd, Mode.Comment);
          i = end;
          continue;
        }
        if (afterValue) {
          i++;
          afterValue = false;
          continue;
        }
        i = regexEnd(text, i + 1, n);
        afterValue = true;
        continue;
      }
      case Ch.LBrace:
        if (stack.length > 0) stack[stack.length - 1]!.braces++;
        afterValue = false;
        i++;
        continue;
      case Ch.RBrace: {
        const top = stack[stack.length - 1];
        if (top !== undefined && top.braces === 0 && top.holeStart >= 0) {
          top.holes.set(top.holeStart, { start: top.holeStart, end: i + 1, exprStart: top.holeStart + 2, exprEnd: i });
          top.holeStart = -1;
          inTemplate = true;
        } else if (top !== undefined) top.braces--;
        afterValue = false; // a block usually ends here, and a regex may follow a block
        i++;
        continue;
      }
      case Ch.RParen:
      case Ch.RBracket:
        afterValue = true;
        i++;
        continue;
      default:
        afterValue = false;
        i++;
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
