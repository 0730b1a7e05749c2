/**
 * A fresh lint is kept under what its read saw (core/lint/cache.ts `readsIdentify`): with it, a file
 * without an entry is not stat'ed at lookup (past the missed bytes a caller needs counted); its lint is
 * stored under the size, mtime and inode that fstat gave before the read, so content changed after the
 * read is never served from the cache, and a lint that comes back without that identity is not kept.
 * `readIdentityOf` gives what the thread's last read saw.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LintCache, type ReadStat } from '../../../src/core/lint/cache';
import { lintFile, readIdentityOf, type FileLintResult } from '../../../src/core/lint/file-lint';
import { createLinter } from '../../../src/core/lint/linter';
import { parseManifest } from '../../../src/core/manifest/load';

// The module object itself (not an import's copy of its bindings): what cache.ts calls statSync on.
const realFs = require('node:fs') as typeof fs;

function sourceFiles(n: number): { dir: string; files: string[]; cacheFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bqmigrate-cache-identity-'));
  const files = Array.from({ length: n }, (_, k) => {
    const f = path.join(dir, `f${k}.sql`);
    fs.writeFileSync(f, `SELECT ${k};\n`);
    return f;
  });
  return { dir, files, cacheFile: path.join(dir, 'lintcache') };
}

function result(file: string, tag: string): FileLintResult {
  return { filePath: file, violations: [{ ruleId: 'legacy-reference', severity: 'error', message: tag, range: { start: 0, end: 1 }, fix: undefined, deprecated: undefined, mappingIndex: 0 }], positions: [{ line: 1, column: 1, endLine: 1, endColumn: 2 }], bom: false };
}

const statNow = (file: string): ReadStat => {
  const st = fs.statSync(file);
  return { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino };
};

function open(cacheFile: string, readsIdentify: boolean): LintCache {
  const cache = LintCache.open(cacheFile, 'key', 'metadata', (m) => assert.fail(`unexpected warning: ${m}`));
  cache.readsIdentify = readsIdentify;
  return cache;
}

test('with readsIdentify, files without an entry are stat\'ed at lookup only until the missed bytes asked for are counted; files with one always are', (t) => {
  const { files, cacheFile } = sourceFiles(6);
  const first = open(cacheFile, true);
  first.countMissedBytesUpTo = 1; // the first miss is counted, the rest not stat'ed
  const stat = t.mock.method(realFs, 'statSync');
  for (const f of files) assert.equal(first.lookup(f), undefined);
  assert.equal(stat.mock.callCount(), 1);
  assert.equal(first.missedBytes, fs.statSync(files[0]!).size);
  stat.mock.restore();
  files.forEach((f) => first.store(result(f, 'v1'), statNow(f)));
  first.save();

  const plain = open(cacheFile, false);
  const counted = t.mock.method(realFs, 'statSync');
  for (const f of files.slice(0, 3)) assert.equal(plain.lookup(`${f}.new`), undefined); // no entry, no readsIdentify: stat'ed as always
  assert.equal(counted.mock.callCount(), 3);
  const warm = open(cacheFile, true);
  for (const f of files) assert.equal(warm.lookup(f)?.result().violations[0]?.message, 'v1'); // an entry is compared: stat'ed
  assert.equal(counted.mock.callCount(), 3 + files.length);
  plain.close();
  warm.close();
});

test('a lint is kept under what its read saw: content changed after the read misses next time, unchanged content hits', () => {
  const { files, cacheFile } = sourceFiles(2);
  const [changed, same] = files as [string, string];
  const first = open(cacheFile, true);
  first.lookup(changed);
  first.lookup(same);
  const read = statNow(changed); // what the lint's read saw
  fs.writeFileSync(changed, 'SELECT 12345678;\n'); // then the file changed, before its result came back
  first.store(result(changed, 'old content'), read);
  first.store(result(same, 'same'), statNow(same));
  first.save();
  const next = open(cacheFile, true);
  assert.equal(next.lookup(changed), undefined, 'the lint of the old content is not used for the new one');
  assert.equal(next.lookup(same)?.result().violations[0]?.message, 'same');
  next.close();
});

test('with readsIdentify, a lint of a file not stat\'ed at lookup that comes back without its read\'s identity is not kept (linted again next time)', () => {
  const { files, cacheFile } = sourceFiles(2);
  const first = open(cacheFile, true);
  for (const f of files) first.lookup(f);
  first.store(result(files[0]!, 'no identity'));
  first.store(result(files[1]!, 'with identity'), statNow(files[1]!));
  first.save();
  const next = open(cacheFile, true);
  assert.equal(next.lookup(files[0]!), undefined);
  assert.equal(next.lookup(files[1]!)?.result().violations[0]?.message, 'with identity');
  next.close();
});

test('readIdentityOf gives what fstat said before the thread\'s last lintFile read that file, and nothing for another file or one that could not be opened', () => {
  const { dir, files } = sourceFiles(2);
  const manifest = path.join(dir, 'bqmigrate.json');
  fs.writeFileSync(manifest, JSON.stringify({ project: 'cbi-v14', datasets: { training: { description: 't' } }, mappings: [] }));
  const parsed = parseManifest(fs.readFileSync(manifest, 'utf8'), manifest);
  assert.ok(parsed.ok, JSON.stringify(parsed.ok ? [] : parsed.problems));
  const linter = createLinter(parsed.loaded);
  lintFile(linter, files[0]!);
  const st = fs.statSync(files[0]!);
  assert.deepEqual(readIdentityOf(files[0]!), { file: files[0], size: st.size, mtimeMs: st.mtimeMs, ino: st.ino });
  assert.equal(readIdentityOf(files[1]!), undefined);
  const missing = path.join(dir, 'gone.sql');
  assert.equal(lintFile(linter, missing).unscanned, 'unreadable');
  assert.equal(readIdentityOf(missing), undefined);
  assert.equal(readIdentityOf(files[0]!), undefined, 'the last read is the failed one');
});

test('filesWithFindings names the files whose entries hold findings, in the order they were stored, fresh and read back', () => {
  const { files, cacheFile } = sourceFiles(5);
  const clean = (file: string): FileLintResult => ({ filePath: file, violations: [], positions: [], bom: false });
  const first = open(cacheFile, false);
  files.forEach((f, k) => {
    first.lookup(f);
    first.store(k % 2 === 0 ? result(f, `v${k}`) : clean(f));
  });
  assert.deepEqual(first.filesWithFindings(), [files[0], files[2], files[4]]);
  first.save();
  const next = open(cacheFile, false);
  assert.deepEqual(next.filesWithFindings(), [files[0], files[2], files[4]]);
  // An entry dropped (a file `fix` rewrote) or replaced by a clean lint no longer counts.
  next.forget(files[0]!);
  next.lookup(files[2]!);
  next.store(clean(files[2]!));
  assert.deepEqual(next.filesWithFindings(), [files[4]]);
  first.close();
  next.close();
});

/** `n` files, each cached with one finding (message `v1`), the cache saved. */
function cachedFiles(n: number): { files: string[]; cacheFile: string } {
  const { files, cacheFile } = sourceFiles(n);
  const first = open(cacheFile, false);
  for (const f of files) {
    first.lookup(f);
    first.store(result(f, 'v1'));
  }
  first.save();
  return { files, cacheFile };
}

test('the entry of a file deleted since it was cached is dropped when the cache is saved, looked up or not', async () => {
  const { files, cacheFile } = cachedFiles(3);
  fs.rmSync(files[0]!);
  fs.rmSync(files[1]!);
  const next = open(cacheFile, false);
  assert.equal(next.lookup(files[0]!), undefined); // looked up (a restart shows its cached findings first): it is gone
  assert.equal(next.lookup(files[2]!)?.result().violations[0]?.message, 'v1');
  await next.saveAsync();
  const after = open(cacheFile, false);
  assert.deepEqual(after.filesWithFindings(), [files[2]]);
  after.close();
});

test('missed says whether the last lookup missed a file that is there: changed since, not deleted, not a hit', () => {
  const { files, cacheFile } = cachedFiles(3);
  const [same, changed, deleted] = files as [string, string, string];
  fs.writeFileSync(changed, 'SELECT 1234567890;\n');
  fs.rmSync(deleted);
  const next = open(cacheFile, false);
  assert.ok(next.lookup(same));
  assert.equal(next.lookup(changed), undefined);
  assert.equal(next.lookup(deleted), undefined);
  assert.deepEqual([same, changed, deleted].map((f) => next.missed(f)), [false, true, false]);
  next.close();
});
