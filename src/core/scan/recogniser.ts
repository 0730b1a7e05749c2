/**
 * The reference recogniser: given a region of text the host lexer has classified (SQL code, a string's
 * content, a comment body, plain text), finds dotted paths, decides which are table references and
 * records them with exact per-part ranges. One left-to-right pass, no backtracking.
 */
import { Ch, isIdentLike, isSpace, isWord } from './chars';
import { AliasList } from './aliases';
import { isFileExtension, keywordAt, Kw } from './keywords';
import { F_DIGIT, F_HYPHEN, F_QUOTED, F_WILD, Mode, PathParser, type Hole } from './path-parser';
import { PlaceholderFinder } from './placeholders';
import type { CandidateRegions } from './prefilter';
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

/** `\n`, `\t`, `\r` escapes inside strings: the letter after the backslash is not part of the next name. */
function isEscapeLetter(c: number): boolean {
  return c === 110 || c === 116 || c === 114;
}

export class Recogniser extends PathParser {
  readonly refs: TableRef[] = [];
  /** Offsets of the `;` read in SQL code: after each, keyword state and aliases start afresh (incremental re-lint restarts there). */
  readonly semicolons: number[] = [];
  /** Which placeholder syntaxes (HoleKind flags) the text may hold outside a language's own string fields. */
  holeKinds = 0;
  /**
   * Where references may start (the prefilter's candidates), when the text's language holds SQL only in
   * strings: a string or comment region without one cannot hold a reference and is not read.
   */
  regions: CandidateRegions | undefined;
  /** Keyword state of SQL code, carried across comments (`FROM -- x\n ds.t`). */
  private sqlState = St.None;
  /** The table position comes from INTO / TABLE / VIEW / INSERT, after which `(` opens a column list. */
  private columnsMayFollow = false;
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
  /** The region's placeholders (when they come from `holeKinds`) in ascending order of start. */
  private regionHoleList: Hole[] | undefined;
  private placeholders: { kinds: number; finder: PlaceholderFinder } | undefined;

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

  /**
   * Reads [s, e) as `mode`. `holes` are the region's own placeholders (a Python or JavaScript string's
   * fields, even when none); without them the text's `holeKinds` placeholders apply.
   */
  scan(s: number, e: number, mode: Mode, holes?: Map<number, Hole>): void {
    // Keywords make references only in SQL code and strings; in comments and prose only known names do.
    if (this.regions !== undefined && mode !== Mode.SqlCode && !this.regions.holdsAny(s, e, mode === Mode.Str)) return;
    if (holes !== undefined) {
      this.holes = holes.size > 0 ? holes : undefined;
      this.regionHoleList = undefined;
    } else this.holes = this.regionPlaceholders(s, e);
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

  /** The text's placeholders (`holeKinds`) in [s, e). */
  private regionPlaceholders(s: number, e: number): Map<number, Hole> | undefined {
    this.regionHoleList = undefined;
    if (this.holeKinds === 0) return undefined;
    if (this.placeholders === undefined || this.placeholders.kinds !== this.holeKinds) this.placeholders = { kinds: this.holeKinds, finder: new PlaceholderFinder(this.text, this.holeKinds) };
    const holes = this.placeholders.finder.find(s, e);
    if (holes !== undefined) this.regionHoleList = [...holes.values()];
    return holes;
  }

  /** The placeholder of the region that holds offset `a` strictly inside it, if any. */
  private holeAround(a: number): Hole | undefined {
    const list = this.regionHoleList;
    if (list === undefined) return undefined;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid]!.start < a) lo = mid + 1;
      else hi = mid;
    }
    const h = list[lo - 1];
    return h !== undefined && h.end > a ? h : undefined;
  }

  /**
   * Comments and plain text: keyword state and aliases play no part there, and no path holds whitespace
   * (except inside a placeholder), so only the whitespace-delimited chunks around a dot that joins two name
   * characters are read (the dots are found with indexOf); each chunk is read as a left-to-right scan would.
   */
  private scanDots(dot: number, s: number, e: number, mode: Mode): void {
    const t = this.text;
    let done = s;
    while (dot >= 0 && dot + 1 < e) {
      const before = t.charCodeAt(dot - 1);
      const after = t.charCodeAt(dot + 1);
      if (dot > done && (isWord(before) || before === Ch.Backtick || before === Ch.RBrace || before === Ch.Gt) && (isWord(after) || after === Ch.Backtick || after === Ch.Backslash || after === Ch.LBrace || after === Ch.Dollar || after === Ch.Star)) {
        let a = dot - 1;
        while (a > done && !isSpace(t.charCodeAt(a - 1))) a--;
        const around = this.holes !== undefined ? this.holeAround(a) : undefined;
        if (around !== undefined && around.start >= done) a = around.start;
        let b = dot + 2;
        while (b < e && !isSpace(t.charCodeAt(b))) b++;
        this.scanRange(a, b, e, mode, St.None);
        done = b;
        dot = t.indexOf('.', done);
      } else dot = t.indexOf('.', Math.max(dot + 1, done));
    }
  }

  /** Whether a name may start at i (after p = the character before it): not inside a longer name or path. */
  private startsName(i: number, p: number, mode: Mode): boolean {
    if (p === Ch.Dot) {
      // `{{ p }}.d.t`, `" + ".d.t"`: a dot after something that is not a name is not a path's inside
      const pp = i >= 2 ? this.text.charCodeAt(i - 2) : Ch.Space;
      return !(isIdentLike(pp) || pp === Ch.Backtick || pp === Ch.Dot || pp === Ch.Dollar || pp === Ch.Minus || pp === Ch.RBracket) && i >= 2;
    }
    if (isIdentLike(p)) return mode !== Mode.SqlCode && i >= 2 && isEscapeLetter(p) && this.text.charCodeAt(i - 2) === Ch.Backslash;
    // not inside a decorator (`t$2023`, `t@-36`); a placeholder may follow a `$` (Make's `$${VAR}`)
    return (p !== Ch.Dollar && p !== Ch.At) || (p === Ch.Dollar && this.text.charCodeAt(i) === Ch.Dollar);
  }

  /** The left-to-right scan of [s, stop) (paths may read on to e); returns the keyword state at the end. */
  private scanRange(s: number, stop: number, e: number, mode: Mode, st: St): St {
    const t = this.text;
    let i = s;
    while (i < stop) {
      const c = t.charCodeAt(i);
      if (isWord(c) || c === Ch.Backtick || (this.holes !== undefined && this.holeAt(i, e) !== undefined)) {
        const p = i > 0 ? t.charCodeAt(i - 1) : Ch.Space;
        if (c !== Ch.Backtick && !this.startsName(i, p, mode)) {
          i = this.skipChain(i, e);
          st = St.None;
          continue;
        }
        let wordEnd = i;
        if (isWord(c)) {
          // fast path: a lone word (most of any text) updates the keyword state without parsing a path
          let j = i + 1;
          while (j < e && isWord(t.charCodeAt(j))) j++;
          if (j >= e || this.endsWord(t.charCodeAt(j), j, e, mode)) {
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
      if (c === Ch.Backslash) {
        const d = t.charCodeAt(i + 1);
        if (d === Ch.Backtick) {
          // \`p.d.t\`: SQL quoted with escaped backticks (shell strings, heredocs, JS templates, docs)
          const j = this.parsePath(i, e, mode);
          if (this.partCount >= 2 && !this.bad) {
            st = this.settle(i, j, mode, st, false);
            i = j;
          } else i += 2;
          continue;
        }
        if (mode !== Mode.SqlCode && isEscapeLetter(d)) {
          i += 2;
          continue;
        }
      }
      if (c === Ch.Comma) st = st === St.AfterTable || st === St.AfterAlias ? St.TablePos : St.None;
      else if (c === Ch.Semi) {
        st = St.None;
        this.aliases.clear();
        if (mode === Mode.SqlCode) this.semicolons.push(i);
      } else if (!isSpace(c)) st = St.None;
      i++;
    }
    return st;
  }

  /**
   * `t.date` in SQL code outside table position, whose first word cannot be a known dataset: never a
   * reference, and (as settle would) it leaves the keyword state at None. Returns its end, or 0 when the path
   * is anything more (a third part, a quoted part, a decorator, a wildcard, a call) and needs the full parse.
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
      if (d === Ch.Dot || d === Ch.Dollar || d === Ch.At || d === Ch.Star || d >= 0xc0 || d === Ch.LBrace || d === Ch.Lt) return 0;
    }
    return k;
  }

  /** Skips the rest of a dotted chain we entered in the middle of; always moves past at least one character. */
  private skipChain(i: number, e: number): number {
    const t = this.text;
    const start = i;
    while (i < e) {
      const c = t.charCodeAt(i);
      const h = this.holes !== undefined ? this.holeAt(i, e) : undefined;
      if (h !== undefined) i = h.end;
      else if (isIdentLike(c) || c === Ch.Minus) i++;
      else if (c === Ch.Dot && i + 1 < e && isWord(t.charCodeAt(i + 1))) i++;
      else break;
    }
    return i > start ? i : start + 1;
  }

  /** Whether the character after a run of word characters ends it as a lone word (no path, hole, decorator or wildcard follows). */
  private endsWord(d: number, j: number, e: number, mode: Mode): boolean {
    if (d === Ch.Dot || d === Ch.Dollar || d === Ch.At || d === Ch.Star || d >= 0xc0) return false;
    if (mode !== Mode.SqlCode && (d === Ch.Minus || d === Ch.Colon)) return false;
    return this.holes === undefined || this.holeAt(j, e) === undefined;
  }

  /** The keyword state after one plain word [s, e). */
  private wordState(s: number, e: number, st: St): St {
    const kw = keywordAt(this.text, s, e);
    if (kw === Kw.TableIntro || kw === Kw.TableIntroColumns) {
      this.columnsMayFollow = kw === Kw.TableIntroColumns;
      return St.TablePos;
    }
    if (kw === Kw.Exists) return st === St.TablePos ? St.TablePos : St.None;
    if (kw === Kw.As) return st === St.AfterTable ? St.AfterAs : St.None;
    if (st === St.TablePos) {
      this.aliases.push(s, e);
      return St.AfterTable;
    }
    if (st === St.AfterTable || st === St.AfterAs) {
      this.aliases.push(s, e);
      return St.AfterAlias;
    }
    return St.None;
  }

  /** Decides what the parsed path at [s, j) is, records it if it is a reference, and returns the next keyword state. */
  private settle(s: number, j: number, mode: Mode, st: St, legacy: boolean): St {
    const n = this.partCount;
    if (n === 1 && !legacy && this.colonAfter < 0 && this.decoratorStart < 0) {
      if (this.quotedAtoms === 0 && this.partHoleFirst[0] === this.partHoleEnd[0]) return this.wordState(this.partStart[0]!, this.partEnd[0]!, st);
      if (st === St.TablePos) return St.AfterTable;
      return st === St.AfterTable || st === St.AfterAs ? St.AfterAlias : St.None;
    }
    if (n >= 2 && !this.bad) this.decide(s, j, mode, st === St.TablePos, legacy);
    return st === St.TablePos ? St.AfterTable : St.None;
  }

  private decide(s: number, j: number, mode: Mode, tablePos: boolean, legacy: boolean): void {
    const t = this.text;
    const n = this.partCount;
    // Which part is the project, the dataset and the table (the project is -1 when absent).
    let projectPart = -1;
    let datasetPart: number;
    let tablePart: number;
    let tableEnd: number;
    let meta: TableRef['meta'];
    let k = -1;
    for (let q = 1; q < n; q++) if (this.partIs(q, 'information_schema')) k = q;
    if (k >= 0) {
      if (k !== n - 2 || k > 2) return;
      meta = 'INFORMATION_SCHEMA';
      datasetPart = k - 1;
      projectPart = k === 2 ? 0 : -1;
      tablePart = k;
      tableEnd = this.partEnd[n - 1]!;
      if (this.partStartsWith(datasetPart, 'region-')) return;
    } else {
      if (n > 3) return;
      projectPart = n === 3 ? 0 : -1;
      datasetPart = n - 2;
      tablePart = n - 1;
      tableEnd = this.partEnd[tablePart]!;
      if (this.partIs(tablePart, '__tables__')) meta = '__TABLES__';
      else if (this.partIs(tablePart, '__tables_summary__')) meta = '__TABLES_SUMMARY__';
    }
    if (this.colonAfter >= 0 && (this.colonAfter !== 0 || projectPart !== 0)) return;
    // Which flags each part may carry: hyphens only in the project (or a quoted table), `*` only in the table.
    for (let q = 0; q < n; q++) {
      const f = this.partFlags[q]!;
      if (f & F_WILD && q !== n - 1) return;
      if (f & F_HYPHEN && q !== projectPart && !(q === tablePart && f & F_QUOTED)) return;
      if (f & F_DIGIT && q !== tablePart && !(f & F_QUOTED)) return;
    }
    if (this.partHoleFirst[datasetPart] !== this.partHoleEnd[datasetPart]) return; // a dataset built from a placeholder names nothing we can check
    // `SELECT t.* FROM …` expands columns; `ds.*` is a wildcard table when quoted, in table position, or in prose
    if (this.partEnd[tablePart]! - this.partStart[tablePart]! === 1 && this.partFlags[tablePart]! & F_WILD && !(this.partFlags[tablePart]! & F_QUOTED) && !tablePos && (mode === Mode.SqlCode || mode === Mode.Str)) return;
    if (this.decoratorStart >= 0 && meta !== undefined) return;
    const sqlCode = mode === Mode.SqlCode;
    const quoted = this.quotedAtoms > 0;
    // `INSERT INTO ds.t(x, y)` names a table; `FROM ML.PREDICT(…)`, `SELECT ds.fn(x)` call a function
    const call = this.callAfter && !(tablePos && this.columnsMayFollow);
    const known = this.isKnown(datasetPart, projectPart);
    const quotedPath = sqlCode && (this.quotedDot || (quoted && this.quotedAtoms === n && n >= 3) || this.legacyColon);
    let isRef = quotedPath || known;
    if (!isRef && tablePos && mode !== Mode.Comment && mode !== Mode.Plain && !call) {
      isRef = sqlCode || !(n === 2 && this.partHoleFirst[tablePart] === this.partHoleEnd[tablePart] && isFileExtension(t, this.partStart[tablePart]!, this.partEnd[tablePart]!));
      if (isRef && n === 2 && !quoted && this.aliases.size > 0 && this.aliases.includes(t.slice(this.partStart[0]!, this.partEnd[0]!).toLowerCase())) isRef = false;
    }
    if (!isRef) return;
    let form: RefForm = 'bare';
    if (legacy) form = 'legacy-sql';
    else if (this.colonAfter >= 0) form = 'bq-cli';
    else if (this.quotedAtoms === 1 && this.opensWithQuote(s) && t.charCodeAt(j - 1) === Ch.Backtick) form = 'backtick';
    else if (quoted) form = 'backtick-parts';
    const range = { start: s, end: j };
    const context = CONTEXT[mode]!;
    const table = this.namePart(tablePart, tableEnd, n - 1);
    const dataset = this.namePart(datasetPart, this.partEnd[datasetPart]!, datasetPart);
    const wildcard = (this.partFlags[n - 1]! & F_WILD) !== 0;
    // One literal per shape (the project in it, not added after): no property backing store per reference.
    const ref: TableRef =
      projectPart >= 0
        ? { range, context, form, dataset, table, wildcard, project: this.namePart(projectPart, this.partEnd[projectPart]!, projectPart) }
        : { range, context, form, dataset, table, wildcard };
    if (this.decoratorStart >= 0) ref.decorator = t.slice(this.decoratorStart, this.decoratorEnd);
    if (meta !== undefined) ref.meta = meta;
    if (call && meta === undefined) ref.routine = true;
    this.refs.push(ref);
    if (tablePos && meta === undefined) this.aliases.push(this.partStart[tablePart]!, this.partEnd[tablePart]!);
  }

  /** A backtick, or an escaped one (`` \` ``), at s. */
  private opensWithQuote(s: number): boolean {
    const c = this.text.charCodeAt(s);
    return c === Ch.Backtick || (c === Ch.Backslash && this.text.charCodeAt(s + 1) === Ch.Backtick);
  }

  /** Part q from its start to `end` (a meta table runs to the last part), with the placeholders up to part `lastPart`'s. */
  private namePart(q: number, end: number, lastPart: number): NamePart {
    const t = this.text;
    const start = this.partStart[q]!;
    const first = this.partHoleFirst[q]!;
    const last = this.partHoleEnd[lastPart]!;
    if (first === last) return { text: t.slice(start, end), range: { start, end }, placeholders: NO_PLACEHOLDERS };
    const placeholders: Placeholder[] = [];
    for (let h = first; h < last; h++) {
      const ph = this.pathHoles[h]!;
      placeholders.push({
        text: t.slice(ph.start, ph.end),
        expr: t.slice(ph.exprStart, ph.exprEnd).trim(),
        range: { start: ph.start, end: ph.end },
      });
    }
    return { text: t.slice(start, end), range: { start, end }, placeholders };
  }

  private isKnown(datasetPart: number, projectPart: number): boolean {
    const len = this.partEnd[datasetPart]! - this.partStart[datasetPart]!;
    if (len >= this.knownMin && len <= this.knownMax) {
      const same = this.knownByLength[len];
      if (same !== undefined) for (let k = 0; k < same.length; k++) if (this.partIs(datasetPart, same[k]!)) return true;
    }
    if (projectPart >= 0 && this.project !== undefined && this.partHoleFirst[projectPart] === this.partHoleEnd[projectPart]) {
      return this.partEnd[projectPart]! - this.partStart[projectPart]! === this.project.length && this.partIs(projectPart, this.project);
    }
    return false;
  }
}
