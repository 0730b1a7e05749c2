-- Regime tables (exempt from the naming convention).
CREATE OR REPLACE TABLE `cbi-v14.training.regime_calendar` AS
SELECT date, market_regime FROM `cbi-v14.raw_intelligence.macro_regime_labels`;

CREATE OR REPLACE TABLE `cbi-v14.training.regime_weights` (market_regime STRING, weight FLOAT64);

-- Rebuild the crisis slice from its archived copy.
-- bqmigrate-disable-next-line archived-reference -- rebuilding from the frozen copy on purpose
CREATE OR REPLACE TABLE `cbi-v14.training.zl_training_full_crisis_2008_1m` AS SELECT * EXCEPT (archived_date, original_location, migration_version) FROM `cbi-v14.archive.legacy_20251114__models_v4__crisis_2008_historical`;

-- A stray read of the archive without a reason:
SELECT COUNT(*) FROM archive.legacy_20251114__models_v4__trump_rich_2023_2025;
