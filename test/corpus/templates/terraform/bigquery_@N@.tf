# Views and scheduled queries of the forecasting stack.
resource "google_bigquery_table" "zl_latest_@N@" {
  project    = var.project_id
  dataset_id = "monitoring"
  table_id   = "zl_latest_@N@"

  view {
    use_legacy_sql = false
    query          = <<-SQL
      SELECT date, forecast
      FROM `cbi-v14.«models_v4.predictions_latest→predictions.zl_forecasts_daily»`
      WHERE horizon = '@H@'
    SQL
  }
}

resource "google_bigquery_data_transfer_config" "refresh_@T@_@N@" {
  display_name           = "refresh @T@"
  data_source_id         = "scheduled_query"
  schedule               = "every 24 hours"
  destination_dataset_id = "monitoring"
  params = {
    destination_table_name_template = "refresh_@T@"
    write_disposition               = "WRITE_TRUNCATE"
    query                           = "SELECT * FROM `${var.project_id}.«forecasting_data_warehouse.@T@→raw_intelligence.fdw_@T@»` WHERE date > DATE_SUB(CURRENT_DATE(), INTERVAL 3 DAY)"
  }
}

locals {
  training_table = "${var.project_id}.«models_v4.production_training_data_@H@→training.zl_training_prod_allhistory_@H@»"
  # models_v4 will be deleted in phase 8
}

# The training snapshot exported for the model registry: dataset and table in separate fields.
resource "google_bigquery_table" "registry_snapshot_@N@" {
  project    = var.project_id
  dataset_id = "‹models_v4→training›"
  table_id   = "«production_training_data_@H@→zl_training_prod_allhistory_@H@»"
  deletion_protection = true
}
