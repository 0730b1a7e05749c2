/**
 * Configuration files. TOML: `#` comments; "…" (escapes), '…' (literal), """…""" and '''…''' strings;
 * `[section]` headers. INI / .cfg / setup.cfg / .properties: `;` and `#` comment lines, `key = value` or
 * `key: value` with indented continuation lines, configparser's `%(name)s` and `${section:key}`
 * placeholders. A value whose key names a query (`query`, `sql`, `*_sql`) is read as SQL; every other
 * value — and every key — as string content.
 */
import { Ch, isSpace } from './chars';
import { readComment } from './comments';
import type { LexContext } from './lexer';
import { Mode } from './path-parser';
import { lineEnd, nextOf } from './sql';

/** A key whose value is a SQL statement. */
export const QUERY_KEY = /^(?:sql|query|bql|statement)$|(?:_|-)(?:sql|query)$/i;

const TOML_SPECIAL = /[#'"\n]/g;

export function lexToml(ctx: LexContext, from: number, to: number): void {
  const { text, rec } = ctx;
  let seg = from;
  let i = from;
  let lineStart = from;
  const flush = (end: number) => {
    if (end > seg) rec.scan(seg, end, Mode.Str);
  };
  while (i < to) {
    i = nextOf(TOML_SPECIAL, text, i);
    if (i < 0 || i >= to) break;
    const c = text.charCodeAt(i);
    if (c === Ch.LF) {
      lineStart = ++i;
      continue;
    }
    if (c === Ch.Hash) {
      flush(i);
      const end = lineEnd(text, i + 1, to);
      readComment(ctx, i, end, i + 1);
      seg = i = end;
      continue;
    }
    const triple = text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c;
    const body = triple ? i + 3 : i + 1;
    const close = tomlStringEnd(text, body, to, c, triple);
    ctx.fields.literal(body, close);
    const key = /^[ \t]*([A-Za-z0-9_.-]+)[ \t]*=[ \t]*$/.exec(text.slice(lineStart, i))?.[1];
    if (triple && key !== undefined && QUERY_KEY.test(key.slice(key.lastIndexOf('.') + 1))) {
      flush(body);
      ctx.rec.resetSql();
      ctx.embed('sql', body, close);
      seg = close;
    }
    i = Math.min(to, close + (triple ? 3 : 1));
  }
  flush(to);
}

function tomlStringEnd(text: string, i: number, to: number, quote: number, triple: boolean): number {
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === Ch.Backslash && quote === Ch.DQuote) i++;
    else if (c === quote && (!triple || (text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote))) return i;
    else if (!triple && c === Ch.LF) return i;
  }
  return to;
}

export function lexIni(ctx: LexContext, from: number, to: number): void {
  const { text, rec } = ctx;
  let line = from;
  while (line < to) {
    const eol = lineEnd(text, line, to);
    let s = line;
    while (s < eol && (text.charCodeAt(s) === Ch.Space || text.charCodeAt(s) === Ch.Tab)) s++;
    const c = text.charCodeAt(s);
    if (s < eol && (c === Ch.Semi || c === Ch.Hash)) {
      readComment(ctx, s, eol, s + 1);
      line = next(text, eol, to);
      continue;
    }
    // a `key = value` / `key: value` line and the indented lines that continue its value
    const sep = s === line ? keySeparator(text, s, eol) : -1;
    let end = eol;
    let after = next(text, eol, to);
    while (sep >= 0 && after < to) {
      const e = lineEnd(text, after, to);
      if (e === after || !isSpace(text.charCodeAt(after))) break;
      let k = after;
      while (k < e && isSpace(text.charCodeAt(k))) k++;
      if (k === e || text.charCodeAt(k) === Ch.Semi || text.charCodeAt(k) === Ch.Hash) break;
      end = e;
      after = next(text, e, to);
    }
    if (sep >= 0 && end > eol && QUERY_KEY.test(text.slice(s, sep).trim())) {
      rec.scan(s, sep, Mode.Str);
      ctx.rec.resetSql();
      ctx.embed('sql', sep + 1, end);
    } else {
      rec.scan(s, end, Mode.Str);
      if (sep >= 0) ctx.fields.literal(valueStart(text, sep + 1, end), end);
    }
    line = after;
  }
}

function next(text: string, eol: number, to: number): number {
  if (eol >= to) return to;
  return text.charCodeAt(eol) === Ch.CR && text.charCodeAt(eol + 1) === Ch.LF ? eol + 2 : eol + 1;
}

/** The `=` or `:` after a key at the line start, or -1 (a section header, a bare line). */
function keySeparator(text: string, s: number, eol: number): number {
  if (text.charCodeAt(s) === Ch.LBracket) return -1;
  for (let k = s; k < eol; k++) {
    const c = text.charCodeAt(k);
    if (c === Ch.Eq || c === Ch.Colon) return k > s ? k : -1;
  }
  return -1;
}

function valueStart(text: string, i: number, end: number): number {
  while (i < end && (text.charCodeAt(i) === Ch.Space || text.charCodeAt(i) === Ch.Tab)) i++;
  return i;
}
