/**
 * The reference recogniser: given a region of text the host lexer has classified (SQL code, a string's
 * content, a comment body, plain text), finds dotted paths, decides which are table references and
 * records them with exact per-part ranges. One left-to-right pass, no regexes, no backtracking.
 */
import { Ch, isDigit, isForeignIdent, isIdentLike, isSpace, isWord } from './chars';
import { isFileExtension, keywordAt, Kw } from './keywords';
import type { NamePart, RefContext, RefForm, ScanOptions, TableRef } from './types';

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

const enum St {
  None,
  TablePos,
  AfterTable,
  AfterAs,
  AfterAlias,
}

const CONTEXT: readonly RefContext[] = ['code', 'string', 'comment', 'comment'];
const MAX_PARTS = 8;

export class Recogniser {
  readonly refs: TableRef[] = [];
  /** Keyword state of SQL code, carried across comments (`FROM -- x\n ds.t`). */
  private sqlState = St.None;
  private holes: Map<number, Hole> | undefined;
  private readonly known: ReadonlySet<string>;
  /** Aliases seen in the current SQL statement (code) or in the current region (strings, comments). */
  private aliases: string[] = [];
  private codeAliases: string[] = this.aliases;
  private readonly regionAliases: string[] = [];
  private readonly project: string | undefined;
  private readonly knownMin: number;
  private readonly knownMax: number;

  // The path being parsed, in reusable buffers (no allocation unless it becomes a reference).
  private n = 0;
  private readonly pS = new Int32Array(MAX_PARTS);
  private readonly pE = new Int32Array(MAX_PARTS);
  private readonly pFlags = new Uint8Array(MAX_PARTS);
  private readonly pPh0 = new Int32Array(MAX_PARTS);
  private readonly pPh1 = new Int32Array(MAX_PARTS);
  private readonly phs: Hole[] = [];
  private phn = 0;
  private bad = false;
  private quotedAtoms = 0;
  private colonAfter = -1;
  private legacyColon = false;
  /** A backtick pair holding a dot (`d.t`, `p.d`.t): a table path, not `alias`.`column`. */
  private quotedDot = false;
  private decS = -1;
  private decE = -1;

  constructor(
    private readonly text: string,
    opts: ScanOptions,
  ) {
    this.known = opts.knownDatasets;
    this.project = opts.project?.toLowerCase();
    let min = 1 << 30;
    let max = 0;
    for (const k of this.known) {
      if (k.length < min) min = k.length;
      if (k.length > max) max = k.length;
    }
    this.knownMin = min;
    this.knownMax = max;
  }

  /** A string literal ends SQL's keyword context: `FROM 'x'` does not put what follows in table position. */
  resetSql(): void {
    this.sqlState = St.None;
  }

  scan(s: number, e: number, mode: Mode, holes?: Map<number, Hole>): void {
    const t = this.text;
    this.holes = holes !== undefined && holes.size > 0 ? holes : undefined;
    let st = mode === Mode.SqlCode ? this.sqlState : St.None;
    if (mode === Mode.SqlCode) this.aliases = this.codeAliases;
    else {
      this.aliases = this.regionAliases;
      this.aliases.length = 0;
    }
    let i = s;
    while (i < e) {
      const c = t.charCodeAt(i);
      if (isWord(c) || c === Ch.Backtick || (this.holes !== undefined && this.holes.has(i))) {
        const p = i > 0 ? t.charCodeAt(i - 1) : Ch.Space;
        if (c !== Ch.Backtick && (isIdentLike(p) || p === Ch.Dot || p === Ch.Dollar || p === Ch.At)) {
          i = this.skipChain(i, e);
          st = St.None;
          continue;
        }
        if (isWord(c)) {
          // fast path: a lone word (most of any text) updates the keyword state without parsing a path
          let j = i + 1;
          while (j < e && isWord(t.charCodeAt(j))) j++;
          if (j >= e || this.endsWord(t.charCodeAt(j), j, mode)) {
            st = this.wordState(i, j, st);
            i = j;
            continue;
          }
        }
        const j = this.parsePath(i, e, mode);
        st = this.settle(i, j, mode, st, false);
        i = j;
        continue;
      }
      if (c === Ch.LBracket) {
        const j = this.parseLegacy(i, e, mode);
        if (j > 0) {
          st = this.settle(i, j, mode, st, true);
          i = j;
          continue;
        }
        st = St.None;
        i++;
        continue;
      }
      if (c === Ch.Backslash && t.charCodeAt(i + 1) === Ch.Backtick) {
        i += 2; // an escaped backtick in a JS template: the path between is read bare, so a fix keeps the escapes
        continue;
      }
      if (c === Ch.Comma) st = st === St.AfterTable || st === St.AfterAlias ? St.TablePos : St.None;
      else if (c === Ch.Semi) {
        st = St.None;
        this.aliases.length = 0;
      }
      else if (!isSpace(c)) st = St.None;
      i++;
    }
    if (mode === Mode.SqlCode) this.sqlState = st;
  }

  /** Skips the rest of a dotted chain we entered in the middle of; always moves past at least one character. */
  private skipChain(i: number, e: number): number {
    const t = this.text;
    const start = i;
    while (i < e) {
      const c = t.charCodeAt(i);
      const h = this.holes?.get(i);
      if (h !== undefined) i = h.end;
      else if (isIdentLike(c) || c === Ch.Minus) i++;
      else if (c === Ch.Dot && i + 1 < e && isWord(t.charCodeAt(i + 1))) i++;
      else break;
    }
    return i > start ? i : start + 1;
  }

  /** Whether the character after a run of word characters ends it as a lone word (no path, hole, decorator or wildcard follows). */
  private endsWord(d: number, j: number, mode: Mode): boolean {
    if (d === Ch.Dot || d === Ch.Dollar || d === Ch.At || d === Ch.Star || d >= 0xc0) return false;
    if (mode !== Mode.SqlCode && (d === Ch.Minus || d === Ch.Colon)) return false;
    return this.holes === undefined || !this.holes.has(j);
  }

  /** The keyword state after one plain word [s, e). */
  private wordState(s: number, e: number, st: St): St {
    const kw = keywordAt(this.text, s, e);
    if (kw === Kw.TableIntro) return St.TablePos;
    if (kw === Kw.Exists) return st === St.TablePos ? St.TablePos : St.None;
    if (kw === Kw.As) return st === St.AfterTable ? St.AfterAs : St.None;
    if (st === St.TablePos) {
      this.noteAlias(s, e);
      return St.AfterTable;
    }
    if (st === St.AfterTable || st === St.AfterAs) {
      this.noteAlias(s, e);
      return St.AfterAlias;
    }
    return St.None;
  }

  /** Table names and aliases of the current statement: `FROM d.t AS x, x.arr` unnests, it names no table. */
  private noteAlias(s: number, e: number): void {
    if (this.aliases.length >= 64) this.aliases.shift();
    this.aliases.push(this.text.slice(s, e).toLowerCase());
  }

  /** Decides what the parsed path at [s, j) is, records it if it is a reference, and returns the next keyword state. */
  private settle(s: number, j: number, mode: Mode, st: St, legacy: boolean): St {
    const n = this.n;
    if (n === 1 && !legacy && this.colonAfter < 0 && this.decS < 0) {
      if (this.quotedAtoms === 0 && this.pPh0[0] === this.pPh1[0]) return this.wordState(this.pS[0]!, this.pE[0]!, st);
      if (st === St.TablePos) return St.AfterTable;
      return st === St.AfterTable || st === St.AfterAs ? St.AfterAlias : St.None;
    }
    if (n >= 2 && !this.bad) this.decide(s, j, mode, st === St.TablePos, legacy);
    return st === St.TablePos ? St.AfterTable : St.None;
  }

  private decide(s: number, j: number, mode: Mode, tablePos: boolean, legacy: boolean): void {
    const t = this.text;
    const n = this.n;
    let pj = -1;
    let dj: number;
    let tj: number;
    let tEnd: number;
    let meta: TableRef['meta'];
    let k = -1;
    for (let q = 1; q < n; q++) if (this.partIs(q, 'information_schema')) k = q;
    if (k >= 0) {
      if (k !== n - 2 || k > 2) return;
      meta = 'INFORMATION_SCHEMA';
      dj = k - 1;
      pj = k === 2 ? 0 : -1;
      tj = k;
      tEnd = this.pE[n - 1]!;
      if (this.partStartsWith(dj, 'region-')) return;
    } else {
      if (n > 3) return;
      pj = n === 3 ? 0 : -1;
      dj = n - 2;
      tj = n - 1;
      tEnd = this.pE[tj]!;
      if (this.partIs(tj, '__tables__')) meta = '__TABLES__';
      else if (this.partIs(tj, '__tables_summary__')) meta = '__TABLES_SUMMARY__';
    }
    if (this.colonAfter >= 0 && (this.colonAfter !== 0 || pj !== 0)) return;
    // Which flags each part may carry: hyphens only in the project (or a quoted table), `*` only in the table.
    for (let q = 0; q < n; q++) {
      const f = this.pFlags[q]!;
      if (f & F_WILD && q !== n - 1) return;
      if (f & F_HYPHEN && q !== pj && !(q === tj && f & F_QUOTED)) return;
      if (f & F_DIGIT && q !== tj && !(f & F_QUOTED)) return;
    }
    if (this.pPh0[dj] !== this.pPh1[dj]) return; // a dataset built from a placeholder names nothing we can check
    if (this.decS >= 0 && meta !== undefined) return;
    const sqlCode = mode === Mode.SqlCode;
    const quoted = this.quotedAtoms > 0;
    let isRef = (sqlCode && (this.quotedDot || (quoted && this.quotedAtoms === n && n >= 3) || this.legacyColon)) || this.isKnown(dj, pj);
    if (!isRef && tablePos && mode !== Mode.Comment && mode !== Mode.Plain) {
      isRef = sqlCode || !(n === 2 && this.pPh0[tj] === this.pPh1[tj] && isFileExtension(t, this.pS[tj]!, this.pE[tj]!));
      if (isRef && n === 2 && !quoted && this.aliases.length > 0 && this.aliases.includes(t.slice(this.pS[0]!, this.pE[0]!).toLowerCase())) isRef = false;
    }
    if (!isRef) return;
    let form: RefForm = 'bare';
    if (legacy) form = 'legacy-sql';
    else if (this.colonAfter >= 0) form = 'bq-cli';
    else if (this.quotedAtoms === 1 && t.charCodeAt(s) === Ch.Backtick && t.charCodeAt(j - 1) === Ch.Backtick) form = 'backtick';
    else if (quoted) form = 'backtick-parts';
    const table = this.namePart(tj, tEnd, n - 1);
    const ref: TableRef = {
      range: { start: s, end: j },
      context: CONTEXT[mode]!,
      form,
      dataset: this.namePart(dj, this.pE[dj]!, dj),
      table,
      wildcard: (this.pFlags[n - 1]! & F_WILD) !== 0,
    };
    if (pj >= 0) ref.project = this.namePart(pj, this.pE[pj]!, pj);
    if (this.decS >= 0) ref.decorator = t.slice(this.decS, this.decE);
    if (meta !== undefined) ref.meta = meta;
    this.refs.push(ref);
    if (tablePos && meta === undefined) this.noteAlias(this.pS[tj]!, this.pE[tj]!);
  }

  private namePart(q: number, end: number, lastPart: number): NamePart {
    const t = this.text;
    const start = this.pS[q]!;
    const placeholders = [];
    for (let h = this.pPh0[q]!; h < this.pPh1[lastPart]!; h++) {
      const ph = this.phs[h]!;
      placeholders.push({
        text: t.slice(ph.start, ph.end),
        expr: t.slice(ph.exprStart, ph.exprEnd).trim(),
        range: { start: ph.start, end: ph.end },
      });
    }
    return { text: t.slice(start, end), range: { start, end }, placeholders };
  }

  private partIs(q: number, lower: string): boolean {
    const s = this.pS[q]!;
    if (this.pE[q]! - s !== lower.length) return false;
    for (let k = 0; k < lower.length; k++) if ((this.text.charCodeAt(s + k) | 0x20) !== (lower.charCodeAt(k) | 0x20)) return false;
    return true;
  }

  private partStartsWith(q: number, lower: string): boolean {
    const s = this.pS[q]!;
    if (this.pE[q]! - s < lower.length) return false;
    for (let k = 0; k < lower.length; k++) if ((this.text.charCodeAt(s + k) | 0x20) !== (lower.charCodeAt(k) | 0x20)) return false;
    return true;
  }

  private isKnown(dj: number, pj: number): boolean {
    const len = this.pE[dj]! - this.pS[dj]!;
    if (len >= this.knownMin && len <= this.knownMax && this.known.has(this.text.slice(this.pS[dj]!, this.pE[dj]!).toLowerCase())) return true;
    if (pj >= 0 && this.project !== undefined && this.pPh0[pj] === this.pPh1[pj]) {
      return this.pE[pj]! - this.pS[pj]! === this.project.length && this.partIs(pj, this.project);
    }
    return false;
  }

  /** Parses a dotted path starting at i (a word, a placeholder or a backtick); always returns > i. */
  private parsePath(i: number, e: number, mode: Mode): number {
    const t = this.text;
    this.resetPath();
    const hyphens = mode !== Mode.SqlCode;
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
        i = this.parseRun(i, e, hyphens, 0);
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
  private parseRun(i: number, e: number, hyphens: boolean, extraFlags: number): number {
    const t = this.text;
    const start = i;
    const ph0 = this.phn;
    let flags = extraFlags;
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

  private push(start: number, end: number, flags: number, ph0: number): void {
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
  private parseDecorator(i: number, e: number): number {
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
  private quotedEnd(i: number, e: number): number {
    const t = this.text;
    for (; i < e; i++) {
      const c = t.charCodeAt(i);
      if (c === Ch.Backtick) return t.charCodeAt(i - 1) === Ch.Backslash ? -1 : i;
      if (c === Ch.LF || c === Ch.CR) return -1;
    }
    return -1;
  }

  /** Splits the inside of one backtick pair into parts; false when it is not a dotted name. */
  private parseQuoted(a: number, close: number): boolean {
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
  private parseLegacy(i: number, e: number, mode: Mode): number {
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

  private resetPath(): void {
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

const F_HYPHEN = 1;
const F_WILD = 2;
const F_QUOTED = 4;
const F_DIGIT = 8;
