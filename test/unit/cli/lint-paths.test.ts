/**
 * Named paths on the built binary: a path outside the manifest's folder is linted; a path that cannot be
 * read, a FIFO, or a run that lints nothing at all exits 2 and says why; what the globs or .gitignore left
 * out is counted on stderr and listed by --report-unscanned (stylish) and --format json.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bqmigrate, buildOnce, copyFixture } from './cli-helpers';

let repo: string;
before(() => {
  buildOnce();
  // The manifest lives in config/, the code in src/ beside it (outside the manifest's folder).
  repo = copyFixture('basic');
  fs.mkdirSync(path.join(repo, 'config'));
  fs.renameSync(path.join(repo, 'bqmigrate.json'), path.join(repo, 'config', 'bqmigrate.json'));
  fs.mkdirSync(path.join(repo, 'src', 'vendor'), { recursive: true });
  fs.writeFileSync(path.join(repo, 'src', 'daily.sql'), 'SELECT * FROM models_v4.production_training_data_1m');
  fs.writeFileSync(path.join(repo, 'src', 'vendor', 'lib.sql'), 'SELECT * FROM models_v4.production_training_data_3m');
  fs.writeFileSync(path.join(repo, 'src', 'model.parquet'), 'PAR1');
  fs.writeFileSync(path.join(repo, 'src', '.gitignore'), 'scratch/\n');
  fs.mkdirSync(path.join(repo, 'src', 'scratch'));
  fs.writeFileSync(path.join(repo, 'src', 'scratch', 'tmp.sql'), 'SELECT * FROM models_v4.production_training_data_6m');
});

test('a folder outside the manifest folder is linted (the globs are relative to the manifest, so they leave none of it out)', () => {
  const r = bqmigrate(['lint', '--manifest', 'config/bqmigrate.json', 'src/'], repo);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /src\/daily\.sql\n {2}1:15 {2}error/);
  assert.match(r.stdout, /src\/vendor\/lib\.sql\n/, "config/'s exclude vendor/** does not reach src/vendor");
  assert.match(r.stderr, /bqmigrate: 3 files linted; not read: 1 file \(binary\), 1 folder \(ignored by \.gitignore\) \(--report-unscanned lists them\)\n/);
  const listed = bqmigrate(['lint', '--manifest', 'config/bqmigrate.json', 'src/', '--report-unscanned'], repo);
  assert.equal(listed.code, 1, listed.stderr);
  assert.match(listed.stdout, /\nNot read \(2\)\n {2}src\/model\.parquet {2}binary: a binary format \(\.parquet\), not read\n {2}src\/scratch\/ {7}ignored: ignored by .*src.\.gitignore\n/);
});

test('fix rewrites files outside the manifest folder too, and a second fix changes nothing', () => {
  const dir = copyFixture('basic');
  fs.mkdirSync(path.join(dir, 'config'));
  fs.renameSync(path.join(dir, 'bqmigrate.json'), path.join(dir, 'config', 'bqmigrate.json'));
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'src', 'a.sql'), 'SELECT * FROM models_v4.production_training_data_1m');
  const r = bqmigrate(['fix', '--manifest', 'config/bqmigrate.json', 'src'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(fs.readFileSync(path.join(dir, 'src', 'a.sql'), 'utf8'), 'SELECT * FROM training.zl_training_prod_allhistory_1m');
  assert.match(bqmigrate(['fix', '--manifest', 'config/bqmigrate.json', 'src'], dir).stderr, /fixed 0 references in 0 files/);
});

test('a named path that cannot be read exits 2 and names it; the rest of the run is still linted and reported', () => {
  const r = bqmigrate(['lint', '--manifest', 'config/bqmigrate.json', 'no/such/dir', 'src/daily.sql'], repo);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^bqmigrate: no\/such\/dir: no such file or folder \(check the path\)$/m);
  assert.doesNotMatch(r.stderr, /ENOENT ENOENT/);
  assert.match(r.stdout, /src\/daily\.sql\n {2}1:15 {2}error/, 'the readable path is still reported');
});

test('a FIFO named on the command line exits 2 with what it is', { skip: process.platform === 'win32' ? 'no FIFOs on Windows' : false }, () => {
  const fifo = path.join(repo, 'pipe.sql');
  const made = spawnSync('mkfifo', [fifo]);
  assert.equal(made.status, 0, String(made.stderr));
  const r = bqmigrate(['lint', '--manifest', 'config/bqmigrate.json', 'pipe.sql'], repo);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /pipe\.sql: a FIFO \(named pipe\), not a file or folder/);
  assert.match(r.stderr, /nothing was linted in pipe\.sql/);
});

test('nothing linted at all exits 2 and says why', () => {
  const only = path.join(repo, 'only-binary');
  fs.mkdirSync(only);
  fs.writeFileSync(path.join(only, 'x.parquet'), 'PAR1');
  const r = bqmigrate(['lint', '--manifest', 'config/bqmigrate.json', 'only-binary'], repo);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /bqmigrate: nothing was linted in only-binary: 1 file \(binary\) \(--report-unscanned lists them\)\n/);
  const empty = path.join(repo, 'empty');
  fs.mkdirSync(empty);
  const e = bqmigrate(['fix', '--manifest', 'config/bqmigrate.json', 'empty'], repo);
  assert.equal(e.code, 2);
  assert.match(e.stderr, /nothing was linted in empty: no files there/);
});

test('--format json lists every file and folder not read with its reason', () => {
  const r = bqmigrate(['lint', '--manifest', 'config/bqmigrate.json', '--format', 'json', 'src'], repo);
  assert.equal(r.code, 1, r.stderr);
  const results = JSON.parse(r.stdout) as { filePath: string; unscanned?: { reason: string; folder: boolean } }[];
  const unscanned = results.filter((f) => f.unscanned).map((f) => `${path.relative(repo, f.filePath)} ${f.unscanned!.reason}${f.unscanned!.folder ? ' folder' : ''}`);
  assert.deepEqual(unscanned, ['src/model.parquet binary', 'src/scratch ignored folder']);
});
