/** SQL words that put the next dotted path in table position, matched case-insensitively on char codes. */

export const enum Kw {
  None = 0,
  /** FROM, JOIN, INTO, UPDATE, TABLE, VIEW, MERGE, DELETE, INSERT, USING, CLONE, COPY, TRUNCATE */
  TableIntro = 1,
  /** IF, NOT, EXISTS: keep table position in `TABLE IF NOT EXISTS`. */
  Exists = 2,
  As = 3,
}

const WORDS: [string, Kw][] = [
  ['from', Kw.TableIntro],
  ['join', Kw.TableIntro],
  ['into', Kw.TableIntro],
  ['update', Kw.TableIntro],
  ['table', Kw.TableIntro],
  ['view', Kw.TableIntro],
  ['merge', Kw.TableIntro],
  ['delete', Kw.TableIntro],
  ['insert', Kw.TableIntro],
  ['using', Kw.TableIntro],
  ['clone', Kw.TableIntro],
  ['copy', Kw.TableIntro],
  ['truncate', Kw.TableIntro],
  ['if', Kw.Exists],
  ['not', Kw.Exists],
  ['exists', Kw.Exists],
  ['as', Kw.As],
];

/** Per word length: the words and their kinds, in parallel arrays (no destructuring in the hot loop). */
const WORDS_BY_LENGTH: string[][] = [];
const KINDS_BY_LENGTH: Kw[][] = [];
for (const [word, kw] of WORDS) {
  (WORDS_BY_LENGTH[word.length] ??= []).push(word);
  (KINDS_BY_LENGTH[word.length] ??= []).push(kw);
}

export function keywordAt(text: string, s: number, e: number): Kw {
  const words = WORDS_BY_LENGTH[e - s];
  if (words === undefined) return Kw.None;
  const first = text.charCodeAt(s) | 0x20;
  outer: for (let w = 0; w < words.length; w++) {
    const word = words[w]!;
    if (word.charCodeAt(0) !== first) continue;
    for (let k = 1; k < word.length; k++) if ((text.charCodeAt(s + k) | 0x20) !== word.charCodeAt(k)) continue outer;
    return KINDS_BY_LENGTH[e - s]![w]!;
  }
  return Kw.None;
}

/** File extensions that make `name.ext` a file, not a table, in prose and strings ("load from config.json"). */
const FILE_EXTENSIONS = new Set(
  'csv tsv json jsonl ndjson parquet avro orc txt md py pyc ipynb sql sh bash yaml yml toml ini cfg conf js mjs cjs ts tsx jsx html htm xml log gz zip tar bz2 pkl pickle joblib h5 hdf5 npy npz xlsx xls png jpg jpeg gif svg pdf bin db sqlite duckdb env lock'.split(' '),
);

export function isFileExtension(text: string, s: number, e: number): boolean {
  return e - s <= 7 && FILE_EXTENSIONS.has(text.slice(s, e).toLowerCase());
}
