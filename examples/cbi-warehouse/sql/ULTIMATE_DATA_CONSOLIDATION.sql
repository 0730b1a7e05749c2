-- Builds the master feature table from raw intelligence.
-- Phase 5 of the naming migration: still partly on legacy names.
CREATE OR REPLACE TABLE `cbi-v14.features.master_features_daily`
PARTITION BY date
CLUSTER BY market_regime AS
SELECT
  p.date,
  p.close AS zl_close,
  w.precip_mm,
  s.sentiment_score,
  r.market_regime
FROM `cbi-v14.forecasting_data_warehouse.soybean_oil_prices` AS p
LEFT JOIN `cbi-v14`.`forecasting_data_warehouse`.`weather_data` AS w USING (date)
LEFT JOIN forecasting_data_warehouse.social_sentiment AS s USING (date)
LEFT JOIN `cbi-v14.training.regime_calendar` AS r USING (date)
WHERE p.date >= '2000-01-01';

-- Horizon surfaces read the legacy production tables through their shims for now.
INSERT INTO `cbi-v14.training.zl_training_prod_allhistory_1m`
SELECT * FROM `cbi-v14.models_v4.production_training_data_1m$20251101`;

-- Legacy SQL form kept by an old scheduled query:
-- SELECT COUNT(*) FROM [cbi-v14:models_v4.production_training_data_3m]

-- Typo'd and misnamed targets:
SELECT * FROM featurs.biofuel_rin_proxy_daily;
SELECT * FROM training.zl_training_prod_trump2023_1m;
SELECT table_name FROM `cbi-v14.training.INFORMATION_SCHEMA.TABLES`;
