// The realistic lint corpus: a data team's repository is mostly code that never names a table. About 7,360
// files and 105 MB, like the repository issue 19 measured:
// - real JavaScript / TypeScript (.js .ts .mjs .cjs, .d.ts included) copied from this repository's
//   node_modules as `npm ci` installs it from package-lock.json: every such file of 2 KiB up to 4 MiB (the
//   three larger ones are 6–9 MB compiler and parser bundles that no team keeps in its tree), plus smaller
//   files picked evenly from the sorted list up to the file count — under web/, `node_modules` renamed `deps`
//   (the linter never enters a folder with that name);
// - real Python: the gyp sources npm bundles (node_modules/npm/node_modules/node-gyp/gyp, beside the running
//   npm), under tools/gyp/ — left out, and said so in the stamp, when that npm has none;
// - about 7 % data-team files with references, under warehouse/: the hand-written templates of test/corpus
//   (SQL, Python, TypeScript/JavaScript, Markdown; their «old→new» markers reduced to the old text) expanded
//   with seeded horizons and tables, and seeded SQL / Python / TypeScript / Markdown files of 8–64 KB from the
//   synthetic generator's line makers;
// - a bqmigrate.json with test/corpus's nine mappings and every rule at its default severity (unknown-dataset
//   on: it needs every table reference).
// Deterministic for a given package-lock.json and npm; no network. Written to bench/.corpus/real/ (its stamp,
// with the file count and bytes written, beside it in real.json) and regenerated when missing or when
// REAL_VERSION, the lockfile or npm's version changes.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as jsonc from 'jsonc-parser';
import { dataTeamLines, mulberry32 } from './generate.mjs';

export const REAL_VERSION = 1;
const SEED = 20261203;
const root = path.resolve(import.meta.dirname, '..', '..');

const TARGET_FILES = 7360;
const DATA_SHARE = 0.07;
const CODE_EXTENSIONS = /\.(?:js|ts|mjs|cjs)$/;
const SMALL = 2048;
const LARGEST = 4 * 1024 * 1024;
/** The test/corpus templates in the four families the data-team files are written in. */
const TEMPLATE_FOLDERS = ['sql', 'python', 'ts', 'docs'];
const HORIZONS = ['1w', '1m', '3m', '6m', '12m'];
const RAW_TABLES = ['corn_prices', 'palm_oil_prices', 'cftc_cot', 'usda_wasde', 'fx_rates_daily', 'news_sentiment', 'canola_prices', 'crude_oil_prices'];
const YAHOO_TABLES = ['spy_daily', 'dxy_daily', 'zl_futures', 'brl_usd', 'ho_futures'];
const MARKER = /«([^«»→]*)→([^«»]*)»|‹([^‹›→]*)→([^‹›]*)›/g;

/** The legacy names ripgrep is asked to find: each concrete legacy table of the nine mappings, and the wildcard mappings' datasets. */
export function realLegacyNames() {
  return [
    ...HORIZONS.map((h) => `models_v4.production_training_data_${h}`),
    'models_v4.training_dataset_super_enriched',
    'models_v4.predictions_latest',
    'models_v4.trump_rich_2023_2025',
    'models_v4.vix_daily',
    'forecasting_data_warehouse.',
    'yahoo_finance_comprehensive.',
  ];
}

/** Where npm keeps the gyp sources it bundles, or undefined. */
export function gypDir() {
  const npmRoot = path.resolve(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm');
  const dir = path.join(npmRoot, 'node_modules', 'node-gyp', 'gyp');
  return existsSync(dir) ? dir : undefined;
}

function npmVersion() {
  try {
    return JSON.parse(readFileSync(path.resolve(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'package.json'), 'utf8')).version;
  } catch {
    return 'none';
  }
}

/** Regular files under dir (no symbolic links, no `.bin`), relative, sorted by code unit. */
function listFiles(dir, keep, rel = '', out = []) {
  for (const name of readdirSync(path.join(dir, rel)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    const st = lstatSync(path.join(dir, r));
    if (st.isDirectory()) {
      if (name !== '.bin') listFiles(dir, keep, r, out);
    } else if (st.isFile() && keep(r)) out.push({ rel: r, size: st.size });
  }
  return out;
}

/** The node_modules files to copy: every one of SMALL..LARGEST bytes, then smaller ones evenly spread until `count`. */
function pickCode(count) {
  const all = listFiles(path.join(root, 'node_modules'), (r) => CODE_EXTENSIONS.test(r));
  const large = all.filter((f) => f.size >= SMALL && f.size <= LARGEST);
  const small = all.filter((f) => f.size < SMALL);
  const need = Math.max(0, Math.min(small.length, count - large.length));
  const picked = new Set(large);
  for (let k = 0; k < need; k++) picked.add(small[Math.floor((k * small.length) / need)]);
  return all.filter((f) => picked.has(f));
}

function unmark(marked) {
  return marked.replace(MARKER, (_, old1, _new1, old2) => old1 ?? old2);
}

/** The data team's files: test/corpus templates expanded `copies` times, then generated files up to `count`. */
function dataTeamFiles(count) {
  const rnd = mulberry32(SEED);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const out = [];
  const templates = path.join(root, 'test', 'corpus', 'templates');
  const list = TEMPLATE_FOLDERS.flatMap((d) => readdirSync(path.join(templates, d)).sort().map((f) => `${d}/${f}`));
  const copies = Math.floor(count / 2 / list.length);
  for (const t of list) {
    const text = readFileSync(path.join(templates, t), 'utf8');
    for (let k = 0; k < copies; k++) {
      const vars = { N: String(k).padStart(3, '0'), H: pick(HORIZONS), T: pick(RAW_TABLES), Y: pick(YAHOO_TABLES) };
      const fill = (s) => s.replace(/@([NHTY])@/g, (_, v) => vars[v]);
      out.push({ rel: `warehouse/${fill(t)}`, text: unmark(fill(text)) });
    }
  }
  const { line, filler } = dataTeamLines(rnd);
  const kinds = [
    { sub: 'sql', ext: 'sql', header: '' },
    { sub: 'python', ext: 'py', header: 'import os\nimport subprocess\nimport numpy as np\nPROJECT_ID = "cbi-v14"\n\n' },
    { sub: 'ts', ext: 'ts', header: "import { BigQuery } from '@google-cloud/bigquery';\nconst project = 'cbi-v14';\n\n" },
    { sub: 'docs', ext: 'md', header: '# Migration notes\n\n' },
  ];
  for (let f = 0; out.length < count; f++) {
    const k = kinds[f % kinds.length];
    const bytes = 8192 + Math.floor(rnd() * 57344);
    const lines = [k.header];
    let size = k.header.length;
    while (size < bytes) {
      // Data-team code mentions a table every dozen lines or so.
      const l = rnd() < 0.9 ? filler[k.sub]() : line[k.sub]();
      lines.push(l);
      size += l.length + 1;
    }
    out.push({ rel: `warehouse/generated/${k.sub}/${k.sub}_${String(f).padStart(4, '0')}.${k.ext}`, text: lines.join('\n') + '\n' });
  }
  return out;
}

/** The manifest: test/corpus's, with every rule at its default severity. */
function manifestText() {
  const m = jsonc.parse(readFileSync(path.join(root, 'test', 'corpus', 'bqmigrate.json'), 'utf8'));
  delete m.rules;
  return '// Generated by bench/corpus/real.mjs: the nine mappings of test/corpus/bqmigrate.json, every rule at its default.\n' + JSON.stringify(m, null, 2) + '\n';
}

/** The stamp sits beside the corpus, not in it: every file in the corpus folder is linted. */
function stampFile(dir) {
  return `${dir.replace(/[\\/]+$/, '')}.json`;
}

function stampOf() {
  const lock = createHash('sha256').update(readFileSync(path.join(root, 'package-lock.json'))).digest('hex').slice(0, 16);
  return { version: REAL_VERSION, seed: SEED, lock, npm: npmVersion() };
}

export function generateRealCorpus(dir) {
  rmSync(stampFile(dir), { force: true });
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const gyp = gypDir();
  const python = gyp ? listFiles(gyp, (r) => r.endsWith('.py')) : [];
  const dataCount = Math.round(TARGET_FILES * DATA_SHARE);
  const code = pickCode(TARGET_FILES - dataCount - python.length);
  const counts = { code: 0, codeBytes: 0, python: 0, pythonBytes: 0, data: 0, dataBytes: 0 };
  const copy = (from, rel) => {
    const to = path.join(dir, ...rel.split('/'));
    mkdirSync(path.dirname(to), { recursive: true });
    copyFileSync(from, to);
  };
  for (const f of code) {
    copy(path.join(root, 'node_modules', f.rel), `web/${f.rel.split('/').map((s) => (s === 'node_modules' ? 'deps' : s)).join('/')}`);
    counts.code++;
    counts.codeBytes += f.size;
  }
  for (const f of python) {
    copy(path.join(gyp, f.rel), `tools/gyp/${f.rel}`);
    counts.python++;
    counts.pythonBytes += f.size;
  }
  for (const f of dataTeamFiles(dataCount)) {
    const to = path.join(dir, ...f.rel.split('/'));
    mkdirSync(path.dirname(to), { recursive: true });
    writeFileSync(to, f.text);
    counts.data++;
    counts.dataBytes += Buffer.byteLength(f.text);
  }
  writeFileSync(path.join(dir, 'bqmigrate.json'), manifestText());
  // A .git marker makes the corpus its own repository root, as a real workspace is (no .gitignore above applies).
  mkdirSync(path.join(dir, '.git'), { recursive: true });
  const files = counts.code + counts.python + counts.data;
  const bytes = counts.codeBytes + counts.pythonBytes + counts.dataBytes;
  const info = { ...stampOf(), files, bytes, ...counts, gyp: gyp ? 'bundled with npm' : 'not found: no Python in the corpus' };
  writeFileSync(stampFile(dir), JSON.stringify(info));
  return info;
}

/** The realistic corpus in `dir`, (re)generated when missing or stale. Returns what its stamp says (files, bytes, shares). */
export function ensureRealCorpus(dir, log = () => {}) {
  const stamp = stampFile(dir);
  const want = stampOf();
  if (existsSync(stamp)) {
    try {
      const v = JSON.parse(readFileSync(stamp, 'utf8'));
      if (v.version === want.version && v.seed === want.seed && v.lock === want.lock && v.npm === want.npm) return v;
    } catch {
      // a broken stamp means a broken corpus: regenerate
    }
  }
  log(`writing the realistic corpus in ${dir} (v${REAL_VERSION}, seed ${SEED}, from node_modules and npm ${want.npm}'s gyp) …`);
  return generateRealCorpus(dir);
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const dir = process.argv[2] ?? path.join(root, 'bench', '.corpus', 'real');
  console.log(JSON.stringify(ensureRealCorpus(dir, console.log)));
}
