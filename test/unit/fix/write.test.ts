import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeTempFile, parseTempName, publishFileAtomic, writeFileAtomic, writeGeneratedFile } from '../../../src/core/fix/write';

const posix = process.platform !== 'win32';
const root = process.getuid?.() === 0;
const tmpdir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'bqmigrate-write-'));
const leftovers = (dir: string) => fs.readdirSync(dir).filter((f) => f.includes('.bqmigrate-'));

/** The pid of a process that has exited, for temp names "left by a dead writer". */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

test('writeFileAtomic replaces a file with a new inode of the same mode and leaves no temp file', { skip: !posix }, () => {
  const dir = tmpdir();
  const file = path.join(dir, 'a.sql');
  fs.writeFileSync(file, 'old');
  fs.chmodSync(file, 0o640);
  const before = fs.statSync(file);
  assert.equal(writeFileAtomic(file, 'new'), 'replaced');
  const after = fs.statSync(file);
  assert.equal(fs.readFileSync(file, 'utf8'), 'new');
  assert.equal(after.mode & 0o7777, 0o640);
  assert.notEqual(after.ino, before.ino, 'a replacement, not an in-place write');
  assert.deepEqual(leftovers(dir), []);
  assert.equal(writeFileAtomic(path.join(dir, 'b.sql'), 'x'), 'created');
});

test('writeFileAtomic run as root keeps the owner and group of a file it does not own', { skip: !posix ? 'POSIX only' : !root ? 'needs root: only root can give a new file to another owner' : false }, () => {
  const dir = tmpdir();
  const file = path.join(dir, 'owned.sql');
  fs.writeFileSync(file, 'old');
  fs.chownSync(file, 65534, 65534); // nobody:nogroup
  fs.chmodSync(file, 0o640);
  assert.equal(writeFileAtomic(file, 'new'), 'replaced');
  const st = fs.statSync(file);
  assert.deepEqual([st.uid, st.gid, st.mode & 0o7777], [65534, 65534, 0o640]);
  assert.equal(fs.readFileSync(file, 'utf8'), 'new');
  assert.deepEqual(leftovers(dir), []);
});

test('writeFileAtomic rewrites a hard-linked file in place: every link sees the new content, no copy is left', { skip: !posix }, () => {
  const dir = tmpdir();
  const file = path.join(dir, 'a.sql');
  const link = path.join(dir, 'b.sql');
  fs.writeFileSync(file, 'a much longer old content than the new one');
  fs.linkSync(file, link);
  const ino = fs.statSync(file).ino;
  assert.equal(writeFileAtomic(file, 'short'), 'in-place');
  assert.equal(fs.readFileSync(link, 'utf8'), 'short', 'truncated to the new length');
  assert.equal(fs.statSync(file).ino, ino);
  assert.equal(fs.statSync(file).nlink, 2, 'the links are not split');
  assert.deepEqual(leftovers(dir), []);
});

test('writeFileAtomic writes through a symlink to a hard-linked file in place', { skip: !posix }, () => {
  const dir = tmpdir();
  const file = path.join(dir, 'a.sql');
  fs.writeFileSync(file, 'old');
  fs.linkSync(file, path.join(dir, 'b.sql'));
  fs.symlinkSync(file, path.join(dir, 'link.sql'));
  assert.equal(writeFileAtomic(path.join(dir, 'link.sql'), 'new'), 'in-place');
  assert.ok(fs.lstatSync(path.join(dir, 'link.sql')).isSymbolicLink());
  assert.equal(fs.readFileSync(path.join(dir, 'b.sql'), 'utf8'), 'new');
});

test('temp names say whose file they are and whether their writer still runs', () => {
  const dead = deadPid();
  const t = parseTempName(`/x/.q.sql.bqmigrate-${dead}-ab12cd.tmp`)!;
  assert.deepEqual({ ...t }, { of: '/x/q.sql', pid: dead, kind: 'tmp', alive: false });
  assert.match(describeTempFile(t), /left by an interrupted bqmigrate .*`bqmigrate fix` removes it/);
  const live = parseTempName(`/x/.q.sql.bqmigrate-${process.pid}-ab12cd.bak`)!;
  assert.equal(live.alive, true);
  assert.match(describeTempFile({ ...live, alive: false }), /restore it from this copy/);
  assert.equal(parseTempName('/x/q.sql'), undefined);
  assert.equal(parseTempName('/x/.q.sql.bqmigrate-12-ab.txt'), undefined);
});

test('writeGeneratedFile creates the folders of a new report and keeps the mode of one it replaces', { skip: !posix }, () => {
  const dir = tmpdir();
  const report = path.join(dir, 'a', 'b', 'inventory.csv');
  assert.equal(writeGeneratedFile(report, 'x\n'), 'created');
  assert.equal(fs.readFileSync(report, 'utf8'), 'x\n');
  fs.chmodSync(report, 0o600);
  assert.equal(writeGeneratedFile(report, 'y\n'), 'replaced');
  assert.equal(fs.statSync(report).mode & 0o7777, 0o600);
  assert.deepEqual(leftovers(path.dirname(report)), []);
});

test('every file bqmigrate writes goes through the one writer: no temp-and-rename of its own in src', () => {
  const own: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !p.endsWith(path.join('fix', 'write.ts')) && /fs\.renameSync\(/.test(fs.readFileSync(p, 'utf8'))) own.push(path.relative(srcRoot, p));
    }
  };
  const srcRoot = path.join(__dirname, '..', '..', '..', '..', 'src');
  walk(srcRoot);
  // Files DuckDB writes (exports) are published through publishFileAtomic too.
  assert.deepEqual(own, []);
});

test('publishFileAtomic: what another writer produces under the temp name replaces the file whole; a failed produce leaves the old file and no temp', async () => {
  const dir = tmpdir();
  const file = path.join(dir, 'out', 'table.parquet');
  let seen = '';
  assert.equal(await publishFileAtomic(file, async (tmp) => {
    seen = tmp;
    fs.writeFileSync(tmp, 'one');
    return 3;
  }), 3);
  assert.equal(path.dirname(seen), path.dirname(file), 'the temp is in the target folder (a rename, never a copy)');
  assert.ok(parseTempName(seen), 'the temp is named as the writer names its temps, so a walk does not lint it');
  assert.equal(fs.readFileSync(file, 'utf8'), 'one');
  await assert.rejects(publishFileAtomic(file, async (tmp) => {
    fs.writeFileSync(tmp, 'half');
    throw new Error('COPY failed');
  }), /COPY failed/);
  assert.equal(fs.readFileSync(file, 'utf8'), 'one');
  assert.deepEqual(leftovers(path.dirname(file)), []);
});

test('writeFileAtomic writes pieces of every size in order: small ones gathered, large ones as they are', () => {
  const dir = tmpdir();
  const file = path.join(dir, 'pieces.bin');
  // Tiny pieces and ones that fill the gathering buffer more than once, pieces around the size written
  // as it is, ones larger than the buffer, empty ones.
  const sizes = [...Array.from({ length: 5000 }, (_, k) => k % 37), ...Array.from({ length: 9 }, () => 200_000), 0, 262_143, 262_144, 1 << 20, (1 << 20) + 1, 3, 700_000, 700_000, 0, 5];
  let seed = 7;
  const pieces = sizes.map((n) => Uint8Array.from({ length: n }, () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff));
  writeFileAtomic(file, pieces);
  assert.deepEqual(fs.readFileSync(file), Buffer.concat(pieces));
  assert.deepEqual(leftovers(dir), []);
  fs.rmSync(dir, { recursive: true, force: true });
});
