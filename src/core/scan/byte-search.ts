/**
 * The prefilter's search over a text's UTF-8 bytes (prefilter.ts says what it looks for and why): one loop
 * hashes the last four bytes, case-folded, into a small table of the keywords' and names' first four bytes,
 * and only a hit is checked in full. In JavaScript, Python and JSON (`strings`) every keyword and name is
 * followed by at least one more byte it needs (a space, a dot, a quote), so the loop reads two bytes at a
 * time and looks up the four bytes at each even offset: a needle starting at an odd offset is found by the
 * four bytes after its first. Names shorter than four bytes are found with the native `indexOf`, one case
 * variant at a time. Every check treats a non-ASCII byte as any non-ASCII character, so the bytes give the
 * answer the decoded text would.
 */

/** Byte classes (flags), for the checks around a hit. */
const WORD = 1; // [A-Za-z0-9_]
const NAMEISH = 2; // [A-Za-z0-9_] or a byte of a non-ASCII character: what a name is made of, for the look-behinds
const GAP = 4; // keeps table position between a keyword and its path: spaces, `,`, names, backticks, `]`, non-ASCII
const AFTER_DOT = 8; // what makes `.x` a path's inner dot: [A-Za-z0-9_`\\*{$<%]
const PLACEHOLDER = 16; // a placeholder's opener or closer: { } $ % < >
const KEYWORD_END = 32; // what may follow a table keyword read as one: [\t\n\v\f\r `\\] (and `.` before a backtick: see keywordLeadsToPath)
const NAME_IN_PATH = 64; // after a known name, a closing backtick, an escape or a bq-cli colon: [`\\:]
const AFTER_NAME = 128; // - : @ * continue a gap only after a name character

const CLASS = new Uint8Array(256);
const flag = (chars: string, f: number) => {
  for (let k = 0; k < chars.length; k++) CLASS[chars.charCodeAt(k)] = CLASS[chars.charCodeAt(k)]! | f;
};
flag('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_', WORD | NAMEISH | GAP | AFTER_DOT);
for (let c = 0x80; c < 0x100; c++) CLASS[c] = NAMEISH | GAP;
flag('\t\n\v\f\r ,`]', GAP);
flag('`\\*{$<%', AFTER_DOT);
flag('{}$%<>', PLACEHOLDER);
const KEYWORD_ENDS = '\t\n\v\f\r `\\';
flag(KEYWORD_ENDS, KEYWORD_END);
flag('`\\:', NAME_IN_PATH);
flag('-:@*', AFTER_NAME);
/** What may follow a known name in `strings` (`nameEndsWell`): a dot, a backtick, an escape, a colon, a quote. */
const NAME_ENDS = '.`\\:"\'';

/** The pair loop reads 16-bit words in the machine's order; its table is built little-endian. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const DOT = 0x2e;
const BACKSLASH = 0x5c;
const BACKTICK = 0x60;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

/** A field or call that can hold a split reference's dataset (split.ts `maySplit`), any character class widened to non-ASCII. */
const DATASET_FIELD = /(?:ataset|ATASET)(?:_?[Ii][Dd]|_?[Nn]ame|_ID|_NAME)?["']?[\s\x80-\xff]*[:=(]|DatasetReference/;

export const enum Kind {
  /** Known names anywhere (prose). */
  Names,
  /** A known name before a path part or as a quoted split value, or a table keyword leading to a path (SQL only in strings). */
  Strings,
  /** Known names and table keywords anywhere (SQL code). */
  Sql,
}

/**
 * Where references may start in a text of a `strings` language, as the prefilter finds them: the offsets of
 * table keywords that lead to a path or placeholder, and of known names, each list ascending. A string
 * without a keyword or name at one, or a comment without a name at one, holds no reference.
 */
export interface Candidates {
  keywords: number[];
  names: number[];
}

/** A keyword or name to find, lower-cased, with 0x20 where a byte is a letter (OR-ing it in folds the case). */
interface Needle {
  bytes: Uint8Array;
  fold: Uint8Array;
  keyword: boolean;
}

const HASH_BITS = 14;
const slotOf = (h: number) => Math.imul(h, 0x9e3779b1) >>> (32 - HASH_BITS);
const fold4 = (q: Uint8Array, k: number) => [q[k]! | 0x20, q[k + 1]! | 0x20, q[k + 2]! | 0x20, q[k + 3]! | 0x20] as const;
/** Four folded bytes as the byte loop rolls them: the newest in the low byte. */
const rolled = ([a, b, c, d]: readonly number[]) => (a! << 24) | (b! << 16) | (c! << 8) | d!;
/** Four folded bytes as the pair loop reads them: two little-endian 16-bit words, the older in the low half. */
const paired = ([a, b, c, d]: readonly number[]) => a! | (b! << 8) | (c! << 16) | (d! << 24);

/** Needles by the slot of four of their bytes; each entry says how far into the needle those four start. */
class NeedleTable {
  readonly hit = new Uint8Array(1 << HASH_BITS);
  private readonly slots: { needle: Needle; shift: number }[][] = [];

  add(key: number, needle: Needle, shift: number): void {
    const slot = slotOf(key);
    const list = (this.slots[slot] ??= []);
    if (list.some((e) => e.needle === needle && e.shift === shift)) return;
    this.hit[slot] = 1;
    list.push({ needle, shift });
  }

  at(slot: number): readonly { needle: Needle; shift: number }[] {
    return this.slots[slot]!;
  }
}

/** Everything one manifest's searches need, built once. */
export interface Needles {
  /** Names of four or more bytes, for the byte loop (`Names`). */
  names: NeedleTable;
  /** Those and the table keywords, for the byte loop (`Sql`). */
  all: NeedleTable;
  /** Those, for the pair loop (`Strings`): their first four bytes, and their next four with what must follow them. */
  pairs: NeedleTable;
  /** Names shorter than four bytes, each as every case variant of its letters. */
  short: { length: number; variants: Buffer[] }[];
}

function needleOf(word: string, keyword: boolean): Needle {
  const bytes = Buffer.from(word.toLowerCase(), 'latin1');
  const fold = bytes.map((c) => (c >= 0x61 && c <= 0x7a ? 0x20 : 0));
  return { bytes, fold, keyword };
}

/** Every spelling of `word` that differs only in the case of its ASCII letters. */
function caseVariants(word: string): Buffer[] {
  let out = [''];
  for (const ch of word.toLowerCase()) out = ch >= 'a' && ch <= 'z' ? out.flatMap((v) => [v + ch, v + ch.toUpperCase()]) : out.map((v) => v + ch);
  return out.map((v) => Buffer.from(v, 'latin1'));
}

/** The tables for these keywords and (ASCII) names. */
export function needlesFor(keywords: readonly string[], names: readonly string[]): Needles {
  const long = names.filter((n) => n.length >= 4).map((n) => needleOf(n, false));
  const all = [...long, ...keywords.map((k) => needleOf(k, true))];
  const t: Needles = { names: new NeedleTable(), all: new NeedleTable(), pairs: new NeedleTable(), short: names.filter((n) => n.length < 4).map((n) => ({ length: n.length, variants: caseVariants(n) })) };
  for (const n of long) t.names.add(rolled(fold4(n.bytes, 0)), n, 0);
  for (const n of all) {
    t.all.add(rolled(fold4(n.bytes, 0)), n, 0);
    t.pairs.add(paired(fold4(n.bytes, 0)), n, 0);
    // The four bytes from the needle's second: its own when it is long enough, else with each byte that may follow it.
    const ends = n.bytes.length >= 5 ? [''] : [...(n.keyword ? KEYWORD_ENDS + '.' : NAME_ENDS)];
    for (const e of ends) t.pairs.add(paired(fold4(Buffer.concat([n.bytes, Buffer.from(e, 'latin1')]), 1)), n, 1);
  }
  return t;
}

/** One search of one text's bytes. */
class ByteSearch {
  private readonly n: number;
  /** Whether the text has a dataset field (computed on the first quoted name). */
  private fields: boolean | undefined;
  /** Where the last keyword's walk ended: failing there (or succeeding) again would repeat it. */
  private failAt = -1;
  private okAt = -1;

  constructor(
    private readonly b: Uint8Array,
    private readonly kind: Kind,
    private readonly found: Candidates | undefined,
  ) {
    this.n = b.length;
  }

  /** True at the first candidate, or, collecting (`found`), after the last, when there is one. */
  run(t: Needles): boolean {
    const b = this.b;
    const view = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    for (const s of t.short) {
      for (const v of s.variants) {
        for (let at = view.indexOf(v); at >= 0; at = view.indexOf(v, at + 1)) if (this.accept(at, at + s.length, false)) return true;
      }
    }
    const found = this.found;
    const shortNames = found === undefined ? 0 : found.names.length;
    if (shortNames > 1) found!.names.sort((x, y) => x - y);
    if (this.kind === Kind.Strings && LITTLE_ENDIAN && (b.byteOffset & 1) === 0) {
      if (this.pairs(t)) return true;
    } else if (this.bytes(this.kind === Kind.Names ? t.names : t.all, 0)) return true;
    if (found === undefined) return false;
    // Short names were found first: merge them into the loop's ascending list.
    if (shortNames > 0 && found.names.length > shortNames) found.names.sort((x, y) => x - y);
    return found.keywords.length > 0 || found.names.length > 0;
  }

  /** The byte loop over the needles' first four bytes, from `from`: true at the first candidate when not collecting. */
  private bytes(table: NeedleTable, from: number): boolean {
    const b = this.b;
    const hit = table.hit;
    const n = this.n;
    let h = 0;
    for (let i = Math.max(0, from - 3); i < n; i++) {
      h = (h << 8) | (b[i]! | 0x20);
      if (i < from + 3 || hit[slotOf(h)] === 0) continue;
      if (this.check(table, slotOf(h), i - 3)) return true;
    }
    return false;
  }

  /** The pair loop (`Strings`, the bytes at an even offset in their buffer): four bytes at each even offset. */
  private pairs(t: Needles): boolean {
    const b = this.b;
    const table = t.pairs;
    const hit = table.hit;
    const words = new Uint16Array(b.buffer, b.byteOffset, this.n >>> 1);
    const m = words.length;
    let prev = m > 0 ? words[0]! | 0x2020 : 0;
    for (let k = 1; k < m; k++) {
      const w = words[k]! | 0x2020;
      const h = (w << 16) | prev;
      prev = w;
      if (hit[slotOf(h)] !== 0 && this.check(table, slotOf(h), 2 * k - 2)) return true;
    }
    // A needle starting in the last three bytes has no four bytes at an even offset the loop read: read them one by one.
    return this.bytes(t.all, Math.max(0, 2 * m - 3));
  }

  /** The needles of a slot whose bytes are at `p`: each full match that passes the kind's checks is a candidate. */
  private check(table: NeedleTable, slot: number, p: number): boolean {
    for (const { needle, shift } of table.at(slot)) {
      const start = p - shift;
      if (start < 0 || !matchesAt(this.b, start, needle)) continue;
      if (this.accept(start, start + needle.bytes.length, needle.keyword)) return true;
    }
    return false;
  }

  /** A needle at [start, end): true when it is a candidate and the search stops at the first. */
  private accept(start: number, end: number, keyword: boolean): boolean {
    if (this.kind === Kind.Strings && !(keyword ? this.keywordLeadsToPath(start, end) : this.nameEndsWell(end))) return false;
    if (this.found === undefined) return true;
    (keyword ? this.found.keywords : this.found.names).push(start);
    return false;
  }

  /**
   * After a known name (`strings`): a dot and the next part, a closing backtick, an escape or a bq-cli colon
   * (the name is in a path); or a quote, where the text has a dataset field (a split reference's value).
   */
  private nameEndsWell(end: number): boolean {
    const b = this.b;
    if (end >= this.n) return false;
    const c = b[end]!;
    if (c === DOT) return end + 1 < this.n && (CLASS[b[end + 1]!]! & AFTER_DOT) !== 0;
    if ((CLASS[c]! & NAME_IN_PATH) !== 0) return true;
    if (c !== DQUOTE && c !== SQUOTE) return false;
    this.fields ??= DATASET_FIELD.test(Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1'));
    return this.fields;
  }

  /**
   * A table keyword at [start, end) read as one (`strings`): it starts a word — after a non-name character,
   * or after a `\n`, `\t` or `\r` escape, as the recogniser reads strings — and a space, backtick or escape
   * follows, or a dot and a backtick (`` from.`x `` is a path whose quoted part does not close: the keyword
   * stands alone and the quote's inside is read after it); then, through only characters that keep table
   * position, a path's inner dot or a placeholder.
   */
  private keywordLeadsToPath(start: number, end: number): boolean {
    const b = this.b;
    const n = this.n;
    if (end >= n) return false;
    const after = b[end]!;
    if ((CLASS[after]! & KEYWORD_END) === 0 && !(after === DOT && (b[end + 1] === BACKTICK || (b[end + 1] === BACKSLASH && b[end + 2] === BACKTICK)))) return false;
    const before = start > 0 ? b[start - 1]! : 0x20;
    if ((CLASS[before]! & WORD) !== 0 && !((before === 0x6e || before === 0x74 || before === 0x72) && start >= 2 && b[start - 2] === BACKSLASH)) return false;
    // The walk from any position goes on the same way: meeting where the last one ended, it ends the same.
    let j = end;
    let ok = false;
    while (j < n) {
      if (j === this.failAt) break;
      if (j === this.okAt) {
        ok = true;
        break;
      }
      const c = b[j]!;
      const cls = CLASS[c]!;
      if (c === DOT) {
        ok = j + 1 < n && (CLASS[b[j + 1]!]! & AFTER_DOT) !== 0;
        break;
      }
      if ((cls & PLACEHOLDER) !== 0) {
        ok = true;
        break;
      }
      if ((cls & GAP) !== 0) j++;
      else if ((cls & AFTER_NAME) !== 0 && (CLASS[b[j - 1]!]! & NAMEISH) !== 0) j++;
      else if (c === 0x5b && (CLASS[b[j - 1]!]! & NAMEISH) === 0) j++; // `[`
      else if (c === BACKSLASH && j + 1 < n) j += 2;
      else break;
    }
    if (ok) this.okAt = j;
    else this.failAt = j;
    return ok;
  }
}

function matchesAt(b: Uint8Array, start: number, needle: Needle): boolean {
  const bytes = needle.bytes;
  const fold = needle.fold;
  const len = bytes.length;
  if (start + len > b.length) return false;
  for (let k = 0; k < len; k++) if ((b[start + k]! | fold[k]!) !== bytes[k]) return false;
  return true;
}

/** Searches `b` for `kind`: true at its first candidate; or, given `found`, collects every candidate (true when there is one). */
export function searchBytes(b: Uint8Array, t: Needles, kind: Kind, found?: Candidates): boolean {
  return new ByteSearch(b, kind, found).run(t);
}
