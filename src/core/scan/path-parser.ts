/**
 * Reading one dotted path (`p.d.t`, `` `p.d`.t ``, `` \`p.d.t\` ``, `[p:d.t]`, `d.t$2023`, `d.t_*`, parts
 * with host placeholders, `d.fn(` routine calls) into reusable part buffers: start/end, flags and
 * placeholders per part, no allocation. The Recogniser decides afterwards whether the path is a reference.
 */
import { Ch, isDigit, isForeignIdent, isIdentLike, isWord } from './chars';

export const enum Mode {
  SqlCode = 0,
  Str = 1,
  Comment = 2,
  Plain = 3,
}

/** A host placeholder (`{h}`, `${p}`, `%(x)s`, `$P`) and the span of its expression. */
export interface Hole {
  start: number;
  end: number;
  exprStart: number;
  exprEnd: number;
}

/** Part flags. */
export const F_HYPHEN = 1;
export const F_WILD = 2;
export const F_QUOTED = 4;
export const F_DIGIT = 8;
const MAX_PARTS = 8;
/** A backtick or a line break: where a quoted name ends (searched in machine code, see sql.ts `nextOf`). */
const QUOTED_END = /[`\n\r]/g;

export class PathParser {
  /** Placeholders of the region being read, by start offset; undefined when it has none. */
  protected holes: Map<number, Hole> | undefined;
  // The path being parsed, in reusable buffers (no allocation unless it becomes a reference).
  /** Number of parts read. */
  protected partCount = 0;
  protected readonly partStart = new Int32Array(MAX_PARTS);
  protected readonly partEnd = new Int32Array(MAX_PARTS);
  protected readonly partFlags = new Uint8Array(MAX_PARTS);
  /** Part q holds the placeholders pathHoles[partHoleFirst[q] … partHoleEnd[q]). */
  protected readonly partHoleFirst = new Int32Array(MAX_PARTS);
  protected readonly partHoleEnd = new Int32Array(MAX_PARTS);
  /** The placeholders of the whole path, in order; `pathHoleCount` of them are valid. */
  protected readonly pathHoles: Hole[] = [];
  protected pathHoleCount = 0;
  /** The text read is not a dotted name (a stray quote, a foreign letter, too many parts). */
  protected bad = false;
  /** Backtick-quoted runs read (`` `a.b` `` is one, `` `a`.`b` `` two). */
  protected quotedAtoms = 0;
  /** 0 when `p:d.t` (bq CLI form) was read: the colon follows part 0; -1 otherwise. */
  protected colonAfter = -1;
  /** `[p:d.t]` legacy SQL with its colon. */
  protected legacyColon = false;
  /** A backtick pair holding a dot (`d.t`, `p.d`.t): a table path, not `alias`.`column`. */
  protected quotedDot = false;
  /** `$20230101` / `@-3600000` right after the table: [decoratorStart, decoratorEnd), or -1. */
  protected decoratorStart = -1;
  protected decoratorEnd = -1;
  /** A `(` follows the path (spaces allowed): a routine call or definition, unless it stands in table position. */
  protected callAfter = false;

  constructor(protected readonly text: string) {}

  protected partIs(q: number, lower: string): boolean {
    const s = this.partStart[q]!;
    if (this.partEnd[q]! - s !== lower.length) return false;
    for (let k = 0; k < lower.length; k++) if ((this.text.charCodeAt(s + k) | 0x20) !== (lower.charCodeAt(k) | 0x20)) return false;
    return true;
  }

  protected partStartsWith(q: number, lower: string): boolean {
    const s = this.partStart[q]!;
    if (this.partEnd[q]! - s < lower.length) return false;
    for (let k = 0; k < lower.length; k++) if ((this.text.charCodeAt(s + k) | 0x20) !== (lower.charCodeAt(k) | 0x20)) return false;
    return true;
  }

  /** The placeholder starting at i that ends by e, if any. */
  protected holeAt(i: number, e: number): Hole | undefined {
    const h = this.holes?.get(i);
    return h !== undefined && h.end <= e ? h : undefined;
  }

  /**
   * Parses a dotted path starting at i (a word, a placeholder, a backtick or an escaped backtick `` \` ``);
   * always returns > i. `wordEnd` > i says [i, wordEnd) is already known to be word characters.
   */
  protected parsePath(i: number, e: number, mode: Mode, wordEnd = i): number {
    const t = this.text;
    this.resetPath();
    const hyphens = mode !== Mode.SqlCode;
    let known = wordEnd;
    for (;;) {
      const c = t.charCodeAt(i);
      const escaped = c === Ch.Backslash;
      if (c === Ch.Backtick || escaped) {
        // `a.b` or, in shell strings, heredocs and docs, \`a.b\` (the escapes stay where they are)
        const open = escaped ? i + 2 : i + 1;
        const partsBefore = this.partCount;
        const close = this.quotedEnd(open, e, escaped);
        if (close < 0 || !this.parseQuoted(open, close)) {
          this.bad = true;
          // In SQL code a quoted name that is not a path is still one token; elsewhere its inside is ordinary text.
          if (this.partCount === 0 && mode === Mode.SqlCode && close >= 0 && !escaped) {
            this.partCount = 1;
            this.quotedAtoms = 1;
          }
          return mode === Mode.SqlCode && close >= 0 && !escaped ? close + 1 : open;
        }
        this.quotedAtoms++;
        if (this.partCount - partsBefore > 1) this.quotedDot = true;
        i = escaped ? close + 2 : close + 1;
        if (this.decoratorStart >= 0) return i;
      } else {
        const start = i;
        i = this.parseRun(i, e, hyphens, 0, known);
        known = 0;
        if (i === start) {
          this.bad = true;
          return Math.max(i, start + 1);
        }
        if (this.decoratorStart < 0) i = this.parseDecorator(i, e);
        if (this.decoratorStart >= 0) return i;
      }
      if (i + 1 >= e) return i;
      const d = t.charCodeAt(i);
      const next = t.charCodeAt(i + 1);
      const startsPart =
        isWord(next) ||
        next === Ch.Backtick ||
        (next === Ch.Backslash && t.charCodeAt(i + 2) === Ch.Backtick) ||
        (next === Ch.Star && d === Ch.Dot && !isIdentLike(t.charCodeAt(i + 2))) ||
        this.holeAt(i + 1, e) !== undefined;
      if (d === Ch.Dot && startsPart) {
        i++;
        continue;
      }
      if (d === Ch.Colon && startsPart && this.partCount === 1 && this.quotedAtoms === 0 && mode !== Mode.SqlCode && next !== Ch.Backtick && next !== Ch.Backslash) {
        this.colonAfter = 0;
        i++;
        continue;
      }
      this.callAfter = this.opensCall(i, e, mode);
      return i;
    }
  }

  /** A `(` at i, or in SQL code after spaces: `ds.fn(x)`, `CREATE FUNCTION ds.fn (x INT64)`. */
  private opensCall(i: number, e: number, mode: Mode): boolean {
    const t = this.text;
    if (mode === Mode.SqlCode) while (i < e && (t.charCodeAt(i) === Ch.Space || t.charCodeAt(i) === Ch.Tab)) i++;
    return i < e && t.charCodeAt(i) === Ch.LParen;
  }

  /** Reads one unquoted name part at i into the buffers; returns its end. */
  protected parseRun(i: number, e: number, hyphens: boolean, extraFlags: number, wordEnd = i): number {
    const t = this.text;
    const start = i;
    const firstHole = this.pathHoleCount;
    let flags = extraFlags;
    if (wordEnd > i) i = wordEnd;
    while (i < e) {
      const c = t.charCodeAt(i);
      if (isWord(c)) {
        i++;
        continue;
      }
      if (this.holes !== undefined && (c === Ch.LBrace || c === Ch.Dollar || c === Ch.Percent || c === Ch.Lt)) {
        const h = this.holeAt(i, e);
        if (h !== undefined) {
          this.pathHoles[this.pathHoleCount++] = h;
          i = h.end;
          continue;
        }
      }
      if (c === Ch.Minus && hyphens && i > start && i + 1 < e && isWord(t.charCodeAt(i + 1))) {
        flags |= F_HYPHEN;
        i++;
        continue;
      }
      break;
    }
    if (i === start) {
      // `ds.*`: every table of a dataset (a part of its own only after a dot)
      if (this.partCount === 0 || t.charCodeAt(i) !== Ch.Star || t.charCodeAt(i - 1) !== Ch.Dot || (i + 1 < e && isIdentLike(t.charCodeAt(i + 1)))) return i;
      this.push(start, i + 1, flags | F_WILD, firstHole);
      return i + 1;
    }
    if (i < e) {
      const c = t.charCodeAt(i);
      if (c === Ch.Star && !(i + 1 < e && isIdentLike(t.charCodeAt(i + 1)))) {
        flags |= F_WILD;
        i++;
      } else if (c >= 0xc0 && isForeignIdent(c)) this.bad = true;
    }
    if (isDigit(t.charCodeAt(start))) flags |= F_DIGIT;
    this.push(start, i, flags, firstHole);
    return i;
  }

  protected push(start: number, end: number, flags: number, firstHole: number): void {
    if (this.partCount >= MAX_PARTS) {
      this.bad = true;
      return;
    }
    const q = this.partCount++;
    this.partStart[q] = start;
    this.partEnd[q] = end;
    this.partFlags[q] = flags;
    this.partHoleFirst[q] = firstHole;
    this.partHoleEnd[q] = this.pathHoleCount;
  }

  /** `$20230101` / `$__UNPARTITIONED__` partition or `@-3600000` snapshot decorator right after the table. */
  protected parseDecorator(i: number, e: number): number {
    const t = this.text;
    if (i + 1 >= e) return i;
    const c = t.charCodeAt(i);
    let j = i + 1;
    if (c === Ch.Dollar && isWord(t.charCodeAt(j))) {
      while (j < e && isWord(t.charCodeAt(j))) j++;
    } else if (c === Ch.At && (isDigit(t.charCodeAt(j)) || (t.charCodeAt(j) === Ch.Minus && isDigit(t.charCodeAt(j + 1))))) {
      j++;
      while (j < e && (isDigit(t.charCodeAt(j)) || t.charCodeAt(j) === Ch.Minus)) j++;
    } else return i;
    if (j < e && isIdentLike(t.charCodeAt(j))) return i;
    this.decoratorStart = i;
    this.decoratorEnd = j;
    return j;
  }

  /**
   * The closing backtick on the same line, or -1. Escaped (`` \` `` … `` \` ``): the backslash of the closing
   * pair is returned, so the name ends before it. Unescaped: a backtick right after a backslash does not close.
   */
  protected quotedEnd(i: number, e: number, escaped: boolean): number {
    const t = this.text;
    QUOTED_END.lastIndex = i;
    if (!QUOTED_END.test(t)) return -1;
    const j = QUOTED_END.lastIndex - 1;
    if (j >= e || t.charCodeAt(j) !== Ch.Backtick) return -1;
    const afterBackslash = t.charCodeAt(j - 1) === Ch.Backslash;
    if (escaped) return afterBackslash && j - 1 >= i ? j - 1 : -1;
    return afterBackslash ? -1 : j;
  }

  /** Splits [a, close) — the inside of one backtick pair — into parts; false when it is not a dotted name. */
  protected parseQuoted(a: number, close: number): boolean {
    const t = this.text;
    let i = a;
    for (;;) {
      const start = i;
      i = this.parseRun(i, close, true, F_QUOTED);
      if (i === start) return false;
      if (i === close) return true;
      const c = t.charCodeAt(i);
      if (c === Ch.Dot && i + 1 < close) {
        i++;
        continue;
      }
      if (this.decoratorStart < 0) {
        const j = this.parseDecorator(i, close);
        if (j === close && this.decoratorStart >= 0) return true;
      }
      return false;
    }
  }

  /** Legacy SQL `[project:dataset.table]` (or `[dataset.table]` outside plain text); returns its end or -1. */
  protected parseLegacy(i: number, e: number, mode: Mode): number {
    const t = this.text;
    if (i > 0 && isIdentLike(t.charCodeAt(i - 1))) return -1; // `arr[0]` indexing
    this.resetPath();
    let j = this.parseRun(i + 1, e, true, 0);
    if (j === i + 1) return -1;
    if (t.charCodeAt(j) === Ch.Colon) {
      this.legacyColon = true;
      const s = j + 1;
      j = this.parseRun(s, e, false, 0);
      if (j === s) return -1;
    } else if (mode === Mode.Plain) return -1;
    if (t.charCodeAt(j) !== Ch.Dot) return -1;
    const s = j + 1;
    j = this.parseRun(s, e, false, 0);
    if (j === s) return -1;
    j = this.parseDecorator(j, e);
    if (t.charCodeAt(j) !== Ch.RBracket || this.partCount !== (this.legacyColon ? 3 : 2)) return -1;
    return j + 1;
  }

  protected resetPath(): void {
    this.partCount = 0;
    this.pathHoleCount = 0;
    this.bad = false;
    this.quotedAtoms = 0;
    this.colonAfter = -1;
    this.legacyColon = false;
    this.quotedDot = false;
    this.decoratorStart = -1;
    this.callAfter = false;
  }
}

