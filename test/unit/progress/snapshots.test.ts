import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { appendSnapshot, readSnapshots, recordSnapshot, snapshotsPath } from '../../../src/core/progress/snapshots';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'bqmigrate-snap-'));

test('recordSnapshot appends one JSON line per scan under .bqmigrate/', () => {
  const dir = tmp();
  recordSnapshot(dir, { total: 12, byDataset: { models_v4: 10, staging: 2 }, files: 30 }, new Date('2026-11-01T10:00:00Z'));
  recordSnapshot(dir, { total: 7, byDataset: { models_v4: 7 } }, new Date('2026-11-02T10:00:00Z'));
  const lines = fs.readFileSync(snapshotsPath(dir), 'utf8').trim().split('\n');
  assert.equal(lines.length, 2);
  assert.deepEqual(JSON.parse(lines[0]!), { ts: '2026-11-01T10:00:00.000Z', total: 12, byDataset: { models_v4: 10, staging: 2 }, files: 30 });
  const read = readSnapshots(dir);
  assert.deepEqual(read.problems, []);
  assert.deepEqual(read.snapshots.map((s) => s.total), [12, 7]);
});

test('readSnapshots: no file means no snapshots and no problems', () => {
  assert.deepEqual(readSnapshots(tmp()), { snapshots: [], problems: [] });
});

test('readSnapshots sorts by time and skips torn or foreign lines with file:line', () => {
  const dir = tmp();
  recordSnapshot(dir, { total: 5, byDataset: {} }, new Date('2026-11-05T00:00:00Z'));
  recordSnapshot(dir, { total: 9, byDataset: {} }, new Date('2026-11-03T00:00:00Z'));
  fs.appendFileSync(snapshotsPath(dir), '{"ts":"2026-11-04T00:00:00Z","total":-3,"byDataset":{}}\n{"ts":"2026-11-06T0');
  const read = readSnapshots(dir);
  assert.deepEqual(read.snapshots.map((s) => s.total), [9, 5]);
  assert.equal(read.problems.length, 2);
  assert.match(read.problems[0]!, /reference-snapshots\.jsonl:3:1: expected \{ ts, total, byDataset \}: total/);
  assert.match(read.problems[1]!, /reference-snapshots\.jsonl:4:1: not JSON/);
});

test('recordSnapshot refuses negative counts instead of writing them', () => {
  const dir = tmp();
  assert.throws(() => recordSnapshot(dir, { total: -1, byDataset: {} }));
  assert.equal(fs.existsSync(snapshotsPath(dir)), false);
});

test('appendSnapshot: the same line as recordSnapshot; appends at the same time land whole, one line each', async () => {
  const dir = tmp();
  const other = tmp();
  const counts = Array.from({ length: 20 }, (_, k) => ({ total: k, byDataset: { models_v4: k }, files: 100 + k }));
  const at = (k: number) => new Date(Date.UTC(2026, 10, 1, 0, k));
  const written = await Promise.all(counts.map((c, k) => appendSnapshot(dir, c, at(k))));
  counts.forEach((c, k) => recordSnapshot(other, c, at(k)));
  assert.deepEqual(readSnapshots(dir), readSnapshots(other));
  assert.deepEqual(readSnapshots(dir).snapshots, written, 'sorted by time: every one, once');
  await assert.rejects(() => appendSnapshot(dir, { total: -1, byDataset: {} }));
  assert.equal(readSnapshots(dir).snapshots.length, 20);
});
