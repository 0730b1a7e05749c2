/**
 * The pieces behind a spliced `lint --cache` run: `spliceOutput` (core/lint/run-splice.ts) against output
 * written from scratch, on random runs of files changed, added and removed; `MemoCheck` (core/lint/run-memo.ts)
 * on a memo written and read back, against the walk that departs from it; and `WalkRecord`
 * (core/lint/walk-record.ts) against the walk it recorded.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MemoCheck, readRunMemo, writeRunMemo } from '../../../src/core/lint/run-memo';
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

/** How lint.ts writes a format: ESLint JSON (every part with bytes), stylish (no separators), SARIF (a file without findings has an empty part). */
type Kind = 'json' | 'stylish' | 'sarif';

/** What follows the files' parts: for ESLint JSON what was not read, then the array's end; for stylish the summary, then a list; for SARIF the results' end. */
const tailOf = (kind: Kind, totals: number[], first: boolean) =>
  kind === 'json' ? `${first ? '' : ','}{"unscanned":true}]\n` : kind === 'sarif' ? `${first ? '' : '\n'}],"notifications":[]}\n` : `${summaryOf(totals)}\nnot read: 1 file\n`;

/** A part as spliceOutput takes it: for the comma-separated formats starting with its comma, when it has bytes. */
const partOf = (kind: Kind, text: string) => (kind === 'stylish' || text === '' ? text : `,${text}`);

/** What a run prints for these files, written the way lint.ts writes it, with where each part is (UTF-8 byte offsets). */
function written(files: File[], kind: Kind): { stdout: string; ranges: Float64Array; counts: Int32Array; parts: [number, number] } {
  let out = kind === 'json' ? '[' : kind === 'sarif' ? '{"results":[' : '';
  const ranges = new Float64Array(2 * files.length);
  const counts = new Int32Array(5 * files.length);
  const begin = Buffer.byteLength(out);
  let first = true;
  files.forEach((f, k) => {
    if (f === undefined) {
      ranges.set([-1, -1], 2 * k);
      return;
    }
    const part = first && kind !== 'stylish' ? f.part : partOf(kind, f.part);
    if (part !== '') first = false;
    const at = Buffer.byteLength(out);
    ranges.set([at, at + Buffer.byteLength(part)], 2 * k);
    counts.set(f.counts, 5 * k);
    out += part;
  });
  const parts: [number, number] = [begin, Buffer.byteLength(out)];
  out += tailOf(kind, totalsOf(files), first);
  return { stdout: out, ranges, counts, parts };
}

const totalsOf = (files: File[]) => [0, 1, 2, 3, 4].map((i) => files.reduce((n, f) => n + (f?.counts[i] ?? 0), 0));
const summaryOf = (t: number[]) => (t[0]! + t[1]! === 0 ? '' : `\n✖ ${t.join(' ')}\n`);

test('spliceOutput gives what writing the run from scratch gives: files changed, new and gone, read or not; parts, ranges, counts, the tail', () => {
  const random = rng(0x5eed);
  const text = (n: number) => Array.from({ length: n }, () => 'ab✖"{},\n'[random(8)]).join('');
  for (let round = 0; round < 6000; round++) {
    const kind = (['json', 'stylish', 'sarif'] as const)[round % 3]!;
    // ESLint JSON's parts always have bytes; stylish's and SARIF's are empty for a file without findings.
    const partText = () => (kind === 'json' ? text(1 + random(40)) : random(3) === 0 ? '' : text(1 + random(40)));
    const read = (): File => ({ part: partText(), counts: [random(3), random(3), random(2), random(2), random(2)] });
    const file = (): File => (random(6) === 0 ? undefined : read());
    const before = Array.from({ length: random(13) }, file);
    // The walk now: each of the memo's files kept, changed (read or not now) or gone, new files (read or not) between them.
    const after: File[] = [];
    const from: number[] = [];
    const parts: SplicePart[] = [];
    const put = (f: File, j: number, changed: boolean) => {
      if (changed) parts.push({ k: after.length, bytes: f === undefined ? undefined : Buffer.from(partOf(kind, f.part)), counts: f?.counts ?? [0, 0, 0, 0, 0] });
      after.push(f);
      from.push(j);
    };
    const mode = random(2); // 0: files changed only, 1: new and gone files too
    before.forEach((f, j) => {
      if (mode > 0 && random(5) === 0) put(file(), -1, true);
      if (mode > 0 && random(5) === 0) return; // gone
      if (random(3) === 0) put(file(), j, true);
      else put(f, j, false);
    });
    if (mode > 0 && random(4) === 0) put(file(), -1, true);
    const old = written(before, kind);
    const result = spliceOutput(Buffer.from(old.stdout), { ranges: old.ranges, counts: old.counts, parts: old.parts }, from, parts, {
      commaSeparated: kind !== 'stylish',
      tail: (t, first) => Buffer.from(tailOf(kind, t, first)),
    });
    const want = written(after, kind);
    assert.equal(Buffer.concat(result.stdout).toString(), want.stdout, `round ${round}`);
    assert.deepEqual(result.totals, totalsOf(after));
    assert.deepEqual([...result.pieces.counts], [...want.counts]);
    assert.deepEqual(result.pieces.parts, want.parts);
    // The parts kept as they were go out in runs, not one chunk each: a few chunks per file put in or taken out.
    const gone = before.length - from.filter((j) => j >= 0).length;
    assert.ok(result.stdout.length <= 3 * (parts.length + gone) + 5, `round ${round}: ${result.stdout.length} chunks`);
    const bytes = Buffer.from(want.stdout);
    const firstPrinted = after.findIndex((f) => f !== undefined && f.part !== '');
    after.forEach((f, k) => {
      const [s, e] = [result.pieces.ranges[2 * k]!, result.pieces.ranges[2 * k + 1]!];
      if (f === undefined) assert.equal(s, -1);
      else assert.equal(bytes.toString('utf8', s, e), k === firstPrinted && kind !== 'stylish' ? f.part : partOf(kind, f.part), `round ${round}: the range of file ${k}`);
    });
  }
});

test('spliceOutput refuses parts out of walk order, a file named twice, a new file without a part, parts that do not follow one another, or a comma-separated part without its comma', () => {
  const old = written([{ part: 'a', counts: [0, 0, 0, 0, 0] }, undefined, { part: 'c', counts: [0, 0, 0, 0, 0] }], 'json');
  const pieces = { ranges: old.ranges, counts: old.counts, parts: old.parts };
  const part = (k: number, text: string | undefined): SplicePart => ({ k, bytes: text === undefined ? undefined : Buffer.from(text), counts: [0, 0, 0, 0, 0] });
  const stdout = Buffer.from(old.stdout);
  const opts = { commaSeparated: true, tail: (_: number[], first: boolean) => Buffer.from(tailOf('json', [], first)) };
  assert.throws(() => spliceOutput(stdout, pieces, [0, 1, 2], [part(2, ',x'), part(0, ',y')], opts), /walk order/);
  assert.throws(() => spliceOutput(stdout, pieces, [0, 1, 2], [part(0, 'x')], opts), /without its leading comma/);
  assert.throws(() => spliceOutput(stdout, pieces, [0, 0, 1, 2], [], opts), /again/);
  assert.throws(() => spliceOutput(stdout, pieces, [0, -1, 1, 2], [], opts), /new and has no part/);
  assert.throws(() => spliceOutput(stdout, { ...pieces, parts: [1, 3] }, [0, 1, 2], [], opts), /do not end where its tail starts/);
  assert.throws(() => spliceOutput(stdout, { ...pieces, parts: [0, 4] }, [0, 1, 2], [], opts), /does not follow/);
  assert.equal(Buffer.concat(spliceOutput(stdout, pieces, [0, 1, 2], [part(0, ',x'), part(2, ',z')], opts).stdout).toString(), '[x,z,{"unscanned":true}]\n');
  // The first part gone: the next one loses its comma; a new first part: the memo's first one gains one.
  assert.equal(Buffer.concat(spliceOutput(stdout, pieces, [1, 2], [], opts).stdout).toString(), '[c,{"unscanned":true}]\n');
  assert.equal(Buffer.concat(spliceOutput(stdout, pieces, [-1, 0, 1, 2], [part(0, ',n')], opts).stdout).toString(), '[n,a,c,{"unscanned":true}]\n');
  // Every part gone, or a file not read before read now.
  assert.equal(Buffer.concat(spliceOutput(stdout, pieces, [0, 1, 2], [part(0, undefined), part(2, undefined)], opts).stdout).toString(), '[{"unscanned":true}]\n');
  assert.equal(Buffer.concat(spliceOutput(stdout, pieces, [0, 1, 2], [part(1, ',b')], opts).stdout).toString(), '[a,b,c,{"unscanned":true}]\n');
});

test('WalkRecord: the walk again, each skip and error where it was, the paths before `keep` from `complete`, each identity, the skips', () => {
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
    assert.deepEqual(record.skips, events.filter((e): e is Unscanned => typeof e === 'object' && !Array.isArray(e)));
    for (const [k, f] of files.entries()) {
      const i = Number(/f(\d+)/.exec(f)![1]);
      const want = i % 7 === 0 ? undefined : { size: i, mtimeMs: i + 0.25, ino: 1000 + i, hash: '' };
      assert.deepEqual(record.identityAt(k), want);
      assert.deepEqual(record.identities.get(f), want);
    }
  }
});

test('MemoCheck: a walk with files changed, new and gone has the plan that names each and says whether it left out the same, one that reorders files none', () => {
  const random = rng(0xc4ec);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bqm-memo-check-')), 'lintcache.run');
  const key = Buffer.alloc(32, 7);
  const id = (i: number) => ({ size: i, mtimeMs: i + 0.5, ino: 100 + i, hash: '' });
  const skip: Unscanned = { path: '/w/skipped', folder: true, reason: 'ignored', detail: '.gitignore' };
  for (let round = 0; round < 400; round++) {
    const memoFiles = Array.from({ length: random(15) }, (_, i) => `/w/m${String(i).padStart(2, '0')}.sql`);
    const identities = new Float64Array(memoFiles.flatMap((_, i) => [i, i + 0.5, 100 + i]));
    writeRunMemo(file, key, { files: memoFiles, identities, skips: [skip], exit: 0, cache: [1, 2, 3] }, { stdout: [Buffer.from('[]')], stderr: [] });
    // The walk now, and the plan it must have: the memo's files kept (some changed) or gone, new ones between them.
    const walk: { f: string; i: number }[] = [];
    const from: number[] = [];
    const lint: number[] = [];
    let gone = 0;
    const mode = random(4); // 0: the memo's files only, 1: files new and gone too, 2: two swapped, 3: another skip
    memoFiles.forEach((f, j) => {
      if (mode > 0 && random(4) === 0) {
        lint.push(walk.length);
        from.push(-1);
        walk.push({ f: `/w/m${String(j).padStart(2, '0')}-new.sql`, i: 1000 + j });
      }
      if (mode > 0 && random(4) === 0) return void gone++;
      const changed = random(4) === 0;
      if (changed) lint.push(walk.length);
      from.push(j);
      walk.push({ f, i: changed ? 500 + j : j });
    });
    let ordered = true;
    if (mode === 2 && walk.length > 1) {
      const a = random(walk.length - 1);
      if (from[a]! >= 0 && from[a + 1]! >= 0) {
        [walk[a], walk[a + 1]] = [walk[a + 1]!, walk[a]!];
        ordered = false;
      }
    }
    const memo = readRunMemo(file, key, (m) => assert.fail(m))!;
    const check = new MemoCheck(memo);
    walk.forEach(({ f, i }, k) => {
      if (walk.length >= 2 && k === walk.length >> 1) check.skipped(mode === 3 ? { ...skip, path: '/w/other' } : skip);
      check.next(f, id(i));
    });
    if (walk.length < 2) check.skipped(mode === 3 ? { ...skip, path: '/w/other' } : skip);
    memo.close();
    const plan = check.plan;
    if (!ordered) {
      assert.equal(plan, undefined, `round ${round}: no plan`);
      continue;
    }
    assert.ok(plan, `round ${round}: a plan`);
    assert.equal(plan.sameSkips, mode !== 3, `round ${round}: the same skips`);
    assert.deepEqual([...plan.from], from, `round ${round}: from`);
    assert.deepEqual(plan.lint, lint, `round ${round}: lint`);
    assert.equal(plan.gone, gone, `round ${round}: gone`);
  }
});
