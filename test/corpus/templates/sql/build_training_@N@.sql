-- Rebuild the @H@ training surface from the enriched feature table.
-- Owner: data-eng. Source of truth for the dashboard's @H@ horizon.
-- same pattern as «forecasting_data_warehouse.commodity_*→raw_intelligence.fdw_commodity_*» (one table per commodity)
CREATE OR REPLACE TABLE `cbi-v14.«models_v4.production_training_data_@H@→training.zl_training_prod_allhistory_@H@»`
PARTITION BY DATE_TRUNC(date, MONTH)
AS
WITH prices AS (
  SELECT date, close AS zl_close, volume AS zl_volume
  FROM `cbi-v14.«forecasting_data_warehouse.soybean_oil_prices→raw_intelligence.prices_soybean_oil_daily»`
  WHERE date >= '2000-01-01'
),
other AS (
  SELECT date, AVG(close) AS @T@_close
  FROM «forecasting_data_warehouse.@T@→raw_intelligence.fdw_@T@»
  GROUP BY date
),
wx AS (
  SELECT date, AVG(tmax_c) AS tmax_c, SUM(precip_mm) AS precip_mm
  FROM `cbi-v14`.«`forecasting_data_warehouse`.`weather_data`→`raw_intelligence`.`weather_noaa_daily`»
  WHERE region IN ('IA', 'IL', 'BR-MT')
  GROUP BY date
)
SELECT
  f.*,
  p.zl_close,
  o.@T@_close,
  w.tmax_c,
  w.precip_mm,
  f.production_training_data_@H@_weight AS sample_weight  -- a column, not a table
FROM `cbi-v14.«models_v4.training_dataset_super_enriched→features.master_features_daily»` AS f
LEFT JOIN prices p USING (date)
LEFT JOIN other o USING (date)
LEFT JOIN wx w USING (date)
LEFT JOIN `cbi-v14.models_v4_backup.production_training_data_@H@` bk USING (date)  -- another dataset
WHERE f.date BETWEEN '2000-01-01' AND CURRENT_DATE();

-- Keep the regime table aligned.
INSERT INTO «models_v4.trump_rich_2023_2025→training.zl_training_prod_trump_2023_2025_1m» (date, target_1m)
SELECT date, target_1m FROM training.zl_training_prod_allhistory_1m WHERE date >= '2023-01-20';

MERGE `cbi-v14.«models_v4.predictions_latest→predictions.zl_forecasts_daily»` T
USING (SELECT * FROM `cbi-v14.predictions.staging_forecasts_@N@`) S
ON T.date = S.date AND T.horizon = S.horizon
WHEN MATCHED THEN UPDATE SET T.forecast = S.forecast
WHEN NOT MATCHED THEN INSERT ROW;
