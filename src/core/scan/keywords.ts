/** SQL words that put the next dotted path in table position, matched case-insensitively on char codes. */
import { maxOf } from '../arrays';

export const enum Kw {
  None = 0,
  /** FROM, JOIN, UPDATE, MERGE, DELETE, USING, CLONE, COPY, TRUNCATE: `ds.f(` after one is a table function */
  TableIntro = 1,
  /** INTO, TABLE, VIEW, INSERT: `ds.t(` after one is a table and its column list */
  TableIntroColumns = 4,
  /** IF, NOT, EXISTS: keep table position in `TABLE IF NOT EXISTS`. */
  Exists = 2,
  As = 3,
}

const WORDS: [string, Kw][] = [
  ['from', Kw.TableIntro],
  ['join', Kw.TableIntro],
  ['into', Kw.TableIntroColumns],
  ['update', Kw.TableIntro],
  ['table', Kw.TableIntroColumns],
  ['view', Kw.TableIntroColumns],
  ['merge', Kw.TableIntro],
  ['delete', Kw.TableIntro],
  ['insert', Kw.TableIntroColumns],
  ['using', Kw.TableIntro],
  ['clone', Kw.TableIntro],
  ['copy', Kw.TableIntro],
  ['truncate', Kw.TableIntro],
  ['if', Kw.Exists],
  ['not', Kw.Exists],
  ['exists', Kw.Exists],
  ['as', Kw.As],
];

/** The words that put the next path in table position (what the prefilter looks for). */
export const TABLE_KEYWORDS: readonly string[] = WORDS.filter(([, k]) => k === Kw.TableIntro || k === Kw.TableIntroColumns).map(([w]) => w);

/** The keyword per (length, lower-cased first letter), if any: no two keywords share both, so one lookup finds the only candidate. */
const CANDIDATE: ({ word: string; kind: Kw } | undefined)[] = [];
for (const [word, kind] of WORDS) {
  const key = word.length * 128 + word.charCodeAt(0);
  if (CANDIDATE[key]) throw new Error(`keywords ${word} and ${CANDIDATE[key].word} share length and first letter`);
  CANDIDATE[key] = { word, kind };
}
const MAX_KEYWORD = maxOf(WORDS.map(([w]) => w.length));

export function keywordAt(text: string, s: number, e: number): Kw {
  const len = e - s;
  if (len < 2 || len > MAX_KEYWORD) return Kw.None;
  const first = text.charCodeAt(s) | 0x20;
  if (first >= 128) return Kw.None;
  const entry = CANDIDATE[len * 128 + first];
  if (entry === undefined) return Kw.None;
  const word = entry.word;
  for (let k = 1; k < len; k++) if ((text.charCodeAt(s + k) | 0x20) !== word.charCodeAt(k)) return Kw.None;
  return entry.kind;
}

/** File extensions that make `name.ext` a file, not a table, in prose and strings ("load from config.json"). */
const FILE_EXTENSIONS = new Set(
  'csv tsv json jsonl ndjson parquet avro orc txt md py pyc ipynb sql sh bash yaml yml toml ini cfg conf js mjs cjs ts tsx jsx html htm xml log gz zip tar bz2 pkl pickle joblib h5 hdf5 npy npz xlsx xls png jpg jpeg gif svg pdf bin db sqlite duckdb env lock'.split(' '),
);

export function isFileExtension(text: string, s: number, e: number): boolean {
  return e - s <= 7 && FILE_EXTENSIONS.has(text.slice(s, e).toLowerCase());
}
