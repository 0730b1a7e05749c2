import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanText } from '../../../src/core/scan/index';
import type { LanguageId } from '../../../src/core/scan/types';
import { opts } from './cases';

const cases: { name: string; family: LanguageId; text: string; want: { kind: string; rules: string[]; reason?: string; line: number }[] }[] = [
  {
    name: 'SQL -- next-line with rules and reason',
    family: 'sql',
    text: 'SELECT 1;\n-- bqmigrate-disable-next-line legacy-reference, unknown-dataset -- shim until Dec\nSELECT * FROM models_v4.t',
    want: [{ kind: 'disable-next-line', rules: ['legacy-reference', 'unknown-dataset'], reason: 'shim until Dec', line: 1 }],
  },
  { name: 'SQL # and /* */ line and file directives', family: 'sql', text: 'SELECT 1 # bqmigrate-disable-line\n/* bqmigrate-disable */', want: [{ kind: 'disable-line', rules: [], line: 0 }, { kind: 'disable', rules: [], line: 1 }] },
  { name: 'Python #', family: 'python', text: 'x = 1\n\nq = "FROM a.b"  # bqmigrate-disable-line unknown-dataset -- vendor table', want: [{ kind: 'disable-line', rules: ['unknown-dataset'], reason: 'vendor table', line: 2 }] },
  { name: 'JS // and block', family: 'javascript', text: '// bqmigrate-disable-next-line\nconst a = "models_v4.t";\n/*\n * bqmigrate-disable naming-convention\n */', want: [{ kind: 'disable-next-line', rules: [], line: 0 }, { kind: 'disable', rules: ['naming-convention'], line: 3 }] },
  { name: 'Markdown HTML comment', family: 'plain', text: '# Doc\n\n<!-- bqmigrate-disable-next-line legacy-reference -- historical log -->\nWe archived models_v4.t.', want: [{ kind: 'disable-next-line', rules: ['legacy-reference'], reason: 'historical log', line: 2 }] },
  { name: 'YAML / shell #', family: 'plain', text: 'a: 1\n# bqmigrate-disable-next-line\nb: models_v4.t\nbq ls  # bqmigrate-disable-line legacy-reference', want: [{ kind: 'disable-next-line', rules: [], line: 1 }, { kind: 'disable-line', rules: ['legacy-reference'], line: 3 }] },
  { name: 'CRLF line numbers', family: 'sql', text: 'SELECT 1\r\n\r\n-- bqmigrate-disable-next-line\r\nSELECT 2', want: [{ kind: 'disable-next-line', rules: [], line: 2 }] },
  { name: 'a mention in prose or mid-comment does not count', family: 'sql', text: '-- use bqmigrate-disable-line to silence\nSELECT "bqmigrate-disable" -- TODO bqmigrate-disable', want: [] },
  { name: 'a mention in Markdown prose does not count', family: 'plain', text: 'Write `# bqmigrate-disable` at the top to skip a file.', want: [] },
  { name: 'an unknown directive suffix does not count', family: 'python', text: '# bqmigrate-disabled\n# bqmigrate-disable-lines', want: [] },
];

for (const c of cases) {
  test(`suppression: ${c.name}`, () => {
    const got = scanText(c.text, c.family, opts).suppressions.map((s) => {
      const o: { kind: string; rules: string[]; reason?: string; line: number } = { kind: s.kind, rules: s.rules, line: s.line };
      if (s.reason !== undefined) o.reason = s.reason;
      return o;
    });
    assert.deepEqual(got, c.want);
  });
}

test('suppression: range covers the whole comment', () => {
  const text = 'SELECT 1 /* bqmigrate-disable-line */ FROM x';
  const [s] = scanText(text, 'sql', opts).suppressions;
  assert.equal(text.slice(s!.range.start, s!.range.end), '/* bqmigrate-disable-line */');
});
