/**
 * YAML (Airflow, dbt, Cloud Build, GitHub Actions, Kubernetes): `#` comments at a line start or after a
 * space, outside '…' and "…" scalars; block scalars (`key: |`, `key: >-`) whose body is handed to the
 * lexer its key names (`sql:`, `query:` → SQL; `run:`, `bash_command:`, `script:` → shell; others plain
 * text); every other scalar — keys and values — is read as string content with the text's placeholders
 * (`{{ params.project }}`, `${{ env.PROJECT }}`, `$PROJECT`).
 */
import { Ch, isSpace } from './chars';
import { readComment } from './comments';
import type { LexContext } from './lexer';
import { Mode } from './path-parser';
import { lineEnd } from './sql';
import type { LanguageId } from './types';

/** `key: |` / `- key: >-2` / `"key": |+` at the end of a line (a comment may follow). */
const BLOCK_SCALAR = /^[ \t]*(?:-[ \t]+)*("[^"]*"|'[^']*'|[^\s#'"][^#]*?)[ \t]*:[ \t]+[|>][-+0-9]*[ \t]*(?:#.*)?$/;

export function lexYaml(ctx: LexContext, from: number, to: number, blockLanguage: (key: string) => LanguageId): void {
  const { text, rec } = ctx;
  let seg = from;
  let line = from;
  const flush = (end: number) => {
    if (end > seg) rec.scan(seg, end, Mode.Str);
  };
  while (line < to) {
    ctx.fields.unquoted(line, 'yaml');
    let eol = lineEnd(text, line, to);
    let comment = -1;
    for (let k = line; k < eol; k++) {
      const c = text.charCodeAt(k);
      if ((c === Ch.DQuote || c === Ch.SQuote) && opensScalar(text, line, k)) {
        const close = quotedEnd(text, k + 1, to, c);
        ctx.fields.literal(k + 1, close);
        k = close;
        if (k >= eol) eol = lineEnd(text, Math.min(k, to), to);
      } else if (c === Ch.Hash && (k === line || isSpace(text.charCodeAt(k - 1)))) {
        comment = k;
        break;
      }
    }
    if (comment >= 0) {
      flush(comment);
      readComment(ctx, comment, eol, comment + 1);
      seg = eol;
    }
    const next = nextLine(text, eol, to);
    const block = BLOCK_SCALAR.exec(text.slice(line, eol));
    if (block === null) {
      line = next;
      continue;
    }
    // the body: following lines that are blank or indented deeper than the key
    const keyIndent = block[0].indexOf(block[1]!);
    let end = next;
    while (end < to) {
      const e = lineEnd(text, end, to);
      const indent = indentOf(text, end, e);
      if (end + indent < e && indent <= keyIndent) break;
      end = nextLine(text, e, to);
    }
    flush(next);
    rec.resetSql();
    ctx.embed(blockLanguage(unquote(block[1]!)), next, end);
    seg = line = end;
  }
  flush(to);
}

/** A quote opens a scalar only where one starts: the line's first character, or after `:`, `-`, `[`, `{`, `,` and spaces. */
function opensScalar(text: string, line: number, k: number): boolean {
  let p = k - 1;
  while (p >= line && (text.charCodeAt(p) === Ch.Space || text.charCodeAt(p) === Ch.Tab)) p--;
  if (p < line) return true;
  const c = text.charCodeAt(p);
  if (c === Ch.Colon || c === Ch.Minus) return p < k - 1;
  return c === Ch.LBracket || c === Ch.LBrace || c === Ch.Comma;
}

function indentOf(text: string, s: number, e: number): number {
  let k = s;
  while (k < e && (text.charCodeAt(k) === Ch.Space || text.charCodeAt(k) === Ch.Tab)) k++;
  return k - s;
}

function nextLine(text: string, eol: number, to: number): number {
  if (eol >= to) return to;
  return text.charCodeAt(eol) === Ch.CR && text.charCodeAt(eol + 1) === Ch.LF ? eol + 2 : eol + 1;
}

function unquote(key: string): string {
  const c = key.charCodeAt(0);
  return (c === Ch.DQuote || c === Ch.SQuote) && key.length >= 2 ? key.slice(1, -1) : key;
}

/** The closing quote of a scalar opened before i ('' escapes a quote in '…', a backslash in "…"), or `to`. */
function quotedEnd(text: string, i: number, to: number, quote: number): number {
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
    if (quote === Ch.DQuote && c === Ch.Backslash) i++;
    else if (c === quote) {
      if (quote === Ch.SQuote && text.charCodeAt(i + 1) === Ch.SQuote) i++;
      else return i;
    }
  }
  return to;
}
