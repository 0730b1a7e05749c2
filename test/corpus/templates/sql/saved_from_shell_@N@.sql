-- Saved from scripts/backfill.sh; the backslashes came with the copy.
SELECT COUNT(*) AS n, MAX(date) AS last_day
FROM \`cbi-v14.«forecasting_data_warehouse.@T@→raw_intelligence.fdw_@T@»\`
WHERE date >= '2020-01-01';

SELECT * FROM \`cbi-v14.«models_v4.production_training_data_@H@→training.zl_training_prod_allhistory_@H@»\` LIMIT 10;
