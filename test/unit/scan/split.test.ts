import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../../src/core/fix/apply';
import { scanText, type LanguageId } from '../../../src/core/scan/index';
import { exampleLinter } from '../rules/rule-tester';

const opts = { knownDatasets: new Set(['models_v4', 'training', 'features', 'forecasting_data_warehouse']), project: 'cbi-v14' };
const splits = (text: string, language: LanguageId) =>
  scanText(text, language, opts)
    .refs.filter((r) => r.form === 'split')
    .map((r) => {
      assert.equal(text.slice(r.dataset.range.start, r.dataset.range.end), r.dataset.text);
      assert.equal(text.slice(r.table.range.start, r.table.range.end), r.table.text);
      assert.deepEqual(r.range, r.table.range, 'the reference is the table field');
      return `${r.dataset.text}.${r.table.text}`;
    });

test('split references: a dataset field and a table field are one reference, in every language that holds them', () => {
  const cases: [LanguageId, string, string[]][] = [
    ['terraform', 'resource "google_bigquery_table" "t" {\n  dataset_id = "models_v4"\n  table_id   = "production_training_data_1m"\n}\n', ['models_v4.production_training_data_1m']],
    ['python', 'ref = client.dataset("models_v4").table("trump_rich_2023_2025")\n', ['models_v4.trump_rich_2023_2025']],
    ['python', 'ds = bigquery.DatasetReference(PROJECT, "models_v4")\na = ds.table("t_a")\nb = ds.table(\'t_b\')\n', ['models_v4.t_a', 'models_v4.t_b']],
    ['python', 'job = load(table_id="t_first", dataset_id="models_v4")\n', ['models_v4.t_first']],
    ['javascript', "const t = bq.dataset('models_v4').table(`t_js`);\n", ['models_v4.t_js']],
    ['yaml', 'load:\n  dataset: models_v4   # legacy\n  table: "t_yaml"\n', ['models_v4.t_yaml']],
    ['json', '{"datasetId": "models_v4", "tableId": "t_json"}', ['models_v4.t_json']],
    ['shell', '#!/bin/bash\nexport DATASET_ID=models_v4\nTABLE_ID=t_sh\nbq show "$DATASET_ID.$TABLE_ID"\n', ['models_v4.t_sh']],
    ['ini', '[job]\ndataset = models_v4\ntable = events_*\n', ['models_v4.events_*']],
  ];
  for (const [language, text, expected] of cases) assert.deepEqual(splits(text, language), expected, `${language}: ${text}`);
});

test('split references: no pair without a known dataset, a table field, proximity, or with a whole path in the field', () => {
  assert.deepEqual(splits('{"dataset": "sales", "table": "orders"}', 'json'), [], 'an unknown dataset');
  assert.deepEqual(splits('dataset_id = "models_v4"\nlabel = "t"\n', 'terraform'), [], 'no table field');
  assert.deepEqual(splits(`client.dataset("models_v4")\n${'#\n'.repeat(300)}x = other.table("far_away")\n`, 'python'), [], 'too far apart');
  assert.deepEqual(splits('destination_dataset_table = "models_v4.t"\n', 'python'), [], 'a whole path is read as one reference, not split');
  assert.deepEqual(splits('dataset_id = "models_v4"\ntable_id = "a.b"\n', 'terraform'), [], 'a dotted table value');
});

test('fix rewrites both fields of a split reference; tables sharing one dataset field are fixed together or left alone', () => {
  const linter = exampleLinter();
  const fix = (text: string, file: string) => applyEdits(text, linter.lintText(text, file).violations.filter((v) => v.fix?.safety === 'safe').flatMap((v) => v.fix!.edits));
  const tf = 'resource "google_bigquery_table" "t" {\n  dataset_id = "models_v4"\n  table_id   = "trump_rich_2023_2025"\n}\n';
  assert.equal(fix(tf, 'main.tf').text, 'resource "google_bigquery_table" "t" {\n  dataset_id = "training"\n  table_id   = "zl_training_prod_trump_2023_2025_1m"\n}\n');
  const same = 'ds = bigquery.DatasetReference(P, "models_v4")\na = ds.table("trump_rich_2023_2025")\nb = ds.table("crisis_2008_historical")\n';
  const sameOut = fix(same, 'load.py');
  assert.equal(sameOut.text, 'ds = bigquery.DatasetReference(P, "training")\na = ds.table("zl_training_prod_trump_2023_2025_1m")\nb = ds.table("zl_training_full_crisis_2008_1m")\n');
  assert.equal(sameOut.dropped.length, 0, 'the shared dataset edit is one change');
  // One dataset field, tables moving to two datasets: the first pair is fixed, the second is left whole and still reported.
  const mixed = 'ds = bigquery.DatasetReference(P, "models_v4")\na = ds.table("trump_rich_2023_2025")\nb = ds.table("predictions_latest")\n';
  const mixedOut = fix(mixed, 'load.py');
  assert.equal(mixedOut.text, 'ds = bigquery.DatasetReference(P, "training")\na = ds.table("zl_training_prod_trump_2023_2025_1m")\nb = ds.table("predictions_latest")\n');
  assert.equal(mixedOut.dropped.length, 2, 'both fields of the second pair are dropped together');
});

test('applyEdits drops edits marked together as a group and applies an identical edit once', () => {
  const g = {};
  const r = applyEdits('0123456789', [
    { start: 1, end: 3, text: 'A' },
    { start: 2, end: 4, text: 'B', together: g }, // overlaps A: its partner must go too
    { start: 7, end: 8, text: 'C', together: g },
    { start: 5, end: 6, text: 'D' },
    { start: 5, end: 6, text: 'D' },
  ]);
  assert.equal(r.text, '0A34D6789');
  assert.equal(r.dropped.length, 2);
  assert.equal(r.applied.length, 2);
});
