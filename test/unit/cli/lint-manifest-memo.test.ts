/**
 * The manifest memo of `lint --cache` (core/lint/manifest-memo.ts) and the launcher's code cache, on the
 * built binary: a warm run takes the checked manifest from the memo while the manifest's text is the same
 * and prints its warnings as a check would; an edited manifest is checked again; a damaged memo is
 * discarded with a warning; a damaged or foreign code cache still runs the right code.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bqmigrate, buildOnce, copyFixture } from './cli-helpers';
import { readManifestMemo, writeManifestMemo } from '../../../src/core/lint/manifest-memo';

before(() => buildOnce());

const LINT = ['lint', '--format', 'json'];

/** The basic fixture with a manifest that loads with a warning (a mapping that renames nothing). */
function workspace(): string {
  const dir = copyFixture('basic');
  const manifest = path.join(dir, 'bqmigrate.json');
  fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace('"mappings": [', '"mappings": [\n    { "from": "models_v4.vix_daily", "to": "models_v4.vix_daily" },'));
  fs.mkdirSync(path.join(dir, '.bqmigrate')); // as a cached run leaves it, so uncached runs walk the same tree
  return dir;
}

const memoOf = (dir: string) => path.join(dir, '.bqmigrate', 'lintcache.manifest');

/** The key a memo file was written under (the bytes after its magic line). */
function keyOf(file: string): Buffer {
  const bytes = fs.readFileSync(file);
  const at = bytes.indexOf(10) + 1;
  return bytes.subarray(at, at + 32);
}

function assertSameAsUncached(dir: string, label: string): void {
  const plain = bqmigrate(LINT, dir);
  assert.equal(plain.code, 1, `${label}: ${plain.stderr}`);
  for (const pass of ['first', 'second']) {
    const cached = bqmigrate([...LINT, '--cache'], dir);
    assert.equal(cached.stdout, plain.stdout, `${label} (${pass} cached run)`);
    assert.equal(cached.stderr, plain.stderr, `${label} (${pass} cached run): stderr`);
    assert.equal(cached.code, plain.code);
  }
}

test('lint --cache takes the checked manifest from its memo while the text is the same, printing the warnings a check prints; an edited manifest is checked again', () => {
  const dir = workspace();
  const plain = bqmigrate(LINT, dir);
  assert.match(plain.stderr, /bqmigrate\.json:\d+:\d+: warning: mappings\.0\.to: "to" is the same as "from"/);
  assertSameAsUncached(dir, 'a manifest with a warning');
  const memo = memoOf(dir);
  const key = keyOf(memo);
  const kept = readManifestMemo(memo, key, (m) => assert.fail(m));
  assert.ok(kept, 'the memo reads back under its own key');
  assert.ok(kept.warnings.length > 0 && plain.stderr.startsWith(`${kept.warnings.join('\n')}\n`), 'the memo keeps the warnings as printed');

  // Proof that a warm run uses the memo: what it holds under the manifest's key is what is printed.
  writeManifestMemo(memo, key, { manifest: kept.manifest, warnings: ['remembered warning'] });
  const warm = bqmigrate([...LINT, '--cache'], dir);
  assert.equal(warm.stderr, plain.stderr.replace(`${kept.warnings.join('\n')}\n`, 'remembered warning\n'));
  assert.equal(warm.stdout, plain.stdout);

  // Another text is checked again (and remembered): its own warnings, its own results.
  const manifest = path.join(dir, 'bqmigrate.json');
  fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace('{ "from": "models_v4.vix_daily", "to": "models_v4.vix_daily" },', ''));
  assertSameAsUncached(dir, 'the warning removed');
  assert.doesNotMatch(bqmigrate([...LINT, '--cache'], dir).stderr, /warning/);
  assert.notDeepEqual(keyOf(memo), key);
  fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace('"status": "planned"', '"status": "migrated"'));
  assertSameAsUncached(dir, 'a mapping\'s status changed');
});

for (const [damage, wreck, said] of [
  ['truncated', (f: string) => fs.truncateSync(f, 12), /lintcache\.manifest: not a bqmigrate manifest memo/],
  ['changed on disk', (f: string) => { const b = fs.readFileSync(f); b[b.length - 3] ^= 0xff; fs.writeFileSync(f, b); }, /lintcache\.manifest: its checksum does not match/],
] as const) {
  test(`a manifest memo that is ${damage} is discarded with a warning, the manifest is checked again and the memo written anew`, () => {
    const dir = workspace();
    const plain = bqmigrate(LINT, dir);
    bqmigrate([...LINT, '--cache'], dir);
    wreck(memoOf(dir));
    const r = bqmigrate([...LINT, '--cache'], dir);
    assert.equal(r.stdout, plain.stdout);
    assert.equal(r.code, plain.code);
    assert.match(r.stderr, said);
    assert.match(r.stderr, /discarded, the manifest is checked again and it is written anew/);
    assert.ok(r.stderr.endsWith(plain.stderr), 'the manifest\'s own warning is printed too');
    assertSameAsUncached(dir, `after a ${damage} memo`);
  });
}

// Node 22+ keeps its own compile cache (module.enableCompileCache); the launcher's is for Node 20.
const nodeCompileCache = typeof (require('node:module') as { enableCompileCache?: unknown }).enableCompileCache === 'function';

test('the launcher\'s code cache: written on the first run, and a damaged one is rejected by V8 and written anew, with the right results each time', { skip: nodeCompileCache && 'Node keeps its own compile cache' }, () => {
  const dir = workspace();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bqmigrate-compile-cache-test-'));
  const env = { TMPDIR: tmp };
  const plain = bqmigrate(LINT, dir);
  const run = () => bqmigrate([...LINT, '--cache'], dir, env);
  const first = run();
  const folder = fs.readdirSync(tmp).find((f) => f.startsWith('bqmigrate-compile-cache'));
  assert.ok(folder, 'the code cache folder is made in the OS temp folder');
  const bins = () => fs.readdirSync(path.join(tmp, folder)).map((f) => path.join(tmp, folder, f));
  assert.equal(bins().length, 1, 'one cache file, for the bundle that ran');
  for (const f of bins()) fs.writeFileSync(f, Buffer.alloc(fs.statSync(f).size, 0x5a));
  const damaged = run();
  const rewritten = bins().map((f) => fs.readFileSync(f));
  assert.ok(rewritten.every((b) => b.some((x) => x !== 0x5a)), 'the rejected cache is written anew');
  const warm = run();
  for (const r of [first, damaged, warm]) {
    assert.equal(r.stdout, plain.stdout);
    assert.equal(r.stderr, plain.stderr);
    assert.equal(r.code, plain.code);
  }
});
