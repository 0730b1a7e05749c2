/**
 * A comment as every lexer reads it: its extent and its text go to the suppression collector (for
 * `bqmigrate-disable` directives) and its text is scanned as comment content. The block form is the
 * C-style one, shared by SQL, JavaScript, JSON with comments and HCL.
 */
import type { LexContext } from './lexer';
import { Mode } from './path-parser';

/** The comment [start, end) whose text is [body, bodyEnd). */
export function readComment(ctx: LexContext, start: number, end: number, body: number, bodyEnd = end): void {
  ctx.sup.comment(start, end, body, bodyEnd);
  ctx.rec.scan(body, bodyEnd, Mode.Comment);
}

/** The block comment opened at `start`: returns where it ends (after its closing delimiter, or `to` when it is not closed before `to`). */
export function readBlockComment(ctx: LexContext, start: number, to: number): number {
  const close = ctx.text.indexOf('*/', start + 2);
  const bodyEnd = close < 0 || close >= to ? to : close;
  const end = bodyEnd === to ? to : bodyEnd + 2;
  readComment(ctx, start, end, start + 2, bodyEnd);
  return end;
}
