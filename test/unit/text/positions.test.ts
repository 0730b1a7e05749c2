import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineIndex } from '../../../src/core/text/positions';

/** The plain definition: walk every character, a line ends at \n, at \r\n (after the \n) and at a lone \r. */
function naivePosition(text: string, offset: number): { line: number; character: number } {
  const o = Math.max(0, Math.min(offset, text.length));
  let line = 0;
  let start = 0;
  for (let i = 0; i < o; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      start = i + 1;
    }
  }
  return { line, character: o - start };
}

function randomText(seed: number, length: number): string {
  let x = seed;
  const next = () => ((x = (x * 1103515245 + 12345) & 0x7fffffff), x);
  const pieces = ['a', 'b', ' ', '\n', '\r\n', '\r', 'é', '😀'];
  let s = '';
  while (s.length < length) s += pieces[next() % pieces.length];
  return s;
}

test('LineIndex agrees with a character walk for every offset, asked in ascending, descending and random order', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const text = randomText(seed, 1 + (seed * 37) % 300);
    const offsets = [...Array(text.length + 3).keys()].map((i) => i - 1);
    const orders = [offsets, [...offsets].reverse(), [...offsets].sort((a, b) => ((a * 7919 + seed) % 97) - ((b * 7919 + seed) % 97))];
    for (const order of orders) {
      const index = new LineIndex(text);
      for (const o of order) assert.deepEqual(index.positionAt(o), naivePosition(text, o), `seed ${seed}, offset ${o} of ${JSON.stringify(text)}`);
    }
    const index = new LineIndex(text);
    assert.equal(index.lineCount, naivePosition(text, text.length).line + 1);
    for (let o = 0; o <= text.length; o++) {
      const p = naivePosition(text, o);
      // offsetAt inverts positionAt except inside a \r\n pair, which maps to the same position as the \r.
      if (!(text[o - 1] === '\r' && text[o] === '\n')) assert.equal(index.offsetAt(p), o, `offsetAt ${JSON.stringify(p)} seed ${seed}`);
    }
  }
});

test('LineIndex indexes only as far as it is asked: a lookup near the start of a huge text does not index the rest', () => {
  const text = `SELECT 1\nFROM t\n${'x\n'.repeat(5_000_000)}`;
  const index = new LineIndex(text);
  assert.deepEqual(index.positionAt(10), { line: 1, character: 1 });
  assert.ok(((index as unknown as { starts: number[] }).starts.length) < 10, 'only the first lines were indexed');
  assert.equal(index.lineCount, 5_000_003);
});
