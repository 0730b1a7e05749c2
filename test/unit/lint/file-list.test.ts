/**
 * The core parts of the editor's workspace scan: `lintFileList` (a chosen list of files on the worker
 * pool, no walk), results with their resolved references (`references: true`), packed for the worker
 * transfer and for the lint cache, and a cache filled by one list run serving the next.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseManifest, type LoadedManifest } from '../../../src/core/manifest/load';
import { lintFileList } from '../../../src/core/lint/pool';
import { createLinter } from '../../../src/core/lint/linter';
import { cacheKeyOf, LintCache } from '../../../src/core/lint/cache';
import { decodeCachedResult, encodeCachedResult } from '../../../src/core/lint/cache-codec';
import { decodeResults, encodeResults } from '../../../src/core/lint/transfer';
import type { FileLintResult } from '../../../src/core/lint/file-lint';
import { LineIndex } from '../../../src/core/text/positions';

const MANIFEST = `{
  "project": "cbi-v14",
  "datasets": { "training": { "description": "t" } },
  "legacyDatasets": { "models_v4": { "description": "old" } },
  "mappings": [
    { "from": "models_v4.old_t", "to": "training.new_t", "status": "migrated" },
    { "from": "models_v4.later", "status": "planned" }
  ],
  "rules": { "legacy-reference": "off" }
}`;

function workspace(n: number): { dir: string; loaded: LoadedManifest; files: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bqmigrate-list-'));
  fs.writeFileSync(path.join(dir, 'bqmigrate.json'), MANIFEST);
  const files: string[] = [];
  for (let i = 0; i < n; i++) {
    const f = path.join(dir, `f${String(i).padStart(3, '0')}.${['sql', 'py', 'md'][i % 3]}`);
    const body = i % 4 === 0 ? `-- nothing ${i}\n` : `x = "é😀 ${i}"\nq = "SELECT * FROM models_v4.old_t JOIN models_v4.later JOIN \`cbi-v14.nope.t${i}\`"\n`;
    fs.writeFileSync(f, body);
    files.push(f);
  }
  fs.writeFileSync(path.join(dir, 'bin.sql'), Buffer.from('SELECT 1\0'));
  files.push(path.join(dir, 'bin.sql'));
  const r = parseManifest(MANIFEST, path.join(dir, 'bqmigrate.json'));
  assert.ok(r.ok);
  return { dir, loaded: r.loaded, files };
}

async function run(files: string[], loaded: LoadedManifest, opts: Parameters<typeof lintFileList>[2]): Promise<FileLintResult[]> {
  const out: FileLintResult[] = [];
  for await (const r of lintFileList(files, loaded, opts)) out.push(r);
  return out;
}

test('lintFileList lints exactly the listed files in their order; pool and in-process agree, references included', async () => {
  const { loaded, files } = workspace(120);
  const listed = [...files].reverse();
  const pooled = await run(listed, loaded, { workers: 2, references: true });
  const inline = await run(listed, loaded, { workers: 0, references: true });
  assert.deepEqual(pooled.map((r) => r.filePath), listed);
  assert.deepEqual(pooled, inline);
  // In the background (the editor's: workers at a lower priority, replies turned into results as they are taken): the same.
  assert.deepEqual(await run(listed, loaded, { workers: 2, references: true, background: true }), inline);
  // The references are the linter's resolved references with 1-based positions, also where no rule flags them.
  const linter = createLinter(loaded);
  let withRefs = 0;
  for (const r of inline) {
    if (r.note) {
      assert.equal(r.references, undefined);
      continue;
    }
    const text = fs.readFileSync(r.filePath, 'utf8');
    const index = new LineIndex(text);
    const expected = linter.lintText(text, r.filePath).refs.flatMap((x) => {
      if (!x.resolution) return [];
      const s = index.positionAt(x.ref.range.start);
      const e = index.positionAt(x.ref.range.end);
      return [{ mappingIndex: x.resolution.mappingIndex, from: x.resolution.from, to: x.resolution.to, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 }];
    });
    assert.deepEqual(r.references, expected);
    if (expected.length === 2) withRefs++;
    assert.ok(r.violations.every((v) => v.ruleId !== 'legacy-reference'), 'the rule is off, the references are still listed');
  }
  assert.ok(withRefs >= 80, `${withRefs} files with both references`);
  // Without asking, results stay as the CLI knows them.
  const plain = await run(listed.slice(0, 5), loaded, { workers: 0 });
  assert.ok(plain.every((r) => !('references' in r)));
});

test('results with references pack for the workers and the cache, and read back the same; damaged references are refused', () => {
  const r: FileLintResult = {
    filePath: '/w/a.sql',
    violations: [{ ruleId: 'unknown-dataset', severity: 'warning', message: 'm', range: { start: 1, end: 4 }, fix: undefined, deprecated: undefined, mappingIndex: undefined }],
    positions: [{ line: 1, column: 2, endLine: 1, endColumn: 5 }],
    bom: true,
    references: [
      { mappingIndex: 0, from: 'models_v4.old_t', to: 'training.new_t', line: 2, column: 3, endLine: 2, endColumn: 18 },
      { mappingIndex: 1, from: 'models_v4.later', to: undefined, line: 3, column: 1, endLine: 3, endColumn: 16 },
    ],
  };
  const packed = encodeResults([r, { ...r, filePath: '/w/b.sql', bom: undefined, references: [] }]);
  assert.ok(packed, 'packed, not sent as objects');
  assert.deepStrictEqual(decodeResults(structuredClone(packed)), [r, { ...r, filePath: '/w/b.sql', bom: undefined, references: [] }]);
  const stored = encodeCachedResult(r);
  assert.equal(stored[0], 0x50, 'packed in the cache too');
  assert.deepStrictEqual(decodeCachedResult(stored, '/w/a.sql'), r);
  // The strings of an entry cut to lose the reference's names: refused, not read back wrong.
  const text = Buffer.from(stored).toString('latin1');
  const damaged = Buffer.from(text.replace('"training.new_t"', '"x"').replace(/,"models_v4\.later"/, ''), 'latin1');
  assert.throws(() => decodeCachedResult(damaged, '/w/a.sql'));
});

test('a cache filled by one list run serves the next: same results, changed files linted again', async () => {
  const { dir, loaded, files } = workspace(80);
  const cacheFile = path.join(dir, 'storage', 'lintcache');
  fs.mkdirSync(path.dirname(cacheFile));
  const key = cacheKeyOf(loaded, { tool: 'test' });
  const warnings: string[] = [];
  const fresh = await run(files, loaded, { workers: 2, references: true });
  const first = LintCache.open(cacheFile, key, 'metadata', (m) => warnings.push(m));
  assert.deepEqual(await run(files, loaded, { workers: 2, references: true, cache: first }), fresh);
  first.save();
  // Next start: every readable file is a hit with its references.
  const second = LintCache.open(cacheFile, key, 'metadata', (m) => warnings.push(m));
  const hits = files.map((f) => second.lookup(f)?.result());
  assert.equal(hits.filter((h) => h === undefined).length, 0);
  assert.deepEqual(hits, fresh);
  second.close();
  // One file changed while "closed": its entry misses and the run lints it again.
  const changed = files[0]!; // a .sql file
  fs.writeFileSync(changed, 'SELECT 1 FROM models_v4.old_t -- grew\n');
  const third = LintCache.open(cacheFile, key, 'metadata', (m) => warnings.push(m));
  assert.equal(third.lookup(changed), undefined);
  assert.ok(third.lookup(files[2]!));
  third.close();
  const again = await run(files, loaded, { workers: 0, references: true });
  const changedResult = again.find((r) => r.filePath === changed)!;
  assert.deepEqual(changedResult.references?.map((x) => [x.from, x.line, x.column]), [['models_v4.old_t', 1, 15]]);
  assert.deepEqual(warnings, []);
});

test('a caller that looked the files up itself (lookedUp) has their results stored without a second look-up', async () => {
  const { dir, loaded, files } = workspace(60);
  const cacheFile = path.join(dir, 'storage', 'lintcache');
  fs.mkdirSync(path.dirname(cacheFile));
  const key = cacheKeyOf(loaded, { tool: 'test' });
  const fresh = await run(files, loaded, { workers: 0, references: true });
  // Looked up first (as the editor's scan does): stored, and the next start hits every readable file.
  const first = LintCache.open(cacheFile, key, 'metadata', assert.fail);
  for (const f of files) assert.equal(first.lookup(f), undefined);
  assert.deepEqual(await run(files, loaded, { workers: 2, references: true, cache: first, lookedUp: true }), fresh);
  first.save();
  const second = LintCache.open(cacheFile, key, 'metadata', assert.fail);
  assert.deepEqual(files.map((f) => second.lookup(f)?.result()), fresh);
  second.close();
  // The same in the background (replies stored as their results are taken), saved without blocking.
  const backgroundFile = path.join(dir, 'storage', 'background');
  const third = LintCache.open(backgroundFile, key, 'metadata', assert.fail);
  for (const f of files) assert.equal(third.lookup(f), undefined);
  assert.deepEqual(await run(files, loaded, { workers: 2, references: true, cache: third, lookedUp: true, background: true }), fresh);
  await third.saveAsync();
  const fourth = LintCache.open(backgroundFile, key, 'metadata', assert.fail);
  assert.deepEqual(files.map((f) => fourth.lookup(f)?.result()), fresh);
  fourth.close();
  // Not looked up and told it was: neither the files first walked nor those the pool is fed later are looked up
  // (in-process and on the pool), so nothing is stored (a cache keeps only what it saw before the lint).
  for (const workers of [0, 2]) {
    const other = path.join(dir, 'storage', `other-${workers}`);
    const unseen = LintCache.open(other, key, 'metadata', assert.fail);
    assert.deepEqual(await run(files, loaded, { workers, references: true, cache: unseen, lookedUp: true }), fresh);
    unseen.save();
    const reopened = LintCache.open(other, key, 'metadata', assert.fail);
    assert.equal(files.filter((f) => reopened.lookup(f) !== undefined).length, 0, `${workers} workers`);
    reopened.close();
  }
});

test('inProcessLimit: one file to lint starts the worker pool when the caller asks for it; by default it stays in-process', async () => {
  const { loaded, files } = workspace(3);
  const notes: string[] = [];
  // A worker script that cannot load: a pool that starts says so, and its files are linted in-process.
  const opts = { references: true, workers: 2, workerScript: path.join(os.tmpdir(), 'bqmigrate-no-such-worker.js'), onNote: (_f: string, note: string) => notes.push(note) };
  const expected = await run(files.slice(0, 1), loaded, { workers: 0, references: true });
  assert.deepEqual(await run(files.slice(0, 1), loaded, opts), expected);
  assert.deepEqual(notes, [], 'one file: in-process, no worker started');
  assert.deepEqual(await run(files.slice(0, 1), loaded, { ...opts, inProcessLimit: 1 }), expected);
  assert.ok(notes.length > 0 && notes.every((n) => /a lint worker stopped/.test(n)), notes.join('\n'));
});
