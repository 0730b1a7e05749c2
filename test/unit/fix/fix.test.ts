import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyEdits } from '../../../src/core/fix/apply';
import { renameTableEdits } from '../../../src/core/fix/build';
import type { TableRef } from '../../../src/core/scan/types';
import { exampleLinter } from '../rules/rule-tester';

test('applyEdits sorts, applies right to left and drops overlapping edits instead of merging them', () => {
  const text = '0123456789';
  const r = applyEdits(text, [
    { start: 6, end: 8, text: 'b' },
    { start: 1, end: 3, text: 'a' },
    { start: 2, end: 4, text: 'X' }, // overlaps the first kept edit
    { start: 8, end: 8, text: '+' }, // touching is fine
  ]);
  assert.equal(r.text, '0a345b+89');
  assert.deepEqual(r.dropped, [{ start: 2, end: 4, text: 'X' }]);
  assert.equal(r.applied.length, 3);
});

test('applyEdits drops a second insertion at the same point and out-of-range edits', () => {
  const r = applyEdits('abc', [{ start: 1, end: 1, text: 'x' }, { start: 1, end: 1, text: 'y' }, { start: 2, end: 9, text: 'z' }]);
  assert.equal(r.text, 'axbc');
  assert.equal(r.dropped.length, 2);
});

test('renameTableEdits touches only the parts, keeping separators and quotes as written', () => {
  const text = '`cbi-v14`.`models_v4`.`t1`';
  const ref: TableRef = {
    range: { start: 0, end: text.length },
    context: 'code',
    form: 'backtick-parts',
    project: { text: 'cbi-v14', range: { start: 1, end: 8 }, placeholders: [] },
    dataset: { text: 'models_v4', range: { start: 11, end: 20 }, placeholders: [] },
    table: { text: 't1', range: { start: 23, end: 25 }, placeholders: [] },
    wildcard: false,
  };
  assert.equal(applyEdits(text, renameTableEdits(text, ref, 'training.t2')).text, '`cbi-v14`.`training`.`t2`');
  assert.deepEqual(renameTableEdits(text, ref, 'models_v4.t9'), [{ start: 23, end: 25, text: 't9' }]);
  assert.deepEqual(renameTableEdits(text, ref, 'models_v4.t1'), []);
});

// Pieces of realistic SQL: legacy names in every form, new names, comments, strings and noise.
const legacy = fc.constantFrom(
  'models_v4.trump_rich_2023_2025',
  '`cbi-v14.models_v4.crisis_2008_historical`',
  '`cbi-v14`.`models_v4`.`recovery_2010_2016_historical`',
  '`cbi-v14.models_v4`.trade_war_2017_2019_historical',
  '[cbi-v14:models_v4.predictions_latest]',
  'forecasting_data_warehouse.weather_data$20250101',
  '`models_v4.production_training_data_12m`',
  'forecasting_data_warehouse.soybean_oil_prices',
  'models_v4.production_training_data_1m_backup',
  '`other-proj.models_v4.trump_rich_2023_2025`',
);
const other = fc.constantFrom('training.zl_training_prod_allhistory_1m', 'SELECT * FROM', 'JOIN', ',', ' USING (date)', '\n', '\r\n', '-- note ', "'text'", '"q"', '/* c */', 'x_1m', '.', '`', 'models_v4', '`cbi-v14.', '$');
const sqlText = fc.array(fc.oneof(legacy, other, fc.string({ maxLength: 6 })), { maxLength: 30 }).map((parts) => parts.join(' '));

test('property: fixing is idempotent and edits lie only inside reference ranges', () => {
  const linter = exampleLinter();
  fc.assert(
    fc.property(sqlText, (text) => {
      const { violations, refs } = linter.lintText(text, 'q.sql');
      const edits = violations.filter((v) => v.fix?.safety === 'safe').flatMap((v) => v.fix!.edits);
      for (const e of edits) assert.ok(refs.some((r) => r.ref.range.start <= e.start && e.end <= r.ref.range.end), `edit ${JSON.stringify(e)} outside every reference`);
      const once = applyEdits(text, edits);
      // Outside the edited ranges the text is byte-for-byte the same.
      let pos = 0;
      let outPos = 0;
      for (const e of once.applied) {
        assert.equal(once.text.slice(outPos, outPos + (e.start - pos)), text.slice(pos, e.start));
        outPos += e.start - pos + e.text.length;
        pos = e.end;
      }
      assert.equal(once.text.slice(outPos), text.slice(pos));
      const again = linter.lintText(once.text, 'q.sql').violations.filter((v) => v.fix?.safety === 'safe').flatMap((v) => v.fix!.edits);
      assert.equal(applyEdits(once.text, again).text, once.text, 'a second fix changes nothing');
    }),
    { numRuns: 300 },
  );
});
