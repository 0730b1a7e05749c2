/**
 * Offsets → VS Code positions for one snapshot of a text: the core's LineIndex (line starts by
 * `indexOf`, lookups walking from the previous answer) answering in vscode.Position. Because the
 * positions belong to the snapshot, not to a live document, they stay valid after the document
 * changes — references can be converted lazily, long after the lint.
 */
import * as vscode from 'vscode';
import { LineIndex } from '../core/text/positions';

/** Offset → position, whichever way it is answered (a snapshot's TextPositions, or a live TextDocument). */
export interface OffsetConverter {
  positionAt(offset: number): vscode.Position;
}

export class TextPositions implements OffsetConverter {
  private readonly index: LineIndex;

  /**
   * @param clampToLineEnd Clamp a column that falls inside a line break to the end of the line's
   *   text, as `TextDocument.positionAt` does (an offset between `\r` and `\n`). Off for files read
   *   from disk, which keep LineIndex's answer.
   */
  constructor(
    readonly text: string,
    private readonly clampToLineEnd = false,
  ) {
    this.index = new LineIndex(text);
  }

  get lineCount(): number {
    return this.index.lineCount;
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
    const p = this.at(offset);
    return new vscode.Position(p.line, p.character);
  }

  /** True when `span` converts to exactly `range` (compared without building positions). */
  sameRange(span: { start: number; end: number }, range: vscode.Range): boolean {
    return this.samePosition(span.start, range.start) && this.samePosition(span.end, range.end);
  }

  private samePosition(offset: number, p: vscode.Position): boolean {
    const q = this.at(offset);
    return q.line === p.line && q.character === p.character;
  }

  private at(offset: number): { line: number; character: number } {
    const p = this.index.positionAt(offset);
    const o = offset < 0 ? 0 : offset > this.text.length ? this.text.length : offset;
    // An offset between \r and \n: TextDocument.positionAt answers the end of the line's text.
    if (this.clampToLineEnd && o > 0 && this.text.charCodeAt(o - 1) === 13 && this.text.charCodeAt(o) === 10) return { line: p.line, character: p.character - 1 };
    return p;
  }
}
