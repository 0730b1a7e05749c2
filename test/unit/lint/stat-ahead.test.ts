/**
 * StatAhead: the walk's identities taken through it are `identify`'s, file for file, whether the stat thread or
 * the walk stated each; files missing give undefined; a walk that stops early leaves the stat thread ready for
 * the next list; each file is stated once.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { identify } from '../../../src/core/lint/cache-identity';
import { StatAhead } from '../../../src/core/lint/stat-ahead';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bqm-stat-ahead-'));
const ahead = new StatAhead();
after(async () => {
  await ahead.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** `n` files with names in several scripts (the list is UTF-8), every seventh removed after it was listed. */
function files(n: number, tag: string): { paths: string[]; bytes: Buffer } {
  const paths: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = path.join(dir, `${tag}-${i}-${i % 3 === 0 ? 'é' : i % 3 === 1 ? '数' : 'x'}.sql`);
    fs.writeFileSync(p, 'x'.repeat(i % 50));
    paths.push(p);
  }
  for (let i = 0; i < n; i += 7) fs.rmSync(paths[i]!);
  return { paths, bytes: Buffer.from(paths.join('\0')) };
}

test('every identity taken through the stat thread is identify\'s, whichever thread stated the file', async () => {
  const { paths, bytes } = files(3000, 'all');
  for (const pace of [0, 1]) {
    const list = ahead.begin(bytes, paths.length);
    // pace 1: the walk starts once the stat thread has stated some files (it may have stated all of them).
    for (let waited = 0; pace && list.stated() === 0 && waited < 10_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    const got = paths.map((p, k) => list.identify(k, p));
    list.end();
    assert.deepEqual(got, paths.map((p) => identify(p, false)));
    assert.equal(got.filter((id) => id === undefined).length, Math.ceil(paths.length / 7));
    if (pace) assert.ok(list.fromAhead > 0, 'the walk took files the stat thread had stated');
  }
});

test('a walk that stops early ends the stat thread\'s list; the next list is stated from its own files', async () => {
  const first = files(2000, 'early');
  const list = ahead.begin(first.bytes, first.paths.length);
  for (let k = 0; k < 10; k++) assert.deepEqual(list.identify(k, first.paths[k]!), identify(first.paths[k]!, false));
  list.end();
  const second = files(500, 'next');
  const next = ahead.begin(second.bytes, second.paths.length);
  for (let waited = 0; next.stated() === 0 && waited < 10_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(second.paths.map((p, k) => next.identify(k, p)), second.paths.map((p) => identify(p, false)));
  assert.ok(next.fromAhead > 0, 'the stat thread went on to the next list');
  next.end();
});

test('a file edited after the run began is seen as edited, by the stat thread as by the walk', async () => {
  const { paths, bytes } = files(200, 'edit');
  const list = ahead.begin(bytes, paths.length);
  const last = paths[paths.length - 1]!;
  for (let waited = 0; list.stated() === 0 && waited < 10_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
  const before = list.identify(paths.length - 1, last);
  assert.equal(list.fromAhead, 1, 'the stat thread stated the last file');
  list.end();
  fs.appendFileSync(last, 'more');
  const again = ahead.begin(bytes, paths.length);
  for (let waited = 0; again.stated() === 0 && waited < 10_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
  const after = again.identify(paths.length - 1, last);
  assert.equal(again.fromAhead, 1);
  again.end();
  assert.equal(after!.size, before!.size + 4);
  assert.deepEqual(after, identify(last, false));
});
