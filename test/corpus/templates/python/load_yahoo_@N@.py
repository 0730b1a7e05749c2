"""Load Yahoo Finance history into BigQuery, one table per symbol group."""
import os

from google.cloud import bigquery

PROJECT_ID = os.environ.get("GCP_PROJECT", "cbi-v14")
SYMBOL_GROUPS = {"energy": ["CL=F", "HO=F"], "ags": ["ZL=F", "ZS=F", "ZM=F"]}


def table_for(symbol_prefix: str) -> str:
    # amplified tables carry the 5x-volatility variants
    return f'cbi-v14.«yahoo_finance_comprehensive.amplified_{symbol_prefix}→market_data.yahoo_historical_amplified_{symbol_prefix}»'


def raw_table(name: str) -> str:
    return f"{PROJECT_ID}.«yahoo_finance_comprehensive.{name}→market_data.yahoo_historical_{name}»"


def load(client: bigquery.Client, rows, symbol_prefix: str) -> None:
    job = client.load_table_from_json(rows, table_for(symbol_prefix))
    job.result()
    client.query(
        f"""
        DELETE FROM `{PROJECT_ID}.«yahoo_finance_comprehensive.@Y@→market_data.yahoo_historical_@Y@»`
        WHERE date IN (SELECT date FROM `{PROJECT_ID}.«yahoo_finance_comprehensive.amplified_{symbol_prefix}→market_data.yahoo_historical_amplified_{symbol_prefix}»`)
        """
    ).result()


def summary(client: bigquery.Client) -> list:
    sql = "SELECT table_name FROM `cbi-v14.«yahoo_finance_comprehensive.INFORMATION_SCHEMA.TABLES→market_data.INFORMATION_SCHEMA.TABLES»`"
    return [r.table_name for r in client.query(sql).result()]


if __name__ == "__main__":
    c = bigquery.Client(project=PROJECT_ID)
    for prefix in SYMBOL_GROUPS:
        load(c, [], prefix)
    print(summary(c))
    # yahoo_finance_comprehensive_backup.@Y@ is the manual copy from March; leave it alone.
    print("done: yahoo_finance_comprehensive_@Y@.csv")
