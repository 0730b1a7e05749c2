import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countViolations } from '../../../src/cli/format/report';
import { COUNT_FIELDS, toEslintResult } from '../../../src/core/lint/eslint-json';
import type { FileLintResult } from '../../../src/core/lint/file-lint';
import type { Violation } from '../../../src/core/rules/types';
import { EslintJsonBatch, renderEslintJson } from '../../../src/core/lint/worker';

const at = { line: 2, column: 3, endLine: 2, endColumn: 9 };
const v = (over: Partial<Violation>): Violation => ({ ruleId: 'legacy-reference', severity: 'error', message: 'm', range: { start: 4, end: 10 }, fix: undefined, deprecated: undefined, mappingIndex: undefined, ...over });
const rename = (text: string, safety: 'safe' | 'unsafe' = 'safe') => ({ title: 'Rename', safety, edits: [{ start: 4, end: 10, text }] });

// Strings JSON.stringify escapes, and UTF-8 of every width.
const TRICKY = ['say "hi"', 'back\\slash', 'tab\there\nline\r\u0000\u0001\u001f\b\f', '\u007f del', 'é ü ß', '€ 中文', '😀 pair', 'lone \ud800 high', 'lone \udfff low', 'reversed \udc00\ud800', '\u2028\u2029', ''];

function results(): FileLintResult[] {
  return [
    {
      filePath: '/w/q "1"\\ü😀.sql',
      violations: TRICKY.map((s, i) => v({ message: s, severity: i % 3 === 0 ? 'warning' : 'error', fix: i % 2 ? rename(s) : undefined })),
      positions: TRICKY.map(() => at),
      bom: false,
    },
    { filePath: '/w/skipped.bin', violations: [], positions: [], note: 'binary file (NUL byte at offset 3), skipped' },
    {
      filePath: '/w/mixed.sql',
      violations: [
        v({ severity: 'info', message: 'info is left out' }),
        v({ fix: rename('x', 'unsafe') }),
        v({ severity: 'warning', fix: { title: 'two', safety: 'safe', edits: [{ start: 1, end: 2, text: 'a' }, { start: 5, end: 6, text: 'b' }] } }),
        v({ severity: 'warning', fix: rename('y') }),
        v({ fix: { title: 'none', safety: 'safe', edits: [] } }),
      ],
      positions: [at, at, { line: 1, column: 1, endLine: 3, endColumn: 12345678 }, at, at],
      bom: true,
    },
    { filePath: '/w/clean.py', violations: [], positions: [], bom: false },
  ];
}

test('toEslintResult: info left out, `fix` only for a safe single edit, counts of those', () => {
  const r = toEslintResult(results()[2]!);
  assert.deepStrictEqual(r, {
    filePath: '/w/mixed.sql',
    messages: [
      { ruleId: 'legacy-reference', severity: 2, message: 'm', ...at },
      { ruleId: 'legacy-reference', severity: 1, message: 'm', line: 1, column: 1, endLine: 3, endColumn: 12345678 },
      { ruleId: 'legacy-reference', severity: 1, message: 'm', ...at, fix: { range: [4, 10], text: 'y' } },
      { ruleId: 'legacy-reference', severity: 2, message: 'm', ...at },
    ],
    errorCount: 2,
    warningCount: 2,
    fixableErrorCount: 0,
    fixableWarningCount: 1,
  });
  assert.deepEqual(Object.keys(r.messages[2]!), ['ruleId', 'severity', 'message', 'line', 'column', 'endLine', 'endColumn', 'fix']);
});

test('renderEslintJson writes, per file, exactly "," + JSON.stringify(toEslintResult(r)) in UTF-8, and the counts countViolations gives', () => {
  const rs = results();
  const b = renderEslintJson(rs);
  let start = 0;
  rs.forEach((r, k) => {
    const bytes = Buffer.from(b.bytes.subarray(start, b.ends[k]));
    start = b.ends[k]!;
    if (r.note) {
      assert.equal(bytes.length, 0, 'a skipped file writes nothing');
      assert.equal(b.notes[k], r.note);
    } else {
      assert.equal(b.notes[k], undefined);
      assert.deepEqual(bytes, Buffer.from(`,${JSON.stringify(toEslintResult(r))}`, 'utf8'));
    }
    const c = countViolations([r]);
    assert.deepEqual([...b.counts.subarray(k * COUNT_FIELDS, (k + 1) * COUNT_FIELDS)], [c.errors, c.warnings, c.infos, c.fixableErrors, c.fixableWarnings]);
  });
  assert.equal(start, b.bytes.length);
  const text = Buffer.from(b.bytes).toString('utf8');
  // Lone surrogates come out escaped, as JSON.stringify writes them; a pair is one UTF-8 character.
  assert.match(text, /lone \\ud800 high/);
  assert.match(text, /reversed \\udc00\\ud800/);
  assert.match(text, /😀 pair/);
  const parsed = JSON.parse(`[${text.slice(1)}]`);
  assert.deepEqual(parsed[0].messages.map((m: { message: string }) => m.message), TRICKY, 'the text reads back as the strings, lone surrogates included');
});

test('renderEslintJson grows its buffer for a batch far larger than the last', () => {
  renderEslintJson([results()[3]!]); // a tiny batch sets the next starting size low
  const big: FileLintResult = { filePath: '/w/big.sql', violations: [], positions: [], bom: false };
  for (let i = 0; i < 5000; i++) {
    big.violations.push(v({ message: `message ${i} ${'ü'.repeat(i % 50)}`, fix: rename(`t${i}`) }));
    big.positions.push({ line: i + 1, column: 1, endLine: i + 1, endColumn: 7 });
  }
  const b = renderEslintJson([big, results()[0]!]);
  assert.deepEqual(Buffer.from(b.bytes), Buffer.from(`,${JSON.stringify(toEslintResult(big))},${JSON.stringify(toEslintResult(results()[0]!))}`, 'utf8'));
});

test('renderEslintJson fits its buffer to what it holds, whatever a worker batch before it reached', () => {
  // A worker's batch sets where the next batch starts; a one-off render made after it does not start there.
  const batch = new EslintJsonBatch();
  for (const r of results()) for (let i = 0; i < 200; i++) batch.add(r);
  assert.ok(batch.finish().bytes.length > 1 << 16, 'the batch before is larger than 64 KiB');
  for (const r of [...results(), { filePath: '/w/empty.sql', violations: [], positions: [], bom: false }]) {
    const b = renderEslintJson([r]);
    assert.deepEqual(Buffer.from(b.bytes), Buffer.from(r.note ? '' : `,${JSON.stringify(toEslintResult(r))}`, 'utf8'));
    assert.ok(b.bytes.buffer.byteLength <= Math.max(1024, 2 * b.bytes.length), `${r.filePath}: ${b.bytes.length} bytes in a buffer of ${b.bytes.buffer.byteLength}`);
  }
  // A one-off with one long string (reserved at 3 bytes a unit, written at 1) is copied out to its size.
  const long: FileLintResult = { filePath: '/w/long.sql', violations: [v({ message: 'x'.repeat(20_000) })], positions: [{ line: 1, column: 1, endLine: 1, endColumn: 2 }], bom: false };
  const b = renderEslintJson([long]);
  assert.equal(JSON.parse(Buffer.from(b.bytes.subarray(1)).toString('utf8')).messages[0].message.length, 20_000);
  assert.ok(b.bytes.buffer.byteLength <= 2 * b.bytes.length, `${b.bytes.length} bytes in a buffer of ${b.bytes.buffer.byteLength}`);
});
