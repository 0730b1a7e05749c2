"""Regime classifier: labels dates with market regimes and their training weights."""
from google.cloud import bigquery

PROJECT_ID = "cbi-v14"

REGIME_TABLES = {
    "trump_2023_2025": "models_v4.trump_rich_2023_2025",
    "trade_war_2017_2019": "models_v4.trade_war_2017_2019_historical",
    "recovery_2010_2016": "training.zl_training_full_recovery_2010_2016_1m",
}

CALENDAR = "cbi-v14.training.regime_calendar"  # exempt from the naming convention


def regime_frame(client: bigquery.Client, regime: str):
    sql = "SELECT * FROM `%s.%s`" % (PROJECT_ID, REGIME_TABLES[regime])
    return client.query(sql).to_dataframe()


def public_benchmark(client: bigquery.Client):
    # Someone else's project: never renamed.
    return client.query("SELECT * FROM `bigquery-public-data.noaa_gsod.gsod2024` LIMIT 10").to_dataframe()
