import { test } from 'node:test';
import assert from 'node:assert/strict';
import { languageFamilyOf, mightContainRefs, scanText } from '../../../src/core/scan/index';
import { opts } from './cases';

test('family by extension and by language id', () => {
  const want: [string, string | undefined][] = [
    ['q.sql', 'sql'], ['a/b/Q.SQL', 'sql'], ['x.bqsql', 'sql'], ['train.py', 'python'], ['t.pyi', 'python'],
    ['a.ts', 'javascript'], ['a.tsx', 'javascript'], ['a.mjs', 'javascript'], ['a.jsx', 'javascript'], ['c:\\w\\a.cjs', 'javascript'],
    ['README.md', 'plain'], ['c.yaml', 'plain'], ['c.json', 'plain'], ['run.sh', 'plain'], ['Makefile', 'plain'], ['.env', 'plain'],
    ['data.parquet', undefined], ['img.png', undefined],
    ['sql', 'sql'], ['python', 'python'], ['typescriptreact', 'javascript'], ['markdown', 'plain'], ['yaml', 'plain'], ['shellscript', 'plain'],
  ];
  for (const [input, family] of want) assert.equal(languageFamilyOf(input), family, input);
});

test('prefilter: false for text with nothing to find, true when a reference is there', () => {
  assert.equal(mightContainRefs('print("hello world")\nx = a.b', opts, 'python'), false);
  assert.equal(mightContainRefs('x = "MODELS_V4.t"', opts, 'python'), true);
  assert.equal(mightContainRefs('q = "SELECT * FROM other.t"', opts, 'python'), true);
  assert.equal(mightContainRefs('# plain prose about other.t', opts, 'plain'), false);
  assert.equal(mightContainRefs('see cbi-v14:x.y', opts, 'plain'), true);
  assert.equal(mightContainRefs('SELECT `a.b`', opts, 'sql'), true);
  assert.equal(mightContainRefs('SELECT `a.b`', opts), true);
  assert.equal(mightContainRefs('anything', { knownDatasets: new Set() }, 'plain'), false);
});

test('prefilter agrees with the scanner on the cases it must not miss', () => {
  const samples: [string, 'sql' | 'python' | 'javascript' | 'plain'][] = [
    ['SELECT 1 FROM x.y', 'sql'], ['select 1 from `x.y`', 'sql'], ['SELECT [p:d.t]', 'sql'], ['q = f"{P}.training.t"', 'python'],
    ['const q = `DELETE FROM ${p}.other.t`', 'javascript'], ['Moved to cbi-v14.newds.t', 'plain'],
  ];
  for (const [text, family] of samples) {
    assert.ok(scanText(text, family, opts).refs.length > 0, `scanner finds a reference in ${text}`);
    assert.equal(mightContainRefs(text, opts, family), true, text);
  }
});
