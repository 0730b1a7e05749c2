"""LightGBM baseline per horizon. Migrated to the Option 3 tables on 2025-11-14."""
import argparse

from google.cloud import bigquery

PROJECT_ID = "cbi-v14"
HORIZONS = ["1w", "1m", "3m", "6m", "12m"]


def load_training_frame(client: bigquery.Client, h: str, surface: str = "prod"):
    # New naming: {asset}_{function}_{scope}_{regime}_{horizon}
    table = f"{PROJECT_ID}.training.zl_training_{surface}_allhistory_{h}"
    return client.query(f"SELECT * FROM `{table}` ORDER BY date").to_dataframe()


def local_path(h: str) -> str:
    return f"data/exports/zl_training_prod_allhistory_{h}.parquet"


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--horizon", choices=HORIZONS, default="1m")
    parser.add_argument("--surface", choices=["prod", "full"], default="prod")
    args = parser.parse_args()
    frame = load_training_frame(bigquery.Client(project=PROJECT_ID), args.horizon, args.surface)
    print(len(frame), "rows from", local_path(args.horizon))
