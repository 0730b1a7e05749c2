import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseManifest } from '../../../src/core/manifest/load';
import { createLinter, type LintResult } from '../../../src/core/lint/linter';

const MANIFEST = `{
  "project": "cbi-v14",
  "datasets": { "training": { "description": "t" }, "features": { "description": "f" }, "archive": { "description": "a" } },
  "legacyDatasets": { "models_v4": { "description": "legacy" } },
  "variables": { "horizon": ["1w", "1m", "3m"] },
  "mappings": [
    { "from": "models_v4.production_training_data_{horizon}", "to": "training.zl_training_prod_allhistory_{horizon}", "status": "migrated" },
    { "from": "models_v4.crisis_2008_historical", "to": "training.zl_training_full_crisis_2008_1m", "status": "shimmed", "shimmedOn": "2025-11-14" },
    { "from": "models_v4.old_unmapped" },
    { "from": "production_training_data_{horizon}.parquet", "to": "zl_training_prod_allhistory_{horizon}.parquet", "kind": "path", "status": "migrated" }
  ],
  "naming": { "training": { "pattern": "{asset}_{function}_{scope}_{regime}_{horizon}", "segments": {
    "asset": ["zl"], "function": ["training"], "scope": ["prod", "full"], "regime": ["allhistory", "crisis_2008"], "horizon": ["1w", "1m", "3m"] } } }
}`;

const parsed = parseManifest(MANIFEST, '/w/bqmigrate.json');
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const linter = createLinter(parsed.loaded, { today: new Date('2026-01-01T00:00:00Z') });

/** Results compared as data (lintEdit reuses and moves objects of the previous result, so compare values). */
const data = (r: LintResult) => JSON.parse(JSON.stringify(r)) as unknown;

/** Statement-sized pieces of SQL and the fragments that change the lexer's state. */
const piece = fc.constantFrom(
  'SELECT * FROM models_v4.production_training_data_1m AS t;\n',
  'INSERT INTO training.zl_training_prod_allhistory_3m SELECT t.a, t.b FROM `cbi-v14.models_v4.crisis_2008_historical` t;\n',
  'SELECT x FROM featurs.thing, models_v4.old_unmapped u JOIN archive.legacy_1 a ON a.id = u.id;\n',
  '-- note: models_v4.production_training_data_3m\n',
  '/* block; models_v4.production_training_data_1w */\n',
  "SELECT 'a;b', \"models_v4.production_training_data_1m\" FROM `cbi-v14`.`models_v4`.`production_training_data_1w`;\n",
  'CREATE VIEW training.zl_training_prod_allhistory_9m AS SELECT 1;\n',
  ';',
  '\n',
  "'",
  '"',
  '`',
  '--',
  '/*',
  '*/',
  '#',
  ' FROM ',
  'models_v4.',
  'production_training_data_1m',
  ' other.table_x ',
  '[cbi-v14:models_v4.production_training_data_3m]',
  "EXPORT DATA OPTIONS(uri='gs://b/production_training_data_1w.parquet') AS SELECT 1;\n",
  '-- reads exports/production_training_data_3m.parquet\n',
  '.parquet',
);
const sql = fc.array(piece, { maxLength: 30 }).map((xs) => xs.join(''));
const edit = fc.record({ at: fc.nat(), remove: fc.nat({ max: 12 }), insert: fc.array(piece, { maxLength: 2 }).map((xs) => xs.join('')), typed: fc.string({ maxLength: 3 }) });

function apply(text: string, e: { at: number; remove: number; insert: string; typed: string }): string {
  const at = text.length === 0 ? 0 : e.at % (text.length + 1);
  return text.slice(0, at) + e.insert + e.typed + text.slice(Math.min(text.length, at + e.remove));
}

test('lintEdit gives what lintText gives, edit after edit', () => {
  fc.assert(
    fc.property(sql, fc.array(edit, { minLength: 1, maxLength: 8 }), (start, edits) => {
      let text = start;
      let result = linter.lintText(text, '/w/a.sql');
      for (const e of edits) {
        const next = apply(text, e);
        const expected = data(linter.lintText(next, '/w/a.sql'));
        result = linter.lintEdit({ text, result }, next, '/w/a.sql');
        assert.deepEqual(data(result), expected, `after editing ${JSON.stringify(text)} into ${JSON.stringify(next)}`);
        text = next;
      }
    }),
    { numRuns: 400 },
  );
});

test('a keystroke in the middle of a long file re-checks one statement and keeps the rest', () => {
  const statements = Array.from({ length: 400 }, (_, k) => `SELECT c${k} FROM models_v4.production_training_data_1m AS t${k};\n`);
  const text = statements.join('');
  const first = linter.lintText(text, '/w/a.sql');
  const keep = first.violations[0]!;
  const tail = first.violations[first.violations.length - 1]!;
  const tailStart = tail.range.start;
  const at = text.indexOf('c200 ');
  const next = `${text.slice(0, at)}x${text.slice(at)}`;
  const again = linter.lintEdit({ text, result: first }, next, '/w/a.sql');
  assert.deepEqual(data(again), data(linter.lintText(next, '/w/a.sql')));
  assert.equal(again.violations[0], keep, 'violations before the edit are the same objects');
  assert.equal(again.violations[again.violations.length - 1], tail, 'violations after it are reused…');
  assert.equal(tail.range.start, tailStart + 1, '…and moved by the inserted character');
});

test('an edit that opens a string running past the next statement falls back to a whole lint', () => {
  const text = 'SELECT 1 FROM models_v4.production_training_data_1m;\nSELECT 2 FROM models_v4.production_training_data_3m;\n';
  const first = linter.lintText(text, '/w/a.sql');
  const next = `SELECT '''${text.slice(7)}`;
  const again = linter.lintEdit({ text, result: first }, next, '/w/a.sql');
  assert.deepEqual(data(again), data(linter.lintText(next, '/w/a.sql')));
  assert.deepEqual(
    again.refs.map((r) => r.ref.context),
    ['string', 'string'],
    'both statements are inside the string now',
  );
});

test('path references (export files) are re-found in the edited statement and kept elsewhere', () => {
  const text = "SELECT 1; -- production_training_data_1m.parquet\nEXPORT DATA OPTIONS(uri='production_training_data_3m.parquet') AS SELECT 2;\nSELECT * FROM models_v4.production_training_data_1w;\n";
  const first = linter.lintText(text, '/w/a.sql');
  assert.equal(first.refs.filter((r) => 'text' in r.ref).length, 2, 'two path references');
  const at = text.indexOf('_3m.parquet');
  const next = `${text.slice(0, at)}_1w${text.slice(at + 3)}`;
  const again = linter.lintEdit({ text, result: first }, next, '/w/a.sql');
  assert.deepEqual(data(again), data(linter.lintText(next, '/w/a.sql')));
});

test('other languages and suppressed files are linted whole', () => {
  const py = 'q = "SELECT * FROM models_v4.production_training_data_1m"\n';
  const r = linter.lintText(py, '/w/a.py');
  const next = py.replace('1m', '3m');
  assert.deepEqual(data(linter.lintEdit({ text: py, result: r }, next, '/w/a.py')), data(linter.lintText(next, '/w/a.py')));
  const suppressed = '-- bqmigrate-disable-next-line legacy-reference\nSELECT * FROM models_v4.production_training_data_1m;\nSELECT 1;\n';
  const s = linter.lintText(suppressed, '/w/b.sql');
  const typed = `\n${suppressed}`;
  assert.deepEqual(data(linter.lintEdit({ text: suppressed, result: s }, typed, '/w/b.sql')), data(linter.lintText(typed, '/w/b.sql')));
});
