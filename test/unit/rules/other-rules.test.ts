import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadManifestFile } from '../../../src/core/manifest/load';
import { createLinter } from '../../../src/core/lint/linter';
import { exampleManifest } from '../lint/repo-root';
import { exampleLinter, ruleTester } from './rule-tester';

ruleTester('shim-reference', {
  valid: [{ code: 'SELECT * FROM training.zl_training_prod_allhistory_1m' }, { code: 'SELECT * FROM models_v4.trump_rich_2023_2025' }],
  invalid: [
    {
      // 2025-12-01: 13 days left of the grace period that ends 2025-12-14
      code: 'SELECT * FROM `cbi-v14.models_v4.production_training_data_3m`',
      errors: [{ message: /^models_v4\.production_training_data_3m is a shim view over training\.zl_training_prod_allhistory_3m; its grace period ends on 2025-12-14 \(in 13 days\)$/, severity: 'info' }],
      output: 'SELECT * FROM `cbi-v14.training.zl_training_prod_allhistory_3m`',
    },
  ],
});

test('shim-reference escalates: info, then the configured warning in the last 7 days, then error after the grace period', () => {
  const sev = (day: string) => exampleLinter(new Date(`${day}T09:00:00Z`)).lintText('SELECT * FROM models_v4.production_training_data_1m', 'q.sql').violations[0]!;
  assert.equal(sev('2025-11-20').severity, 'info');
  assert.equal(sev('2025-12-07').severity, 'warning');
  assert.match(sev('2025-12-13').message, /in 1 day\)$/);
  assert.equal(sev('2025-12-14').severity, 'error');
  assert.match(sev('2026-01-05').message, /its grace period ended on 2025-12-14$/);
});

ruleTester('archived-reference', {
  valid: [
    { code: 'SELECT * FROM training.regime_calendar' },
    { code: '-- bqmigrate-disable-next-line archived-reference -- rollback\nSELECT * FROM archive.legacy_20251114__models_v4__crisis_2008_historical' },
  ],
  invalid: [
    { code: 'SELECT * FROM `cbi-v14.archive.legacy_20251114__models_v4__crisis_2008_historical`', errors: [{ message: /is in the archive dataset "archive"/, severity: 'warning' }] },
  ],
});

ruleTester('unknown-dataset', {
  valid: [
    { code: 'SELECT * FROM `cbi-v14.monitoring.dedup_conflicts`' },
    { code: 'SELECT * FROM `cbi-v14.models_v5.anything`' },
    { code: 'SELECT * FROM `region-us.INFORMATION_SCHEMA.JOBS`' },
    { code: 'SELECT * FROM `bigquery-public-data.noaa_gsod.gsod2024`' },
  ],
  invalid: [
    { code: 'SELECT * FROM `featurs.biofuel_rin_proxy_daily`', errors: [{ message: /^dataset "featurs" is neither approved nor legacy; did you mean features\?$/ }] },
    { code: 'SELECT * FROM `cbi-v14.zzz_scratch.t`', errors: [{ message: /add it to "datasets" or "legacyDatasets"/ }] },
  ],
});

ruleTester('naming-convention', {
  valid: [
    { code: 'SELECT * FROM training.zl_training_full_trade_war_2017_2019_6m' },
    { code: 'SELECT * FROM training.regime_weights' },
    { code: 'SELECT * FROM `cbi-v14.training.zl_training_prod_*`' },
    { code: 'SELECT * FROM predictions.whatever_name' },
    { code: 'q = f"SELECT * FROM `{PROJECT_ID}.training.zl_training_{surface}_allhistory_{h}`"', file: 'a.py' },
    { code: 'Tables are named `training.zl_training_prod_allhistory_{horizon}`.', file: 'README.md' },
  ],
  invalid: [
    {
      code: 'SELECT * FROM training.zl_training_prod_trump2023_1m',
      errors: [{ message: /segment \{regime\} is "trump2023", expected one of .*; did you mean training\.zl_training_prod_trump_2023_2025_1m\?$/, severity: 'warning' }],
    },
    { code: 'SELECT * FROM training.horizon_1m_production', errors: [{ message: /segment \{asset\} is "horizon"/ }] },
    { code: 'SELECT * FROM `cbi-v14.archive.legacy_nov12_2025`', errors: [{ message: /legacy_\{date\}__\{dataset\}__\{table\}/ }] },
  ],
});

test('--rule / options override the manifest severity, and off silences a rule', () => {
  const r = loadManifestFile(exampleManifest());
  assert.ok(r.ok);
  const code = 'SELECT * FROM training.zl_training_prod_trump2023_1m, `featurs.x`';
  const l = createLinter(r.loaded, { rules: { 'naming-convention': 'error', 'unknown-dataset': 'off' } });
  assert.deepEqual(l.lintText(code, 'q.sql').violations.map((v) => [v.ruleId, v.severity]), [['naming-convention', 'error']]);
});
