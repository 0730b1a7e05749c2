/**
 * Dataform .sqlx: the `config { … }` and `js { … }` blocks are JavaScript (a `config` object's
 * `schema` / `name` pair names the table the file builds); `pre_operations { … }`, `post_operations { … }`
 * and the body are BigQuery SQL whose `${…}` JavaScript expressions (`${ref("x")}`, `${self()}`) are
 * placeholders of the text.
 */
import { Ch } from './chars';
import type { LexContext } from './lexer';
import { lexJavaScript } from './javascript';
import { lexSql } from './sql';

const BLOCK = /^[ \t]*(config|js|pre_operations|post_operations)[ \t]*\{/gm;

export function lexSqlx(ctx: LexContext, from: number, to: number): void {
  const { text } = ctx;
  let sql = from;
  const blocks = new RegExp(BLOCK.source, 'gm');
  blocks.lastIndex = from;
  for (let m = blocks.exec(text); m !== null && m.index < to; m = blocks.exec(text)) {
    const open = m.index + m[0].length; // just after `{`
    const close = closingBrace(text, open, to);
    if (m.index > sql) lexSql(ctx, sql, m.index, true);
    ctx.rec.resetSql();
    if (m[1] === 'config' || m[1] === 'js') lexJavaScript(ctx, open, close);
    else lexSql(ctx, open, close, true);
    sql = Math.min(to, close + 1);
    blocks.lastIndex = sql;
  }
  if (sql < to) {
    ctx.rec.resetSql();
    lexSql(ctx, sql, to, true);
  }
}

/** The `}` matching the `{` just before i, skipping strings, templates and comments; `to` when unbalanced. */
function closingBrace(text: string, i: number, to: number): number {
  let depth = 0;
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === Ch.SQuote || c === Ch.DQuote || c === Ch.Backtick) {
      for (i++; i < to && text.charCodeAt(i) !== c; i++) if (text.charCodeAt(i) === Ch.Backslash) i++;
    } else if (c === Ch.Slash && text.charCodeAt(i + 1) === Ch.Slash) {
      while (i < to && text.charCodeAt(i) !== Ch.LF) i++;
    } else if (c === Ch.Slash && text.charCodeAt(i + 1) === Ch.Star) {
      const e = text.indexOf('*/', i + 2);
      i = e < 0 ? to : e + 1;
    } else if (c === Ch.LBrace) depth++;
    else if (c === Ch.RBrace) {
      if (depth === 0) return i;
      depth--;
    }
  }
  return to;
}
