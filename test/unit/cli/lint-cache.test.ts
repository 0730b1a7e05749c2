/**
 * `lint --cache` on the built binary: every output format is byte for byte what an uncached run prints,
 * on a cold cache, a warm one, and after files are edited, deleted, renamed and added, in-process and on
 * the worker pool; files not read come back right; a damaged cache is discarded with a warning; two runs
 * at once leave a whole cache; `fix --cache` never trusts an entry whose file's bytes changed.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bqmigrate, buildOnce, copyFixture } from './cli-helpers';
import { repoRoot } from '../lint/repo-root';
import { encodeBatch, MAGIC, type Row } from '../../../src/core/lint/cache-file';

before(() => buildOnce());

/** Enough files for the worker pool (more than 48), most without references, plus files that are not read. */
function workspace(): string {
  const dir = copyFixture('basic');
  const gen = path.join(dir, 'gen');
  fs.mkdirSync(gen);
  for (let i = 0; i < 90; i++) {
    const body = i % 3 === 0 ? `SELECT * FROM models_v4.production_training_data_1m WHERE id = ${i};\nSELECT * FROM forecasting_data_warehouse.corn_prices;\n` : `SELECT ${i} AS n FROM training.zl_training_prod_allhistory_1m;\n`;
    fs.writeFileSync(path.join(gen, `q${String(i).padStart(3, '0')}.sql`), body);
  }
  fs.writeFileSync(path.join(gen, 'nul.sql'), 'SELECT 1\n\0\n'); // binary: a NUL byte
  fs.writeFileSync(path.join(gen, 'latin1.sql'), Buffer.from([0x53, 0x45, 0x4c, 0xe9, 0x0a])); // not UTF-8
  fs.writeFileSync(path.join(gen, 'big.sql'), `-- ${'x'.repeat(3000)}\nSELECT * FROM models_v4.production_training_data_3m;\n`); // over --max-file-size 0.002
  fs.writeFileSync(path.join(gen, 'model.parquet'), 'PAR1');
  fs.writeFileSync(path.join(gen, 'bom.sql'), '\ufeffSELECT * FROM models_v4.production_training_data_6m;\n');
  fs.mkdirSync(path.join(dir, '.bqmigrate')); // as a cached run leaves it, so uncached runs walk the same tree
  return dir;
}

/** q001.sql's query replaced by one with a legacy reference, padded to the same byte length. */
function sameSizeEdit(text: string): string {
  const old = 'SELECT 1 AS n FROM training.zl_training_prod_allhistory_1m';
  const edited = text.replace(old, 'SELECT * FROM models_v4.production_training_data_1m'.padEnd(old.length, ' '));
  assert.notEqual(edited, text);
  return edited;
}

const FORMATS = [['--format', 'stylish', '--report-unscanned'], ['--format', 'json'], ['--format', 'sarif']];
const BASE = ['lint', '--max-file-size', '0.002'];

/** Each format uncached, then with the cache (twice: filled, then read), each compared byte for byte. */
function assertCachedEqualsUncached(dir: string, extra: string[], label: string): void {
  for (const format of FORMATS) {
    const plain = bqmigrate([...BASE, ...format, ...extra], dir);
    assert.ok(plain.code === 0 || plain.code === 1, `${label} ${format[1]}: ${plain.stderr}`);
    for (const pass of ['first', 'second']) {
      const cached = bqmigrate([...BASE, ...format, ...extra, '--cache'], dir);
      assert.equal(cached.stdout, plain.stdout, `${label} ${format[1]} (${pass} cached run)`);
      assert.equal(cached.stderr, plain.stderr, `${label} ${format[1]} (${pass} cached run): stderr`);
      assert.equal(cached.code, plain.code);
    }
  }
}

// --workers 2: the pool even for this small workspace (by default a cached run lints under 4 MiB of changed files in-process).
for (const workers of [['--workers', '0'], ['--workers', '2']]) {
  test(`cached output is byte-identical to uncached in every format, before and after edits, deletes, renames and new files (${workers[1] === '0' ? 'in-process' : 'worker pool'})`, () => {
    const dir = workspace();
    assertCachedEqualsUncached(dir, workers, 'cold/warm');
    assert.ok(fs.statSync(path.join(dir, '.bqmigrate', 'lintcache')).size > 0);
    const gen = path.join(dir, 'gen');
    fs.writeFileSync(path.join(gen, 'q001.sql'), 'SELECT * FROM models_v4.trump_rich_2023_2025;\n'); // a file without findings gets one
    fs.writeFileSync(path.join(gen, 'q000.sql'), 'SELECT 1;\n'); // one with findings loses them
    fs.rmSync(path.join(gen, 'q003.sql'));
    fs.renameSync(path.join(gen, 'q006.sql'), path.join(gen, 'renamed.sql'));
    fs.writeFileSync(path.join(gen, 'new.sql'), 'SELECT * FROM models_v4.production_training_data_12m;\n');
    fs.writeFileSync(path.join(gen, 'nul.sql'), 'SELECT * FROM models_v4.production_training_data_1w;\n'); // was binary, now linted
    fs.writeFileSync(path.join(gen, 'q009.sql'), 'SELECT 1\n\0'); // was linted, now binary
    assertCachedEqualsUncached(dir, workers, 'after edits');
    // A rule override or a manifest change invalidates every entry.
    assertCachedEqualsUncached(dir, [...workers, '--rule', 'legacy-reference:warning'], 'rule override');
    const manifest = path.join(dir, 'bqmigrate.json');
    fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace('"status": "planned"', '"status": "migrated"'));
    assertCachedEqualsUncached(dir, workers, 'manifest changed');
  });
}

// A cold cached run stores each file under what the lint's own read saw (no stat of its own): an edit that
// keeps size, mtime and inode is what only that identity cannot see, so the next run printing the old
// result proves every such file was kept, under the right identity, on both paths.
for (const workers of ['0', '2']) {
  test(`a cold --cache run keeps every file it lints under the identity its read saw (${workers === '0' ? 'in-process' : 'worker pool'})`, () => {
    const dir = workspace();
    const edited = [1, 2, 40, 89].map((i) => path.join(dir, 'gen', `q${String(i).padStart(3, '0')}.sql`));
    for (const f of edited) fs.utimesSync(f, 1_700_000_000, 1_700_000_000);
    const first = bqmigrate([...BASE, '--format', 'json', '--cache', '--workers', workers], dir);
    assert.equal(first.code, 1, first.stderr);
    for (const f of edited) {
      const text = fs.readFileSync(f, 'utf8');
      const legacy = text.replace(/SELECT \d+ AS n FROM training\.zl_training_prod_allhistory_1m/, (m) => 'SELECT * FROM models_v4.production_training_data_1m'.padEnd(m.length, ' '));
      assert.notEqual(legacy, text);
      fs.writeFileSync(f, legacy);
      fs.utimesSync(f, 1_700_000_000, 1_700_000_000);
    }
    const second = bqmigrate([...BASE, '--format', 'json', '--cache', '--workers', workers], dir);
    assert.equal(second.stdout, first.stdout, 'every edited file came from the cache');
    assert.notEqual(bqmigrate([...BASE, '--format', 'json'], dir).stdout, first.stdout, 'an uncached run sees the edits');
  });
}

test('a file edited behind the cache with its size and mtime kept is caught by --cache-strategy content', () => {
  const dir = workspace();
  const file = path.join(dir, 'gen', 'q001.sql');
  fs.utimesSync(file, 1_700_000_000, 1_700_000_000); // whole seconds: restored exactly after the edit
  const before = fs.statSync(file);
  assert.equal(bqmigrate([...BASE, '--cache', '--cache-strategy', 'content'], dir).code, 1);
  assert.equal(bqmigrate([...BASE, '--cache', '--cache-location', '.bqmigrate/other'], dir).code, 1);
  const text = sameSizeEdit(fs.readFileSync(file, 'utf8'));
  assert.equal(Buffer.byteLength(text), before.size);
  fs.writeFileSync(file, text);
  fs.utimesSync(file, 1_700_000_000, 1_700_000_000);
  const plain = bqmigrate([...BASE, '--format', 'json'], dir);
  const content = bqmigrate([...BASE, '--format', 'json', '--cache', '--cache-strategy', 'content'], dir);
  assert.equal(content.stdout, plain.stdout);
  assert.match(plain.stdout, /q001\.sql","messages":\[\{"ruleId":"legacy-reference"/);
  // The metadata strategy trusts size, mtime and inode, as ESLint's does: this edit is what it cannot see.
  const metadata = bqmigrate([...BASE, '--format', 'json', '--cache', '--cache-location', '.bqmigrate/other'], dir);
  assert.match(metadata.stdout, /q001\.sql","messages":\[\],/, 'the entry of the old content was used');
});

test('fix --cache lints a file again when its bytes changed, even with the same size and mtime, and lint --cache after fix matches an uncached lint', () => {
  const dir = workspace();
  const file = path.join(dir, 'gen', 'q001.sql');
  fs.utimesSync(file, 1_700_000_000, 1_700_000_000); // whole seconds: restored exactly after the edit
  assert.equal(bqmigrate([...BASE, '--cache'], dir).code, 1);
  assert.equal(bqmigrate(['fix', '--max-file-size', '0.002', '--cache', '--dry-run'], dir).code, 1); // fills hashes
  const text = sameSizeEdit(fs.readFileSync(file, 'utf8'));
  fs.writeFileSync(file, text);
  fs.utimesSync(file, 1_700_000_000, 1_700_000_000);
  const fixed = bqmigrate(['fix', '--max-file-size', '0.002', '--cache'], dir);
  assert.match(fixed.stderr, /fixed \d+ references/);
  assert.match(fs.readFileSync(file, 'utf8'), /^SELECT \* FROM training\.zl_training_prod_allhistory_1m +;\n$/);
  for (const format of FORMATS) assert.equal(bqmigrate([...BASE, ...format, '--cache'], dir).stdout, bqmigrate([...BASE, ...format], dir).stdout, format[1]);
});

/** The cache file of a workspace after one cached run. */
function filledCache(): { dir: string; cache: string; plain: string } {
  const dir = workspace();
  const plain = bqmigrate([...BASE, '--format', 'json'], dir).stdout;
  assert.equal(bqmigrate([...BASE, '--format', 'json', '--cache'], dir).stdout, plain);
  return { dir, cache: path.join(dir, '.bqmigrate', 'lintcache'), plain };
}

for (const [damage, warning, hurt] of [
  ['truncated', /lint cache \.bqmigrate\/lintcache: it is truncated \(\d+ bytes of \d+\): discarded/, (b: Buffer) => b.subarray(0, Math.floor(b.length / 2))],
  ['empty', /the cache file is empty: discarded/, () => Buffer.alloc(0)],
  ['garbage', /not a bqmigrate lint cache/, () => Buffer.from('{"version":1}')],
  ['a damaged header', /its header is damaged \(its checksum does not match\)/, (b: Buffer) => Buffer.concat([b.subarray(0, 60), Buffer.from('%'), b.subarray(61)])],
  ['trailing bytes', /it has 3 bytes too many/, (b: Buffer) => Buffer.concat([b, Buffer.from('xyz')])],
  // One digit of a finding's line inside a stored ESLint JSON: the entry still starts and ends as its file's, and the file adds up.
  ['changed inside an entry', /the stored results of an update do not match their checksum \(the file was damaged\): their files are linted again and the cache is written anew/, (b: Buffer) => {
    const at = b.indexOf('"line":', b.indexOf('"messages":[{')) + '"line":'.length;
    const c = Buffer.from(b);
    c[at] = c[at] === 0x39 ? 0x38 : c[at]! + 1;
    return c;
  }],
] as [string, RegExp, (b: Buffer) => Buffer][]) {
  test(`a cache file that is ${damage} is discarded with a warning, and the results are right`, () => {
    const { dir, cache, plain } = filledCache();
    fs.writeFileSync(cache, hurt(fs.readFileSync(cache)));
    const r = bqmigrate([...BASE, '--format', 'json', '--cache'], dir);
    assert.match(r.stderr, warning);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, plain);
    const again = bqmigrate([...BASE, '--format', 'json', '--cache'], dir);
    assert.doesNotMatch(again.stderr, /lint cache/, 'rewritten whole');
    assert.equal(again.stdout, plain);
  });
}

/** The one batch of a freshly written cache file, split as core/lint/cache-file.ts lays it out (magic line, 52-byte head, index, payload, trailer). */
function splitCache(bytes: Buffer): { keyId: Buffer; rows: Row[]; jsons: Buffer[]; results: Buffer[]; payloadAt: number } {
  const headAt = MAGIC.length;
  const indexLength = bytes.readUInt32LE(headAt + 4);
  const keyId = bytes.subarray(headAt + 16, headAt + 32);
  const indexAt = headAt + 52;
  const rows = JSON.parse(bytes.toString('utf8', indexAt, indexAt + indexLength)) as Row[];
  const payloadAt = indexAt + indexLength;
  const jsons: Buffer[] = [];
  const results: Buffer[] = [];
  let at = payloadAt;
  for (const r of rows) {
    jsons.push(bytes.subarray(at, at + r[5]));
    at += r[5];
  }
  for (const r of rows) {
    results.push(bytes.subarray(at, at + r[6]));
    at += r[6];
  }
  return { keyId, rows, jsons, results, payloadAt };
}

test('an entry whose bytes changed on disk is caught by its batch\'s checksum, and one whose bytes pass it but are not its file\'s by its own checks: each is linted again, with a warning, in every format', () => {
  const { dir, cache, plain } = filledCache();
  const stylish = bqmigrate([...BASE, '--format', 'stylish'], dir).stdout;
  const bytes = fs.readFileSync(cache);
  const { keyId, rows, jsons, results, payloadAt } = splitCache(bytes);
  const linted = rows.findIndex((r) => r[5] > 0);
  const file = path.relative(dir, rows[linted]![0]);
  // The payload changed behind the checksum: the batch is not used.
  const changed = Buffer.from(bytes);
  changed[payloadAt + jsons.slice(0, linted).reduce((n, b) => n + b.length, 0) + 5] ^= 0x20;
  fs.writeFileSync(cache, changed);
  let r = bqmigrate([...BASE, '--format', 'stylish', '--cache'], dir);
  assert.match(r.stderr, /the stored results of an update do not match their checksum \(the file was damaged\): their files are linted again and the cache is written anew/);
  assert.equal(r.stdout, stylish);
  // Bytes that pass the checksum yet are not the file's (what a bug writing the wrong entry would leave): caught per entry.
  const json = Buffer.from(jsons[linted]!);
  json.write(',{"filePath":"/elsewhere', 0, 'utf8'); // same length: the file still adds up
  const result = Buffer.from(results[linted]!);
  result[0] = 0x58; // X: no known form
  const wrongEntry = (j: Buffer, res: Buffer) => Buffer.concat([MAGIC, ...encodeBatch(keyId, rows, jsons.map((b, k) => (k === linted ? j : b)), results.map((b, k) => (k === linted ? res : b)))]);
  fs.writeFileSync(cache, wrongEntry(json, results[linted]!));
  r = bqmigrate([...BASE, '--format', 'json', '--cache'], dir);
  assert.equal(r.stderr.split(`bqmigrate: ${file}: its lint cache entry is damaged (its ESLint JSON is not this file's); linted again\n`).length, 2, r.stderr);
  assert.equal(r.stdout, plain);
  fs.writeFileSync(cache, wrongEntry(jsons[linted]!, result));
  r = bqmigrate([...BASE, '--format', 'stylish', '--cache'], dir);
  assert.match(r.stderr, new RegExp(`${file.replace(/[.]/g, '\\.')}: its lint cache entry is damaged \\(an entry has an unknown form\\); linted again`));
  assert.equal(r.stdout, stylish);
  assert.doesNotMatch(bqmigrate([...BASE, '--format', 'stylish', '--cache'], dir).stderr, /lint cache/, 'the entry was written anew');
});

test('two cached runs at once both print the right results and leave a whole cache', async () => {
  const dir = workspace();
  const plain = bqmigrate([...BASE, '--format', 'json'], dir).stdout;
  const run = () =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const p = spawn(process.execPath, [path.join(repoRoot(), 'bin', 'bqmigrate.js'), ...BASE, '--format', 'json', '--cache'], { cwd: dir, env: { ...process.env, METADATA_SERVER_DETECTION: 'none' } });
      let out = '';
      let err = '';
      p.stdout.on('data', (d: Buffer) => (out += d.toString()));
      p.stderr.on('data', (d: Buffer) => (err += d.toString()));
      p.on('close', (code) => resolve({ code, out, err }));
    });
  for (let round = 0; round < 3; round++) {
    if (round === 1) fs.writeFileSync(path.join(dir, 'gen', 'q002.sql'), 'SELECT * FROM models_v4.production_training_data_1m;\n');
    const expected = round === 0 ? plain : bqmigrate([...BASE, '--format', 'json'], dir).stdout;
    const [a, b] = await Promise.all([run(), run()]);
    for (const r of [a, b]) {
      assert.equal(r.code, 1, r.err);
      assert.equal(r.out, expected);
      assert.doesNotMatch(r.err, /lint cache/);
    }
    const after = bqmigrate([...BASE, '--format', 'json', '--cache'], dir);
    assert.doesNotMatch(after.stderr, /lint cache/, 'the cache the two left is whole');
    assert.equal(after.stdout, expected);
  }
  assert.deepEqual(fs.readdirSync(path.join(dir, '.bqmigrate')).filter((f) => !['lintcache.folders', 'lintcache.manifest', 'lintcache.run'].includes(f)), ['lintcache'], 'no temp files left');
});

test('--cache-location: a file, or a folder that holds "lintcache"', () => {
  const dir = workspace();
  assert.equal(bqmigrate([...BASE, '--cache', '--cache-location', 'my.cache'], dir).code, 1);
  assert.ok(fs.statSync(path.join(dir, 'my.cache')).isFile());
  fs.mkdirSync(path.join(dir, 'caches'));
  assert.equal(bqmigrate([...BASE, '--cache', '--cache-location', 'caches'], dir).code, 1);
  assert.ok(fs.statSync(path.join(dir, 'caches', 'lintcache')).isFile());
  assert.deepEqual(fs.readdirSync(path.join(dir, '.bqmigrate')), [], 'the default location is not used');
});

test('cache options: bad values and options that would do nothing are usage errors; a cache that cannot be written exits 2', () => {
  const dir = workspace();
  let r = bqmigrate([...BASE, '--cache', '--cache-strategy', 'mtime'], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--cache-strategy must be one of metadata, content, not "mtime"/);
  r = bqmigrate([...BASE, '--cache-location', 'x'], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--cache-location has no effect without --cache \(add --cache\)/);
  r = bqmigrate(['fix', '--cache', '--cache-strategy', 'metadata'], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /fix has no --cache-strategy/);
  r = bqmigrate([...BASE, '--cache', '--cache-location', 'gen/q001.sql/cache'], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /lint cache gen\/q001\.sql\/cache: not written: .*the results above are complete/);
  assert.match(r.stdout, /problems/, 'the results were printed');
});
