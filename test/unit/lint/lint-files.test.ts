import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseManifest } from '../../../src/core/manifest/load';
import { lintFiles } from '../../../src/core/lint/pool';
import type { FileLintResult } from '../../../src/core/lint/file-lint';

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

async function collect(dir: string, paths: string[] = [dir], workers = 0): Promise<{ results: FileLintResult[]; notes: string[] }> {
  const r = parseManifest(fs.readFileSync(path.join(dir, 'bqmigrate.json'), 'utf8'), path.join(dir, 'bqmigrate.json'));
  assert.ok(r.ok, JSON.stringify(r.problems));
  const notes: string[] = [];
  const results: FileLintResult[] = [];
  for await (const x of lintFiles(paths, r.loaded, { workers, onNote: (f, n) => notes.push(`${path.relative(dir, f)}: ${n}`) })) results.push(x);
  results.sort((a, b) => a.filePath.localeCompare(b.filePath));
  return { results, notes };
}

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
  const { results } = await collect(dir);
  assert.deepEqual(rel(dir, results), ['.gitignore', 'a.sql', 'sub/.gitignore', 'sub/kept.py']);
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
  const { results } = await collect(dir);
  const byName = new Map(results.map((r) => [path.basename(r.filePath), r]));
  assert.match(byName.get('nul.sql')!.note!, /binary file \(NUL byte at offset 29\)/);
  assert.match(byName.get('latin1.sql')!.note!, /not UTF-8/);
  assert.equal(byName.get('good.sql')!.violations.length, 1);
  assert.equal(byName.get('data.parquet')!.violations.length, 0, 'known binary formats are not scanned');
});

test('symlink loops are never followed twice; a symlinked folder is walked once', { skip: process.platform === 'win32' }, async () => {
  const dir = workspace({ 'sql/a.sql': 'SELECT * FROM models_v4.old_t' });
  fs.symlinkSync(dir, path.join(dir, 'sql', 'loop'));
  fs.symlinkSync(path.join(dir, 'sql'), path.join(dir, 'alias'));
  fs.symlinkSync(path.join(dir, 'missing'), path.join(dir, 'broken'));
  const { results, notes } = await collect(dir);
  assert.deepEqual(rel(dir, results).filter((f) => f.endsWith('.sql')), ['alias/a.sql']);
  assert.ok(notes.some((n) => /broken: broken symbolic link/.test(n)), notes.join('\n'));
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
