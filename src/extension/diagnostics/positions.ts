/**
 * Offsets → VS Code positions for one snapshot of a text, fast enough for thousands of
 * ranges per keystroke: the line starts are found once with `indexOf` (no per-character
 * loop), and lookups walk forward from the previous answer, so converting offsets in
 * ascending order (violations and references come sorted) costs O(1) each instead of
 * a binary search plus the document's own bookkeeping behind `TextDocument.positionAt`.
 *
 * Line breaks are `\n`, `\r\n` and a lone `\r`, as in the core's LineIndex. Because the
 * positions belong to the snapshot, not to a live document, they stay valid after the
 * document changes — references can be converted lazily, long after the lint.
 */
import * as vscode from 'vscode';
import type { OffsetConverter } from './convert';

export class TextPositions implements OffsetConverter {
  private readonly starts: number[];
  /** Index of the line the previous lookup landed on. */
  private line = 0;

  /**
   * @param clampToLineEnd Clamp a column that falls inside a line break to the end of the line's
   *   text, as `TextDocument.positionAt` does (an offset between `\r` and `\n`). Off for files read
   *   from disk, which keep LineIndex's answer.
   */
  constructor(
    readonly text: string,
    private readonly clampToLineEnd = false,
  ) {
    this.starts = lineStarts(text);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /**
   * Positions for an open document's text, or the document itself when this text's lines do not
   * match the document's (they always do: VS Code normalises an open document's line breaks).
   */
  static forDocument(text: string, doc: vscode.TextDocument): OffsetConverter {
    const at = new TextPositions(text, true);
    return at.lineCount === doc.lineCount ? at : doc;
  }

  positionAt(offset: number): vscode.Position {
    const o = this.clamp(offset);
    const line = this.lineOf(o);
    return new vscode.Position(line, this.characterOf(o, line));
  }

  /** True when `span` converts to exactly `range` (compared without building positions). */
  sameRange(span: { start: number; end: number }, range: vscode.Range): boolean {
    return this.samePosition(span.start, range.start) && this.samePosition(span.end, range.end);
  }

  private samePosition(offset: number, p: vscode.Position): boolean {
    const o = this.clamp(offset);
    const line = this.lineOf(o);
    return line === p.line && this.characterOf(o, line) === p.character;
  }

  private clamp(offset: number): number {
    return offset < 0 ? 0 : offset > this.text.length ? this.text.length : offset;
  }

  private characterOf(o: number, line: number): number {
    const character = o - this.starts[line]!;
    // An offset between \r and \n: TextDocument.positionAt answers the end of the line's text.
    if (this.clampToLineEnd && o > 0 && this.text.charCodeAt(o - 1) === 13 && this.text.charCodeAt(o) === 10) return character - 1;
    return character;
  }

  /** The line of a clamped offset. */
  private lineOf(o: number): number {
    const starts = this.starts;
    const last = starts.length - 1;
    let line = this.line;
    if (starts[line]! > o) {
      // Walk a few lines back (converting in descending order), then search.
      let steps = 0;
      while (starts[line]! > o && steps < 8) {
        line--;
        steps++;
      }
      if (starts[line]! > o) line = this.search(o, 0, line - 1);
    } else if (line < last && starts[line + 1]! <= o) {
      // Walk a few lines forward (the usual case: the next range is close), then search.
      let steps = 0;
      while (line < last && starts[line + 1]! <= o && steps < 8) {
        line++;
        steps++;
      }
      if (line < last && starts[line + 1]! <= o) line = this.search(o, line + 1, last);
    }
    this.line = line;
    return line;
  }

  /** The last line in [lo, hi] whose start is ≤ o (lo's start is ≤ o). */
  private search(o: number, lo: number, hi: number): number {
    const starts = this.starts;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/** Offsets where each line starts: after `\n`, `\r\n` or a lone `\r`. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  let lf = text.indexOf('\n');
  let cr = text.indexOf('\r');
  if (cr === -1) {
    while (lf !== -1) {
      starts.push(lf + 1);
      lf = text.indexOf('\n', lf + 1);
    }
    return starts;
  }
  while (lf !== -1 || cr !== -1) {
    if (cr !== -1 && (lf === -1 || cr < lf)) {
      if (lf === cr + 1) {
        starts.push(cr + 2);
        lf = text.indexOf('\n', cr + 2);
      } else starts.push(cr + 1);
      cr = text.indexOf('\r', cr + 1);
    } else {
      starts.push(lf + 1);
      lf = text.indexOf('\n', lf + 1);
    }
  }
  return starts;
}
