import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bqmigrate, buildOnce, copyFixture } from './cli-helpers';

let ws: string;
before(() => {
  buildOnce();
  ws = copyFixture('basic');
});

test('explain-name prints the verdict segment by segment', () => {
  const ok = bqmigrate(['explain-name', 'training.zl_training_prod_trump_2023_2025_1m'], ws);
  assert.equal(ok.code, 0);
  assert.match(ok.stdout, /^training\.zl_training_prod_trump_2023_2025_1m: valid \(training: \{asset\}_\{function\}_\{scope\}_\{regime\}_\{horizon\}\)\n/);
  assert.match(ok.stdout, /✓ \{regime\} +trump_2023_2025 +allhistory, trump_2023_2025\n/);
  const bad = bqmigrate(['explain-name', 'training.zl_training_prod_trump2023_1m'], ws);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /✗ \{regime\} +trump2023/);
  assert.match(bad.stdout, /did you mean training\.zl_training_prod_trump_2023_2025_1m\?/);
  const legacy = bqmigrate(['explain-name', 'models_v4.production_training_data_1m', '--json'], ws);
  const v = JSON.parse(legacy.stdout);
  assert.equal(v.status, 'ungoverned');
  assert.deepEqual(v.legacy, { mappingIndex: 0, to: 'training.zl_training_prod_allhistory_1m', status: 'migrated' });
  assert.equal(bqmigrate(['explain-name', 'nodot'], ws).code, 2);
});

test('mappings lists entries; --json gives their manifest line', () => {
  const r = bqmigrate(['mappings'], ws);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /models_v4\.production_training_data_\{horizon\} +training\.zl_training_prod_allhistory_\{horizon\} +migrated +table/);
  assert.match(r.stdout, /4 mappings \(0 unmapped\)/);
  const json = JSON.parse(bqmigrate(['mappings', '--json'], ws).stdout);
  assert.deepEqual(json.map((m: { line: number }) => m.line), [12, 13, 14, 15]);
  assert.equal(json[3].kind, 'path');
});

test('import-inventory adds uncovered objects, keeps comments, reports duplicates and empty tables, and is idempotent', () => {
  const dir = copyFixture('basic');
  const r = bqmigrate(['import-inventory', 'inventory.csv'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^added 3 unmapped entries; 2 objects already covered\n/);
  assert.match(r.stdout, /weather_data: models_v4, raw \(lines 3, 4\)/);
  assert.match(r.stdout, /raw\.weather_data \(line 4\)\n {2}models_v4\.empty_scratch \(line 5\)/);
  const text = fs.readFileSync(path.join(dir, 'bqmigrate.json'), 'utf8');
  assert.ok(text.startsWith('// CLI test workspace'));
  assert.ok(text.includes('{ "from": "models_v4.weather_data", "status": "planned", "inventory": { "type": "TABLE", "rows": 8120, "created": "2023-09-09", "modified": "2024-01-15", "location": "US" } }'), text);
  const again = bqmigrate(['import-inventory', 'inventory.csv'], dir);
  assert.match(again.stdout, /^added 0 unmapped entries; 5 objects already covered/);
  assert.equal(fs.readFileSync(path.join(dir, 'bqmigrate.json'), 'utf8'), text);
  assert.equal(bqmigrate(['import-inventory', 'missing.csv'], dir).code, 2);
});
