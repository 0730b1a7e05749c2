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
