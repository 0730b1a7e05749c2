import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bytesCandidates, bytesMightContainRefs, CandidateRegions, LANGUAGES, mightContainRefs, scanText } from '../../../src/core/scan/index';
import { unitBytes } from '../../../src/core/scan/prefilter';
import type { LanguageId, ScanOptions, ScanResult } from '../../../src/core/scan/types';
import { regexGate } from '../../corpus/regex-gate';
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

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** Short names (found natively, one case variant at a time), a name with a hyphen, names that are keywords' prefixes. */
const shortOpts: ScanOptions = { knownDatasets: new Set(['ml', 'x', 'a_b', 'fro', 'models_v4', 'deletes']), project: 'p-1' };
const shortFragment = fc.constantFrom('ML', 'ml.t', 'X.', 'x', 'A_B', 'fro', 'FROm', 'deletes', 'P-1', 'p-1:d.t', '"ml"', "dataset_id='x'", 'datasetId: ', 'DatasetReference(');

/** The prefilter's answers for a text: on it, on its UTF-8 bytes, with a BOM before them, and the regular-expression specification's. */
function assertGateAgrees(text: string, o: ScanOptions, family: LanguageId): boolean {
  const may = mightContainRefs(text, o, family);
  assert.equal(regexGate(text, o, family), may, 'the byte loop gives the specification\'s answer');
  // Only well-formed text has UTF-8 bytes (a lone surrogate is not valid UTF-8, and the linter refuses such a file).
  if (!/[\ud800-\udfff]/.test(text.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))) {
    const bytes = Buffer.from(text, 'utf8');
    assert.equal(bytesMightContainRefs(bytes, o, family), may, 'the bytes give the text\'s answer');
    assert.equal(bytesMightContainRefs(Buffer.concat([BOM, bytes]), o, family), may, 'a BOM changes nothing');
    // At an odd offset in its buffer, as a slice of a larger read.
    assert.equal(bytesMightContainRefs(Buffer.concat([Buffer.from('\n'), bytes]).subarray(1), o, family), may, 'the offset in the buffer changes nothing');
    // Where the language holds SQL only in strings, reading only the strings and comments with a candidate finds what reading all finds.
    for (const source of [bytes, Buffer.concat([BOM, bytes])]) {
      const found = bytesCandidates(source, o, family);
      assert.equal(found !== false, may, 'candidates exactly when the prefilter passes');
      if (typeof found === 'object') assert.deepEqual(scanText(text, family, o, new CandidateRegions(source, text, found)), scanText(text, family, o), 'the candidate regions hold every reference');
    }
  }
  return may;
}

/** A table keyword in any case, what may stand between it and a path, and what starts one: the prefilter's own pieces. */
const keywordCase = fc.tuple(fc.constantFrom('from', 'join', 'into', 'update', 'table', 'view', 'merge', 'delete', 'insert', 'using', 'clone', 'copy', 'truncate'), fc.integer()).map(([w, seed]) => [...w].map((c, k) => ((seed >> k) & 1 ? c.toUpperCase() : c)).join(''));
const gapPiece = fc.constantFrom('.`', '.\\`', '.', ' ', '\n', '\r\n', '\t', '\v', ',', '`', ']', '[', '\\n', '\\\n', '\\`', 'é', '中', 'a-b', 'x:y', 'a@b', 't*', 'other', '  ', '-', ':', '"', "'", '(', ';');
const triggerPiece = fc.constantFrom('.x', '.`', '.{', '.$', '.\\', '.*', '.<', '.%', '.', '{', '}', '$', '%', '<', '>', '.é', '. ');
const keywordPath = fc.tuple(fc.constantFrom('', ' ', '\\n', '\\t', 'x', '_', '"', '`', '.', '\n', 'é'), keywordCase, fc.array(gapPiece, { maxLength: 6 }), triggerPiece, fc.constantFrom('', 't', 'ds.t', 'p}.ds.t', '`')).map((p) => p.flat().join(''));
const gateText = fc.array(fc.oneof({ arbitrary: keywordPath, weight: 2 }, { arbitrary: fragment, weight: 3 }, { arbitrary: fc.string({ maxLength: 3 }), weight: 1 }), { maxLength: 12 }).map((parts) => parts.join(''));

test('property (every language): the prefilter never says no when the scanner finds a reference; bytes, BOM and the specification agree', { timeout: 120_000 }, () => {
  fc.assert(
    fc.property(fc.oneof(tricky, gateText), fc.constantFrom(...ALL_FAMILIES), (text, family) => {
      if (assertGateAgrees(text, opts, family)) return;
      const found = scanText(text, family, opts);
      assert.equal(found.refs.length, 0, `the prefilter says no, the scanner finds ${JSON.stringify(found.refs.map((r) => text.slice(r.range.start, r.range.end)))}`);
    }),
    { numRuns: 3000 },
  );
});

test('property (every language, names shorter than the search window): the prefilter never says no when the scanner finds a reference', { timeout: 120_000 }, () => {
  const text = fc.array(fc.oneof(fragment, shortFragment, fc.string({ maxLength: 3 })), { maxLength: 60 }).map((parts) => parts.join(''));
  fc.assert(
    fc.property(text, fc.constantFrom(...ALL_FAMILIES), (t, family) => {
      if (assertGateAgrees(t, shortOpts, family)) return;
      const found = scanText(t, family, shortOpts);
      assert.equal(found.refs.length, 0, `the prefilter says no, the scanner finds ${JSON.stringify(found.refs.map((r) => t.slice(r.range.start, r.range.end)))}`);
    }),
    { numRuns: 2000 },
  );
});

/** Characters above U+00FF whose low byte is one the search reads (`` ` . \\ " ' F r ``), and other non-ASCII ones: what the code-unit path must read as non-ASCII. */
const wide = fc.constantFrom('Š', 'Į', 'Ŝ', 'Ģ', 'ħ', 'ņ', 'Ųr', 'ŀ', 'ŦŲ', 'Ā', '中', '😀', '\ud800', '\udfff', 'é', '\u00a0', '\u0085', '\ufeff', '\u2028');

test('property (every language): the string path reads code units, not UTF-8, and answers as the byte gate on the UTF-8 bytes', { timeout: 120_000 }, () => {
  const text = fc.array(fc.oneof({ arbitrary: keywordPath, weight: 2 }, { arbitrary: fragment, weight: 2 }, { arbitrary: shortFragment, weight: 1 }, { arbitrary: wide, weight: 3 }, { arbitrary: fc.string({ unit: 'binary', maxLength: 3 }), weight: 1 }), { maxLength: 24 }).map((parts) => parts.join(''));
  fc.assert(
    fc.property(text, fc.constantFrom(...ALL_FAMILIES), fc.boolean(), (t, family, short) => {
      const o = short ? shortOpts : opts;
      assert.equal(unitBytes(t).length, t.length, 'one byte per code unit: the text is not encoded as UTF-8');
      assert.equal(mightContainRefs(t, o, family), bytesMightContainRefs(Buffer.from(t, 'utf8'), o, family));
    }),
    { numRuns: 3000 },
  );
  // Past the runs of wide characters it rewrites in place, the string path encodes: the same answers.
  for (const family of ALL_FAMILIES) {
    for (const t of ['Š中'.repeat(300) + 'SELECT * FROM other_ds.t', 'xŠ '.repeat(300) + '"FROM Š.t"', 'Į'.repeat(600) + ' models_v4.t']) {
      assert.equal(mightContainRefs(t, opts, family), bytesMightContainRefs(Buffer.from(t, 'utf8'), opts, family), `${family}: ${t.slice(-24)}`);
    }
  }
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
