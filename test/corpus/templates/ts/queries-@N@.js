/* eslint-disable no-console */
'use strict';

const { BigQuery } = require('@google-cloud/bigquery');

const bigquery = new BigQuery();
const DATASET_NOTE = 'see docs/migration.md for the forecasting_data_warehouse tables';

async function weather(days) {
  const sql = 'SELECT * FROM `cbi-v14.«forecasting_data_warehouse.weather_data→raw_intelligence.weather_noaa_daily»` ' +
    'WHERE date > DATE_SUB(CURRENT_DATE(), INTERVAL ' + Number(days) + ' DAY)';
  const [rows] = await bigquery.query(sql);
  return rows;
}

async function vix() {
  const [rows] = await bigquery.query({ query: "SELECT * FROM «models_v4.vix_daily→features.vix_term_structure_daily» ORDER BY date DESC LIMIT 1" });
  return rows[0];
}

async function yahoo(name) {
  const [rows] = await bigquery.query(`SELECT * FROM \`cbi-v14.«yahoo_finance_comprehensive.${name}→market_data.yahoo_historical_${name}»\` LIMIT 100`);
  return rows;
}

module.exports = { weather, vix, yahoo, DATASET_NOTE };
