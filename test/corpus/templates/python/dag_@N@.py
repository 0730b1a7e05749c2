"""Airflow DAG: nightly refresh of the @T@ series and the @H@ predictions."""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.google.cloud.operators.bigquery import BigQueryInsertJobOperator
from google.cloud import bigquery

DEFAULT_ARGS = {"owner": "data-eng", "retries": 2, "retry_delay": timedelta(minutes=5)}

REFRESH_SQL = """
SELECT date, AVG(value) AS value
FROM `cbi-v14.«forecasting_data_warehouse.@T@→raw_intelligence.fdw_@T@»`
GROUP BY date
"""

with DAG(
    dag_id="refresh_@T@_@N@",
    start_date=datetime(2025, 1, 1),
    schedule="0 6 * * *",
    default_args=DEFAULT_ARGS,
    catchup=False,
) as dag:
    refresh = BigQueryInsertJobOperator(
        task_id="refresh_@T@",
        configuration={
            "query": {
                "query": REFRESH_SQL,
                "useLegacySql": False,
                "destinationTable": {"projectId": "cbi-v14", "datasetId": "monitoring", "tableId": "refresh_@T@"},
                "writeDisposition": "WRITE_TRUNCATE",
            }
        },
    )
    predict = BigQueryInsertJobOperator(
        task_id="predict_@H@",
        configuration={
            "query": {
                "query": "SELECT * FROM ML.PREDICT(MODEL `cbi-v14.predictions.zl_model_@H@`, "
                "(SELECT * FROM `cbi-v14.«models_v4.production_training_data_@H@→training.zl_training_prod_allhistory_@H@»`))",
                "useLegacySql": False,
            }
        },
    )
    weather = BigQueryInsertJobOperator(
        task_id="weather",
        configuration={"query": {"query": 'SELECT * FROM «forecasting_data_warehouse.weather_data→raw_intelligence.weather_noaa_daily» WHERE date = "{{ ds }}"', "useLegacySql": False}},
    )
    refresh >> predict >> weather


def regime_rows(client):
    """Rows of the regime table, read through the client's dataset reference."""
    regime = client.dataset("‹models_v4→training›").table("«trump_rich_2023_2025→zl_training_prod_trump_2023_2025_1m»")
    raw = bigquery.DatasetReference("cbi-v14", "‹forecasting_data_warehouse→raw_intelligence›")
    return client.get_table(regime).num_rows, client.get_table(raw.table("«@T@→fdw_@T@»")).num_rows
