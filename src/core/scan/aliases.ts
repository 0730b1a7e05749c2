/**
 * The last 64 table names and aliases of a statement or region, kept as offsets into the text: most are
 * never consulted, so none is sliced or lower-cased until a two-part path asks whether it starts with one.
 */
const MAX_ALIASES = 64;

export class AliasList {
  private readonly offsets = new Int32Array(MAX_ALIASES * 2);
  private count = 0;

  constructor(private readonly text: string) {}

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.count = 0;
  }

  push(s: number, e: number): void {
    if (this.count >= MAX_ALIASES) {
      this.offsets.copyWithin(0, 2);
      this.count--;
    }
    this.offsets[this.count * 2] = s;
    this.offsets[this.count * 2 + 1] = e;
    this.count++;
  }

  /** Whether `lower` (already lower-cased) equals one of the names, compared lower-cased. */
  includes(lower: string): boolean {
    const t = this.text;
    for (let k = 0; k < this.count; k++) {
      if (t.slice(this.offsets[k * 2]!, this.offsets[k * 2 + 1]!).toLowerCase() === lower) return true;
    }
    return false;
  }
}
