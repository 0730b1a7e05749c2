import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FileLintResult } from '../../../src/core/lint/file-lint';
import { decodeResults, encodeResults } from '../../../src/core/lint/transfer';

const results: FileLintResult[] = [
  {
    filePath: '/w/a.sql',
    violations: [
      {
        ruleId: 'legacy-reference',
        severity: 'error',
        message: 'models_v4.t was renamed to training.t',
        range: { start: 14, end: 25 },
        fix: { title: 'Rename to training.t', safety: 'safe', edits: [{ start: 14, end: 25, text: 'training.t' }] },
        deprecated: true,
        mappingIndex: 3,
      },
      { ruleId: 'unknown-dataset', severity: 'warning', message: 'dataset "x" is neither approved nor legacy', range: { start: 40, end: 43 }, fix: undefined, deprecated: undefined, mappingIndex: undefined },
    ],
    positions: [
      { line: 1, column: 15, endLine: 1, endColumn: 26 },
      { line: 3, column: 2, endLine: 3, endColumn: 5 },
    ],
    bom: false,
  },
  { filePath: '/w/b.bin', violations: [], positions: [], note: 'binary file (NUL byte at offset 3), skipped', unscanned: 'binary' },
  { filePath: '/w/c.py', violations: [], positions: [], bom: true },
];

test('packed results decode to the same objects, keys in the same order', () => {
  const packed = encodeResults(results);
  assert.ok(packed);
  const back = decodeResults(structuredClone(packed));
  assert.deepStrictEqual(back, results);
  assert.deepEqual(back.map((r) => r.violations.map((v) => Object.keys(v))), results.map((r) => r.violations.map((v) => Object.keys(v))));
  assert.equal(packed.strings.filter((s) => s === 'error').length, 1, 'severities are sent once');
});

test('results of another shape are not packed', () => {
  const odd = structuredClone(results);
  (odd[0]!.violations[0] as unknown as Record<string, unknown>).extra = 1;
  assert.equal(encodeResults(odd), undefined);
  const ref = structuredClone(results);
  (ref[0]!.violations[1] as unknown as Record<string, unknown>).ref = {};
  assert.equal(encodeResults(ref), undefined);
});

test('each file packs into ints sized to it, growing for fixes of many edits, and a malformed result is not packed', () => {
  // The lint cache packs file by file: a fixed start size would be allocated and zeroed for each.
  for (const r of results) {
    const packed = encodeResults([r], true)!;
    assert.deepStrictEqual(decodeResults(packed), [r]);
    assert.ok(packed.ints.buffer.byteLength <= 4 * (packed.ints.length + 8), `${r.filePath}: ${packed.ints.length} ints in ${packed.ints.buffer.byteLength} bytes`);
  }
  const many: FileLintResult = { ...structuredClone(results[0]!), violations: [], positions: [], references: [] };
  for (let i = 0; i < 300; i++) {
    const edits = Array.from({ length: i % 7 }, (_, k) => ({ start: k, end: k + 1, text: `t${k}` }));
    many.violations.push({ ...structuredClone(results[0]!.violations[0]!), fix: { title: `fix ${i}`, safety: 'unsafe', edits } });
    many.positions.push({ line: i + 1, column: 1, endLine: i + 1, endColumn: 2 });
    many.references!.push({ mappingIndex: 0, from: 'models_v4.t', to: i % 2 ? 'training.t' : undefined, line: i + 1, column: 1, endLine: i + 1, endColumn: 2 });
  }
  assert.deepStrictEqual(decodeResults(structuredClone(encodeResults([many, results[2]!])!)), [many, results[2]]);
  const broken = { ...results[2]!, violations: undefined } as unknown as FileLintResult;
  assert.equal(encodeResults([broken]), undefined);
});
