/**
 * BigQuery SQL lexer: splits the text into code, strings and comments and hands each to the recogniser.
 * Backtick identifiers stay inside code (the recogniser reads `a`.`b`.`c` across them).
 */
import { Ch, isIdentLike } from './chars';
import { Mode } from './path-parser';
import type { Recogniser } from './recogniser';
import type { SuppressionCollector } from './suppressions';

/** Characters that may start something other than plain code. */
const SPECIAL = new Uint8Array(128);
for (const c of '`\'"-#/') SPECIAL[c.charCodeAt(0)] = 1;

export function lexSql(text: string, rec: Recogniser, sup: SuppressionCollector, from = 0, to = text.length): void {
  const n = to;
  let seg = from;
  let i = from;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c >= 128 || SPECIAL[c] === 0) {
      i++;
      continue;
    }
    if (c === Ch.Backtick) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === Ch.Backtick || d === Ch.LF || d === Ch.CR) break;
        j++;
      }
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
      sup.comment(i, end, body, end);
      rec.scan(body, end, Mode.Comment);
      i = seg = end;
      continue;
    }
    if (c === Ch.Slash) {
      if (text.charCodeAt(i + 1) !== Ch.Star) {
        i++;
        continue;
      }
      rec.scan(seg, i, Mode.SqlCode);
      const close = text.indexOf('*/', i + 2);
      const bodyEnd = close < 0 || close >= n ? n : close;
      const end = bodyEnd === n ? n : bodyEnd + 2;
      sup.comment(i, end, i + 2, bodyEnd);
      rec.scan(i + 2, bodyEnd, Mode.Comment);
      i = seg = end;
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
}

export function lineEnd(text: string, i: number, n: number): number {
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === Ch.LF || c === Ch.CR) return i;
  }
  return n;
}

/** [end of content, end of literal]; an unterminated one-line string ends at the line break. A backslash protects the next character, in raw literals too. */
export function stringEnd(text: string, i: number, n: number, quote: number, triple: boolean): [number, number] {
  for (; i < n; i++) {
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
