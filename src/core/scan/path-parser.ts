/**
 * Reading one dotted path (`p.d.t`, `` `p.d`.t ``, `[p:d.t]`, `d.t$2023`, `d.t_*`, parts with host
 * placeholders) into reusable part buffers: start/end, flags and placeholders per part, no allocation.
 * The Recogniser decides afterwards whether the path is a table reference.
 */
import { Ch, isDigit, isForeignIdent, isIdentLike, isWord } from './chars';

export const enum Mode {
  SqlCode = 0,
  Str = 1,
  Comment = 2,
  Plain = 3,
}

/** A host placeholder inside a string (`{h}`, `${p}`, `%(x)s`) and the span of its expression. */
export interface Hole {
  start: number;
  end: number;
  exprStart: number;
  exprEnd: number;
}

export const F_HYPHEN = 1;
export const F_WILD = 2;
export const F_QUOTED = 4;
export const F_DIGIT = 8;
const MAX_PARTS = 8;
/** A backtick or a line break: where a quoted name ends (searched in machine code, see sql.ts `nextOf`). */
const QUOTED_END = /[`\n\r]/g;

export class PathParser {
  protected holes: Map<number, Hole> | undefined;
  // The path being parsed, in reusable buffers (no allocation unless it becomes a reference).
  protected n = 0;
  protected readonly pS = new Int32Array(MAX_PARTS);
  protected readonly pE = new Int32Array(MAX_PARTS);
  protected readonly pFlags = new Uint8Array(MAX_PARTS);
  protected readonly pPh0 = new Int32Array(MAX_PARTS);
  protected readonly pPh1 = new Int32Array(MAX_PARTS);
  protected readonly phs: Hole[] = [];
  protected phn = 0;
  protected bad = false;
  protected quotedAtoms = 0;
  protected colonAfter = -1;
  protected legacyColon = false;
  /** A backtick pair holding a dot (`d.t`, `p.d`.t): a table path, not `alias`.`column`. */
  protected quotedDot = false;
  protected decS = -1;
  protected decE = -1;

  constructor(protected readonly text: string) {}

  protected partIs(q: number, lower: string): boolean {
    const s = this.pS[q]!;
    if (this.pE[q]! - s !== lower.length) return false;
    for (let k = 0; k < lower.length; k++) if ((this.text.charCodeAt(s + k) | 0x20) !== (lower.charCodeAt(k) | 0x20)) return false;
    return true;
  }

  protected partStartsWith(q: number, lower: string): boolean {
    const s = this.pS[q]!;
    if (this.pE[q]! - s < lower.length) return false;
    for (let k = 0; k < lower.length; k++) if ((this.text.charCodeAt(s + k) | 0x20) !== (lower.charCodeAt(k) | 0x20)) return false;
    return true;
  }

  /**
   * Parses a dotted path starting at i (a word, a placeholder or a backtick); always returns > i.
   * `wordEnd` > i says [i, wordEnd) is already known to be word characters (the caller has read them).
   */
  protected parsePath(i: number, e: number, mode: Mode, wordEnd = i): number {
    const t = this.text;
    this.resetPath();
    const hyphens = mode !== Mode.SqlCode;
    let known = wordEnd;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === Ch.Backtick) {
        const partsBefore = this.n;
        const close = this.quotedEnd(i + 1, e);
        if (close < 0 || !this.parseQuoted(i + 1, close)) {
          this.bad = true;
          // In SQL code a quoted name that is not a path is still one token; elsewhere its inside is ordinary text.
          if (this.n === 0 && mode === Mode.SqlCode && close >= 0) {
            this.n = 1;
            this.quotedAtoms = 1;
          }
          return mode === Mode.SqlCode && close >= 0 ? close + 1 : i + 1;
        }
        this.quotedAtoms++;
        if (this.n - partsBefore > 1) this.quotedDot = true;
        i = close + 1;
        if (this.decS >= 0) return i;
      } else {
        const start = i;
        i = this.parseRun(i, e, hyphens, 0, known);
        known = 0;
        if (i === start) {
          this.bad = true;
          return Math.max(i, start + 1);
        }
        if (this.decS < 0) i = this.parseDecorator(i, e);
        if (this.decS >= 0) return i;
      }
      if (i + 1 >= e) return i;
      const d = t.charCodeAt(i);
      const next = t.charCodeAt(i + 1);
      const startsPart = isWord(next) || next === Ch.Backtick || (this.holes !== undefined && this.holes.has(i + 1));
      if (d === Ch.Dot && startsPart) {
        i++;
        continue;
      }
      if (d === Ch.Colon && startsPart && this.n === 1 && this.quotedAtoms === 0 && mode !== Mode.SqlCode && next !== Ch.Backtick) {
        this.colonAfter = 0;
        i++;
        continue;
      }
      if (d === Ch.LParen) this.bad = true; // `ds.fn(` is a routine call, not a table
      return i;
    }
  }

  /** Reads one unquoted name part at i into the buffers; returns its end. */
  protected parseRun(i: number, e: number, hyphens: boolean, extraFlags: number, wordEnd = i): number {
    const t = this.text;
    const start = i;
    const ph0 = this.phn;
    let flags = extraFlags;
    if (wordEnd > i) i = wordEnd;
    while (i < e) {
      const c = t.charCodeAt(i);
      if (isWord(c)) {
        i++;
        continue;
      }
      if (this.holes !== undefined && (c === Ch.LBrace || c === Ch.Dollar || c === Ch.Percent)) {
        const h = this.holes.get(i);
        if (h !== undefined) {
          this.phs[this.phn++] = h;
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
    if (i === start) return i;
    if (i < e) {
      const c = t.charCodeAt(i);
      if (c === Ch.Star && !(i + 1 < e && isIdentLike(t.charCodeAt(i + 1)))) {
        flags |= F_WILD;
        i++;
      } else if (c >= 0xc0 && isForeignIdent(c)) this.bad = true;
    }
    if (isDigit(t.charCodeAt(start))) flags |= F_DIGIT;
    this.push(start, i, flags, ph0);
    return i;
  }

  protected push(start: number, end: number, flags: number, ph0: number): void {
    if (this.n >= MAX_PARTS) {
      this.bad = true;
      return;
    }
    const q = this.n++;
    this.pS[q] = start;
    this.pE[q] = end;
    this.pFlags[q] = flags;
    this.pPh0[q] = ph0;
    this.pPh1[q] = this.phn;
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
    this.decS = i;
    this.decE = j;
    return j;
  }

  /** Closing backtick on the same line, or -1. */
  protected quotedEnd(i: number, e: number): number {
    QUOTED_END.lastIndex = i;
    if (!QUOTED_END.test(this.text)) return -1;
    const j = QUOTED_END.lastIndex - 1;
    if (j >= e || this.text.charCodeAt(j) !== Ch.Backtick || this.text.charCodeAt(j - 1) === Ch.Backslash) return -1;
    return j;
  }

  /** Splits the inside of one backtick pair into parts; false when it is not a dotted name. */
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
      if (this.decS < 0) {
        const j = this.parseDecorator(i, close);
        if (j === close && this.decS >= 0) return true;
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
    if (t.charCodeAt(j) !== Ch.RBracket || this.n !== (this.legacyColon ? 3 : 2)) return -1;
    return j + 1;
  }

  protected resetPath(): void {
    this.n = 0;
    this.phn = 0;
    this.bad = false;
    this.quotedAtoms = 0;
    this.colonAfter = -1;
    this.legacyColon = false;
    this.quotedDot = false;
    this.decS = -1;
  }
}
