"""Attention model on the daily feature surface. NOT yet migrated (Phase 4 follow-up)."""
import pandas as pd
from google.cloud import bigquery

PROJECT_ID = "cbi-v14"


def training_query(h: str) -> str:
    return f"""
        SELECT t.*, w.weight AS training_weight
        FROM `{PROJECT_ID}.models_v4.production_training_data_{h}` AS t
        JOIN `{PROJECT_ID}.training.regime_weights` AS w USING (market_regime)
        WHERE t.date >= '2010-01-01'
    """


def load_local(h: str) -> pd.DataFrame:
    # Old export name, still on disk from before the rename.
    return pd.read_parquet(f"data/production_training_data_{h}.parquet")


def load_vix() -> pd.DataFrame:
    client = bigquery.Client(project=PROJECT_ID)
    return client.query("SELECT * FROM models_v4.vix_features_legacy").to_dataframe()


def crisis_slice() -> str:
    # Regime slice used for stress tests.
    return "SELECT * FROM `cbi-v14.models_v4.crisis_2008_historical`"
