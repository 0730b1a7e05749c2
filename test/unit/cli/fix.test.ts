import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bqmigrate, buildOnce, copyFixture, snapshot } from './cli-helpers';

before(() => buildOnce());

test('fix applies safe fixes in place, keeps the form of each reference, and a second run changes nothing', () => {
  const dir = copyFixture('basic');
  const r = bqmigrate(['fix'], dir);
  assert.match(r.stderr, /fixed 6 references in 3 files; 1 error remains/);
  assert.equal(r.code, 1, 'the planned corn_prices reference is still an error');
  assert.equal(
    fs.readFileSync(path.join(dir, 'queries', 'daily.sql'), 'utf8'),
    [
      '-- Daily refresh of the 1m surface.',
      'SELECT *',
      'FROM `cbi-v14.training.zl_training_prod_allhistory_1m` AS t',
      'JOIN training.zl_training_prod_trump_2023_2025_1m USING (date)',
      'JOIN `cbi-v14.training.regime_calendar` USING (date);',
      '',
    ].join('\n'),
  );
  const py = fs.readFileSync(path.join(dir, 'pipelines', 'train.py'), 'utf8');
  assert.ok(py.includes('f"SELECT * FROM `{PROJECT_ID}.training.zl_training_prod_allhistory_{h}`"'));
  assert.ok(py.includes('pd.read_parquet(f"data/zl_training_prod_allhistory_{h}.parquet")'));
  assert.ok(py.includes('forecasting_data_warehouse.corn_prices'), 'unsafe (planned) fixes are not applied');
  assert.equal(fs.readFileSync(path.join(dir, 'docs', 'guide.md'), 'utf8'), '# Guide\n\nRead `training.zl_training_prod_allhistory_3m` with `bq show cbi-v14:training.zl_training_prod_allhistory_3m`.\n');
  assert.equal(fs.readFileSync(path.join(dir, 'vendor', 'ignored.sql'), 'utf8'), 'SELECT * FROM models_v4.production_training_data_1m;\n', 'excluded files are untouched');
  assert.ok(fs.readFileSync(path.join(dir, 'bqmigrate.json'), 'utf8').includes('"from": "models_v4.production_training_data_{horizon}"'), 'the manifest is never rewritten');
  const state = snapshot(dir);
  const again = bqmigrate(['fix'], dir);
  assert.match(again.stderr, /fixed 0 references in 0 files/);
  assert.deepEqual(snapshot(dir), state);
});

test('fix keeps CRLF line endings, the BOM and the file mode, and leaves no temp files', { skip: process.platform === 'win32' }, () => {
  const dir = copyFixture('basic');
  const file = path.join(dir, 'queries', 'crlf.sql');
  fs.writeFileSync(file, '\ufeff-- crlf\r\nSELECT * FROM models_v4.production_training_data_6m\r\nWHERE 1 = 1\r\n');
  fs.chmodSync(file, 0o750);
  const r = bqmigrate(['fix', 'queries/crlf.sql'], dir);
  assert.equal(r.code, 0, r.stderr);
  const bytes = fs.readFileSync(file);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.equal(bytes.toString('utf8'), '\ufeff-- crlf\r\nSELECT * FROM training.zl_training_prod_allhistory_6m\r\nWHERE 1 = 1\r\n');
  assert.equal(fs.statSync(file).mode & 0o777, 0o750);
  assert.deepEqual(fs.readdirSync(path.dirname(file)).filter((f) => f.endsWith('.tmp')), []);
});

test('fix writes through a symlink instead of replacing it', { skip: process.platform === 'win32' }, () => {
  const dir = copyFixture('basic');
  fs.mkdirSync(path.join(dir, 'linked'));
  fs.symlinkSync(path.join(dir, 'queries', 'daily.sql'), path.join(dir, 'linked', 'daily-link.sql'));
  bqmigrate(['fix', 'linked/daily-link.sql'], dir);
  assert.ok(fs.lstatSync(path.join(dir, 'linked', 'daily-link.sql')).isSymbolicLink());
  assert.match(fs.readFileSync(path.join(dir, 'queries', 'daily.sql'), 'utf8'), /training\.zl_training_prod_allhistory_1m/);
});

test('fix --dry-run prints a unified diff and writes nothing', () => {
  const dir = copyFixture('basic');
  const state = snapshot(dir);
  const r = bqmigrate(['fix', '--dry-run'], dir);
  assert.deepEqual(snapshot(dir), state);
  assert.match(r.stdout, /^--- a\/docs\/guide\.md\n\+\+\+ b\/docs\/guide\.md\n@@ -1,3 \+1,3 @@\n/m);
  assert.match(r.stdout, /\n-FROM `cbi-v14\.models_v4\.production_training_data_1m` AS t\n/);
  assert.match(r.stdout, /\n\+FROM `cbi-v14\.training\.zl_training_prod_allhistory_1m` AS t\n/);
  assert.match(r.stderr, /would fix 6 references in 3 files/);
});

test('fix run as root keeps owner, group and mode, and rewrites a hard-linked file in place', { skip: process.platform === 'win32' ? 'POSIX only' : process.getuid?.() !== 0 ? 'needs root: only root can give a file to another owner' : false }, () => {
  const dir = copyFixture('basic');
  const file = path.join(dir, 'queries', 'daily.sql');
  fs.chownSync(file, 65534, 65534);
  fs.chmodSync(file, 0o640);
  const other = path.join(dir, 'docs', 'guide.md');
  fs.linkSync(other, path.join(dir, 'guide-link.md'));
  const r = bqmigrate(['fix'], dir);
  assert.match(r.stderr, /fixed 6 references in 3 files; 1 error remains .*; 1 written in place/);
  const st = fs.statSync(file);
  assert.deepEqual([st.uid, st.gid, st.mode & 0o7777], [65534, 65534, 0o640]);
  assert.match(fs.readFileSync(file, 'utf8'), /training\.zl_training_prod_allhistory_1m/);
  assert.equal(fs.statSync(other).nlink, 2, 'the hard link is kept');
  assert.equal(fs.readFileSync(path.join(dir, 'guide-link.md'), 'utf8'), fs.readFileSync(other, 'utf8'));
  assert.match(fs.readFileSync(path.join(dir, 'guide-link.md'), 'utf8'), /training\.zl_training_prod_allhistory_3m/);
});

test('temp files of an interrupted fix are never linted; the next fix removes them and reports a left copy', { skip: process.platform === 'win32' }, () => {
  const dir = copyFixture('basic');
  const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
  const tmp = path.join(dir, 'queries', `.daily.sql.bqmigrate-${dead}-k3j9x1.tmp`);
  const bak = path.join(dir, 'queries', `.naming.sql.bqmigrate-${dead}-p0q8z2.bak`);
  fs.writeFileSync(tmp, 'SELECT * FROM models_v4.production_training_data_1m;\n');
  fs.writeFileSync(bak, 'SELECT * FROM models_v4.production_training_data_1m;\n');
  const lint = bqmigrate(['lint', '--format', 'json'], dir);
  const files = (JSON.parse(lint.stdout) as { filePath: string; messages: unknown[]; unscanned?: { detail: string } }[]).filter((f) => f.filePath.includes('.bqmigrate-'));
  assert.equal(files.length, 2);
  for (const f of files) assert.deepEqual(f.messages, [], 'never linted');
  assert.match(files.find((f) => f.filePath === tmp)!.unscanned!.detail, /left by an interrupted bqmigrate/);
  assert.ok(fs.existsSync(tmp), 'lint writes nothing');
  const r = bqmigrate(['fix'], dir);
  assert.match(r.stderr, /removed queries\/\.daily\.sql\.bqmigrate-\d+-k3j9x1\.tmp, a temp file left by an interrupted bqmigrate/);
  assert.match(r.stderr, /\.naming\.sql\.bqmigrate-\d+-p0q8z2\.bak: a copy of naming\.sql .*restore it from this copy/);
  assert.match(r.stderr, /fixed 6 references in 3 files/);
  assert.ok(!fs.existsSync(tmp));
  assert.ok(fs.existsSync(bak), 'a copy of old content is never deleted for the user');
});
