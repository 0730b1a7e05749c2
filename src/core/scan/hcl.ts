/**
 * Terraform / HCL (.tf, .tfvars, .hcl): `#`, `//` and `/* *\/` comments; "…" strings with backslash
 * escapes whose `${…}` / `%{…}` template sequences may hold further strings; heredocs (`<<EOT`, `<<-EOT`)
 * whose body is SQL when the attribute is a query (`query = <<-SQL`, `view { query = <<EOF`) and plain
 * text otherwise. Strings and heredoc bodies are read with the text's placeholders (`${var.project}`);
 * code (`google_bigquery_table.x.table_id`) is not searched.
 */
import { Ch } from './chars';
import { readComment, readBlockComment } from './comments';
import type { LexContext } from './lexer';
import { Mode } from './path-parser';
import { lineEnd, nextOf } from './sql';

const SPECIAL = /["#/<]/g;
/** The attribute a heredoc is assigned to: `query = <<EOF`. */
const ATTRIBUTE_BEFORE = /([A-Za-z_][A-Za-z0-9_-]*)\s*=\s*$/;

export function lexHcl(ctx: LexContext, from: number, to: number): void {
  const { text, rec } = ctx;
  let i = from;
  while (i < to) {
    i = nextOf(SPECIAL, text, i);
    if (i < 0 || i >= to) break;
    const c = text.charCodeAt(i);
    const d = text.charCodeAt(i + 1);
    if (c === Ch.DQuote) {
      const end = hclStringEnd(text, i + 1, to);
      rec.scan(i + 1, end, Mode.Str);
      ctx.fields.literal(i + 1, end);
      i = end + 1;
    } else if (c === Ch.Hash || (c === Ch.Slash && d === Ch.Slash)) {
      const body = c === Ch.Hash ? i + 1 : i + 2;
      const end = lineEnd(text, body, to);
      readComment(ctx, i, end, body);
      i = end;
    } else if (c === Ch.Slash && d === Ch.Star) {
      i = readBlockComment(ctx, i, to);
    } else if (c === Ch.Lt && d === Ch.Lt) {
      i = heredoc(ctx, i, to);
    } else i++;
  }
}

/** A heredoc at i (`<<EOT` or `<<-EOT`): lexes its body, returns where code resumes. */
function heredoc(ctx: LexContext, i: number, to: number): number {
  const { text } = ctx;
  const m = /^<<-?([A-Za-z_][A-Za-z0-9_]*)[ \t]*\r?$/m.exec(text.slice(i, lineEnd(text, i, to)));
  if (m === null) return i + 2;
  const delimiter = m[1]!;
  const lineStart = text.lastIndexOf('\n', i - 1) + 1;
  const attribute = ATTRIBUTE_BEFORE.exec(text.slice(lineStart, i))?.[1] ?? '';
  const eol = lineEnd(text, i, to);
  const body = eol < to ? eol + 1 : to;
  let line = body;
  while (line < to) {
    const end = lineEnd(text, line, to);
    if (text.slice(line, end).trim() === delimiter) {
      ctx.rec.resetSql();
      ctx.embed(/query|sql/i.test(attribute) ? 'sql' : 'plain', body, line);
      return end;
    }
    line = end + 1;
  }
  ctx.embed('plain', body, to);
  return to;
}

/** The closing quote of an HCL string whose content starts at i: escapes, and `${ … }` / `%{ … }` sequences holding strings. */
function hclStringEnd(text: string, i: number, to: number): number {
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === Ch.Backslash) i++;
    else if (c === Ch.DQuote || c === Ch.LF) return i;
    else if ((c === Ch.Dollar || c === Ch.Percent) && text.charCodeAt(i + 1) === Ch.LBrace) i = templateEnd(text, i + 2, to);
  }
  return to;
}

/** The `}` closing a template sequence whose inside starts at i (nested braces and strings skipped). */
function templateEnd(text: string, i: number, to: number): number {
  let depth = 0;
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === Ch.DQuote) i = hclStringEnd(text, i + 1, to);
    else if (c === Ch.LBrace) depth++;
    else if (c === Ch.RBrace) {
      if (depth === 0) return i;
      depth--;
    } else if (c === Ch.LF) return i - 1;
  }
  return to;
}
