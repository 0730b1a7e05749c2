import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadManifestFile } from '../../../src/core/manifest/load';
import { explainName, NamingChecker } from '../../../src/core/naming/explain';
import { PLACEHOLDER_MARK } from '../../../src/core/naming/convention';
import { closest, editDistance } from '../../../src/core/naming/distance';
import { exampleManifest } from '../lint/repo-root';

const loaded = loadManifestFile(exampleManifest());
assert.ok(loaded.ok);
const manifest = loaded.loaded.manifest;

const cases: { name: string; status: string; segment?: string; suggestion?: string; message?: RegExp; values?: Record<string, string> }[] = [
  { name: 'training.zl_training_prod_allhistory_1m', status: 'valid', values: { asset: 'zl', function: 'training', scope: 'prod', regime: 'allhistory', horizon: '1m' } },
  { name: 'training.zl_training_full_trump_2023_2025_12m', status: 'valid', values: { regime: 'trump_2023_2025', horizon: '12m' } },
  { name: 'training.zl_training_full_pre_crisis_2000_2007_3m', status: 'valid', values: { regime: 'pre_crisis_2000_2007' } },
  { name: 'training.regime_calendar', status: 'exempt' },
  { name: 'predictions.zl_forecasts_daily', status: 'ungoverned' },
  { name: 'training.zl_training_prod_trump2023_1m', status: 'invalid', segment: 'regime', suggestion: 'zl_training_prod_trump_2023_2025_1m', message: /segment \{regime\} is "trump2023", expected one of allhistory, trump_2023_2025/ },
  { name: 'training.zl_trainng_prod_allhistory_1m', status: 'invalid', segment: 'function', suggestion: 'zl_training_prod_allhistory_1m' },
  { name: 'training.zl_training_prod_allhistory_2y', status: 'invalid', segment: 'horizon', message: /segment \{horizon\} is "2y", expected one of 1w, 1m, 3m, 6m, 12m/ },
  { name: 'training.zl_training_prod_allhistory', status: 'invalid', message: /expected "_" after \{regime\} = "allhistory", found the end of the name/ },
  { name: 'training.zl_training_prod_allhistory_1m_backup', status: 'invalid', message: /unexpected "_backup" after the last segment/ },
  { name: 'training.horizon_1m_production', status: 'invalid', segment: 'asset' },
  { name: 'features.biofuel_rin_proxy_daily', status: 'valid', values: { subject: 'biofuel_rin_proxy', frequency: 'daily' } },
  { name: 'features.biofuel_rin_proxy_hourly', status: 'invalid', message: /segment \{frequency\}/ },
  { name: 'archive.legacy_20251114__models_v4__production_training_data_1m', status: 'valid', values: { date: '20251114', dataset: 'models_v4', table: 'production_training_data_1m' } },
  { name: 'archive.legacy_2025111__models_v4__x', status: 'invalid', segment: 'date', message: /archive date YYYYMMDD/ },
  { name: 'raw_intelligence.prices_soybean_oil_daily', status: 'valid', values: { category: 'prices', series: 'soybean_oil_daily' } },
  { name: 'raw_intelligence.pricez_soybean_oil_daily', status: 'invalid', segment: 'category', suggestion: 'prices_soybean_oil_daily' },
];

for (const c of cases) {
  test(`explainName ${c.name} → ${c.status}`, () => {
    const v = explainName(manifest, c.name);
    assert.equal(v.status, c.status, v.message);
    assert.equal(v.ok, c.status !== 'invalid');
    if (c.segment) assert.equal(v.failure?.segment, c.segment, v.message);
    if (c.suggestion !== undefined) assert.equal(v.suggestion, c.suggestion, v.message);
    if (c.message) assert.match(v.message, c.message);
    for (const [k, val] of Object.entries(c.values ?? {})) assert.equal(v.segments.find((s) => s.name === k)?.value, val);
    if (c.status === 'invalid' && c.segment) {
      const failed = v.segments.find((s) => s.name === c.segment)!;
      assert.equal(failed.ok, false);
      assert.ok(v.segments.slice(0, v.segments.indexOf(failed)).every((s) => s.ok && s.value !== undefined));
    }
  });
}

test('a host placeholder stands for any one segment value', () => {
  const checker = new NamingChecker(manifest);
  assert.equal(checker.check('training', `zl_training_${PLACEHOLDER_MARK}_allhistory_${PLACEHOLDER_MARK}`).ok, true);
  assert.equal(checker.check('training', `zl_trainig_${PLACEHOLDER_MARK}_allhistory_1m`).ok, false);
});

test('parsing backtracks over values that contain the separator, also on long names (memoised, so it returns)', () => {
  const checker = new NamingChecker(manifest);
  const long = `zl_training_prod_${'trade_war_2017_2019_'.repeat(200)}1m`;
  const v = checker.check('training', long);
  assert.equal(v.ok, false);
  assert.equal(v.failure?.segment, 'horizon', v.message);
  assert.match(v.message, /segment \{horizon\} is "trade"/);
  assert.equal(checker.check('training', 'zl_training_full_trade_war_2017_2019_12m').ok, true);
});

test('edit distance and closest', () => {
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(closest('featurs', ['features', 'training']), 'features');
  assert.equal(closest('zzzzzz', ['features', 'training']), undefined);
});
