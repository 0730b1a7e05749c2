/**
 * The prefilter: false only when scanText cannot find a reference in a text read as a given language. It
 * decides on the text's UTF-8 bytes (`bytesMightContainRefs`), so the linter can reject a file before
 * decoding it; `mightContainRefs` gives the same answer for a decoded text. Every pattern is ASCII and treats
 * every non-ASCII character alike, so the bytes and the text give one answer. What it looks for, by the
 * language row's `prefilter`:
 * - always: a known dataset or the project (ASCII case-insensitive): such a path is a reference wherever it
 *   stands, and a split reference's dataset field holds one (in `strings`, only a name a path part follows,
 *   or a quoted one in a text with a dataset field);
 * - `strings` (SQL lives only in string literals: JavaScript, Python, JSON): also a table keyword followed,
 *   through only characters that keep table position (spaces, names, commas, quoted names, escapes), by a
 *   path (a dot before a name) or a placeholder — `"… FROM other.t"`, not an import's `from './x'`;
 * - `sql` (SQL code may stand anywhere — SQL, and the formats that embed it: fences, heredocs, block scalars,
 *   notebook cells): any table keyword, backtick or `[` (quoted paths are references in SQL code on their own).
 *
 * The search is one loop over the bytes: the last four bytes, case-folded, are hashed into a small table of
 * the keywords' and names' first four bytes, and only a hit is checked in full. Names shorter than four bytes
 * are found with the native `indexOf`, one case variant at a time. Its recall is checked against the
 * exhaustive linter on whole corpora (test/corpus/prefilter-differential.ts) and against the scanner on
 * random texts (test/unit/scan/properties.test.ts).
 */
import { TABLE_KEYWORDS } from './keywords';
import { language } from './languages';
import type { LanguageId, ScanOptions } from './types';

/** Byte classes (flags), for the checks around a hit. */
const WORD = 1; // [A-Za-z0-9_]
const NAMEISH = 2; // [A-Za-z0-9_] or a byte of a non-ASCII character: what a name is made of, for the look-behinds
const GAP = 4; // keeps table position between a keyword and its path: spaces, `,`, names, backticks, `]`, non-ASCII
const AFTER_DOT = 8; // what makes `.x` a path's inner dot: [A-Za-z0-9_`\\*{$<%]
const PLACEHOLDER = 16; // a placeholder's opener or closer: { } $ % < >
const KEYWORD_END = 32; // what may follow a table keyword read as one: [\t\n\v\f\r `\\]
const NAME_IN_PATH = 64; // after a known name, a closing backtick, an escape or a bq-cli colon: [`\\:]
const AFTER_NAME = 128; // - : @ * continue a gap only after a name character

const CLASS = new Uint8Array(256);
const flag = (chars: string, f: number) => {
  for (let k = 0; k < chars.length; k++) CLASS[chars.charCodeAt(k)] = CLASS[chars.charCodeAt(k)]! | f;
};
const WORD_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_';
flag(WORD_CHARS, WORD | NAMEISH | GAP | AFTER_DOT);
for (let c = 0x80; c < 0x100; c++) CLASS[c] = NAMEISH | GAP;
flag('\t\n\v\f\r ,`]', GAP);
flag('`\\*{$<%', AFTER_DOT);
flag('{}$%<>', PLACEHOLDER);
flag('\t\n\v\f\r `\\', KEYWORD_END);
flag('`\\:', NAME_IN_PATH);
flag('-:@*', AFTER_NAME);

const DOT = 0x2e;
const BACKSLASH = 0x5c;
const BACKTICK = 0x60;
const LBRACKET = 0x5b;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

/** A field or call that can hold a split reference's dataset (split.ts `maySplit`), any character class widened to non-ASCII. */
const DATASET_FIELD = /(?:ataset|ATASET)(?:_?[Ii][Dd]|_?[Nn]ame|_ID|_NAME)?["']?[\s\x80-\xff]*[:=(]|DatasetReference/;

/** A keyword or name to find, lower-cased, with 0x20 where a byte is a letter (OR-ing it in folds the case). */
interface Needle {
  bytes: Uint8Array;
  fold: Uint8Array;
  keyword: boolean;
}

const HASH_BITS = 12;
/** The table slot of four case-folded bytes (the newest in the low byte). */
const slotOf = (h: number) => Math.imul(h, 0x9e3779b1) >>> (32 - HASH_BITS);

/** Needles of four or more bytes, by the slot of their first four. */
class NeedleTable {
  readonly hit = new Uint8Array(1 << HASH_BITS);
  private readonly slots: Needle[][] = [];

  constructor(needles: readonly Needle[]) {
    for (const n of needles) {
      const b = n.bytes;
      const slot = slotOf(((b[0]! | 0x20) << 24) | ((b[1]! | 0x20) << 16) | ((b[2]! | 0x20) << 8) | (b[3]! | 0x20));
      this.hit[slot] = 1;
      (this.slots[slot] ??= []).push(n);
    }
  }

  needlesAt(slot: number): readonly Needle[] {
    return this.slots[slot]!;
  }
}

interface Patterns {
  /** A name is not ASCII: the bytes cannot be searched for it case-insensitively, so every text passes. */
  asciiOnly: boolean;
  /** Names of four or more bytes (`names`). */
  names: NeedleTable;
  /** Those and the table keywords (`strings`, `sql`). */
  all: NeedleTable;
  /** Names shorter than four bytes, each as every case variant of its letters. */
  short: { length: number; variants: Buffer[] }[];
}

const cache = new WeakMap<ReadonlySet<string>, Map<string, Patterns>>();

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

function patternsFor(opts: ScanOptions): Patterns {
  let byProject = cache.get(opts.knownDatasets);
  if (byProject === undefined) cache.set(opts.knownDatasets, (byProject = new Map()));
  const key = opts.project ?? '';
  let p = byProject.get(key);
  if (p === undefined) {
    const raw = [...opts.knownDatasets].filter((d) => d.length > 0);
    if (opts.project) raw.push(opts.project);
    const asciiOnly = raw.every((n) => /^[\x00-\x7f]*$/.test(n));
    const names = asciiOnly ? [...new Set(raw.map((n) => n.toLowerCase()))] : [];
    const long = names.filter((n) => n.length >= 4).map((n) => needleOf(n, false));
    p = {
      asciiOnly,
      names: new NeedleTable(long),
      all: new NeedleTable([...long, ...TABLE_KEYWORDS.map((k) => needleOf(k, true))]),
      short: names.filter((n) => n.length < 4).map((n) => ({ length: n.length, variants: caseVariants(n) })),
    };
    byProject.set(key, p);
  }
  return p;
}

const enum Kind {
  Names,
  Strings,
  Sql,
}

/**
 * One search of the bytes for `kind`. A name shorter than four bytes is searched natively first (it is rare
 * in manifests, and a short needle hits often); then the hashed loop.
 */
function search(b: Uint8Array, p: Patterns, kind: Kind): boolean {
  const view = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const state: FieldState = { view, fields: undefined };
  for (const s of p.short) {
    for (const v of s.variants) {
      for (let at = view.indexOf(v); at >= 0; at = view.indexOf(v, at + 1)) {
        if (kind !== Kind.Strings || nameEndsWell(b, at + s.length, state)) return true;
      }
    }
  }
  const table = kind === Kind.Names ? p.names : p.all;
  const hit = table.hit;
  const n = b.length;
  let h = 0;
  for (let i = 0; i < n; i++) {
    h = (h << 8) | (b[i]! | 0x20);
    if (hit[slotOf(h)] === 0) continue;
    const start = i - 3;
    if (start < 0) continue;
    for (const needle of table.needlesAt(slotOf(h))) {
      if (!matchesAt(b, start, needle)) continue;
      const end = start + needle.bytes.length;
      if (kind !== Kind.Strings) return true;
      if (needle.keyword ? keywordLeadsToPath(b, start, end) : nameEndsWell(b, end, state)) return true;
    }
  }
  return false;
}

function matchesAt(b: Uint8Array, start: number, needle: Needle): boolean {
  const bytes = needle.bytes;
  const fold = needle.fold;
  const len = bytes.length;
  if (start + len > b.length) return false;
  for (let k = 0; k < len; k++) if ((b[start + k]! | fold[k]!) !== bytes[k]) return false;
  return true;
}

interface FieldState {
  view: Buffer;
  /** Whether the text has a dataset field (computed on the first quoted name). */
  fields: boolean | undefined;
}

/**
 * After a known name (`strings`): a dot and the next part, a closing backtick, an escape or a bq-cli colon
 * (the name is in a path); or a quote, where the text has a dataset field (a split reference's value).
 */
function nameEndsWell(b: Uint8Array, end: number, state: FieldState): boolean {
  if (end >= b.length) return false;
  const c = b[end]!;
  if (c === DOT) return end + 1 < b.length && (CLASS[b[end + 1]!]! & AFTER_DOT) !== 0;
  if ((CLASS[c]! & NAME_IN_PATH) !== 0) return true;
  if (c !== DQUOTE && c !== SQUOTE) return false;
  state.fields ??= DATASET_FIELD.test(state.view.toString('latin1'));
  return state.fields;
}

/**
 * A table keyword at [start, end) read as one (`strings`): it starts a word — after a non-name character,
 * or after a `\n`, `\t` or `\r` escape, as the recogniser reads strings — and a space, backtick or escape
 * follows; then, through only characters that keep table position, a path's inner dot or a placeholder.
 */
function keywordLeadsToPath(b: Uint8Array, start: number, end: number): boolean {
  const n = b.length;
  if (end >= n || (CLASS[b[end]!]! & KEYWORD_END) === 0) return false;
  const before = start > 0 ? b[start - 1]! : 0x20;
  if ((CLASS[before]! & WORD) !== 0 && !((before === 0x6e || before === 0x74 || before === 0x72) && start >= 2 && b[start - 2] === BACKSLASH)) return false;
  for (let j = end; j < n; ) {
    const c = b[j]!;
    const cls = CLASS[c]!;
    if (c === DOT) return j + 1 < n && (CLASS[b[j + 1]!]! & AFTER_DOT) !== 0;
    if ((cls & PLACEHOLDER) !== 0) return true;
    if ((cls & GAP) !== 0) j++;
    else if ((cls & AFTER_NAME) !== 0 && (CLASS[b[j - 1]!]! & NAMEISH) !== 0) j++;
    else if (c === LBRACKET && (CLASS[b[j - 1]!]! & NAMEISH) === 0) j++;
    else if (c === BACKSLASH && j + 1 < n) j += 2;
    else return false;
  }
  return false;
}

function kindOf(id: LanguageId | undefined): Kind {
  const k = id === undefined ? 'sql' : language(id).prefilter;
  return k === 'names' ? Kind.Names : k === 'strings' ? Kind.Strings : Kind.Sql;
}

/** `mightContainRefs` of the text whose UTF-8 bytes are `bytes` (a BOM allowed), without decoding them. */
export function bytesMightContainRefs(bytes: Uint8Array, opts: ScanOptions, id?: LanguageId): boolean {
  const p = patternsFor(opts);
  if (!p.asciiOnly) return true;
  const kind = kindOf(id);
  if (kind === Kind.Sql && (bytes.indexOf(BACKTICK) >= 0 || bytes.indexOf(LBRACKET) >= 0)) return true;
  return search(bytes, p, kind);
}

/** Whether `text` may hold a reference when read as `id` (undefined: assume SQL, the most permissive). */
export function mightContainRefs(text: string, opts: ScanOptions, id?: LanguageId): boolean {
  return bytesMightContainRefs(Buffer.from(text, 'utf8'), opts, id);
}
