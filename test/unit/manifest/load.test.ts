import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifest } from '../../../src/core/manifest/load';

const good = `{
  // the team's project
  "project": "cbi-v14",
  "datasets": { "training": { "description": "Training tables" } },
  "mappings": [
    { "from": "models_v4.production_training_data_{horizon}", "to": "training.zl_training_prod_allhistory_{horizon}" },
  ],
}`;

test('a manifest with comments and trailing commas loads with defaults', () => {
  const r = parseManifest(good, 'bqmigrate.json');
  assert.ok(r.ok, JSON.stringify(r.problems));
  assert.equal(r.loaded.manifest.location, 'US');
  assert.equal(r.loaded.manifest.mappings[0]!.status, 'planned');
  assert.equal(r.loaded.manifest.shims.graceDays, 30);
});

test('a bad value is reported at its own line and column with what was expected', () => {
  const text = good.replace('"training.zl_training_prod_allhistory_{horizon}"', '"training.bad name"');
  const r = parseManifest(text, '/w/bqmigrate.json');
  assert.equal(r.ok, false);
  const p = r.problems[0]!;
  assert.deepEqual(p.path, ['mappings', 0, 'to']);
  assert.equal(p.line, 6);
  assert.equal(p.column, text.split('\n')[5]!.indexOf('"training.bad name"') + 1);
  assert.match(p.message, /dataset\.table/);
});

test('an unknown field is reported on its property', () => {
  const text = good.replace('"project"', '"projet": 1, "project"');
  const r = parseManifest(text, 'bqmigrate.json');
  assert.equal(r.ok, false);
  assert.match(r.problems[0]!.message, /unknown field "projet"/);
  assert.equal(r.problems[0]!.line, 3);
});

test('a JSON syntax error says where', () => {
  const r = parseManifest('{\n  "project": "cbi-v14",,\n}', 'm.json');
  assert.equal(r.ok, false);
  assert.equal(r.problems[0]!.line, 2);
  assert.match(r.problems[0]!.message, /invalid JSON/);
});
