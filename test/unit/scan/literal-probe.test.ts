import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bytesCandidates, CandidateRegions, literalsHoldCandidates, literalsMayHoldRefs, scanText } from '../../../src/core/scan/index';
import type { LanguageId } from '../../../src/core/scan/types';
import { lexerLiteralsHold } from '../../corpus/literal-probe-reference';
import { opts } from './cases';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * The probe's answer for a text read as `family` (checked against the lexer's), or undefined when the prefilter
 * finds no candidate or a known name (no probe then).
 */
function probe(text: string, family: LanguageId, bom = false): boolean | undefined {
  const bytes = bom ? Buffer.concat([BOM, Buffer.from(text, 'utf8')]) : Buffer.from(text, 'utf8');
  const found = bytesCandidates(bytes, opts, family);
  if (typeof found !== 'object' || found.names.length > 0) return undefined;
  const holds = literalsHoldCandidates(bytes, family, found);
  assert.equal(holds, lexerLiteralsHold(text, bytes, family, found), `the lexer reads ${JSON.stringify(text)} the same way`);
  return holds;
}

test('literal probe: table keywords in JavaScript code, comments and regexes hold nothing; in strings and templates they do', () => {
  assert.equal(probe("import x from './y.js';\ndelete x.y;\n// copy from the docs.\n", 'javascript'), false);
  assert.equal(probe('const a = b.from < c.to; delete o.k;', 'javascript'), false);
  assert.equal(probe('/* update the table: from a.b */ const x = 1;', 'javascript'), false);
  assert.equal(probe("const r = /'/; delete a.b; const s = 'x';", 'javascript'), false, 'a quote in a regex opens no string');
  assert.equal(probe("const q = 'SELECT * FROM other_ds.t';", 'javascript'), true);
  assert.equal(probe('const q = `MERGE ${p}.other_ds.t USING x ON 1`;', 'javascript'), true);
  assert.equal(probe('const q = `${ delete x.y }`;', 'javascript'), true, 'a template is read whole, holes included');
  assert.equal(probe("const q = 'unterminated\ndelete x.y;", 'javascript'), false, 'a string ends at its line break');
  assert.equal(probe("const q = 'continued\\\ndelete x.y';", 'javascript'), true, 'unless the line break is escaped');
  assert.equal(probe('a = b / 2; delete c.d; e = f / 3', 'javascript'), false, 'division');
  assert.equal(probe("return /x/; delete c.d; 'a'", 'javascript'), false);
  assert.equal(probe("éreturn /'/; delete c.d;", 'javascript'), false, 'a non-ASCII character ends the word before a slash, in the text as in the bytes');
  assert.equal(probe("x = a\u00e9 / 2; 'from other_ds.t'", 'javascript'), true);
  assert.equal(probe("delete a.b; 'from other_ds.t'", 'javascript', true), true, 'after a BOM');
  assert.equal(probe('/`join p.q', 'javascript', true), false, 'a slash right after a BOM starts a regex, as at the start of the text');
  assert.equal(probe('#!/usr/bin/env node from x.y\ndelete a.b;\n', 'javascript'), false, 'a shebang line is a comment');
  assert.equal(probe('{"q": "select * from other_ds.t"}', 'json'), true);
  assert.equal(probe('{"k": 1} // from other_ds.t\n', 'json'), false);
  assert.equal(probe('delete a.b; // models_v4.t', 'javascript'), undefined, 'a known name: not probed');
});

/** What moves the lexers between code, strings, templates, holes, comments and regexes, and non-ASCII characters around them. */
const fragment = fc.constantFrom(
  '`', "'", '"', '/', '//', '/*', '*/', '\\', '\\\n', '${', '{', '}', '(', ')', '[', ']', '\n', '\r', ' ', '\t', '.', ',', ';', '=', '$', '#!', '1',
  'return ', 'typeof ', 'in ', 'x', 'a_b', '.{', '%', '<', 'é', '中', '😀', '\u00a0', '\u2028', '\\n',
  // what the recogniser reads in a literal: quoted and bracketed paths, placeholders, decorators, aliases
  '`a.b`', '\\`p.q\\`', '{x}', '%(x)s', '{{ x }}', '$X', '[p:d.t]', 'other_ds', '.t', '-', '@', ' as x', ' x.y',
);
/** Table keywords that lead to a path: the candidates the probe is asked about. */
const candidate = fc.constantFrom('from a.b', 'FROM other_ds.t', 'delete x.y', ' Update o.k', 'into t.x', 'using ${p}', 'from é.x', '"from a.b', "'delete x.y", '`join p.q');
const text = fc
  .array(fc.oneof({ arbitrary: fragment, weight: 6 }, { arbitrary: candidate, weight: 2 }, { arbitrary: fc.string({ maxLength: 3 }), weight: 1 }), { maxLength: 40 })
  .map((parts) => parts.join(''));
/** Only well-formed text has UTF-8 bytes (a file with a lone surrogate is refused before any of this). */
const wellFormed = (t: string) => !/[\ud800-\udfff]/.test(t.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''));

for (const family of ['javascript', 'json'] as const) {
  test(`property (${family}): the literal probe on the bytes gives the lexer's answer on the text, and a "no" means the scan finds nothing`, { timeout: 120_000 }, () => {
    const seen = [0, 0];
    let refSeen = 0;
    fc.assert(
      fc.property(text, fc.boolean(), (t, bom) => {
        if (!wellFormed(t)) return;
        const bytes = bom ? Buffer.concat([BOM, Buffer.from(t, 'utf8')]) : Buffer.from(t, 'utf8');
        const found = bytesCandidates(bytes, opts, family);
        if (typeof found !== 'object' || found.names.length > 0) return;
        const holds = literalsHoldCandidates(bytes, family, found);
        seen[holds ? 1 : 0]++;
        assert.equal(holds, lexerLiteralsHold(t, bytes, family, found), 'the bytes are cut where the lexer cuts the text');
        const refs = scanText(t, family, opts, new CandidateRegions(bytes, t, found)).refs.length;
        if (!holds) {
          assert.equal(refs, 0);
          assert.equal(scanText(t, family, opts).refs.length, 0, 'the whole scan finds nothing either');
        }
        // The literal check reads only the literals holding a candidate (JavaScript): it says "no" exactly when
        // the scan finds nothing. For JSON it is the probe's answer, and a "no" still means nothing.
        const mayHold = literalsMayHoldRefs(bytes, family, found, opts);
        if (mayHold && refs > 0) refSeen++;
        if (family === 'javascript') assert.equal(mayHold, refs > 0, `the literal check on ${JSON.stringify(t)} gives the whole scan's answer`);
        else assert.ok(mayHold || refs === 0, `the literal check on ${JSON.stringify(t)} misses no reference`);
      }),
      { numRuns: 4000 },
    );
    assert.ok(seen[0] > 300 && seen[1] > 300, `both answers come up often (${seen})`);
    assert.ok(refSeen > 100, `texts whose literals hold a reference come up often (${refSeen})`);
  });
}

/** Known names (cases.ts) where the recogniser may or may not read a reference: paths, quoted values, prose, split fields. */
const named = fc.constantFrom(
  'models_v4.t', 'archive.x', 'Features.y', ' training', 'archive', '"training"', "'models_v4'", '`features`', 'cbi-v14.models_v4.t',
  'features.length', 'archive.tar', 'dataset_id = ', 'table_id = "t"', '.dataset(', 'DatasetReference(', '`archive`.t', 'models_v4:',
);
const namedText = fc
  .array(fc.oneof({ arbitrary: fragment, weight: 6 }, { arbitrary: candidate, weight: 1 }, { arbitrary: named, weight: 2 }), { maxLength: 40 })
  .map((parts) => parts.join(''));
/** A known name running on to a quote: a split reference's dataset value, perhaps (literal-check.ts lints such a text whole). */
const QUOTED_NAME = /(?:models_v4|training|archive|forecasting_data_warehouse|features|cbi-v14)[A-Za-z0-9_-]*['"`]/i;

test('property (javascript): with known names, the literal check reads strings, templates and comments as the whole scan does', { timeout: 120_000 }, () => {
  const seen = { no: 0, exact: 0, refs: 0 };
  fc.assert(
    fc.property(namedText, fc.boolean(), (t, bom) => {
      if (!wellFormed(t)) return;
      const bytes = bom ? Buffer.concat([BOM, Buffer.from(t, 'utf8')]) : Buffer.from(t, 'utf8');
      const found = bytesCandidates(bytes, opts, 'javascript');
      if (typeof found !== 'object' || found.names.length === 0) return;
      const mayHold = literalsMayHoldRefs(bytes, 'javascript', found, opts);
      const refs = scanText(t, 'javascript', opts, new CandidateRegions(bytes, t, found)).refs.length;
      if (!mayHold) {
        seen.no++;
        assert.equal(refs, 0, `the literal check on ${JSON.stringify(t)} misses no reference`);
        assert.equal(scanText(t, 'javascript', opts).refs.length, 0, 'the whole scan finds nothing either');
      }
      if (!QUOTED_NAME.test(t)) {
        seen.exact++;
        assert.equal(mayHold, refs > 0, `the literal check on ${JSON.stringify(t)} gives the whole scan's answer`);
      }
      if (refs > 0) seen.refs++;
    }),
    { numRuns: 4000 },
  );
  assert.ok(seen.no > 300 && seen.exact > 300 && seen.refs > 300, `every case comes up often (${JSON.stringify(seen)})`);
});
