/**
 * Shell lexer (sh/bash scripts, Dockerfiles, Makefiles, .env files): `#` comments at a word start,
 * '…' and "…" quoting (a backslash escapes in double quotes and outside quotes, so `\`` is a literal
 * backtick: SQL quoted in a `bq query "…"` string), `$VAR` / `${VAR}` / `$(VAR)` placeholders (the
 * text's placeholders), and heredocs whose body is handed to the lexer of the language the command
 * runs (`python3 - <<EOF` → Python, `bq query <<EOF` → SQL, `cat > x.sql <<EOF` → by the file name).
 * Everything outside comments and heredoc bodies is read as string content.
 */
import { Ch, isSpace } from './chars';
import { readComment } from './comments';
import type { LexContext } from './lexer';
import { Mode } from './path-parser';
import { lineEnd, nextOf } from './sql';
import type { LanguageId } from './types';

const SPECIAL = /[#'"\\\n<]/g;

interface Heredoc {
  delimiter: string;
  stripTabs: boolean;
  language: LanguageId;
}

/** Which language a heredoc body is, from the command line that opens it. */
export type HeredocLanguage = (commandLine: string) => LanguageId;

export function lexShell(ctx: LexContext, from: number, to: number, heredocLanguage: HeredocLanguage): void {
  const { text, rec } = ctx;
  let seg = from;
  let i = from;
  let lineStart = from;
  let pending: Heredoc[] = [];
  ctx.fields.unquoted(from, 'shell');
  const flush = (end: number) => {
    if (end > seg) rec.scan(seg, end, Mode.Str);
  };
  while (i < to) {
    i = nextOf(SPECIAL, text, i);
    if (i < 0 || i >= to) break;
    const c = text.charCodeAt(i);
    if (c === Ch.Backslash) {
      i += 2;
      continue;
    }
    if (c === Ch.Hash) {
      const p = i > from ? text.charCodeAt(i - 1) : Ch.LF;
      if (!(isSpace(p) || p === Ch.Semi || p === 124 /* | */ || p === 38 /* & */ || p === Ch.LParen)) {
        i++;
        continue;
      }
      flush(i);
      const end = lineEnd(text, i + 1, to);
      readComment(ctx, i, end, i + 1);
      seg = i = end;
      continue;
    }
    if (c === Ch.SQuote) {
      const close = text.indexOf("'", i + 1);
      const end = close < 0 || close >= to ? to : close;
      ctx.fields.literal(i + 1, end);
      i = end + 1;
      continue;
    }
    if (c === Ch.DQuote) {
      const end = doubleQuotedEnd(text, i + 1, to);
      ctx.fields.literal(i + 1, end);
      i = end + 1;
      continue;
    }
    if (c === Ch.Lt) {
      if (text.charCodeAt(i + 1) !== Ch.Lt || text.charCodeAt(i + 2) === Ch.Lt) {
        i++;
        continue;
      }
      const op = heredocOperator(text, i + 2, to);
      if (op === undefined) {
        i += 2;
        continue;
      }
      const eol = lineEnd(text, i, to);
      pending.push({ delimiter: op.delimiter, stripTabs: op.stripTabs, language: heredocLanguage(text.slice(lineStart, eol)) });
      i = op.end;
      continue;
    }
    // a line break: heredoc bodies start on the next line
    i++;
    lineStart = i;
    if (pending.length === 0) {
      if (i < to) ctx.fields.unquoted(i, 'shell');
      continue;
    }
    flush(i);
    for (const h of pending) {
      const body = i;
      const { bodyEnd, next } = heredocEnd(text, body, to, h);
      rec.resetSql();
      ctx.embed(h.language, body, bodyEnd);
      i = next;
    }
    pending = [];
    seg = lineStart = i;
  }
  flush(to);
}

/** End of a "…" string from i (after the quote): backslash escapes, `$( … )` and `` `…` `` substitutions skipped. */
function doubleQuotedEnd(text: string, i: number, to: number): number {
  let depth = 0;
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === Ch.Backslash) i++;
    else if (c === Ch.Dollar && text.charCodeAt(i + 1) === Ch.LParen) {
      depth++;
      i++;
    } else if (c === Ch.RParen && depth > 0) depth--;
    else if (c === Ch.DQuote && depth === 0) return i;
  }
  return to;
}

/** `<<EOF`, `<<-EOF`, `<< 'EOF'`, `<<"EOF"`, `<<\EOF` after the `<<` at i. */
function heredocOperator(text: string, i: number, to: number): { delimiter: string; stripTabs: boolean; end: number } | undefined {
  let j = i;
  const stripTabs = text.charCodeAt(j) === Ch.Minus;
  if (stripTabs) j++;
  while (j < to && (text.charCodeAt(j) === Ch.Space || text.charCodeAt(j) === Ch.Tab)) j++;
  let q = text.charCodeAt(j);
  if (q === Ch.Backslash) {
    j++;
    q = 0;
  }
  const quoted = q === Ch.SQuote || q === Ch.DQuote;
  if (quoted) j++;
  const s = j;
  while (j < to && /[A-Za-z0-9_.-]/.test(text.charAt(j))) j++;
  if (j === s) return undefined;
  const delimiter = text.slice(s, j);
  if (quoted) {
    if (text.charCodeAt(j) !== q) return undefined;
    j++;
  }
  return { delimiter, stripTabs, end: j };
}

/** The body of a heredoc starting at `body` (a line start): up to the line that is the delimiter. */
function heredocEnd(text: string, body: number, to: number, h: Heredoc): { bodyEnd: number; next: number } {
  let line = body;
  while (line < to) {
    const end = lineEnd(text, line, to);
    let s = line;
    if (h.stripTabs) while (s < end && text.charCodeAt(s) === Ch.Tab) s++;
    let e = end;
    while (e > s && (text.charCodeAt(e - 1) === Ch.Space || text.charCodeAt(e - 1) === Ch.Tab)) e--;
    if (e - s === h.delimiter.length && text.startsWith(h.delimiter, s)) {
      return { bodyEnd: line, next: end < to && text.charCodeAt(end) === Ch.CR && text.charCodeAt(end + 1) === Ch.LF ? end + 2 : Math.min(to, end + 1) };
    }
    line = end >= to ? to : text.charCodeAt(end) === Ch.CR && text.charCodeAt(end + 1) === Ch.LF ? end + 2 : end + 1;
  }
  return { bodyEnd: to, next: to };
}
