/**
 * The prefilter: false only when scanText cannot find a reference in a text read as a given language. It
 * decides on the text's UTF-8 bytes (`bytesMightContainRefs`), so the linter can reject a file before
 * decoding it; `mightContainRefs` gives the same answer for a decoded text. The search itself is a loop over
 * the bytes (byte-search.ts). What it looks for, by the language row's `prefilter`:
 * - always: a known dataset or the project (ASCII case-insensitive): such a path is a reference wherever it
 *   stands, and a split reference's dataset field holds one (in `strings`, only a name a path part follows,
 *   or a quoted one in a text with a dataset field);
 * - `strings` (SQL lives only in string literals: JavaScript, Python, JSON): also a table keyword followed,
 *   through only characters that keep table position (spaces, names, commas, quoted names, escapes), by a
 *   path (a dot before a name) or a placeholder — `"… FROM other.t"`, not an import's `from './x'`. There it
 *   also says where (`bytesCandidates`): the scanner then reads only the strings and comments holding one, and
 *   where no string of a JavaScript or JSON text holds a keyword candidate (`delete x.y`, `import a from './b'`
 *   in code), the literal probe (literal-probe.ts, `literalsHoldCandidates`) rejects the text on its bytes, and
 *   where no JavaScript string that holds one holds a reference, the literal check (literal-check.ts) does,
 *   decoding only those strings;
 * - `sql` (SQL code may stand anywhere — SQL, and the formats that embed it: fences, heredocs, block scalars,
 *   notebook cells): any table keyword, backtick or `[` (quoted paths are references in SQL code on their own).
 * Its recall is checked against the exhaustive linter on whole corpora (test/corpus/prefilter-differential.ts)
 * and against the scanner and a regular-expression specification (test/corpus/regex-gate.ts) on random texts.
 */
import { lowerBound } from '../arrays';
import { Kind, needlesFor, searchBytes, type Candidates, type Needles } from './byte-search';
import { TABLE_KEYWORDS } from './keywords';
import { language } from './languages';
import { javascriptLiteralsHold, jsonLiteralsHold } from './literal-probe';
import type { LanguageId, ScanOptions } from './types';

export type { Candidates };

const BACKTICK = 0x60;
const LBRACKET = 0x5b;

/** The search tables of one manifest's names; undefined when a name is not ASCII (the bytes cannot be searched for it case-insensitively, so every text passes). */
const cache = new WeakMap<ReadonlySet<string>, Map<string, Needles | undefined>>();

function needles(opts: ScanOptions): Needles | undefined {
  let byProject = cache.get(opts.knownDatasets);
  if (byProject === undefined) cache.set(opts.knownDatasets, (byProject = new Map()));
  const key = opts.project ?? '';
  if (byProject.has(key)) return byProject.get(key);
  const raw = [...opts.knownDatasets].filter((d) => d.length > 0);
  if (opts.project) raw.push(opts.project);
  const t = raw.every((n) => /^[\x00-\x7f]*$/.test(n)) ? needlesFor(TABLE_KEYWORDS, [...new Set(raw.map((n) => n.toLowerCase()))]) : undefined;
  byProject.set(key, t);
  return t;
}

function kindOf(id: LanguageId | undefined): Kind {
  const k = id === undefined ? 'sql' : language(id).prefilter;
  return k === 'names' ? Kind.Names : k === 'strings' ? Kind.Strings : Kind.Sql;
}

/** `mightContainRefs` of the text whose UTF-8 bytes are `bytes` (a BOM allowed), without decoding them. */
export function bytesMightContainRefs(bytes: Uint8Array, opts: ScanOptions, id?: LanguageId): boolean {
  const t = needles(opts);
  if (t === undefined) return true;
  const kind = kindOf(id);
  if (kind === Kind.Sql && (bytes.indexOf(BACKTICK) >= 0 || bytes.indexOf(LBRACKET) >= 0)) return true;
  return searchBytes(bytes, t, kind);
}

/**
 * `bytesMightContainRefs`, and for a `strings` language where the references may start: false when the
 * bytes hold none, their candidates (byte offsets), or true when the language's references can stand
 * anywhere (or a name is not ASCII).
 */
export function bytesCandidates(bytes: Uint8Array, opts: ScanOptions, id: LanguageId): Candidates | boolean {
  const t = needles(opts);
  if (t === undefined || kindOf(id) !== Kind.Strings) return bytesMightContainRefs(bytes, opts, id);
  const found: Candidates = { keywords: [], names: [] };
  return searchBytes(bytes, t, Kind.Strings, found) ? found : false;
}

/**
 * Whether `text` may hold a reference when read as `id` (undefined: assume SQL, the most permissive): the
 * byte search run on the text's code units instead of its UTF-8 (`unitBytes`), which gives the same answer
 * without encoding the text (what linting as you type calls per keystroke).
 */
export function mightContainRefs(text: string, opts: ScanOptions, id?: LanguageId): boolean {
  return bytesMightContainRefs(unitBytes(text), opts, id);
}

/** Characters above U+00FF: a code unit that one byte does not hold. */
const WIDE = /[^\x00-\xff]+/g;
/** Runs of wide characters past which encoding the text as UTF-8 is the cheaper way. */
const MAX_WIDE_RUNS = 256;
/** The scratch buffer `unitBytes` writes into (an offset of 0: the pair loop reads 16-bit words), kept up to this size. */
const KEEP_BYTES = 8 << 20;
let scratch = Buffer.allocUnsafeSlow(0);

/**
 * One byte per UTF-16 code unit of `text`: the unit itself up to 0xFF, 0x80 above (a view of a scratch
 * buffer, good until the next call). The byte search reads every byte from 0x80 up as "a byte of a
 * non-ASCII character", the same for one such byte or several in a row, so it answers on these bytes as
 * on the UTF-8 ones (a property test compares them). Latin-1 writing is a copy for most texts (V8 keeps a
 * text without characters above U+00FF one byte per character), where UTF-8 encoding reads every character.
 */
export function unitBytes(text: string): Buffer {
  const n = text.length;
  if (n <= KEEP_BYTES && scratch.length < n) scratch = Buffer.allocUnsafeSlow(Math.min(KEEP_BYTES, Math.max(n, 2 * scratch.length)));
  const out = n <= KEEP_BYTES ? scratch : Buffer.allocUnsafeSlow(n);
  out.write(text, 0, n, 'latin1');
  WIDE.lastIndex = 0;
  for (let runs = 0, m = WIDE.exec(text); m !== null; m = WIDE.exec(text)) {
    if (++runs > MAX_WIDE_RUNS) return Buffer.from(text, 'utf8');
    out.fill(0x80, m.index, m.index + m[0].length);
  }
  return out.subarray(0, n);
}

/**
 * The regions of a text worth reading, from the candidates found in its UTF-8 bytes (`bytes`, a BOM
 * allowed; the text is them decoded without it): the recogniser skips a string or comment without one.
 */
export class CandidateRegions {
  private readonly keywords: Int32Array;
  private readonly names: Int32Array;

  constructor(bytes: Uint8Array, text: string, found: Candidates) {
    this.keywords = textOffsets(bytes, text, found.keywords);
    this.names = textOffsets(bytes, text, found.names);
  }

  /** Whether the text has a known name at a candidate anywhere. */
  get hasNames(): boolean {
    return this.names.length > 0;
  }

  /** Whether [s, e) holds a known name, or (`keywords`: a string's content) a table keyword, at a candidate. */
  holdsAny(s: number, e: number, keywords: boolean): boolean {
    return startsIn(this.names, s, e) || (keywords && startsIn(this.keywords, s, e));
  }
}

/** Whether an ascending list holds a value in [s, e). */
function startsIn(xs: Int32Array, s: number, e: number): boolean {
  const k = lowerBound(xs, s);
  return k < xs.length && xs[k]! < e;
}

/** Ascending byte offsets into UTF-8 `bytes` as offsets into `text`, their decoding without a BOM (UTF-16 code units). */
function textOffsets(bytes: Uint8Array, text: string, offsets: readonly number[]): Int32Array {
  const out = new Int32Array(offsets.length);
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  if (text.length === bytes.length - bom) {
    // ASCII after any BOM: one unit per byte.
    for (let k = 0; k < offsets.length; k++) out[k] = offsets[k]! - bom;
    return out;
  }
  let units = 0;
  let at = bom;
  for (let k = 0; k < offsets.length; k++) {
    const to = offsets[k]!;
    for (; at < to; at++) {
      const c = bytes[at]!;
      // A lead byte starts a character (a 4-byte one is two UTF-16 units); continuation bytes add nothing.
      if ((c & 0xc0) !== 0x80) units += c >= 0xf0 ? 2 : 1;
    }
    out[k] = units;
  }
  return out;
}

/**
 * Whether a string of the text (bytes `bytes`, a BOM allowed) holds one of `found`'s candidates, where the
 * literal probe can tell (literal-probe.ts: JavaScript and JSON, no known name among the candidates — a name
 * counts in comments too, and a split reference pairs string fields); true where it cannot. False means the
 * scan of the text finds no reference.
 */
export function literalsHoldCandidates(bytes: Uint8Array, id: LanguageId, found: Candidates): boolean {
  if (found.names.length > 0) return true;
  const from = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  if (id === 'javascript') return javascriptLiteralsHold(bytes, from, found.keywords);
  if (id === 'json') return jsonLiteralsHold(bytes, from, found.keywords);
  return true;
}
