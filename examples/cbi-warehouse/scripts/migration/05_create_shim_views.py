# bqmigrate-disable shim-reference, legacy-reference -- this script creates the shim views
"""Phase 6: shim views on the legacy names for the 30-day grace period."""
from google.cloud import bigquery

PROJECT_ID = "cbi-v14"
HORIZONS = ["1w", "1m", "3m", "6m", "12m"]

client = bigquery.Client(project=PROJECT_ID)
for h in HORIZONS:
    client.query(
        f"CREATE OR REPLACE VIEW `{PROJECT_ID}.models_v4.production_training_data_{h}` AS "
        f"SELECT * FROM `{PROJECT_ID}.training.zl_training_prod_allhistory_{h}`"
    ).result()
