/** Shared by the definitions tests: a migrated sample warehouse with views, functions and a scheduled query reading legacy tables. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runPhases } from '../../../src/core/phases/index';
import type { LocalWarehouse } from '../../../src/core/warehouse/local';
import type { Warehouse } from '../../../src/core/warehouse/types';
import { makeWorkspace, quiet, type Workspace } from '../phases/helpers';

/** The init manifest plus a `definitions` phase (repoint-definitions) after `targets`. */
export function withDefinitionsPhase(text: string): string {
  return text.replace('    { "id": "shims",', '    { "id": "definitions", "title": "Repoint views and routines", "steps": [{ "run": "repoint-definitions" }] },\n    { "id": "shims",');
}

/** Three views (one reads another), a SQL function and a table function, all reading legacy tables. */
export const LEGACY_DEFINITIONS = [
  "CREATE VIEW `cbi-v14.models_v4.v_base`\nOPTIONS (description = '1m rows since 2024', labels = [('team', 'forecasting')])\nAS\nSELECT date, zl_price_current, market_regime\nFROM `cbi-v14.models_v4.production_training_data_1m` -- the 1m training table\nWHERE date >= '2024-01-01'",
  'CREATE VIEW models_v4.v_regimes AS\nSELECT b.market_regime, COUNT(*) AS n, MAX(w.zl_price_current) AS max_1w\nFROM `cbi-v14.models_v4.v_base` AS b\nJOIN `cbi-v14.models_v4.production_training_data_1w` AS w USING (date)\nGROUP BY b.market_regime',
  'CREATE VIEW `cbi-v14`.models_v4.v_latest_3m AS SELECT date, zl_price_current FROM `cbi-v14.models_v4.production_training_data_3m` ORDER BY date DESC LIMIT 10',
  'CREATE FUNCTION `cbi-v14.models_v4.max_price_6m`() RETURNS FLOAT64 AS ((SELECT MAX(zl_price_current) FROM `cbi-v14.models_v4.production_training_data_6m`))',
  'CREATE TABLE FUNCTION models_v4.rows_since(d DATE) AS SELECT date, zl_price_current FROM `cbi-v14.models_v4.production_training_data_12m` WHERE date >= d',
];

export const VIEWS = ['v_base', 'v_regimes', 'v_latest_3m'];

export async function createLegacyDefinitions(wh: Warehouse): Promise<void> {
  for (const ddl of LEGACY_DEFINITIONS) await wh.query(ddl);
}

/** A scheduled query reading a legacy table into a legacy destination (local store; the fake server reads the same store). */
export async function createScheduledQueries(wh: LocalWarehouse): Promise<void> {
  await wh.putScheduledQuery({ name: 'projects/cbi-v14/locations/us/transferConfigs/6f1e2d3c', displayName: 'Daily 1m summary', schedule: 'every 24 hours', disabled: false, query: 'SELECT date, AVG(zl_price_current) AS avg_price\nFROM `cbi-v14.models_v4.production_training_data_1m`\nGROUP BY date', destinationDataset: 'models_v4', destinationTable: 'production_training_data_1m_summary', writeDisposition: 'WRITE_TRUNCATE', params: { partitioning_field: '' } });
  await wh.putScheduledQuery({ name: 'projects/cbi-v14/locations/us/transferConfigs/0a9b8c7d', displayName: 'Paused: weekly 1w export', schedule: 'every monday 09:00', disabled: true, query: 'SELECT * FROM `cbi-v14.models_v4.production_training_data_1w`', destinationDataset: 'models_v4', destinationTable: 'weekly_1w', writeDisposition: 'WRITE_APPEND', params: {} });
}

/** Every row of a view or table, sorted, as JSON: "the same rows". */
export async function rowsOf(wh: Warehouse, dataset: string, table: string): Promise<string> {
  const r = await wh.query(`SELECT * FROM ${wh.dialect.table({ dataset, table })}`);
  return JSON.stringify(r.rows.map((x) => JSON.stringify(x)).sort());
}

/** A seeded workspace migrated through datasets, archive and targets (mappings `migrated`), with the legacy definitions. */
export async function migratedWorkspace(): Promise<Workspace> {
  const ws = await makeWorkspace(withDefinitionsPhase);
  const wh = await ws.open();
  try {
    const r = await runPhases({ wh, loaded: ws.load(), phases: ['datasets', 'archive', 'targets'], yes: true, ...quiet });
    if (r.status !== 'ok') throw new Error(`setup failed: ${r.error}`);
    await createLegacyDefinitions(wh);
  } finally {
    await wh.close();
  }
  return ws;
}

/** Every file under dir, relative path → text. */
export function filesOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else out[r] = fs.readFileSync(path.join(dir, r), 'utf8');
    }
  };
  if (fs.existsSync(dir)) walk('');
  return out;
}
