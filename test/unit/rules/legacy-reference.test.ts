import { ruleTester } from './rule-tester';

ruleTester('legacy-reference', {
  valid: [
    { code: 'SELECT * FROM training.zl_training_prod_allhistory_1m' },
    { code: 'SELECT * FROM models_v4.production_training_data_1m_backup' },
    { code: 'SELECT * FROM `other-project.models_v4.trump_rich_2023_2025`' },
    { code: "x = 'models_v4.trump_rich_2023_2025'  # bqmigrate-disable-line legacy-reference -- kept for the audit", file: 'a.py' },
    { code: '-- bqmigrate-disable-next-line legacy-reference -- rollback script\nSELECT * FROM models_v4.trump_rich_2023_2025', file: 'a.sql' },
    { code: '# bqmigrate-disable\nmodels_v4.trump_rich_2023_2025', file: 'notes.md' },
    // Shimmed mappings are shim-reference's business.
    { code: 'SELECT * FROM models_v4.production_training_data_1m' },
  ],
  invalid: [
    {
      code: 'SELECT * FROM models_v4.trump_rich_2023_2025 t',
      errors: [{ message: /^models_v4\.trump_rich_2023_2025 was renamed to training\.zl_training_prod_trump_2023_2025_1m$/, severity: 'error' }],
      output: 'SELECT * FROM training.zl_training_prod_trump_2023_2025_1m t',
    },
    {
      code: 'SELECT * FROM `cbi-v14.models_v4.crisis_2008_historical`',
      errors: [{ message: /crisis_2008_historical was renamed/ }],
      output: 'SELECT * FROM `cbi-v14.training.zl_training_full_crisis_2008_1m`',
    },
    {
      code: 'SELECT * FROM `cbi-v14`.`models_v4`.`crisis_2008_historical` JOIN `cbi-v14.models_v4`.trade_war_2017_2019_historical USING (date)',
      errors: [{ message: /crisis_2008_historical/ }, { message: /trade_war_2017_2019_historical/ }],
      output: 'SELECT * FROM `cbi-v14`.`training`.`zl_training_full_crisis_2008_1m` JOIN `cbi-v14.training`.zl_training_full_trade_war_2017_2019_1m USING (date)',
    },
    {
      code: 'SELECT COUNT(*) FROM [cbi-v14:models_v4.predictions_latest]',
      errors: [{ message: /predictions_latest was renamed to predictions\.zl_forecasts_daily/ }],
      output: 'SELECT COUNT(*) FROM [cbi-v14:predictions.zl_forecasts_daily]',
    },
    {
      code: 'bq show --schema cbi-v14:models_v4.predictions_latest',
      file: 'run.sh',
      errors: [{ message: /predictions_latest/ }],
      output: 'bq show --schema cbi-v14:predictions.zl_forecasts_daily',
    },
    {
      code: 'SELECT * FROM forecasting_data_warehouse.weather_data$20250101',
      errors: [{ message: /weather_data was renamed to raw_intelligence\.weather_noaa_daily/ }],
      output: 'SELECT * FROM raw_intelligence.weather_noaa_daily$20250101',
    },
    {
      code: 'q = f"SELECT * FROM `{PROJECT_ID}.models_v4.crisis_2008_historical` WHERE d > {start}"',
      file: 'train.py',
      errors: [{ message: /crisis_2008_historical was renamed/ }],
      output: 'q = f"SELECT * FROM `{PROJECT_ID}.training.zl_training_full_crisis_2008_1m` WHERE d > {start}"',
    },
    {
      code: 'df = pd.read_parquet(f"data/production_training_data_{h}.parquet")',
      file: 'train.py',
      errors: [{ message: /^production_training_data_\{h\}\.parquet was renamed to zl_training_prod_allhistory_\{h\}\.parquet$/ }],
      output: 'df = pd.read_parquet(f"data/zl_training_prod_allhistory_{h}.parquet")',
    },
    {
      // planned: reported, but the fix is unsafe, so the safe-fix output is unchanged
      code: 'SELECT * FROM forecasting_data_warehouse.corn_prices',
      errors: [{ message: /is being renamed to raw_intelligence\.fdw_corn_prices \(planned/ }],
    },
    { code: 'SELECT * FROM models_v4.vix_features_legacy', errors: [{ message: /not mapped yet/, severity: 'info' }] },
    { code: 'SELECT * FROM performance.mape_tracking_old', errors: [{ message: /was dropped \(staging dataset dropped in phase 8/, severity: 'error' }] },
    {
      code: '-- reads models_v4.trump_rich_2023_2025 for the comparison\nSELECT 1',
      errors: [{ message: /trump_rich_2023_2025/ }],
      output: '-- reads training.zl_training_prod_trump_2023_2025_1m for the comparison\nSELECT 1',
    },
  ],
});
