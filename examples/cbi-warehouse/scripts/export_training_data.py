"""Exports the training surfaces to parquet. Supports --surface prod|full."""
import argparse

from google.cloud import bigquery

PROJECT_ID = "cbi-v14"

parser = argparse.ArgumentParser()
parser.add_argument("--surface", choices=["prod", "full"], default="prod")
parser.add_argument("--horizon", default="1m")
args = parser.parse_args()

table = f"{PROJECT_ID}.training.zl_training_{args.surface}_allhistory_{args.horizon}"
frame = bigquery.Client(project=PROJECT_ID).query(f"SELECT * FROM `{table}`").to_dataframe()
frame.to_parquet(f"data/exports/zl_training_{args.surface}_allhistory_{args.horizon}.parquet")
# The model directory layout still uses the old path: Models/local/baselines
