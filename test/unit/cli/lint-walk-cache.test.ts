/**
 * The walk cache of `lint --cache` (core/lint/walk-cache.ts) on the built binary: a folder whose mtime and
 * .gitignore rules are unchanged is not listed again, and the output stays byte for byte an uncached
 * run's after entries are added, removed and renamed, a .gitignore is edited in place, the manifest's
 * globs change, and a symbolic link's target changes; what happens when mtimes lie; a damaged folder cache
 * is discarded with a warning.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bqmigrate, buildOnce, copyFixture } from './cli-helpers';

before(() => buildOnce());

const BASE = ['lint', '--max-file-size', '0.002'];
const OLD = 1_700_000_000; // seconds: far older than any listing, so listings are kept

function workspace(): string {
  const dir = copyFixture('basic');
  for (const sub of ['gen', path.join('gen', 'deep'), 'old']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  for (let i = 0; i < 6; i++) {
    fs.writeFileSync(path.join(dir, 'gen', `q${i}.sql`), i % 2 ? `SELECT ${i};\n` : 'SELECT * FROM models_v4.production_training_data_1m;\n');
    fs.writeFileSync(path.join(dir, 'gen', 'deep', `d${i}.sql`), 'SELECT * FROM forecasting_data_warehouse.corn_prices;\n');
  }
  fs.writeFileSync(path.join(dir, 'gen', 'model.parquet'), 'PAR1');
  fs.writeFileSync(path.join(dir, 'old', 'a.sql'), 'SELECT 1;\n');
  fs.mkdirSync(path.join(dir, '.bqmigrate'));
  return dir;
}

/** Sets every folder's mtime under `dir` (itself included) to OLD. */
function age(dir: string): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory() && e.name !== '.bqmigrate') age(path.join(dir, e.name));
  fs.utimesSync(dir, OLD, OLD);
}

/** The folders the walk cache holds, by path relative to `dir`. */
function cachedFolders(dir: string): string[] {
  const bytes = fs.readFileSync(path.join(dir, '.bqmigrate', 'lintcache.folders'));
  const body = bytes.subarray(bytes.indexOf(10) + 1 + 16 + 20);
  return Object.keys(JSON.parse(body.toString('utf8')) as object).map((f) => path.relative(dir, f) || '.').sort();
}

/** json and stylish (with every skip listed), uncached then cached twice, compared byte for byte. */
function assertSame(dir: string, label: string, extra: string[] = []): void {
  for (const format of [['--format', 'json'], ['--format', 'stylish', '--report-unscanned']]) {
    const plain = bqmigrate([...BASE, ...format, ...extra], dir);
    assert.ok(plain.code === 0 || plain.code === 1, `${label}: ${plain.stderr}`);
    for (const pass of ['first', 'second']) {
      const cached = bqmigrate([...BASE, ...format, ...extra, '--cache'], dir);
      assert.equal(cached.stdout, plain.stdout, `${label} ${format[1]} (${pass} cached run)`);
      assert.equal(cached.stderr, plain.stderr, `${label} ${format[1]} (${pass} cached run): stderr`);
      assert.equal(cached.code, plain.code);
    }
  }
}

test('unchanged folders are replayed from the walk cache, and the output stays an uncached run\'s after entries are added, removed and renamed, a .gitignore is edited in place and the globs change', () => {
  const dir = workspace();
  age(dir);
  assertSame(dir, 'filled');
  assert.deepEqual(cachedFolders(dir), ['.', 'docs', 'gen', 'gen/deep', 'old', 'pipelines', 'queries'], 'every folder walked is kept (vendor/ is excluded by a glob, never entered)');
  const gen = path.join(dir, 'gen');
  fs.writeFileSync(path.join(gen, 'deep', 'new.sql'), 'SELECT * FROM models_v4.production_training_data_12m;\n');
  fs.rmSync(path.join(gen, 'q1.sql'));
  fs.renameSync(path.join(gen, 'q2.sql'), path.join(gen, 'renamed.sql'));
  fs.mkdirSync(path.join(gen, 'more'));
  fs.writeFileSync(path.join(gen, 'more', 'm.sql'), 'SELECT * FROM models_v4.vix_daily;\n');
  assertSame(dir, 'after adds, removes and renames');
  // A .gitignore edited in place leaves its folder's mtime as it was (set back here to be sure): its rules are read again.
  age(dir);
  assertSame(dir, 'aged again');
  fs.appendFileSync(path.join(dir, '.gitignore'), 'deep/\nq3.sql\n');
  fs.utimesSync(dir, OLD, OLD);
  assertSame(dir, 'after a .gitignore edit');
  // A manifest glob change starts both caches afresh (the lint cache key covers the manifest's text).
  const manifest = path.join(dir, 'bqmigrate.json');
  fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace('"exclude": ["vendor/**"]', '"exclude": ["vendor/**", "gen/more/**"]'));
  fs.utimesSync(dir, OLD, OLD);
  assertSame(dir, 'after a glob change');
});

test('mtimes that lie: an entry added within the timestamp step of a listing is seen next run; one hidden by an mtime set back on purpose is seen only by --cache-strategy content', () => {
  const dir = workspace();
  age(dir);
  const fresh = path.join(dir, 'fresh');
  fs.mkdirSync(fresh);
  fs.writeFileSync(path.join(fresh, 'a.sql'), 'SELECT 1;\n');
  const freshTime = fs.statSync(fresh).mtime;
  assert.equal(bqmigrate([...BASE, '--cache'], dir).code, 1);
  assert.ok(!cachedFolders(dir).includes('fresh'), 'a folder changed within RACY_MS of its listing is not kept');
  // The same-second edit: a new entry, and the folder's mtime as it was when listed.
  fs.writeFileSync(path.join(fresh, 'b.sql'), 'SELECT * FROM models_v4.vix_daily;\n');
  fs.utimesSync(fresh, freshTime, freshTime);
  assertSame(dir, 'same-step edit');
  assert.match(bqmigrate([...BASE, '--format', 'json', '--cache'], dir).stdout, /fresh\/b\.sql/);
  // An old folder, kept, then given a new file and its old mtime back: the metadata strategy trusts the mtime.
  const old = path.join(dir, 'old');
  assert.ok(cachedFolders(dir).includes('old'));
  fs.writeFileSync(path.join(old, 'hidden.sql'), 'SELECT * FROM models_v4.vix_daily;\n');
  fs.utimesSync(old, OLD, OLD);
  const plain = bqmigrate([...BASE, '--format', 'json'], dir);
  assert.match(plain.stdout, /old\/hidden\.sql/);
  assert.doesNotMatch(bqmigrate([...BASE, '--format', 'json', '--cache'], dir).stdout, /old\/hidden\.sql/, 'the listing of old/ was replayed');
  assert.equal(bqmigrate([...BASE, '--format', 'json', '--cache', '--cache-strategy', 'content'], dir).stdout, plain.stdout, 'content never uses the walk cache');
});

test('a folder with a symbolic link is listed every time: a link whose target turned from a file into a folder is followed', () => {
  const dir = workspace();
  // The target lives outside the workspace: turning it into a folder changes no folder the walk lists.
  const target = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bqmigrate-link-target-')), 'target');
  fs.writeFileSync(target, 'SELECT * FROM models_v4.vix_daily;\n');
  fs.symlinkSync(target, path.join(dir, 'old', 'link.sql'));
  age(dir);
  assertSame(dir, 'link to a file');
  assert.ok(!cachedFolders(dir).includes('old'), 'a folder holding a link is not kept');
  fs.rmSync(target);
  fs.mkdirSync(target);
  fs.writeFileSync(path.join(target, 'inner.sql'), 'SELECT * FROM models_v4.predictions_latest;\n');
  age(dir);
  assertSame(dir, 'link to a folder');
  assert.match(bqmigrate([...BASE, '--format', 'json', '--cache'], dir).stdout, /old\/link\.sql\/inner\.sql/);
});

test('a damaged folder cache is discarded with a warning, the results are right, and it is written anew', () => {
  const dir = workspace();
  age(dir);
  const plain = bqmigrate([...BASE, '--format', 'json'], dir);
  assert.equal(bqmigrate([...BASE, '--format', 'json', '--cache'], dir).stdout, plain.stdout);
  const file = path.join(dir, '.bqmigrate', 'lintcache.folders');
  const bytes = fs.readFileSync(file);
  bytes[bytes.length - 5] ^= 0x01;
  fs.writeFileSync(file, bytes);
  const r = bqmigrate([...BASE, '--format', 'json', '--cache'], dir);
  assert.match(r.stderr, /lint cache \.bqmigrate\/lintcache: .*lintcache\.folders: its checksum does not match: discarded, the folders are listed again and it is written anew/);
  assert.equal(r.stdout, plain.stdout);
  assert.equal(r.code, plain.code);
  const again = bqmigrate([...BASE, '--format', 'json', '--cache'], dir);
  assert.doesNotMatch(again.stderr, /lint cache/);
  assert.equal(again.stdout, plain.stdout);
});
