/**
 * The lint cache file as a log of batches (core/lint/cache-file.ts): a run that changed a few entries
 * appends them instead of rewriting the file; a torn append (a run killed mid-write, or one still writing),
 * alone or with a later append after it, is dropped with a warning and never read as an entry; a stored
 * result changed on disk is caught by its batch's checksum, not used, and linted again; another key's batches are
 * stale; garbage past half the file makes the next write a rewrite; two caches appending to one file
 * both land. `saveAsync` (the editor's) writes the same log without holding the event loop, and saves of
 * one file land in the order they were asked for.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LintCache } from '../../../src/core/lint/cache';
import type { FileLintResult } from '../../../src/core/lint/file-lint';
import type { Violation } from '../../../src/core/rules/types';

function folder(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'bqmigrate-cache-log-'));
}

/** A lint result with `n` findings whose message names `tag`, for the file at `file`. */
function result(file: string, n: number, tag: string): FileLintResult {
  const violations: Violation[] = [];
  for (let k = 0; k < n; k++) violations.push({ ruleId: 'legacy-reference', severity: 'error', message: `${tag} ${k}`, range: { start: k, end: k + 1 }, fix: undefined, deprecated: undefined, mappingIndex: 0 });
  return { filePath: file, violations, positions: violations.map((_, k) => ({ line: 1, column: k + 1, endLine: 1, endColumn: k + 2 })), bom: false };
}

interface Opened {
  cache: LintCache;
  warnings: string[];
}

function open(file: string, key = 'key-a'): Opened {
  const warnings: string[] = [];
  return { cache: LintCache.open(file, key, 'metadata', (m) => warnings.push(m)), warnings };
}

/** Looks every file up and stores a fresh result for the ones that missed; returns the messages each file has now. */
function lintAll(cache: LintCache, files: string[], tag: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  for (const f of files) {
    const hit = cache.lookup(f);
    const r = hit ? hit.result() : cache.store(result(f, 3, tag)).result();
    seen.set(f, r.violations.map((v) => v.message));
  }
  return seen;
}

function sourceFiles(dir: string, n: number): string[] {
  const files: string[] = [];
  for (let k = 0; k < n; k++) {
    const f = path.join(dir, `f${k}.sql`);
    fs.writeFileSync(f, `SELECT ${k};\n`);
    files.push(f);
  }
  return files;
}

/** `n` source files in a new folder and a cache file beside them, holding a first run's entries (findings tagged `tag`, cache key `key`). */
function filledCache(n: number, tag = 'v1', key = 'key-a'): { files: string[]; cacheFile: string } {
  const dir = folder();
  const files = sourceFiles(dir, n);
  const cacheFile = path.join(dir, 'lintcache');
  const first = open(cacheFile, key);
  lintAll(first.cache, files, tag);
  first.cache.save();
  return { files, cacheFile };
}

/** Gives a file new content (and so a new size and mtime): its entry misses. */
function edit(file: string, text: string): void {
  fs.writeFileSync(file, text);
}

test('a run that re-lints a few files appends their entries: the file before is a prefix of the file after, and every entry reads back', () => {
  const { files, cacheFile } = filledCache(20);
  const before = fs.readFileSync(cacheFile);
  edit(files[3]!, 'SELECT 33;\n');
  const second = open(cacheFile);
  const seen = lintAll(second.cache, files, 'v2');
  assert.deepEqual(seen.get(files[3]!), ['v2 0', 'v2 1', 'v2 2']);
  assert.deepEqual(seen.get(files[4]!), ['v1 0', 'v1 1', 'v1 2']);
  second.cache.save();
  const after = fs.readFileSync(cacheFile);
  assert.ok(after.length > before.length && after.subarray(0, before.length).equals(before), 'appended, not rewritten');
  const third = open(cacheFile);
  const again = lintAll(third.cache, files, 'v3');
  third.cache.close();
  assert.deepEqual(third.warnings, []);
  assert.deepEqual(again.get(files[3]!), ['v2 0', 'v2 1', 'v2 2']);
  assert.deepEqual(again.get(files[0]!), ['v1 0', 'v1 1', 'v1 2']);
  assert.equal(fs.readFileSync(cacheFile).length, after.length, 'nothing changed: nothing written');
});

test('a deleted file is dropped by an appended tombstone', () => {
  const { files, cacheFile } = filledCache(5);
  fs.rmSync(files[2]!);
  const b = open(cacheFile);
  lintAll(b.cache, [files[0]!], 'v2'); // a run over one file: the others are kept while they exist
  b.cache.save();
  fs.writeFileSync(files[2]!, 'SELECT 2;\n'); // back, with the same size: its old entry must be gone
  const c = open(cacheFile);
  const seen = lintAll(c.cache, files, 'v3');
  c.cache.close();
  assert.deepEqual(seen.get(files[2]!), ['v3 0', 'v3 1', 'v3 2']);
  assert.deepEqual(seen.get(files[1]!), ['v1 0', 'v1 1', 'v1 2']);
});

// The tail alone may be another run's append still being written (a reader that meets one waits a moment, then
// says it cannot tell): the warning must not claim a run was interrupted. A torn append with another after it is damage.
for (const [what, tail, warning] of [
  ['a torn append', (torn: Buffer) => torn, /^its last update is incomplete \(\d+ bytes of \d+\): another run is still adding to it, or one was stopped while adding to it; that part is not used and the cache is written anew$/],
  ['a torn append followed by a whole one from another run', (torn: Buffer, whole: Buffer) => Buffer.concat([torn, whole]), /^its header is damaged \(its checksum does not match\), after a whole cache \(a run was stopped while adding to it, or the file was damaged\): that part is dropped and the cache is written anew$/],
] as [string, (torn: Buffer, whole: Buffer) => Buffer, RegExp][]) {
  test(`${what} is dropped with a warning, the batches before it are kept, and no torn byte is read as an entry`, () => {
    const { files, cacheFile } = filledCache(10);
    const base = fs.readFileSync(cacheFile);
    // Two appends, recorded separately, each re-linting files[5] with its own findings.
    edit(files[5]!, 'SELECT 55;\n');
    const b = open(cacheFile);
    lintAll(b.cache, files, 'torn');
    b.cache.save();
    const appendB = fs.readFileSync(cacheFile).subarray(base.length);
    fs.writeFileSync(cacheFile, base);
    edit(files[5]!, 'SELECT 555;\n');
    const c = open(cacheFile);
    lintAll(c.cache, files, 'whole');
    c.cache.save();
    const appendC = fs.readFileSync(cacheFile).subarray(base.length);
    assert.ok(appendB.length > 0 && appendC.length > 0, 'both runs appended');
    fs.writeFileSync(cacheFile, Buffer.concat([base, tail(appendB.subarray(0, appendB.length - 30), appendC)]));
    const d = open(cacheFile);
    assert.equal(d.warnings.length, 1, d.warnings.join('\n'));
    assert.match(d.warnings[0]!, warning);
    const seen = lintAll(d.cache, files, 'fresh');
    assert.deepEqual(seen.get(files[5]!), ['fresh 0', 'fresh 1', 'fresh 2'], 'linted again, never read from torn or misaligned bytes');
    assert.deepEqual(seen.get(files[0]!), ['v1 0', 'v1 1', 'v1 2'], 'the whole batch before is kept');
    d.cache.save();
    const e = open(cacheFile);
    const after = lintAll(e.cache, files, 'never');
    e.cache.close();
    assert.deepEqual(e.warnings, [], 'written anew');
    assert.deepEqual(after.get(files[5]!), ['fresh 0', 'fresh 1', 'fresh 2']);
  });
}

test('a cache of another key (manifest, rules, version, day) is stale: no entry is used, no warning, and the next write replaces it', () => {
  const { files, cacheFile } = filledCache(4, 'a');
  const b = open(cacheFile, 'key-b');
  const seen = lintAll(b.cache, files, 'b');
  assert.deepEqual(b.warnings, []);
  assert.deepEqual(seen.get(files[0]!), ['b 0', 'b 1', 'b 2']);
  b.cache.save();
  const again = open(cacheFile, 'key-a');
  assert.deepEqual(lintAll(again.cache, files, 'a2').get(files[0]!), ['a2 0', 'a2 1', 'a2 2'], 'key-a\'s entries were replaced');
  again.cache.close();
});

test('garbage past half the file makes the next write a rewrite: re-linting one file over and over keeps the file small', () => {
  const { files, cacheFile } = filledCache(10, 'v0');
  const whole = fs.statSync(cacheFile).size;
  let largest = 0;
  for (let round = 1; round <= 40; round++) {
    edit(files[0]!, `SELECT ${'x'.repeat(round)};\n`);
    const c = open(cacheFile);
    const seen = lintAll(c.cache, files, `v${round}`);
    assert.deepEqual(seen.get(files[0]!), [`v${round} 0`, `v${round} 1`, `v${round} 2`]);
    assert.deepEqual(c.warnings, []);
    c.cache.save();
    largest = Math.max(largest, fs.statSync(cacheFile).size);
  }
  assert.ok(largest < 2.5 * whole, `the file stays under 2.5× a whole cache (${largest} vs ${whole})`);
});

test('two caches opened on one file both append, and the entries of both are read back', () => {
  const { files, cacheFile } = filledCache(6);
  edit(files[1]!, 'SELECT 11;\n');
  edit(files[2]!, 'SELECT 22;\n');
  const x = open(cacheFile);
  const y = open(cacheFile);
  lintAll(x.cache, [files[1]!], 'x');
  lintAll(y.cache, [files[2]!], 'y');
  x.cache.save();
  y.cache.save();
  const z = open(cacheFile);
  const seen = lintAll(z.cache, files, 'z');
  z.cache.close();
  assert.deepEqual(z.warnings, []);
  assert.deepEqual(seen.get(files[1]!), ['x 0', 'x 1', 'x 2']);
  assert.deepEqual(seen.get(files[2]!), ['y 0', 'y 1', 'y 2']);
  assert.deepEqual(seen.get(files[3]!), ['v1 0', 'v1 1', 'v1 2']);
});

test('a stored result changed on disk is caught by its batch\'s checksum: that batch\'s files are linted again, the others are used, and the cache is written anew', () => {
  const { files, cacheFile } = filledCache(8);
  const base = fs.statSync(cacheFile).size;
  edit(files[2]!, 'SELECT 22;\n');
  const b = open(cacheFile);
  lintAll(b.cache, files, 'v2');
  b.cache.save();
  const bytes = fs.readFileSync(cacheFile);
  // The appended batch's stored ESLint JSON of files[2]: change one letter of a message, keeping every length.
  const at = bytes.indexOf('v2 1', base);
  assert.ok(at > base, 'the appended entry is in the file');
  bytes[at] = 0x77; // w
  fs.writeFileSync(cacheFile, bytes);
  const c = open(cacheFile);
  const seen = lintAll(c.cache, files, 'v3');
  assert.deepEqual(c.warnings, ['the stored results of an update do not match their checksum (the file was damaged): their files are linted again and the cache is written anew']);
  assert.deepEqual(seen.get(files[2]!), ['v3 0', 'v3 1', 'v3 2'], 'never read from the changed bytes');
  assert.deepEqual(seen.get(files[0]!), ['v1 0', 'v1 1', 'v1 2'], 'the whole batch before is used');
  c.cache.save();
  const d = open(cacheFile);
  const again = lintAll(d.cache, files, 'never');
  d.cache.close();
  assert.deepEqual(d.warnings, [], 'written anew');
  assert.deepEqual(again.get(files[2]!), ['v3 0', 'v3 1', 'v3 2']);
  assert.deepEqual(again.get(files[7]!), ['v1 0', 'v1 1', 'v1 2']);
});

test('saveAsync writes what save writes (a whole file, then an append) while the event loop keeps running', async () => {
  const dir = folder();
  const files = sourceFiles(dir, 600);
  const cacheFile = path.join(dir, 'lintcache');
  const first = open(cacheFile);
  lintAll(first.cache, files, 'v1');
  let turns = 0;
  const ticking = setInterval(() => turns++, 0);
  try {
    await first.cache.saveAsync();
    assert.ok(turns > 0, 'timers ran while the cache was saved');
  } finally {
    clearInterval(ticking);
  }
  const before = fs.readFileSync(cacheFile);
  edit(files[5]!, 'SELECT 55;\n');
  const second = open(cacheFile);
  const seen = lintAll(second.cache, files, 'v2');
  await second.cache.saveAsync();
  const after = fs.readFileSync(cacheFile);
  assert.ok(after.length > before.length && after.subarray(0, before.length).equals(before), 'the second save appended');
  const third = open(cacheFile);
  assert.deepEqual(lintAll(third.cache, files, 'v3'), seen);
  assert.deepEqual([first.warnings, second.warnings, third.warnings], [[], [], []]);
});

test('saves of one cache file land in the order they were asked for: a long older save never overwrites a newer one', async () => {
  const dir = folder();
  const files = sourceFiles(dir, 3000);
  const cacheFile = path.join(dir, 'lintcache');
  // Both open the cache before either has written it: each writes the whole file, the older one far more.
  const older = open(cacheFile);
  const newer = open(cacheFile);
  lintAll(older.cache, files, 'old');
  const some = files.slice(0, 10);
  lintAll(newer.cache, some, 'new');
  const saves = [older.cache.saveAsync(), newer.cache.saveAsync()];
  await LintCache.settled(cacheFile);
  await Promise.all(saves);
  const after = open(cacheFile);
  const messages = lintAll(after.cache, some, 'again');
  for (const f of some) assert.deepEqual(messages.get(f), ['new 0', 'new 1', 'new 2'], f);
  assert.deepEqual(after.warnings, []);
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temp file is left');
});
