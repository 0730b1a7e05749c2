/**
 * The reference recogniser: given a region of text the host lexer has classified (SQL code, a string's
 * content, a comment body, plain text), finds dotted paths, decides which are table references and
 * records them with exact per-part ranges. One left-to-right pass, no regexes, no backtracking.
 */
import { Ch, isIdentLike, isSpace, isWord } from './chars';
import { AliasList } from './aliases';
import { isFileExtension, keywordAt, Kw } from './keywords';
import { F_DIGIT, F_HYPHEN, F_QUOTED, F_WILD, Mode, PathParser, type Hole } from './path-parser';
import type { NamePart, Placeholder, RefContext, RefForm, ScanOptions, TableRef } from './types';

export { Mode, type Hole };

const enum St {
  None,
  TablePos,
  AfterTable,
  AfterAs,
  AfterAlias,
}

const byLengthCache = new WeakMap<ReadonlySet<string>, (string[] | undefined)[]>();
function knownByLength(known: ReadonlySet<string>): (string[] | undefined)[] {
  let out = byLengthCache.get(known);
  if (out === undefined) {
    out = [];
    for (const k of known) (out[k.length] ??= []).push(k);
    byLengthCache.set(known, out);
  }
  return out;
}

/** Shared by every part without placeholders (most of them); frozen, so nobody can add to it. */
const NO_PLACEHOLDERS: Placeholder[] = Object.freeze([]) as unknown as Placeholder[];

const CONTEXT: readonly RefContext[] = ['code', 'string', 'comment', 'comment'];

export class Recogniser extends PathParser {
  readonly refs: TableRef[] = [];
  /** Offsets of the `;` read in SQL code: after each, keyword state and aliases start afresh (incremental re-lint restarts there). */
  readonly semicolons: number[] = [];
  /** Keyword state of SQL code, carried across comments (`FROM -- x\n ds.t`). */
  private sqlState = St.None;
  private readonly known: ReadonlySet<string>;
  /** Aliases seen in the current SQL statement (code) or in the current region (strings, comments). */
  private aliases: AliasList;
  private readonly codeAliases: AliasList;
  private readonly regionAliases: AliasList;
  private readonly project: string | undefined;
  private readonly knownMin: number;
  private readonly knownMax: number;
  /** The known datasets (lower-cased) by length, compared in place: no slice per candidate dataset part. */
  private readonly knownByLength: readonly (readonly string[] | undefined)[];

  constructor(text: string, opts: ScanOptions) {
    super(text);
    this.aliases = this.codeAliases = new AliasList(text);
    this.regionAliases = new AliasList(text);
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
    this.knownByLength = knownByLength(this.known);
  }

  /** A string literal ends SQL's keyword context: `FROM 'x'` does not put what follows in table position. */
  resetSql(): void {
    this.sqlState = St.None;
  }

  scan(s: number, e: number, mode: Mode, holes?: Map<number, Hole>): void {
    this.holes = holes !== undefined && holes.size > 0 ? holes : undefined;
    if (mode === Mode.SqlCode) {
      this.aliases = this.codeAliases;
      this.sqlState = this.scanRange(s, e, e, mode, this.sqlState);
      return;
    }
    this.aliases = this.regionAliases;
    this.aliases.clear();
    // Every reference has a dot between its dataset and table: a string or comment without one has none.
    const firstDot = this.text.indexOf('.', s);
    if (firstDot < 0 || firstDot >= e) return;
    if (mode === Mode.Str) this.scanRange(s, e, e, mode, St.None);
    else this.scanDots(firstDot, s, e, mode);
  }

  /**
   * Comments and plain text: keyword state and aliases play no part there, and no path holds whitespace,
   * so only the whitespace-delimited chunks around a dot that joins two name characters are read (the dots
   * are found with indexOf); each chunk is read exactly as a left-to-right scan of the region would.
   */
  private scanDots(dot: number, s: number, e: number, mode: Mode): void {
    const t = this.text;
    let done = s;
    while (dot >= 0 && dot + 1 < e) {
      const before = t.charCodeAt(dot - 1);
      const after = t.charCodeAt(dot + 1);
      if (dot > done && (isWord(before) || before === Ch.Backtick) && (isWord(after) || after === Ch.Backtick)) {
        let a = dot - 1;
        while (a > done && !isSpace(t.charCodeAt(a - 1))) a--;
        let b = dot + 2;
        while (b < e && !isSpace(t.charCodeAt(b))) b++;
        this.scanRange(a, b, e, mode, St.None);
        done = b;
        dot = t.indexOf('.', done);
      } else dot = t.indexOf('.', Math.max(dot + 1, done));
    }
  }

  /** The left-to-right scan of [s, stop) (paths may read on to e); returns the keyword state at the end. */
  private scanRange(s: number, stop: number, e: number, mode: Mode, st: St): St {
    const t = this.text;
    let i = s;
    while (i < stop) {
      const c = t.charCodeAt(i);
      if (isWord(c) || c === Ch.Backtick || (this.holes !== undefined && this.holes.has(i))) {
        const p = i > 0 ? t.charCodeAt(i - 1) : Ch.Space;
        if (c !== Ch.Backtick && (isIdentLike(p) || p === Ch.Dot || p === Ch.Dollar || p === Ch.At)) {
          i = this.skipChain(i, e);
          st = St.None;
          continue;
        }
        let wordEnd = i;
        if (isWord(c)) {
          // fast path: a lone word (most of any text) updates the keyword state without parsing a path
          let j = i + 1;
          while (j < e && isWord(t.charCodeAt(j))) j++;
          if (j >= e || this.endsWord(t.charCodeAt(j), j, mode)) {
            st = this.wordState(i, j, st);
            i = j;
            continue;
          }
          if (mode === Mode.SqlCode && st !== St.TablePos && t.charCodeAt(j) === Ch.Dot) {
            const k = this.aliasColumnEnd(i, j, e);
            if (k > 0) {
              st = St.None;
              i = k;
              continue;
            }
          }
          wordEnd = j;
        }
        const j = this.parsePath(i, e, mode, wordEnd);
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
        this.aliases.clear();
        if (mode === Mode.SqlCode) this.semicolons.push(i);
      }
      else if (!isSpace(c)) st = St.None;
      i++;
    }
    return st;
  }

  /**
   * `t.date` in SQL code outside table position, whose first word cannot be a known dataset: never a
   * reference, and (as settle would) it leaves the keyword state at None. Returns its end, or 0 when the path
   * is anything more (a third part, a quoted part, a decorator, a wildcard) and needs the full parse.
   */
  private aliasColumnEnd(s: number, dot: number, e: number): number {
    const len = dot - s;
    if (len >= this.knownMin && len <= this.knownMax) return 0;
    const t = this.text;
    let k = dot + 1;
    if (k >= e || !isWord(t.charCodeAt(k))) return 0;
    while (k < e && isWord(t.charCodeAt(k))) k++;
    if (k < e) {
      const d = t.charCodeAt(k);
      if (d === Ch.Dot || d === Ch.Dollar || d === Ch.At || d === Ch.Star || d >= 0xc0) return 0;
    }
    return k;
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
    this.aliases.push(s, e);
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
      if (isRef && n === 2 && !quoted && this.aliases.size > 0 && this.aliases.includes(t.slice(this.pS[0]!, this.pE[0]!).toLowerCase())) isRef = false;
    }
    if (!isRef) return;
    let form: RefForm = 'bare';
    if (legacy) form = 'legacy-sql';
    else if (this.colonAfter >= 0) form = 'bq-cli';
    else if (this.quotedAtoms === 1 && t.charCodeAt(s) === Ch.Backtick && t.charCodeAt(j - 1) === Ch.Backtick) form = 'backtick';
    else if (quoted) form = 'backtick-parts';
    const range = { start: s, end: j };
    const context = CONTEXT[mode]!;
    const table = this.namePart(tj, tEnd, n - 1);
    const dataset = this.namePart(dj, this.pE[dj]!, dj);
    const wildcard = (this.pFlags[n - 1]! & F_WILD) !== 0;
    // One literal per shape (the project in it, not added after): no property backing store per reference.
    const ref: TableRef =
      pj >= 0
        ? { range, context, form, dataset, table, wildcard, project: this.namePart(pj, this.pE[pj]!, pj) }
        : { range, context, form, dataset, table, wildcard };
    if (this.decS >= 0) ref.decorator = t.slice(this.decS, this.decE);
    if (meta !== undefined) ref.meta = meta;
    this.refs.push(ref);
    if (tablePos && meta === undefined) this.noteAlias(this.pS[tj]!, this.pE[tj]!);
  }

  private namePart(q: number, end: number, lastPart: number): NamePart {
    const t = this.text;
    const start = this.pS[q]!;
    const first = this.pPh0[q]!;
    const last = this.pPh1[lastPart]!;
    if (first === last) return { text: t.slice(start, end), range: { start, end }, placeholders: NO_PLACEHOLDERS };
    const placeholders: Placeholder[] = [];
    for (let h = first; h < last; h++) {
      const ph = this.phs[h]!;
      placeholders.push({
        text: t.slice(ph.start, ph.end),
        expr: t.slice(ph.exprStart, ph.exprEnd).trim(),
        range: { start: ph.start, end: ph.end },
      });
    }
    return { text: t.slice(start, end), range: { start, end }, placeholders };
  }

  private isKnown(dj: number, pj: number): boolean {
    const len = this.pE[dj]! - this.pS[dj]!;
    if (len >= this.knownMin && len <= this.knownMax) {
      const same = this.knownByLength[len];
      if (same !== undefined) for (let k = 0; k < same.length; k++) if (this.partIs(dj, same[k]!)) return true;
    }
    if (pj >= 0 && this.project !== undefined && this.pPh0[pj] === this.pPh1[pj]) {
      return this.pE[pj]! - this.pS[pj]! === this.project.length && this.partIs(pj, this.project);
    }
    return false;
  }

}

