import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LANGUAGES, mightContainRefs, scanText } from '../../../src/core/scan/index';
import type { LanguageId, ScanResult } from '../../../src/core/scan/types';
import { assertPartRanges, opts } from './cases';

const FAMILIES: LanguageId[] = ['sql', 'python', 'javascript', 'plain'];

/** Fragments that drive the lexers into every state: quotes, comment starters, placeholders, escapes, odd code units. */
const fragment = fc.constantFrom(
  '`', "'", '"', "'''", '"""', '--', '#', '/*', '*/', '//', '/', '\\', '${', '{', '}', '%(', ')s', '%s', '[', ']', ':', '.', '$', '@', '*', '-',
  '<!--', '-->', '\n', '\r\n', '\r', ' ', '\t', ',', '(', 'f"', "r'", 'rb"', 'b"', 'FROM ', 'JOIN ', 'TABLE ', 'IF NOT EXISTS ', 'AS ',
  'models_v4', 'training', 'cbi-v14', 'other', 'x_1m', 'INFORMATION_SCHEMA', '__TABLES__', '20230101', 'return ', 'bqmigrate-disable',
  'bqmigrate-disable-next-line a, b -- why', '\u0000', '\ud800', '\udc00', 'é', '\u2028', '1.5',
  'from ', 'Delete ', 'UPDATE ', '\\n', '\\t', 'other_ds', 'x.', '.y', '<P>', '%(p)s', '<!--', '```sql\n', '\ufeff', '中', '😀',
);
const tricky = fc.array(fc.oneof(fragment, fc.string({ maxLength: 4 })), { maxLength: 80 }).map((parts) => parts.join(''));

function checkInvariants(text: string, r: ScanResult): void {
  let prevEnd = 0;
  for (const ref of r.refs) {
    assert.ok(ref.range.start >= prevEnd, 'sorted and non-overlapping');
    assert.ok(ref.range.start < ref.range.end && ref.range.end <= text.length, 'in bounds');
    assertPartRanges(text, ref);
    prevEnd = ref.range.end;
  }
  for (const s of [...r.comments, ...r.suppressions.map((x) => x.range)]) assert.ok(s.start >= 0 && s.start <= s.end && s.end <= text.length, 'comment in bounds');
}

for (const family of FAMILIES) {
  test(`property (${family}): never throws; refs in bounds, sorted, non-overlapping; parts slice to their text`, { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(tricky, (text) => {
        checkInvariants(text, scanText(text, family, opts));
      }),
      { numRuns: 500 },
    );
  });

  test(`property (${family}): the prefilter never says no when the scanner finds a reference`, { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(tricky, (text) => {
        if (!mightContainRefs(text, opts, family)) assert.equal(scanText(text, family, opts).refs.length, 0);
        if (!mightContainRefs(text, opts)) assert.equal(scanText(text, family, opts).refs.length, 0);
      }),
      { numRuns: 300 },
    );
  });
}

const ALL_FAMILIES = LANGUAGES.map((l) => l.id);

test('property (every language): the prefilter never says no when the scanner finds a reference', { timeout: 120_000 }, () => {
  fc.assert(
    fc.property(tricky, fc.constantFrom(...ALL_FAMILIES), (text, family) => {
      if (mightContainRefs(text, opts, family)) return;
      const found = scanText(text, family, opts);
      assert.equal(found.refs.length, 0, `the prefilter says no, the scanner finds ${JSON.stringify(found.refs.map((r) => text.slice(r.range.start, r.range.end)))}`);
    }),
    { numRuns: 3000 },
  );
});

test('property: fully random strings (any code unit) never throw', { timeout: 120_000 }, () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom(...FAMILIES), (text, family) => {
      checkInvariants(text, scanText(text, family, opts));
    }),
    { numRuns: 1000 },
  );
});

test('a 50 MB one-line file and deep template nesting are handled', { timeout: 120_000 }, () => {
  // one line: a string holding a reference, then a comment starter whose comment runs to the end of the 50 MB
  const unit = 'x = "FROM models_v4.t", `a.b` # models_v4.u -- ' + 'filler, words and 1.5 numbers (t.col / 2) '.repeat(24);
  const line = unit.repeat(Math.ceil((50 * 1024 * 1024) / unit.length));
  for (const family of FAMILIES) {
    const r = scanText(line, family, opts);
    assert.ok(r.refs.length > 0, family);
  }
  const deep = '`${'.repeat(200_000) + 'models_v4.t';
  assert.doesNotThrow(() => scanText(deep, 'javascript', opts));
  const unterminated = ['"""' + 'x'.repeat(1e6), '/*' + ' models_v4.t'.repeat(1e5), "'" + '\\'.repeat(1e6)];
  for (const t of unterminated) for (const family of FAMILIES) checkInvariants(t, scanText(t, family, opts));
});
