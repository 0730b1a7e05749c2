import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as jsonc from 'jsonc-parser';
import { parseManifest, type LoadedManifest } from '../../../src/core/manifest/load';
import { lintFile } from '../../../src/core/lint/file-lint';
import { mightContainRefs, scanText, type LanguageId } from '../../../src/core/scan/index';
import { buildCorpus } from '../../corpus/corpus';
import { compareWithExhaustive, linterPair } from '../../corpus/prefilter-differential';
import { opts } from '../scan/cases';
import { repoRoot } from './repo-root';

const root = repoRoot();

/** test/corpus's nine mappings, every rule at its default (unknown-dataset on), plus a path mapping. */
function manifestText(): string {
  const m = jsonc.parse(fs.readFileSync(path.join(root, 'test', 'corpus', 'bqmigrate.json'), 'utf8'));
  delete m.rules;
  m.mappings.push({ from: 'production_training_data_{horizon}.parquet', to: 'zl_training_prod_allhistory_{horizon}.parquet', kind: 'path', status: 'migrated' });
  return JSON.stringify(m, null, 2);
}

function load(dir: string): LoadedManifest {
  const file = path.join(dir, 'bqmigrate.json');
  const r = parseManifest(fs.readFileSync(file, 'utf8'), file);
  assert.ok(r.ok, JSON.stringify(r.problems));
  return r.loaded;
}

/** Code files of node_modules (as `npm ci` installs them), sorted, every k-th of those of 1–64 KB: real code, mostly without references. */
function realCode(count: number): string[] {
  const all: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && e.name !== '.bin') walk(p);
      else if (e.isFile() && /\.(?:js|ts|mjs|cjs)$/.test(e.name)) {
        const size = fs.statSync(p).size;
        if (size >= 1024 && size <= 65536) all.push(p);
      }
    }
  };
  walk(path.join(root, 'node_modules'));
  const step = Math.max(1, Math.floor(all.length / count));
  return all.filter((_, k) => k % step === 0).slice(0, count);
}

/** Edge cases of the gate, as files: what the scanner must still find, and what must still be refused. */
const EDGE_FILES: Record<string, string | Buffer> = {
  'edge/newlines.ts': 'const q = `SELECT *\n  FROM\n\n    other_ds.t`;\n',
  'edge/crlf.py': 'q = """SELECT *\r\nFROM\r\n  other_ds.t"""\r\n',
  'edge/mixed-case.js': 'const a = "select 1 fRoM other_ds.a";\nconst b = "INSERT INTO Other_DS.b (x) VALUES (1)";\n',
  'edge/backticks.ts': 'const q = "SELECT * FROM `other_ds.t` AS x";\n',
  'edge/escapes.js': 'const q = "SELECT *\\nFROM\\tother_ds.t";\n',
  'edge/chain.py': 'q = "SELECT * FROM a x, b AS y, other_ds.t"\nr = "CREATE TABLE IF NOT EXISTS other_ds.u (x INT64)"\n',
  'edge/placeholders.py': 'a = f"SELECT * FROM {project}.other_ds.t"\nb = "DELETE FROM %(p)s.other_ds.u WHERE 1" % params\n',
  'edge/angle.js': 'const q = "SELECT * FROM <PROJECT_ID>.other_ds.v";\n',
  'edge/template.ts': 'const q = `MERGE ${project}.other_ds.t USING x ON 1`;\n',
  'edge/comment-between.sql': 'SELECT * FROM -- the table\n  /* moved */ other_ds.t;\n',
  'edge/known-in-comment.js': '// read models_v4.predictions_latest until the switch\nexport const x = 1;\n',
  'edge/split.py': 'dataset_id = "models_v4"\ntable_id = "predictions_latest"\n',
  'edge/path-mapping.py': 'open("production_training_data_1m.parquet")\n',
  'edge/suppressed.py': '# bqmigrate-disable-next-line legacy-reference\nq = "SELECT * FROM models_v4.vix_daily"\nr = "SELECT * FROM other_ds.t"  # bqmigrate-disable-line unknown-dataset\n',
  'edge/bom-with-ref.sql': '\ufeffSELECT * FROM models_v4.vix_daily;\n',
  'edge/bom-without-ref.ts': '\ufeffexport const nothing = 1;\n',
  'edge/import-only.ts': "import { readFile } from 'node:fs';\nimport x from './y.js';\ndelete x.y;\n// copied from the docs.\n",
  'edge/imports.ts': "import { readFile } from 'node:fs';\nimport x from './y.js';\nexport { z } from \"./z\";\n// copied from the docs.\n",
  'edge/utf16le.py': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('q = "SELECT * FROM other_ds.t"\n', 'utf16le')]),
  'edge/utf16-no-ascii.txt': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('中文', 'utf16le')]),
  'edge/latin1.js': Buffer.from([0x2f, 0x2f, 0x20, 0xe9, 0x74, 0xe9, 0x0a]),
  'edge/overlong.ts': Buffer.from([0x63, 0x6f, 0x6e, 0x73, 0x74, 0x20, 0xc0, 0xaf, 0x0a]),
  'edge/surrogate.py': Buffer.from([0x78, 0x20, 0x3d, 0x20, 0x31, 0x20, 0x23, 0x20, 0xed, 0xa0, 0x80, 0x0a]),
  'edge/truncated.js': Buffer.from([0x2f, 0x2f, 0x20, 0xe2, 0x82]),
  'edge/non-ascii.py': 'q = "SELECT * FROM données.t, other_ds.é"  # Größe\n',
  'edge/keywords-in-code.js': "// Größe: copy from a.b\nconst r = /'/; delete o.k;\nconst é = a.from < b.to;\nexport default 'x';\n",
  'edge/keyword-in-template-hole.ts': 'const q = `SELECT 1 ${delete o.k}`;\nconst r = `${x}\nFROM other_ds.t`;\n',
  'edge/keyword-in-json.json': '{"from": 1, "q": "select * from other_ds.t"}\n',
};

test('differential: the prefiltered linter and the exhaustive one agree on a generated corpus (real code, data-team files, fixtures, edge cases)', { timeout: 120_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bqmigrate-gate-'));
  try {
    fs.writeFileSync(path.join(dir, 'bqmigrate.json'), manifestText());
    const files: string[] = [];
    const put = (rel: string, body: string | Buffer) => {
      const p = path.join(dir, ...rel.split('/'));
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, body);
      files.push(p);
    };
    for (const f of buildCorpus(root, 2)) put(`team/${f.rel}`, f.input);
    for (const f of realCode(200)) put(`web/${path.relative(path.join(root, 'node_modules'), f).split(path.sep).join('/').replace(/node_modules/g, 'deps')}`, fs.readFileSync(f));
    for (const fixture of ['workspace', 'cli/basic']) {
      const base = path.join(root, 'test', 'fixtures', fixture);
      for (const f of fs.readdirSync(base, { recursive: true, withFileTypes: true })) {
        if (f.isFile() && f.name !== 'bqmigrate.json') put(`fixtures/${fixture}/${path.relative(base, path.join(f.parentPath, f.name)).split(path.sep).join('/')}`, fs.readFileSync(path.join(f.parentPath, f.name)));
      }
    }
    for (const [rel, body] of Object.entries(EDGE_FILES)) put(rel, body);
    const r = compareWithExhaustive(files, load(dir));
    assert.deepEqual(r.differences, []);
    assert.ok(files.length >= 250, `${files.length} files`);
    // Not a comparison of two empty results: the corpus has findings, and texts the prefilter rejects.
    assert.ok(r.findings >= 100, `${r.findings} findings`);
    assert.ok(r.rejected >= 10, `only ${r.rejected} of ${files.length} texts rejected`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the edge cases: every reference found, the same files refused with the same note, BOM offsets', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bqmigrate-gate-edges-'));
  try {
    fs.writeFileSync(path.join(dir, 'bqmigrate.json'), manifestText());
    for (const [rel, body] of Object.entries(EDGE_FILES)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), body);
    }
    const { prefiltered } = linterPair(load(dir));
    const lint = (rel: string) => lintFile(prefiltered, path.join(dir, rel));
    const rules = (rel: string) => lint(rel).violations.map((v) => v.ruleId);
    for (const rel of ['edge/newlines.ts', 'edge/crlf.py', 'edge/backticks.ts', 'edge/escapes.js', 'edge/template.ts', 'edge/angle.js', 'edge/comment-between.sql']) assert.deepEqual(rules(rel), ['unknown-dataset'], rel);
    assert.deepEqual(rules('edge/mixed-case.js'), ['unknown-dataset', 'unknown-dataset']);
    assert.deepEqual(rules('edge/chain.py'), ['unknown-dataset', 'unknown-dataset']);
    assert.deepEqual(rules('edge/placeholders.py'), ['unknown-dataset', 'unknown-dataset']);
    assert.deepEqual(rules('edge/known-in-comment.js'), ['legacy-reference']);
    assert.deepEqual(rules('edge/split.py'), ['legacy-reference']);
    assert.deepEqual(rules('edge/path-mapping.py'), ['legacy-reference']);
    assert.deepEqual(rules('edge/suppressed.py'), [], 'both findings are suppressed, as without the gate');
    const bom = lint('edge/bom-with-ref.sql');
    assert.equal(bom.bom, true);
    assert.deepEqual(bom.positions, [{ line: 1, column: 15, endLine: 1, endColumn: 34 }], 'offsets after the BOM');
    assert.deepEqual(lint('edge/bom-without-ref.ts'), { filePath: path.join(dir, 'edge/bom-without-ref.ts'), violations: [], positions: [], bom: true });
    assert.deepEqual(lint('edge/import-only.ts').violations, []);
    // The gate decides on the raw bytes: these files are never decoded; the ones holding a reference are.
    const { exhaustive } = linterPair(load(dir));
    for (const rel of ['edge/imports.ts', 'edge/bom-without-ref.ts']) {
      assert.equal(prefiltered.mayFind(fs.readFileSync(path.join(dir, rel)), path.join(dir, rel)), false, rel);
      assert.notEqual(exhaustive.mayFind(fs.readFileSync(path.join(dir, rel)), path.join(dir, rel)), false, `${rel} (exhaustive)`);
    }
    for (const rel of ['edge/newlines.ts', 'edge/crlf.py', 'edge/escapes.js', 'edge/split.py', 'edge/path-mapping.py', 'edge/bom-with-ref.sql']) assert.notEqual(prefiltered.mayFind(fs.readFileSync(path.join(dir, rel)), path.join(dir, rel)), false, rel);
    // Files that are not UTF-8 are refused with the same note, candidate or not.
    assert.match(lint('edge/utf16le.py').note!, /^1:4: a NUL byte: a binary file/);
    for (const rel of ['edge/utf16-no-ascii.txt', 'edge/latin1.js', 'edge/overlong.ts', 'edge/surrogate.py', 'edge/truncated.js']) {
      assert.deepEqual({ note: lint(rel).note, unscanned: lint(rel).unscanned }, { note: 'not UTF-8 text, skipped (re-save it as UTF-8 to lint it)', unscanned: 'not-utf8' }, rel);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('prefilter: SQL hosts keep backticks and brackets (quoted paths need no keyword in SQL code); names count anywhere', () => {
  const yes: [string, LanguageId][] = [
    ['q = "SELECT * FROM other_ds.t"', 'python'],
    ['const q = `Join ${p}.other_ds.t`', 'javascript'],
    ['{"sql": "DELETE FROM other_ds.t WHERE 1"}', 'json'],
    ['x = 1  # models_V4.t is gone', 'python'],
    ['see cbi-v14:x.y', 'plain'],
    ['SELECT `p.d.t`', 'sql'],
    ['```sql\nCALL `p.d.proc`()\n```', 'markdown'],
    ['query: |\n  CALL `p.d.proc`()\n', 'yaml'],
    ['QUERY="SELECT * FROM other_ds.t"', 'dotenv'],
    // A keyword, a dot and a quote that does not close: the path breaks off, the keyword stands alone, the quote's inside follows it.
    ['q = "SELECT * FROM.`other_ds.t"', 'python'],
    ['const q = "JOIN.\\`other_ds.t";', 'javascript'],
  ];
  for (const [text, id] of yes) {
    assert.ok(scanText(text, id, opts).refs.length > 0, `the scanner finds one in ${text}`);
    assert.equal(mightContainRefs(text, opts, id), true, `${id}: ${text}`);
  }
  const no: [string, LanguageId][] = [
    ['print("hello world")\nx = a.b', 'python'],
    ['# plain prose about other.t', 'plain'],
    ['export const x = [1, 2];', 'javascript'],
  ];
  for (const [text, id] of no) assert.equal(mightContainRefs(text, opts, id), false, `${id}: ${text}`);
});
