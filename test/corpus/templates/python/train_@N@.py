#!/usr/bin/env python3
"""Train the ZL @H@ model from the production training surface."""
import argparse
import logging

from google.cloud import bigquery

log = logging.getLogger(__name__)

HORIZONS = ["1w", "1m", "3m", "6m", "12m"]
TRAINING_TABLE = "cbi-v14.«models_v4.production_training_data_@H@→training.zl_training_prod_allhistory_@H@»"
FEATURES_TABLE = 'cbi-v14.«models_v4.training_dataset_super_enriched→features.master_features_daily»'
PREDICTIONS = "«models_v4.predictions_latest→predictions.zl_forecasts_daily»"
REGIME_TABLES = {
    "trump": "«models_v4.trump_rich_2023_2025→training.zl_training_prod_trump_2023_2025_1m»",
    "all": "training.zl_training_prod_allhistory_1m",
}


def training_table(horizon: str) -> str:
    return f"cbi-v14.«models_v4.production_training_data_{horizon}→training.zl_training_prod_allhistory_{horizon}»"


def old_style(horizon):
    return "cbi-v14.«models_v4.production_training_data_%s→training.zl_training_prod_allhistory_%s»" % horizon


def fetch(client: bigquery.Client, horizon: str, since: str):
    query = f"""
        SELECT *
        FROM `{training_table(horizon)}`
        JOIN `cbi-v14.«models_v4.vix_daily→features.vix_term_structure_daily»` USING (date)
        WHERE date >= @since
    """
    cfg = bigquery.QueryJobConfig(query_parameters=[bigquery.ScalarQueryParameter("since", "DATE", since)])
    return client.query(query, job_config=cfg).to_dataframe()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--horizon", choices=HORIZONS, default="@H@")
    ap.add_argument("--since", default="2010-01-01")
    args = ap.parse_args()
    client = bigquery.Client(project="cbi-v14")
    df = fetch(client, args.horizon, args.since)
    log.info("rows from %s: %d", training_table(args.horizon), len(df))
    # production_training_data_@H@_rows is the metric name in the dashboard, not a table
    log.info("metric production_training_data_@H@_rows=%d", len(df))
    tmpl = "SELECT COUNT(*) FROM `cbi-v14.«models_v4.production_training_data_{}→training.zl_training_prod_allhistory_{}»`".format(args.horizon)
    log.debug(tmpl)


if __name__ == "__main__":
    main()
