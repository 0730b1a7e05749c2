/**
 * The pieces behind a spliced `lint --cache` run: `spliceOutput` (core/lint/run-splice.ts) against output
 * written from scratch, on random runs of files, and `WalkRecord` (core/lint/walk-record.ts) against the
 * walk it recorded.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spliceOutput, type SplicePart } from '../../../src/core/lint/run-splice';
import { WalkRecord } from '../../../src/core/lint/walk-record';
import type { Unscanned } from '../../../src/core/lint/unscanned';

function rng(seed: number): (n: number) => number {
  let s = seed | 1;
  return (n) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
}

/** A file of a run: not read (no part), or its part's text and counts. */
type File = { part: string; counts: number[] } | undefined;

/** What a run prints for these files, written the way lint.ts writes it, with where each part is (UTF-8 byte offsets). */
function written(files: File[], json: boolean): { stdout: string; ranges: Float64Array; counts: Int32Array; summary?: [number, number] } {
  let out = json ? '[' : '';
  const ranges = new Float64Array(2 * files.length);
  const counts = new Int32Array(5 * files.length);
  let first = true;
  files.forEach((f, k) => {
    if (f === undefined) {
      ranges.set([-1, -1], 2 * k);
      return;
    }
    const part = json ? (first ? f.part : `,${f.part}`) : f.part;
    first = false;
    const at = Buffer.byteLength(out);
    ranges.set([at, at + Buffer.byteLength(part)], 2 * k);
    counts.set(f.counts, 5 * k);
    out += part;
  });
  let summary: [number, number] | undefined;
  if (json) out += ',{"unscanned":true}]\n';
  else {
    summary = [Buffer.byteLength(out), 0];
    out += summaryOf(totalsOf(files));
    summary[1] = Buffer.byteLength(out);
    out += '\nnot read: 1 file\n';
  }
  return { stdout: out, ranges, counts, ...(summary ? { summary } : {}) };
}

const totalsOf = (files: File[]) => [0, 1, 2, 3, 4].map((i) => files.reduce((n, f) => n + (f?.counts[i] ?? 0), 0));
const summaryOf = (t: number[]) => (t[0]! + t[1]! === 0 ? '' : `\n✖ ${t.join(' ')}\n`);

test('spliceOutput gives what writing the changed run from scratch gives: parts, ranges, counts, the summary', () => {
  const random = rng(0x5eed);
  const text = (n: number) => Array.from({ length: n }, () => 'ab✖"{},\n'[random(8)]).join('');
  const file = (): File => (random(6) === 0 ? undefined : { part: text(random(40)), counts: [random(3), random(3), random(2), random(2), random(2)] });
  for (let round = 0; round < 3000; round++) {
    const json = round % 2 === 0;
    const before = Array.from({ length: 1 + random(12) }, file);
    const after = before.map((f) => (f !== undefined && random(3) === 0 ? { part: text(random(40)), counts: [random(3), random(3), 0, random(2), 0] } : f));
    const old = written(before, json);
    const parts: SplicePart[] = [];
    after.forEach((f, k) => {
      if (f !== before[k]) parts.push({ k, bytes: Buffer.from(json ? `,${f!.part}` : f!.part), counts: f!.counts });
    });
    const spliced = spliceOutput(Buffer.from(old.stdout), { ranges: old.ranges, counts: old.counts, runCode: 0, stderrBeforeExit: 0, ...(old.summary ? { summary: old.summary } : {}) }, parts, {
      commaSeparated: json,
      summary: json ? undefined : (t) => Buffer.from(summaryOf(t)),
    });
    const want = written(after, json);
    assert.equal(Buffer.concat(spliced.stdout).toString(), want.stdout, `round ${round}`);
    assert.deepEqual(spliced.totals, totalsOf(after));
    assert.deepEqual([...spliced.pieces.counts], [...want.counts]);
    const bytes = Buffer.from(want.stdout);
    const firstRead = after.findIndex((f) => f !== undefined);
    after.forEach((f, k) => {
      const [s, e] = [spliced.pieces.ranges[2 * k]!, spliced.pieces.ranges[2 * k + 1]!];
      if (f === undefined) assert.equal(s, -1);
      else assert.equal(bytes.toString('utf8', s, e), json && k !== firstRead ? `,${f.part}` : f.part, `round ${round}: the range of file ${k}`);
    });
    if (want.summary) assert.deepEqual(spliced.pieces.summary, want.summary);
  }
});

test('spliceOutput refuses parts out of walk order, for a file without a part, or an ESLint JSON first part without its comma', () => {
  const old = written([{ part: 'a', counts: [0, 0, 0, 0, 0] }, undefined, { part: 'c', counts: [0, 0, 0, 0, 0] }], true);
  const pieces = { ranges: old.ranges, counts: old.counts, runCode: 0, stderrBeforeExit: 0 };
  const part = (k: number, text: string): SplicePart => ({ k, bytes: Buffer.from(text), counts: [0, 0, 0, 0, 0] });
  const stdout = Buffer.from(old.stdout);
  assert.throws(() => spliceOutput(stdout, pieces, [part(2, ',x'), part(0, ',y')], { commaSeparated: true }), /walk order/);
  assert.throws(() => spliceOutput(stdout, pieces, [part(1, ',x')], { commaSeparated: true }), /not where a new part can go|walk order/);
  assert.throws(() => spliceOutput(stdout, pieces, [part(0, 'x')], { commaSeparated: true }), /without its leading comma/);
  assert.equal(Buffer.concat(spliceOutput(stdout, pieces, [part(0, ',x'), part(2, ',z')], { commaSeparated: true }).stdout).toString(), '[x,z,{"unscanned":true}]\n');
});

test('WalkRecord: the walk again, each skip and error where it was, the paths before `keep` from `complete`, each identity', () => {
  const random = rng(0xa11);
  for (let round = 0; round < 500; round++) {
    const events: (string | Unscanned | [string, string])[] = [];
    const files: string[] = [];
    const record = new WalkRecord();
    const keepAt = random(20);
    for (let i = 0, n = random(30); i < n; i++) {
      const r = random(5);
      if (r === 0) {
        const u: Unscanned = { path: `/w/skip${i}`, folder: false, reason: 'binary', detail: 'x' };
        events.push(u);
        record.skip(u);
      } else if (r === 1) {
        events.push([`/w/err${i}`, 'gone']);
        record.error(`/w/err${i}`, 'gone');
      } else {
        const f = `/w/f${i}.sql`;
        if (files.length === keepAt) record.keep();
        events.push(f);
        files.push(f);
        record.file(f, i % 7 === 0 ? undefined : { size: i, mtimeMs: i + 0.25, ino: 1000 + i, hash: '' });
      }
    }
    record.complete((n) => files.slice(0, n));
    const again: typeof events = [];
    for (const f of record.replay({ onSkip: (u) => again.push(u), onError: (f, m) => again.push([f, m]) })) again.push(f);
    assert.deepEqual(again, events, `round ${round}`);
    assert.deepEqual(record.files, files);
    for (const [k, f] of files.entries()) {
      const i = Number(/f(\d+)/.exec(f)![1]);
      const want = i % 7 === 0 ? undefined : { size: i, mtimeMs: i + 0.25, ino: 1000 + i, hash: '' };
      assert.deepEqual(record.identityAt(k), want);
      assert.deepEqual(record.identities.get(f), want);
    }
  }
});
