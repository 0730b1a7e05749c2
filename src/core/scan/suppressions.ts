/**
 * Suppression comments: `bqmigrate-disable-next-line <rule>[, <rule>] -- reason`, `bqmigrate-disable-line`,
 * file-level `bqmigrate-disable`, recognised only at the start of a comment's body (so prose that
 * mentions a directive does not suppress anything).
 */
import { Ch, isSpace } from './chars';
import type { Span, SuppressionComment } from './types';

const DIRECTIVE = 'bqmigrate-disable';

export class SuppressionCollector {
  readonly comments: Span[] = [];
  readonly suppressions: SuppressionComment[] = [];
  /** Next occurrence of the directive word at or after `searchedFrom` (cached so many comments stay linear). */
  private nextAt = -2;
  private searchedFrom = Number.MAX_SAFE_INTEGER;
  private lineAtPos = 0;
  private line = 0;

  constructor(private readonly text: string) {}

  /** Records a comment [start, end) whose body (without its opener and closer) is [bodyStart, bodyEnd). */
  comment(start: number, end: number, bodyStart: number, bodyEnd: number): void {
    this.comments.push({ start, end });
    this.directive(start, end, bodyStart, bodyEnd);
  }

  /** Looks for a directive at the start of [bodyStart, bodyEnd) without recording a comment span. */
  directive(start: number, end: number, bodyStart: number, bodyEnd: number): void {
    const at = this.find(bodyStart);
    if (at < 0 || at >= bodyEnd) return;
    const t = this.text;
    let i = bodyStart;
    while (i < at && (isSpace(t.charCodeAt(i)) || t.charCodeAt(i) === Ch.Star || t.charCodeAt(i) === Ch.Slash || t.charCodeAt(i) === Ch.Bang)) i++;
    if (i !== at) return;
    let j = at + DIRECTIVE.length;
    let kind: SuppressionComment['kind'] = 'disable';
    if (t.startsWith('-next-line', j)) {
      kind = 'disable-next-line';
      j += 10;
    } else if (t.startsWith('-line', j)) {
      kind = 'disable-line';
      j += 5;
    }
    if (j < bodyEnd && !isSpace(t.charCodeAt(j)) && t.charCodeAt(j) !== Ch.Comma) return;
    let body = t.slice(j, bodyEnd);
    let reason: string | undefined;
    const dash = body.indexOf('--');
    if (dash >= 0) {
      reason = body.slice(dash + 2).trim() || undefined;
      body = body.slice(0, dash);
    }
    const rules = body
      .split(/[\s,]+/)
      .map((r) => r.trim())
      .filter((r) => r.length > 0);
    const s: SuppressionComment = { kind, rules, line: this.lineAt(at), range: { start, end } };
    if (reason !== undefined) s.reason = reason;
    this.suppressions.push(s);
  }

  private find(from: number): number {
    if (from >= this.searchedFrom && (this.nextAt >= from || this.nextAt === -1)) return this.nextAt;
    this.nextAt = this.text.indexOf(DIRECTIVE, from);
    this.searchedFrom = from;
    return this.nextAt;
  }

  /** 0-based line of an offset; lines break at \n, \r\n and a lone \r (as LineIndex does). */
  lineAt(pos: number): number {
    if (pos < this.lineAtPos) {
      this.lineAtPos = 0;
      this.line = 0;
    }
    const t = this.text;
    let line = this.line;
    for (let i = this.lineAtPos; i < pos; i++) {
      const c = t.charCodeAt(i);
      if (c === Ch.LF || (c === Ch.CR && t.charCodeAt(i + 1) !== Ch.LF)) line++;
    }
    this.lineAtPos = pos;
    this.line = line;
    return line;
  }
}
