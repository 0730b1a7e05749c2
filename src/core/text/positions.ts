/**
 * Offsets ⇄ line/column for one text: the one line index the core, the CLI's formatters and the
 * editor use (the editor wraps it in vscode.Position). Lines and columns are 0-based; formatters
 * add 1. Line breaks are `\n`, `\r\n` and a lone `\r`.
 *
 * Built for thousands of lookups per keystroke: line starts are found with `indexOf` (no
 * per-character loop) and only as far as the largest offset asked so far, so a file whose only
 * finding is on line 3 never indexes its other million lines; lookups walk from the previous
 * answer, so offsets converted in ascending order (findings come sorted) cost O(1) each.
 */
export interface Position {
  line: number;
  character: number;
}

export class LineIndex {
  private readonly starts = [0];
  /** The next `\n` and `\r` not yet turned into line starts (-1: none left). */
  private nextLf: number;
  private nextCr: number;
  /** The line the previous lookup landed on. */
  private cursor = 0;

  constructor(readonly text: string) {
    this.nextLf = text.indexOf('\n');
    this.nextCr = text.indexOf('\r');
  }

  get lineCount(): number {
    this.indexPast(Infinity);
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const o = offset < 0 ? 0 : offset > this.text.length ? this.text.length : offset;
    this.indexPast(o);
    const line = this.lineOf(o);
    return { line, character: o - this.starts[line]! };
  }

  offsetAt(pos: Position): number {
    this.indexPast(Infinity);
    if (pos.line >= this.starts.length) return this.text.length;
    const start = this.starts[Math.max(0, pos.line)]!;
    const next = pos.line + 1 < this.starts.length ? this.starts[pos.line + 1]! : this.text.length;
    return Math.min(start + Math.max(0, pos.character), next);
  }

  lineStart(line: number): number {
    this.indexPast(Infinity);
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))]!;
  }

  /** Adds line starts until one lies past `offset` or the text has no more line breaks. */
  private indexPast(offset: number): void {
    const starts = this.starts;
    const text = this.text;
    while (starts[starts.length - 1]! <= offset && (this.nextLf !== -1 || this.nextCr !== -1)) {
      const lf = this.nextLf;
      const cr = this.nextCr;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        if (lf === cr + 1) {
          starts.push(cr + 2);
          this.nextLf = text.indexOf('\n', cr + 2);
        } else starts.push(cr + 1);
        this.nextCr = text.indexOf('\r', cr + 1);
      } else {
        starts.push(lf + 1);
        this.nextLf = text.indexOf('\n', lf + 1);
      }
    }
  }

  /** The line of a clamped offset whose following line start (if any) is indexed. */
  private lineOf(o: number): number {
    const starts = this.starts;
    const last = starts.length - 1;
    let line = Math.min(this.cursor, last);
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
    this.cursor = line;
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
