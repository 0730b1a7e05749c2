import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseManifest } from '../../../src/core/manifest/load';
import { lintFiles, lintFilesAsEslintJson } from '../../../src/core/lint/pool';
import { toEslintResult } from '../../../src/core/lint/eslint-json';
import { countViolations } from '../../../src/cli/format/report';
import type { FileLintResult } from '../../../src/core/lint/file-lint';
import type { Unscanned } from '../../../src/core/lint/unscanned';

const MANIFEST = `{
  // a small workspace
  "project": "cbi-v14",
  "datasets": { "training": { "description": "t" } },
  "legacyDatasets": { "models_v4": { "description": "old" } },
  "mappings": [ { "from": "models_v4.old_t", "to": "training.new_t", "status": "migrated" } ],
  "exclude": ["vendor/**"]
}`;

function workspace(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bqmigrate-lint-'));
  fs.writeFileSync(path.join(dir, 'bqmigrate.json'), MANIFEST);
  for (const [name, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), body);
  }
  return dir;
}

async function collect(dir: string, paths: string[] = [dir], workers = 0, manifestDir = dir): Promise<{ results: FileLintResult[]; notes: string[]; skips: Unscanned[]; errors: string[] }> {
  const r = parseManifest(fs.readFileSync(path.join(manifestDir, 'bqmigrate.json'), 'utf8'), path.join(manifestDir, 'bqmigrate.json'));
  assert.ok(r.ok, JSON.stringify(r.problems));
  const notes: string[] = [];
  const skips: Unscanned[] = [];
  const errors: string[] = [];
  const results: FileLintResult[] = [];
  const opts = { workers, onNote: (f: string, n: string) => notes.push(`${path.relative(dir, f)}: ${n}`), onSkip: (u: Unscanned) => skips.push(u), onError: (f: string, m: string) => errors.push(`${path.relative(dir, f)}: ${m}`) };
  for await (const x of lintFiles(paths, r.loaded, opts)) results.push(x);
  results.sort((a, b) => a.filePath.localeCompare(b.filePath));
  skips.sort((a, b) => a.path.localeCompare(b.path));
  return { results, notes, skips, errors };
}

const skipped = (dir: string, skips: Unscanned[]) => skips.map((u) => `${path.relative(dir, u.path).split(path.sep).join('/')}${u.folder ? '/' : ''} ${u.reason}`);

const rel = (dir: string, rs: FileLintResult[]) => rs.map((r) => path.relative(dir, r.filePath).split(path.sep).join('/'));

test('the walk respects nested .gitignore files and the manifest globs, and skips .git', async () => {
  const dir = workspace({
    '.gitignore': 'ignored/\n*.log\n',
    'a.sql': 'SELECT * FROM models_v4.old_t',
    'ignored/b.sql': 'SELECT * FROM models_v4.old_t',
    'c.log': 'models_v4.old_t',
    'vendor/d.sql': 'SELECT * FROM models_v4.old_t',
    'sub/.gitignore': 'local.sql\n',
    'sub/local.sql': 'SELECT * FROM models_v4.old_t',
    'sub/kept.py': 'q = "SELECT * FROM models_v4.old_t"',
    '.git/config.sql': 'SELECT * FROM models_v4.old_t',
  });
  fs.mkdirSync(path.join(dir, '.git'), { recursive: true });
  const { results, skips } = await collect(dir);
  assert.deepEqual(rel(dir, results), ['.gitignore', 'a.sql', 'sub/.gitignore', 'sub/kept.py']);
  assert.deepEqual(skipped(dir, skips), ['.git/ never-linted', 'bqmigrate.json manifest', 'c.log ignored', 'ignored/ ignored', 'sub/local.sql ignored', 'vendor/ excluded'], 'every file or folder left out is reported with its reason');
  assert.match(skips.find((u) => u.path.endsWith('vendor'))!.detail, /exclude glob vendor\/\*\*/);
  assert.match(skips.find((u) => u.path.endsWith('local.sql'))!.detail, new RegExp(`ignored by .*sub.\\.gitignore`));
  assert.equal(results.find((r) => r.filePath.endsWith('a.sql'))!.violations[0]!.ruleId, 'legacy-reference');
  // A file named explicitly is linted even though .gitignore excludes it.
  const explicit = await collect(dir, [path.join(dir, 'ignored', 'b.sql')]);
  assert.equal(explicit.results[0]!.violations.length, 1);
});

test('binary, NUL and non-UTF-8 files are skipped with a note; the run goes on', async () => {
  const dir = workspace({
    'nul.sql': Buffer.from('SELECT * FROM models_v4.old_t\0\0'),
    'latin1.sql': Buffer.from([0x2d, 0x2d, 0x20, 0xe9, 0x74, 0xe9, 0x0a]),
    'good.sql': 'SELECT * FROM models_v4.old_t',
    'data.parquet': 'models_v4.old_t',
  });
  const { results, skips } = await collect(dir);
  const byName = new Map(results.map((r) => [path.basename(r.filePath), r]));
  assert.match(byName.get('nul.sql')!.note!, /^1:30: a NUL byte: a binary file, skipped/);
  assert.equal(byName.get('nul.sql')!.unscanned, 'binary');
  assert.match(byName.get('latin1.sql')!.note!, /not UTF-8/);
  assert.equal(byName.get('latin1.sql')!.unscanned, 'not-utf8');
  assert.equal(byName.get('good.sql')!.violations.length, 1);
  assert.equal(byName.get('data.parquet'), undefined, 'known binary formats are not opened');
  assert.deepEqual(skipped(dir, skips), ['bqmigrate.json manifest', 'data.parquet binary']);
});

test('symlink loops are never followed twice; a symlinked folder is walked once', { skip: process.platform === 'win32' }, async () => {
  const dir = workspace({ 'sql/a.sql': 'SELECT * FROM models_v4.old_t' });
  fs.symlinkSync(dir, path.join(dir, 'sql', 'loop'));
  fs.symlinkSync(path.join(dir, 'sql'), path.join(dir, 'alias'));
  fs.symlinkSync(path.join(dir, 'missing'), path.join(dir, 'broken'));
  const { results, skips } = await collect(dir);
  assert.deepEqual(rel(dir, results).filter((f) => f.endsWith('.sql')), ['alias/a.sql']);
  assert.match(skips.find((u) => u.path.endsWith('broken'))!.detail, /broken symbolic link/);
});

test('named paths: always linted, also outside the manifest folder; missing, FIFO and link-loop paths are errors', { skip: process.platform === 'win32' }, async () => {
  const repo = workspace({});
  const manifestDir = path.join(repo, 'config');
  fs.mkdirSync(manifestDir);
  fs.renameSync(path.join(repo, 'bqmigrate.json'), path.join(manifestDir, 'bqmigrate.json'));
  fs.mkdirSync(path.join(repo, 'src', 'vendor'), { recursive: true });
  fs.writeFileSync(path.join(repo, 'src', 'a.sql'), 'SELECT * FROM models_v4.old_t');
  fs.writeFileSync(path.join(repo, 'src', 'vendor', 'b.sql'), 'SELECT * FROM models_v4.old_t');
  fs.writeFileSync(path.join(manifestDir, 'inside.sql'), 'SELECT * FROM models_v4.old_t');
  spawnSync('mkfifo', [path.join(repo, 'pipe')]);
  fs.symlinkSync(path.join(repo, 'loop-b'), path.join(repo, 'loop-a'));
  fs.symlinkSync(path.join(repo, 'loop-a'), path.join(repo, 'loop-b'));
  const { results, errors } = await collect(repo, [path.join(repo, 'src'), path.join(repo, 'missing'), path.join(repo, 'pipe'), path.join(repo, 'loop-a')], 0, manifestDir);
  // The globs (exclude vendor/**) are relative to config/: they say nothing about src/vendor.
  assert.deepEqual(rel(repo, results), ['src/a.sql', 'src/vendor/b.sql']);
  assert.ok(results.every((r) => r.violations.length === 1));
  assert.deepEqual(errors, ['missing: no such file or folder (check the path)', 'pipe: a FIFO (named pipe), not a file or folder: bqmigrate reads only files (name the files to lint instead)', 'loop-a: a symbolic link loop: a link that leads back to itself (fix or remove the link)']);
  const inside = await collect(repo, [path.join(repo, 'config')], 0, manifestDir);
  assert.deepEqual(rel(repo, inside.results), ['config/inside.sql']);
});

test('symlinks: a file reached through a linked folder or a linked file is linted once, under the first path reached', { skip: process.platform === 'win32' }, async () => {
  const dir = workspace({ 'b/deep/x.sql': 'SELECT * FROM models_v4.old_t', 'b/y.sql': 'SELECT * FROM models_v4.old_t', 'z.sql': 'SELECT 1' });
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'bqmigrate-outside-'));
  fs.mkdirSync(path.join(outside, 'sub'));
  fs.writeFileSync(path.join(outside, 'sub', 'o.sql'), 'SELECT * FROM models_v4.old_t');
  fs.symlinkSync(path.join(dir, 'b'), path.join(dir, 'a-link')); // walked before b/
  fs.symlinkSync(path.join(dir, 'b', 'y.sql'), path.join(dir, 'c-link.sql'));
  fs.symlinkSync(path.join(dir, 'z.sql'), path.join(dir, 'b', 'deep', 'z-link.sql')); // reached before z.sql itself
  fs.symlinkSync(outside, path.join(dir, 'ext'));
  const { results } = await collect(dir);
  assert.deepEqual(rel(dir, results).filter((f) => f.endsWith('.sql')), ['a-link/deep/x.sql', 'a-link/deep/z-link.sql', 'a-link/y.sql', 'ext/sub/o.sql']);
});

test('a BOM is not part of the offsets; positions are 1-based', async () => {
  const dir = workspace({ 'bom.sql': '\ufeffSELECT * FROM models_v4.old_t' });
  const { results } = await collect(dir, [path.join(dir, 'bom.sql')]);
  assert.equal(results[0]!.bom, true);
  assert.deepEqual(results[0]!.positions[0], { line: 1, column: 15, endLine: 1, endColumn: 30 });
  assert.deepEqual(results[0]!.violations[0]!.range, { start: 14, end: 29 });
});

test('the worker pool gives the same results as in-process linting', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 150; i++) files[`f${String(i).padStart(3, '0')}.${['sql', 'py', 'md'][i % 3]}`] = i % 4 === 0 ? `-- nothing ${i}\n` : `x = "${'a'.repeat(i)}"\nq = "SELECT * FROM models_v4.old_t"\n`;
  const dir = workspace(files);
  const pooled = await collect(dir, [dir], 2);
  const inline = await collect(dir, [dir], 0);
  assert.equal(pooled.results.length, 150, 'every file but the manifest');
  assert.deepEqual(pooled.results, inline.results);
  assert.ok(pooled.results.filter((r) => r.violations.length > 0).length >= 100);
});

test('ESLint JSON from the pool and in-process is the same bytes: "," + JSON.stringify(toEslintResult(r)) per file, with the counts', async () => {
  const files: Record<string, string | Buffer> = {};
  for (let i = 0; i < 120; i++) files[`d${i % 3}/f${String(i).padStart(3, '0')}-ü.${['sql', 'py', 'md'][i % 3]}`] = i % 5 === 0 ? `-- nothing ${i}\n` : `x = "é😀 ${i}"\nq = "SELECT * FROM models_v4.old_t JOIN \`cbi-v14.nope_ds.t${i}\`"\n`;
  files['d1/nul.sql'] = Buffer.from('SELECT 1\0');
  const dir = workspace(files);
  const r = parseManifest(fs.readFileSync(path.join(dir, 'bqmigrate.json'), 'utf8'), path.join(dir, 'bqmigrate.json'));
  assert.ok(r.ok);
  const render = async (workers: number) => {
    const out: { filePath: string; note?: string; json: string; counts: number[] }[] = [];
    for await (const x of lintFilesAsEslintJson([dir], r.loaded, { workers })) out.push({ filePath: x.filePath, note: x.note, json: Buffer.from(x.json).toString('utf8'), counts: [...x.counts] });
    return out;
  };
  const pooled = await render(2);
  const inline = await render(0);
  assert.deepEqual(pooled, inline);
  const plain: FileLintResult[] = [];
  for await (const x of lintFiles([dir], r.loaded, { workers: 0 })) plain.push(x);
  assert.deepEqual(pooled.map((x) => x.filePath), plain.map((x) => x.filePath), 'the same files in the same order');
  plain.forEach((p, k) => {
    assert.equal(pooled[k]!.note, p.note);
    assert.equal(pooled[k]!.json, p.note ? '' : `,${JSON.stringify(toEslintResult(p))}`);
    const c = countViolations([p]);
    assert.deepEqual(pooled[k]!.counts, [c.errors, c.warnings, c.infos, c.fixableErrors, c.fixableWarnings]);
  });
  assert.ok(plain.filter((p) => p.violations.length >= 2).length >= 90);
  assert.match(pooled.find((x) => x.note)!.note!, /binary file/);
});

test('a worker that runs out of work takes files from another’s batch: the same results, in the same order', async () => {
  // One slow file first, then many quick ones: the worker with the slow file holds two batches of the quick
  // ones when the walk ends, and the other worker, done with its share, takes them over.
  const files: Record<string, string> = { 'a000_slow.sql': 'SELECT * FROM models_v4.old_t;\n'.repeat(40_000) };
  for (let i = 1; i < 80; i++) files[`a${String(i).padStart(3, '0')}.sql`] = `SELECT * FROM models_v4.old_t; -- ${i}\n`;
  const dir = workspace(files);
  const r = parseManifest(fs.readFileSync(path.join(dir, 'bqmigrate.json'), 'utf8'), path.join(dir, 'bqmigrate.json'));
  assert.ok(r.ok);
  const notes: string[] = [];
  const run = async (workers: number, moved: number[]) => {
    const out: { filePath: string; json: string; counts: number[] }[] = [];
    const opts = { workers, onRebalance: (n: number) => moved.push(n), onNote: (f: string, n: string) => notes.push(`${f}: ${n}`) };
    for await (const x of lintFilesAsEslintJson([dir], r.loaded, opts)) out.push({ filePath: x.filePath, json: Buffer.from(x.json).toString('utf8'), counts: [...x.counts] });
    const results: FileLintResult[] = [];
    for await (const x of lintFiles([dir], r.loaded, opts)) results.push(x);
    return { out, results };
  };
  const moved: number[] = [];
  const pooled = await run(2, moved);
  const inline = await run(0, []);
  assert.ok(moved.length > 0 && moved.every((n) => n > 0), `files moved between workers: ${moved.join(', ')}`);
  // A batch whose files were all taken still gets its (empty) reply; the run may end before it: no worker "stopped".
  assert.deepEqual(notes, []);
  assert.equal(pooled.out.length, 80);
  assert.deepEqual(pooled.out, inline.out);
  assert.deepEqual(pooled.results, inline.results);
  assert.equal(pooled.results[0]!.violations.length, 40_000);
});
