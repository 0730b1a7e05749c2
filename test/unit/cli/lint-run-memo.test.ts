/**
 * The run memo of `lint --cache` (core/lint/run-memo.ts) on the built binary: a run with nothing changed
 * prints the last run's stdout, stderr and exit code without reading the lint cache; any change to what the
 * run read — a file edited, added or removed, a file newly left out, other arguments, another working
 * folder — prints what an uncached run prints and keeps a new memo; a run that said something about the
 * cache (a damaged entry) is not replayed; a damaged memo is said and replaced.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bqmigrate, buildOnce } from './cli-helpers';
import { assertCachedIsPlain, BASE, cacheOf, damageBehindTheMemo, damageCache, memoOf, PINNED, workspace } from './run-memo-helpers';

before(() => buildOnce());

test('nothing changed: the last run\'s stdout, stderr and exit code, without reading the lint cache', () => {
  const dir = workspace();
  for (const args of [['--format', 'json'], ['--format', 'stylish', '--report-unscanned'], ['--format', 'sarif'], ['--format', 'stylish', '--max-warnings', '0']]) {
    const plain = bqmigrate([...BASE, ...args], dir);
    assert.match(plain.stderr, /nul\.sql:2:1: a NUL byte/);
    const filled = bqmigrate([...BASE, ...args, '--cache'], dir);
    assert.ok(fs.existsSync(memoOf(dir)), `${args.join(' ')}: the memo is kept`);
    // A cache with another mtime is another cache: this run reads it (nothing changed, nothing rewritten) and keeps a memo beside it.
    fs.utimesSync(cacheOf(dir), PINNED, PINNED);
    assert.equal(bqmigrate([...BASE, ...args, '--cache'], dir).stdout, plain.stdout);
    assert.equal(fs.statSync(cacheOf(dir)).mtimeMs, PINNED * 1000, 'the cache was not rewritten');
    damageBehindTheMemo(dir);
    const replayed = bqmigrate([...BASE, ...args, '--cache'], dir);
    for (const r of [filled, replayed]) {
      assert.equal(r.stdout, plain.stdout, args.join(' '));
      assert.equal(r.stderr, plain.stderr, `${args.join(' ')}: stderr, the notes and the summary included`);
      assert.equal(r.code, plain.code);
    }
    assert.doesNotMatch(replayed.stderr, /lint cache/, 'the lint cache was not read');
    // A file changed: its output is an uncached run's, the changed file's part put into the memo's output
    // (lint-run-splice.test.ts) without reading the cache.
    fs.appendFileSync(path.join(dir, 'gen', 'q1.sql'), '-- edited\n');
    const after = bqmigrate([...BASE, ...args, '--cache'], dir);
    assert.doesNotMatch(after.stderr, /lint cache/, `${args.join(' ')}: spliced, the lint cache not read`);
    fs.rmSync(cacheOf(dir));
    assert.equal(after.stdout, bqmigrate([...BASE, ...args], dir).stdout);
  }
});

test('beside another lint cache — deleted, damaged, another run\'s — the memo is not used', () => {
  const dir = workspace();
  const plain = bqmigrate([...BASE, '--format', 'json'], dir);
  assertCachedIsPlain(dir, ['--format', 'json'], 'filled');
  fs.rmSync(cacheOf(dir));
  assertCachedIsPlain(dir, ['--format', 'json'], 'the cache deleted');
  assert.ok(fs.statSync(cacheOf(dir)).size > 1000, 'the run read every file and filled the cache again');
  damageCache(dir);
  const r = bqmigrate([...BASE, '--format', 'json', '--cache'], dir);
  assert.match(r.stderr, /lint cache \.bqmigrate\/lintcache: not a bqmigrate lint cache/);
  assert.equal(r.stdout, plain.stdout);
});

test('a file edited, added or removed, a file newly left out, other arguments or another working folder: what an uncached run prints', () => {
  const dir = workspace();
  const gen = path.join(dir, 'gen');
  assertCachedIsPlain(dir, ['--format', 'json'], 'filled');
  fs.writeFileSync(path.join(gen, 'q2.sql'), 'SELECT * FROM models_v4.production_training_data_3m;\n');
  assertCachedIsPlain(dir, ['--format', 'json'], 'edited');
  fs.writeFileSync(path.join(gen, 'q99.sql'), 'SELECT * FROM models_v4.vix_daily;\n');
  assertCachedIsPlain(dir, ['--format', 'json'], 'added');
  fs.rmSync(path.join(gen, 'q0.sql'));
  assertCachedIsPlain(dir, ['--format', 'json'], 'removed');
  fs.writeFileSync(path.join(gen, 'weights.parquet'), 'PAR1'); // left out by the walk: a new unscanned entry
  assertCachedIsPlain(dir, ['--format', 'json'], 'a file newly left out');
  fs.writeFileSync(path.join(gen, 'q5.sql'), `-- ${'x'.repeat(3000)}\n`); // now over --max-file-size
  assertCachedIsPlain(dir, ['--format', 'json'], 'a file grown over the size limit');
  // Other arguments each keep their own output; the last one's memo is the one kept.
  assertCachedIsPlain(dir, ['--format', 'stylish'], 'stylish after json');
  assertCachedIsPlain(dir, ['--format', 'json'], 'json after stylish');
  assertCachedIsPlain(dir, ['--format', 'json', '--max-warnings', '0'], '--max-warnings');
  assertCachedIsPlain(dir, ['--format', 'json', 'gen'], 'a path named');
  // Paths in stylish output are relative to the working folder.
  const plain = bqmigrate([...BASE, '--format', 'stylish', '--cache', '--manifest', '../bqmigrate.json', '.'], gen);
  assert.equal(plain.stdout, bqmigrate([...BASE, '--format', 'stylish', '--manifest', '../bqmigrate.json', '.'], gen).stdout);
  assert.match(plain.stdout, /^q3\.sql$/m);
  assertCachedIsPlain(dir, ['--format', 'stylish'], 'from the workspace again');
});

test('a run that said something about the cache is not replayed', () => {
  const dir = workspace();
  assertCachedIsPlain(dir, ['--format', 'json'], 'filled');
  fs.rmSync(memoOf(dir));
  damageCache(dir);
  const r = bqmigrate([...BASE, '--format', 'json', '--cache'], dir);
  assert.match(r.stderr, /lint cache \.bqmigrate\/lintcache: not a bqmigrate lint cache/);
  assert.ok(!fs.existsSync(memoOf(dir)), 'no memo of a run that warned');
  const next = bqmigrate([...BASE, '--format', 'json', '--cache'], dir);
  assert.doesNotMatch(next.stderr, /lint cache/, 'the warning is not printed again');
  assert.equal(next.stdout, r.stdout);
  assert.ok(fs.existsSync(memoOf(dir)));
});

for (const [damage, warning, hurt] of [
  ['truncated', /lintcache\.run: (it is cut short|its lengths do not add up): discarded/, (b: Buffer) => b.subarray(0, Math.floor(b.length / 2))],
  ['garbage', /lintcache\.run: not a bqmigrate run memo/, () => Buffer.from('{"version":1}')],
  ['changed in its header (the exit code)', /lintcache\.run: its checksum does not match: discarded/, (b: Buffer) => flip(b, b.indexOf('"exit":') + 7)],
  ['changed in its output', /lintcache\.run: its checksum does not match: discarded/, (b: Buffer) => flip(b, b.lastIndexOf('"line":') + 7)],
  // A path changed reads as a file gone and one new, which a splice would take from the memo: it is checked first.
  ['changed in its file list', /lintcache\.run: its checksum does not match: discarded/, (b: Buffer) => flip(b, b.indexOf('q1.sql'))],
] as [string, RegExp, (b: Buffer) => Buffer][]) {
  test(`a run memo ${damage}: discarded with a warning, the results are right, and it is written anew`, () => {
    const dir = workspace();
    const plain = bqmigrate([...BASE, '--format', 'json'], dir);
    bqmigrate([...BASE, '--format', 'json', '--cache'], dir);
    fs.writeFileSync(memoOf(dir), hurt(fs.readFileSync(memoOf(dir))));
    const r = bqmigrate([...BASE, '--format', 'json', '--cache'], dir);
    assert.match(r.stderr, warning);
    assert.equal(r.stdout, plain.stdout);
    assert.equal(r.code, plain.code);
    const again = bqmigrate([...BASE, '--format', 'json', '--cache'], dir);
    assert.equal(again.stderr, plain.stderr, 'rewritten whole: nothing said');
    assert.equal(again.stdout, plain.stdout);
  });
}

/** `b` with the byte at `at` changed (found by the caller, so the test fails loudly if the layout moves). */
function flip(b: Buffer, at: number): Buffer {
  assert.ok(at > 0);
  const c = Buffer.from(b);
  c[at] = c[at] === 0x39 ? 0x38 : c[at]! + 1;
  return c;
}

test('the content strategy keeps no memo (it reads every file)', () => {
  const dir = workspace();
  const plain = bqmigrate([...BASE, '--format', 'json'], dir);
  for (let pass = 0; pass < 2; pass++) assert.equal(bqmigrate([...BASE, '--format', 'json', '--cache', '--cache-strategy', 'content'], dir).stdout, plain.stdout);
  assert.ok(fs.existsSync(cacheOf(dir)) && !fs.existsSync(memoOf(dir)));
});
