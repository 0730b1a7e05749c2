#!/usr/bin/env bash
# Backfill and copy the raw series into the new datasets.
set -euo pipefail

PROJECT="${PROJECT:-cbi-v14}"
PROJECT_ID="$PROJECT"
TABLES=(@T@ cftc_cot usda_wasde)

for table in "${TABLES[@]}"; do
  echo "rows in ${table}:"
  bq query --use_legacy_sql=false "SELECT COUNT(*) FROM \`cbi-v14.«forecasting_data_warehouse.${table}→raw_intelligence.fdw_${table}»\`"
  bq cp -f cbi-v14.«forecasting_data_warehouse.${table}→raw_intelligence.fdw_${table}» cbi-v14.market_data.fwd_${table}
done

bq query --use_legacy_sql=false \
  "SELECT MAX(date) FROM \`${PROJECT}.«models_v4.production_training_data_@H@→training.zl_training_prod_allhistory_@H@»\`"

bq show --format=prettyjson $PROJECT:«models_v4.predictions_latest→predictions.zl_forecasts_daily» > /tmp/predictions_schema.json
bq extract --destination_format=PARQUET "{PROJECT_ID}.«forecasting_data_warehouse.soybean_oil_prices→raw_intelligence.prices_soybean_oil_daily»" gs://cbi-v14-exports/soybean/*.parquet

python3 - <<EOF
from google.cloud import bigquery
client = bigquery.Client(project="cbi-v14")
for horizon in ["1w", "1m", "3m"]:
    table_id = f'cbi-v14.«models_v4.production_training_data_{horizon}→training.zl_training_prod_allhistory_{horizon}»'
    print(table_id, client.get_table(table_id).num_rows)
EOF

bq query --use_legacy_sql=false <<SQL
SELECT COUNT(*) FROM \`cbi-v14.«models_v4.trump_rich_2023_2025→training.zl_training_prod_trump_2023_2025_1m»\`
SQL

SOURCE_DATASET=‹models_v4→features›
SOURCE_TABLE=«training_dataset_super_enriched→master_features_daily»
bq extract --destination_format=PARQUET "cbi-v14:${SOURCE_DATASET}.${SOURCE_TABLE}" gs://cbi-exports/features-@N@.parquet

# logs go to /var/log/cbi/forecasting_data_warehouse-@T@.log (a file, not a table)
echo "done"
