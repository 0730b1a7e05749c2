/**
 * The bundled sample warehouse for `bqmigrate local seed`, generated in SQL
 * from fixed formulas (no randomness, no files), shaped like the seeds'
 * legacy warehouse: five horizon training tables with identical schemas and
 * the row counts of the migration log, the five regime tables, the other
 * legacy tables the example workspace maps, a few forecasting_data_warehouse
 * raw tables and a view, an empty table and a table name in two datasets.
 */
import { duckDbDialect } from './identifiers';
import type { LocalWarehouse } from './local';
import type { TableId } from './types';

export const HORIZONS = ['1w', '1m', '3m', '6m', '12m'] as const;

/** Row counts from naming-migration-log.md (training.zl_training_prod_allhistory_{h}). */
const HORIZON_ROWS: Record<(typeof HORIZONS)[number], number> = { '1w': 1472, '1m': 1404, '3m': 1475, '6m': 1473, '12m': 1473 };

const REGIMES: { table: string; from: string; to: string }[] = [
  { table: 'trump_rich_2023_2025', from: '2023-01-02', to: '2025-06-30' },
  { table: 'crisis_2008_historical', from: '2008-01-02', to: '2008-12-31' },
  { table: 'pre_crisis_2000_2007_historical', from: '2000-01-03', to: '2007-12-31' },
  { table: 'recovery_2010_2016_historical', from: '2010-01-04', to: '2016-12-30' },
  { table: 'trade_war_2017_2019_historical', from: '2017-01-03', to: '2019-12-31' },
];

export const SAMPLE_DATASETS: Record<string, string> = {
  models_v4: 'Legacy model workspace (training tables, regime tables)',
  models_v5: 'Legacy staging workspace, to be dropped',
  forecasting_data_warehouse: 'Legacy raw market data',
};

/** A deterministic value in [-0.5, 0.5) for row i and stream k (a linear congruential step). */
const noise = (i: string, k: number) => `((((${i}) * 1103515245 + ${k * 12345 + 1}) % 2147483648) / 2147483648.0 - 0.5)`;

/** Business days from `from`, at most `limit` of them, up to `to`: columns `date` and `i` (0-based). */
function businessDays(from: string, to: string, limit?: number): string {
  return `(SELECT CAST(d AS DATE) AS date, CAST(row_number() OVER (ORDER BY d) - 1 AS BIGINT) AS i
    FROM range(DATE '${from}', DATE '${to}' + INTERVAL 1 DAY, INTERVAL 1 DAY) AS r(d)
    WHERE dayofweek(d) BETWEEN 1 AND 5 ORDER BY d ${limit !== undefined ? `LIMIT ${limit}` : ''})`;
}

/** The training-table shape: identical columns for every horizon and regime table. */
function trainingSelect(days: string): string {
  const price = `45 + 8 * sin(i / 120.0) + 6 * ${noise('i', 1)}`;
  return `SELECT date,
    round(${price}, 4) AS zl_price_current,
    round(${price} - 0.3 * ${noise('i', 2)}, 4) AS zl_price_lag1,
    round(${price} - 0.9 * ${noise('i', 3)}, 4) AS zl_price_lag7,
    CAST(20000 + round(15000 * (${noise('i', 4)} + 0.5)) AS BIGINT) AS zl_volume,
    round(900 + 120 * sin(i / 200.0) + 40 * ${noise('i', 5)}, 2) AS palm_oil_price,
    round(4.5 + 1.2 * sin(i / 150.0) + 0.4 * ${noise('i', 6)}, 4) AS corn_price,
    round(70 + 15 * sin(i / 170.0) + 5 * ${noise('i', 7)}, 2) AS crude_oil_price,
    round(5.1 + 0.4 * sin(i / 260.0) + 0.1 * ${noise('i', 8)}, 4) AS usd_brl_rate,
    round(18 + 6 * (${noise('i', 9)} + 0.5), 2) AS vix_close,
    round(${noise('i', 10)} * 2, 4) AS feature_sentiment,
    CASE WHEN date < DATE '2008-01-01' THEN 'pre_crisis' WHEN date < DATE '2009-06-01' THEN 'crisis'
         WHEN date < DATE '2017-01-01' THEN 'recovery' WHEN date < DATE '2020-01-01' THEN 'trade_war'
         WHEN date < DATE '2023-01-01' THEN 'covid_inflation' ELSE 'trump_2023_2025' END AS market_regime,
    CASE WHEN date >= DATE '2023-01-01' THEN 1.5 WHEN date >= DATE '2020-01-01' THEN 1.0 ELSE 0.6 END AS training_weight,
    round(${price} * (1 + 0.02 * ${noise('i', 11)}), 4) AS target_1w,
    round(${price} * (1 + 0.04 * ${noise('i', 12)}), 4) AS target_1m,
    round(${price} * (1 + 0.07 * ${noise('i', 13)}), 4) AS target_3m,
    round(${price} * (1 + 0.10 * ${noise('i', 14)}), 4) AS target_6m,
    round(${price} * (1 + 0.14 * ${noise('i', 15)}), 4) AS target_12m
  FROM ${days}`;
}

function pricesSelect(symbol: string, base: number, from: string, to: string, k: number): string {
  return `SELECT date, '${symbol}' AS symbol,
    round(${base} * (1 + 0.15 * sin(i / 140.0)) + ${base / 20} * ${noise('i', k)}, 4) AS close,
    CAST(5000 + round(9000 * (${noise('i', k + 1)} + 0.5)) AS BIGINT) AS volume,
    'barchart' AS source
  FROM ${businessDays(from, to)}`;
}

export interface SampleObject extends TableId {
  type: 'TABLE' | 'VIEW';
  sql: string;
  partitioning?: string;
  clustering?: string[];
  description?: string;
  labels?: Record<string, string>;
  /** Column descriptions and policy tags: what a copy must keep. */
  columns?: Record<string, { description?: string; policyTags?: string[] }>;
}

/** The taxonomy's "licensed vendor data" tag: the sample's column-level security. */
export const SAMPLE_POLICY_TAG = 'projects/cbi-v14/locations/us/taxonomies/8141/policyTags/2201';

const TRAINING_COLUMNS: SampleObject['columns'] = {
  date: { description: 'Trading day (business days only)' },
  zl_price_current: { description: 'Soybean oil front-month settle, USD/cwt' },
  zl_volume: { description: 'Front-month volume (licensed exchange data)', policyTags: [SAMPLE_POLICY_TAG] },
  market_regime: { description: 'Regime label from training.regime_calendar' },
};

/** Every object of the sample warehouse and the SQL that builds it (DuckDB). */
export function sampleObjects(): SampleObject[] {
  const objects: SampleObject[] = [];
  for (const h of HORIZONS) {
    objects.push({
      type: 'TABLE',
      dataset: 'models_v4',
      table: `production_training_data_${h}`,
      sql: trainingSelect(businessDays('2019-12-02', '2030-12-31', HORIZON_ROWS[h])),
      partitioning: 'DAY(date)',
      clustering: ['market_regime'],
      description: `Production training surface, ${h} horizon, all history`,
      labels: { team: 'forecasting', surface: 'prod', horizon: h },
      columns: TRAINING_COLUMNS,
    });
  }
  for (const r of REGIMES) {
    objects.push({ type: 'TABLE', dataset: 'models_v4', table: r.table, sql: trainingSelect(businessDays(r.from, r.to)), partitioning: 'DAY(date)' });
  }
  // Legacy objects the example workspace (examples/cbi-warehouse/bqmigrate.json) maps.
  objects.push(
    { type: 'TABLE', dataset: 'models_v4', table: 'training_dataset_super_enriched', sql: trainingSelect(businessDays('2020-01-02', '2025-11-13')), partitioning: 'DAY(date)' },
    {
      type: 'TABLE',
      dataset: 'models_v4',
      table: 'biofuel_rin_proxy',
      sql: `SELECT date, round(1.1 + 0.3 * sin(i / 60.0) + 0.1 * ${noise('i', 30)}, 4) AS rin_d4_price, round(0.9 + 0.3 * sin(i / 55.0) + 0.1 * ${noise('i', 31)}, 4) AS rin_d6_price
        FROM ${businessDays('2023-01-02', '2025-11-13')}`,
    },
    {
      type: 'TABLE',
      dataset: 'models_v4',
      table: 'predictions_latest',
      sql: `SELECT date, h AS horizon, round(48 + 3 * sin(i / 20.0) + 2 * ${noise('i', 32)}, 4) AS prediction
        FROM ${businessDays('2025-09-01', '2025-11-13')}, (VALUES ('1w'), ('1m'), ('3m'), ('6m'), ('12m')) AS v(h)`,
    },
    {
      type: 'TABLE',
      dataset: 'models_v4',
      table: 'vix_features_legacy',
      sql: `SELECT date, round(18 + 6 * (${noise('i', 33)} + 0.5), 2) AS vix_close, round(${noise('i', 34)}, 4) AS vix_term_slope FROM ${businessDays('2022-01-03', '2025-11-13')}`,
    },
    {
      type: 'TABLE',
      dataset: 'forecasting_data_warehouse',
      table: 'weather_data',
      sql: `SELECT date, st AS station, round(20 + 8 * sin(i / 40.0) + 3 * ${noise('i', 35)}, 1) AS temp_c, round(greatest(0, 6 * ${noise('i', 36)}), 1) AS precip_mm
        FROM ${businessDays('2024-01-01', '2025-11-13')}, (VALUES ('US-IA-DSM'), ('BR-MT-CGB'), ('AR-BA-ROS')) AS v(st)`,
    },
  );
  objects.push({ type: 'TABLE', dataset: 'models_v4', table: 'vertex_ai_training_1m_base', sql: `${trainingSelect(businessDays('2025-01-02', '2025-12-31', 60))}` });
  objects.push(
    {
      type: 'TABLE',
      dataset: 'forecasting_data_warehouse',
      table: 'soybean_oil_prices',
      sql: pricesSelect('ZL', 48, '2015-01-02', '2025-11-13', 20),
      partitioning: 'DAY(date)',
      description: 'Daily soybean oil futures settles (Barchart)',
      labels: { source: 'barchart' },
      columns: { volume: { description: 'Contracts traded', policyTags: [SAMPLE_POLICY_TAG] } },
    },
    { type: 'TABLE', dataset: 'forecasting_data_warehouse', table: 'palm_oil_prices', sql: pricesSelect('FCPO', 900, '2015-01-02', '2025-11-13', 22) },
    { type: 'TABLE', dataset: 'forecasting_data_warehouse', table: 'corn_prices', sql: pricesSelect('ZC', 4.6, '2015-01-02', '2025-11-13', 24) },
    {
      type: 'TABLE',
      dataset: 'forecasting_data_warehouse',
      table: 'economic_indicators',
      sql: `SELECT date, ind AS indicator, round(100 + 10 * sin(i / 30.0) + 3 * ${noise('i', 26)}, 3) AS value
        FROM ${businessDays('2024-01-01', '2025-11-13')}, (VALUES ('cpi'), ('fed_funds'), ('usd_index')) AS v(ind)`,
    },
    {
      type: 'TABLE',
      dataset: 'forecasting_data_warehouse',
      table: 'news_sentiment_staging',
      sql: `SELECT CAST(NULL AS DATE) AS date, CAST(NULL AS VARCHAR) AS headline, CAST(NULL AS DOUBLE) AS score WHERE false`,
    },
    {
      type: 'VIEW',
      dataset: 'forecasting_data_warehouse',
      table: 'vw_soybean_oil_latest',
      sql: `SELECT * FROM "forecasting_data_warehouse"."soybean_oil_prices" WHERE date >= DATE '2025-01-01'`,
    },
    // The same table name in a second dataset: what the inventory's duplicate report is for.
    { type: 'TABLE', dataset: 'models_v5', table: 'soybean_oil_prices', sql: pricesSelect('ZL', 48, '2024-01-02', '2024-12-31', 20) },
  );
  return objects;
}

/** (Re)creates the sample objects; other objects in the warehouse are left alone. */
export async function seedSampleWarehouse(wh: LocalWarehouse, location?: string): Promise<{ dataset: string; table: string; type: string; rows: number | null }[]> {
  for (const [dataset, description] of Object.entries(SAMPLE_DATASETS)) {
    await wh.createDataset({ dataset, description, location: location ?? wh.options.location ?? 'US' });
  }
  const out: { dataset: string; table: string; type: string; rows: number | null }[] = [];
  const objects = sampleObjects();
  // Views first on the way down (they depend on tables), tables first on the way up.
  for (const o of [...objects].reverse()) await wh.dropTable(o, { ifExists: true });
  for (const o of objects) {
    const name = duckDbDialect.table(o);
    await wh.query(o.type === 'VIEW' ? `CREATE VIEW ${name} AS ${o.sql}` : `CREATE TABLE ${name} AS ${o.sql}`);
    if (o.partitioning || o.clustering || o.description || o.labels || o.columns) {
      await wh.setTableOptions(o, { partitioning: o.partitioning, clustering: o.clustering, description: o.description, labels: o.labels, columns: o.columns });
    }
    const rows = o.type === 'TABLE' ? Number((await wh.query(`SELECT count(*) AS n FROM ${name}`)).rows[0]!.n) : null;
    out.push({ dataset: o.dataset, table: o.table, type: o.type, rows });
  }
  return out;
}
