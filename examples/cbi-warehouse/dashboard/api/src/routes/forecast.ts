// Dashboard API: forecasts and training-surface stats per horizon.
import { BigQuery } from '@google-cloud/bigquery';

const project = process.env.GCP_PROJECT ?? 'cbi-v14';
const bq = new BigQuery({ projectId: project });

export async function latestForecast(horizon: string) {
  const [rows] = await bq.query({
    query: `SELECT * FROM \`${project}.predictions.zl_forecasts_daily\` WHERE horizon = @horizon ORDER BY forecast_date DESC LIMIT 1`,
    params: { horizon },
  });
  return rows[0];
}

export async function trainingRowCount(horizon: string) {
  // Still on the legacy table: the shim view keeps this working until the grace period ends.
  const table = `${project}.models_v4.production_training_data_${horizon}`;
  const [rows] = await bq.query({ query: `SELECT COUNT(*) AS n FROM \`${table}\`` });
  return rows[0].n as number;
}

export const REGIME_SOURCE = 'models_v4.trump_rich_2023_2025';
export const WEATHER = "forecasting_data_warehouse.weather_data";
