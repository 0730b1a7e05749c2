// Dashboard API: latest forecasts and the training window behind them.
import { BigQuery } from '@google-cloud/bigquery';

const PROJECT = process.env.GCP_PROJECT ?? 'cbi-v14';
const bq = new BigQuery({ projectId: PROJECT });

export const TABLES = {
  forecasts: '«models_v4.predictions_latest→predictions.zl_forecasts_daily»',
  training: `${PROJECT}.«models_v4.production_training_data_@H@→training.zl_training_prod_allhistory_@H@»`,
  soybean: "cbi-v14.«forecasting_data_warehouse.soybean_oil_prices→raw_intelligence.prices_soybean_oil_daily»",
} as const;

export async function latestForecasts(horizon: string): Promise<unknown[]> {
  const [rows] = await bq.query({
    query: `SELECT date, forecast, lower, upper
            FROM \`${PROJECT}.«models_v4.predictions_latest→predictions.zl_forecasts_daily»\`
            WHERE horizon = @horizon
            ORDER BY date DESC LIMIT 30`,
    params: { horizon },
  });
  return rows;
}

export async function trainingWindow(horizon: string): Promise<{ first: string; last: string }> {
  const [rows] = await bq.query(`SELECT MIN(date) AS first, MAX(date) AS last FROM \`${PROJECT}.«models_v4.production_training_data_${horizon}→training.zl_training_prod_allhistory_${horizon}»\``);
  return rows[0] as { first: string; last: string };
}

export function rawSeries(table: string): string {
  // any other raw series keeps its name behind the fdw_ prefix
  return `${PROJECT}.«forecasting_data_warehouse.${table}→raw_intelligence.fdw_${table}»`;
}

// The metric key below is a label, not a table: 'models_v4_production_training_data_@H@'
export const METRIC = 'models_v4_production_training_data_@H@';
