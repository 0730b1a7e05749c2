/**
 * The realistic corpus: hand-written templates (test/corpus/templates) in the shapes data teams keep SQL
 * in — SQL, Python, TypeScript/JavaScript, shell, Markdown, YAML, JSON, notebooks, Terraform, Dataform,
 * TOML/INI/cfg, Dockerfile, Makefile, .env — each expanded into seeded copies (horizon, raw table and
 * Yahoo table drawn per copy).
 *
 * Every legacy reference in a template is written `«old→new»`: `old` is the text as the file holds it,
 * `new` the correct rewrite (the same text when a reference must be flagged but cannot be rewritten).
 * `‹old→new›` is text the fix rewrites that is not itself a finding: the dataset field of a split
 * reference (`dataset_id = "‹models_v4→training›"` … `table_id = "«t→t2»"`, found at the table field).
 * That gives three things per file, written by hand and never computed by the scanner: the input, the
 * correct rewrite, and the spans of the references a linter must find. Anything else that looks like a
 * name (columns, buckets, other datasets, labels, prose) is a decoy a linter must leave alone.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface CorpusFile {
  /** Path relative to the corpus root, with `/`. */
  rel: string;
  /** The template it came from (its path under templates/). */
  template: string;
  input: string;
  expected: string;
  /** [start, end) offsets into `input` of each reference to be found. */
  truth: [number, number][];
}

const HORIZONS = ['1w', '1m', '3m', '6m', '12m'];
/** Raw tables without a curated name: they follow the dataset's wildcard mapping. */
const RAW_TABLES = ['corn_prices', 'palm_oil_prices', 'cftc_cot', 'usda_wasde', 'fx_rates_daily', 'news_sentiment', 'canola_prices', 'crude_oil_prices'];
const YAHOO_TABLES = ['spy_daily', 'dxy_daily', 'zl_futures', 'brl_usd', 'ho_futures'];

const MARKER = /«([^«»→]*)→([^«»]*)»|‹([^‹›→]*)→([^‹›]*)›/g;

export function templatesDir(root: string): string {
  return path.join(root, 'test', 'corpus', 'templates');
}

function listTemplates(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listTemplates(dir, r));
    else out.push(r);
  }
  return out;
}

/** A small seeded generator: the same corpus (and the same random test sequences) on every machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Splits a marked-up text into the input, the correct rewrite and the reference spans. */
export function unmark(marked: string): { input: string; expected: string; truth: [number, number][] } {
  let input = '';
  let expected = '';
  const truth: [number, number][] = [];
  let last = 0;
  for (const m of marked.matchAll(MARKER)) {
    const between = marked.slice(last, m.index);
    input += between;
    expected += between;
    const finding = m[1] !== undefined;
    const [old, rewrite] = finding ? [m[1]!, m[2]!] : [m[3]!, m[4]!];
    if (finding) truth.push([input.length, input.length + old.length]);
    input += old;
    expected += rewrite;
    last = m.index! + m[0].length;
  }
  input += marked.slice(last);
  expected += marked.slice(last);
  if (/[«»‹›→]/.test(input)) throw new Error(`a marker is not closed: ${input.slice(input.search(/[«»‹›→]/), input.search(/[«»‹›→]/) + 80)}`);
  return { input, expected, truth };
}

/** Expands every template `copies` times (seeded), in template order. */
export function buildCorpus(root: string, copies: number, seed = 20251114): CorpusFile[] {
  const dir = templatesDir(root);
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const files: CorpusFile[] = [];
  for (const template of listTemplates(dir)) {
    const text = fs.readFileSync(path.join(dir, template), 'utf8');
    for (let k = 0; k < copies; k++) {
      const vars: Record<string, string> = { N: String(k).padStart(3, '0'), H: pick(HORIZONS), T: pick(RAW_TABLES), Y: pick(YAHOO_TABLES) };
      const fill = (s: string) => s.replace(/@([NHTY])@/g, (_, v: string) => vars[v]!);
      files.push({ rel: fill(template), template, ...unmark(fill(text)) });
    }
  }
  return files;
}

/** Writes the corpus inputs and its manifest under `dir`. */
export function writeCorpus(root: string, dir: string, files: readonly CorpusFile[]): void {
  fs.copyFileSync(path.join(root, 'test', 'corpus', 'bqmigrate.json'), path.join(dir, 'bqmigrate.json'));
  for (const f of files) {
    const p = path.join(dir, ...f.rel.split('/'));
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, f.input);
  }
}
