import { isTableOrPathMapping } from '../../../src/core/manifest/schema';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { addMappings, setMappingField } from '../../../src/core/manifest/edit';
import { importInventory } from '../../../src/core/manifest/inventory';
import { parseManifest } from '../../../src/core/manifest/load';
import { exampleManifest, repoRoot } from '../lint/repo-root';

const manifest = `{
  // the team's project
  "project": "cbi-v14",
  "datasets": { "training": { "description": "Training tables" } },
  "mappings": [
    // production surfaces
    { "from": "models_v4.production_training_data_{horizon}", "to": "training.zl_training_prod_allhistory_{horizon}" },
    { "from": "models_v4.crisis_2008_historical" } // not decided
  ]
}`;

const load = (text: string) => {
  const r = parseManifest(text, 'bqmigrate.json');
  assert.ok(r.ok, JSON.stringify(r.problems));
  return r.loaded.manifest;
};

test('setMappingField changes one value and keeps every comment', () => {
  const out = setMappingField(manifest, 1, 'to', 'training.zl_training_full_crisis_2008_1m');
  assert.equal(load(out).mappings[1]!.to, 'training.zl_training_full_crisis_2008_1m');
  for (const c of ["// the team's project", '// production surfaces', '// not decided']) assert.ok(out.includes(c), c);
  assert.equal(out.split('\n').length, manifest.split('\n').length, 'no reformatting');
  const status = setMappingField(out, 0, 'status', 'migrated');
  assert.equal(load(status).mappings[0]!.status, 'migrated');
  assert.equal(load(status).mappings[1]!.to, 'training.zl_training_full_crisis_2008_1m');
});

test('setMappingField with undefined removes the field', () => {
  const out = setMappingField(manifest, 0, 'to', undefined);
  assert.equal(load(out).mappings[0]!.to, undefined);
  assert.ok(out.includes('// production surfaces'));
});

test('setMappingField refuses an index that does not exist', () => {
  assert.throws(() => setMappingField(manifest, 2, 'note', 'x'), /mappings\[2\] does not exist \(the manifest has 2 mappings\)/);
});

test('edits keep a BOM and CRLF line endings', () => {
  const crlf = `\ufeff${manifest.replace(/\n/g, '\r\n')}`;
  const out = setMappingField(crlf, 1, 'note', 'archived 2025-11-14');
  assert.ok(out.startsWith('\ufeff{'));
  assert.ok(!/[^\r]\n/.test(out), 'every newline stays CRLF');
  const added = addMappings(out, [{ from: 'models_v4.x', status: 'planned' }]);
  assert.ok(added.startsWith('\ufeff'));
  assert.ok(!/[^\r]\n/.test(added));
  assert.equal(load(added).mappings[2]!.from, 'models_v4.x');
});

test('addMappings appends one compact line per entry, leaving defaults out', () => {
  const out = addMappings(manifest, [
    { from: 'models_v4.a', status: 'planned', kind: 'table' },
    { from: 'export_{horizon}.csv', to: 'zl_{horizon}.csv', kind: 'path', status: 'migrated' },
  ]);
  const m = load(out);
  assert.equal(m.mappings.length, 4);
  assert.equal(m.mappings[3]!.kind, 'path');
  assert.ok(out.includes('{ "from": "models_v4.a", "status": "planned" }'), out);
  assert.ok(out.includes('// not decided'));
});

test('addMappings creates "mappings" when the manifest has none', () => {
  const out = addMappings('{ "project": "cbi-v14", "datasets": {} }', [{ from: 'models_v4.a' }]);
  assert.deepEqual(load(out).mappings.map((m) => m.from), ['models_v4.a']);
});

test('importInventory adds uncovered legacy objects with their facts and reports duplicates and empty tables', () => {
  const root = path.join(repoRoot(), 'examples', 'cbi-warehouse');
  const text = fs.readFileSync(exampleManifest(), 'utf8');
  const csv = fs.readFileSync(path.join(root, 'inventory', 'inventory_340_objects.csv'), 'utf8');
  const r = importInventory(text, csv, 'inventory_340_objects.csv');
  const before = load(text).mappings;
  const after = load(r.text).mappings;
  assert.equal(after.length, before.length + r.added);
  const added = after.slice(before.length).filter(isTableOrPathMapping);
  // Covered: mapped legacy tables (incl. the fdw wildcard) and everything in approved datasets.
  assert.ok(!added.some((m) => m.from.startsWith('forecasting_data_warehouse.') || m.from.startsWith('training.') || m.from === 'models_v4.production_training_data_1m'));
  assert.ok(added.every((m) => m.to === undefined && m.status === 'planned'));
  const arima = added.find((m) => m.from === 'models_v4.bqml_zl_arima_inputs')!;
  assert.deepEqual(arima.inventory, { type: 'TABLE', rows: 3650, created: '2024-05-05', modified: '2025-07-01', location: 'US' });
  assert.deepEqual(added.map((m) => m.from).sort(), [
    'models_v4.bqml_zl_arima_inputs', 'models_v4.fx_rates_daily_backup', 'models_v4.weather_data', 'models_v5.scratch_ensemble_eval', 'models_v5.staging_bqml_inputs',
    'models_v5.vix_features_legacy', 'performance.mape_tracking', 'raw.cme_settlements_landing', 'raw.usda_wasde_landing', 'raw.weather_data',
  ]);
  const weather = r.duplicates.find((d) => d.table === 'weather_data')!;
  assert.deepEqual(weather.datasets, ['models_v4', 'forecasting_data_warehouse', 'raw']);
  assert.ok(r.duplicates.some((d) => d.table === 'vix_features_legacy'));
  assert.ok(r.empty.some((e) => e.name === 'models_v4.vix_features_legacy'));
  assert.ok(r.empty.some((e) => e.name === 'raw.weather_data' && e.line === 33));
  assert.equal(added.find((m) => m.from === 'raw.weather_data')!.note, 'empty in the inventory');
  for (const c of ['// Production surfaces', '// Not decided yet.']) assert.ok(r.text.includes(c));
  // A second import finds everything covered.
  const again = importInventory(r.text, csv, 'inventory_340_objects.csv');
  assert.equal(again.added, 0);
  assert.equal(again.text, r.text);
});

test('importInventory reports bad rows with the CSV line and keeps going', () => {
  const csv = 'dataset_name,table_name,table_type,row_count\nmodels_v4,good_one,TABLE,12\nmodels_v4,bad name,TABLE,1\nmodels_v4,rows_bad,TABLE,many\n';
  const r = importInventory(manifest, csv, 'inv.csv');
  assert.equal(r.added, 2);
  assert.match(r.problems[0]!.message, /"models_v4\.bad name" is not a dataset\.table/);
  assert.equal(r.problems[0]!.line, 3);
  assert.equal(r.problems[1]!.line, 4);
  assert.match(r.problems[1]!.message, /row_count "many"/);
  const missing = importInventory(manifest, 'name,rows\nx,1\n', 'inv.csv');
  assert.equal(missing.added, 0);
  assert.match(missing.problems[0]!.message, /no dataset_name, table_name column/);
});
