/*
 * Data-quality checks run nightly by scripts/run_checks.sh.
 * Reads «models_v4.production_training_data_{1w|1m|3m|6m|12m}→training.zl_training_prod_allhistory_{1w|1m|3m|6m|12m}» and the raw tables.
 */

-- 1. Row counts per table in the legacy raw dataset
SELECT table_id, row_count, TIMESTAMP_MILLIS(last_modified_time) AS modified
FROM `cbi-v14.«forecasting_data_warehouse.__TABLES__→raw_intelligence.__TABLES__»`
ORDER BY row_count DESC;

-- 2. Columns of the @Y@ load
SELECT column_name, data_type
FROM «yahoo_finance_comprehensive.INFORMATION_SCHEMA.COLUMNS→market_data.INFORMATION_SCHEMA.COLUMNS»
WHERE table_name = '@Y@';

-- 3. Every horizon has rows for yesterday
SELECT _TABLE_SUFFIX AS horizon, COUNT(*) AS n
FROM `cbi-v14.«models_v4.production_training_data_*→training.zl_training_prod_allhistory_*»`
WHERE date = DATE_SUB(CURRENT_DATE(), INTERVAL 1 DAY)
GROUP BY 1
HAVING n = 0;

-- 4. Freshness of the VIX table (legacy SQL form kept for the old scheduler)
SELECT MAX(date) FROM [cbi-v14:«models_v4.vix_daily→features.vix_term_structure_daily»];

-- 5. The snapshot of the soybean series on the first of the month
SELECT COUNT(*) FROM «forecasting_data_warehouse.soybean_oil_prices→raw_intelligence.prices_soybean_oil_daily»$20240101;

-- Not a table: the string below is a label written to the monitoring table.
INSERT INTO monitoring.check_results (check_name, ok) VALUES ('production_training_data_@H@ fresh', TRUE);

-- The archive check reads the legacy table on purpose until the shims are dropped.
-- bqmigrate-disable-next-line legacy-reference -- compared against the archive copy until phase 8
SELECT COUNT(*) FROM `cbi-v14.models_v4.predictions_latest` EXCEPT DISTINCT SELECT COUNT(*) FROM `cbi-v14.archive.legacy_20251114__models_v4__predictions_latest`;
