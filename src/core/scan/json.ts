/**
 * JSON and JSON with comments (configs, BigQuery job and schema files, dbt manifests, notebook outputs):
 * every string — keys too, since a key may be a table name — is read as string content (a backslash
 * escapes; `\n` before a name does not glue onto it); `//` and `/* *\/` comments.
 */
import { Ch } from './chars';
import { readComment, readBlockComment } from './comments';
import type { LexContext } from './lexer';
import { Mode } from './path-parser';
import { lineEnd, nextOf } from './sql';

const SPECIAL = /["/]/g;

export function lexJson(ctx: LexContext, from: number, to: number): void {
  const { text, rec } = ctx;
  let i = from;
  while (i < to) {
    i = nextOf(SPECIAL, text, i);
    if (i < 0 || i >= to) break;
    if (text.charCodeAt(i) === Ch.DQuote) {
      const end = jsonStringEnd(text, i + 1, to);
      rec.scan(i + 1, end, Mode.Str);
      ctx.fields.literal(i + 1, end);
      i = end + 1;
      continue;
    }
    const d = text.charCodeAt(i + 1);
    if (d === Ch.Slash) {
      const end = lineEnd(text, i + 2, to);
      readComment(ctx, i, end, i + 2);
      i = end;
    } else if (d === Ch.Star) {
      i = readBlockComment(ctx, i, to);
    } else i++;
  }
}

/** The closing quote of a JSON string whose content starts at i (or the line end / `to` when unterminated). */
export function jsonStringEnd(text: string, i: number, to: number): number {
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === Ch.Backslash) i++;
    else if (c === Ch.DQuote || c === Ch.LF) return i;
  }
  return to;
}
