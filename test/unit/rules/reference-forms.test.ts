/** The rules on the reference forms beyond plain table names: routines, wildcard tables, dataset metadata, templated prose. */
import { ruleTester } from './rule-tester';

ruleTester('legacy-reference', {
  valid: [
    // the shimmed template's wildcard is shim-reference's
    { code: 'SELECT * FROM `cbi-v14.models_v4.production_training_data_*`' },
    { code: 'SELECT SAFE.PARSE_DATE("%F", s), NET.HOST(u) FROM training.regime_calendar' },
  ],
  invalid: [
    {
      code: 'SELECT `cbi-v14.forecasting_data_warehouse.haversine_distance`(a, b) FROM t',
      errors: [{ message: /^forecasting_data_warehouse\.haversine_distance is being renamed to raw_intelligence\.fdw_haversine_distance \(planned/ }],
    },
    {
      code: 'CREATE OR REPLACE FUNCTION forecasting_data_warehouse.to_usd(x FLOAT64) AS (x * 1.0)',
      errors: [{ message: /to_usd is being renamed to raw_intelligence\.fdw_to_usd/ }],
    },
    {
      code: 'SELECT column_name FROM `cbi-v14.forecasting_data_warehouse.INFORMATION_SCHEMA.COLUMNS`',
      errors: [{ message: /^forecasting_data_warehouse\.INFORMATION_SCHEMA\.COLUMNS reads the metadata of a legacy dataset that is moving to raw_intelligence \(planned/ }],
    },
    {
      code: 'SELECT table_id, row_count FROM models_v4.__TABLES__',
      errors: [{ message: /models_v4\.__TABLES__ reads the metadata of legacy dataset models_v4: no mapping moves all of models_v4 \(its tables move to features, predictions, training\)/ }],
    },
    {
      code: '-- same pattern as forecasting_data_warehouse.commodity_*\nSELECT 1',
      errors: [{ message: /commodity_\* is being renamed to raw_intelligence\.fdw_commodity_\*/ }],
    },
    {
      code: 'SELECT * FROM `cbi-v14.forecasting_data_warehouse.*`',
      errors: [{ message: /reads legacy tables: the wildcard also reads forecasting_data_warehouse\.soybean_oil_prices, which moves to raw_intelligence\.prices_soybean_oil_daily; rewrite it by hand/ }],
    },
  ],
});

ruleTester('shim-reference', {
  valid: [{ code: 'SELECT * FROM training.zl_training_prod_allhistory_1m' }],
  invalid: [
    {
      code: 'SELECT * FROM `cbi-v14.models_v4.production_training_data_*` WHERE _TABLE_SUFFIX = "1m"',
      errors: [{ message: /production_training_data_\* is a shim view over training\.zl_training_prod_allhistory_\*/ }],
      output: 'SELECT * FROM `cbi-v14.training.zl_training_prod_allhistory_*` WHERE _TABLE_SUFFIX = "1m"',
    },
    {
      code: '- `models_v4.production_training_data_{1w|1m|3m|6m|12m}` (5 tables)\n- models_v4.production_training_data_{horizon}\n',
      file: 'MIGRATION.md',
      errors: [{ message: /\{1w\|1m\|3m\|6m\|12m\}/ }, { message: /\{horizon\} is a shim view over training\.zl_training_prod_allhistory_\{horizon\}/ }],
      output: '- `training.zl_training_prod_allhistory_{1w|1m|3m|6m|12m}` (5 tables)\n- training.zl_training_prod_allhistory_{horizon}\n',
    },
  ],
});

ruleTester('naming-convention', {
  valid: [{ code: 'SELECT training.my_helper_fn(x) FROM training.zl_training_prod_allhistory_1m' }],
  invalid: [],
});
