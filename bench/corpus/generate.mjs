// Seeded synthetic corpus for the lint benchmark: mixed SQL / Python / TypeScript / Markdown modelled on
// the CBI-V14 warehouse rebuild, with table references in every form the scanner knows, plus a
// bqmigrate.json. Written to bench/.corpus/ and regenerated when missing or when GENERATOR_VERSION changes.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const GENERATOR_VERSION = 5;
const SEED = 20251114;

const HORIZONS = ['1w', '1m', '3m', '6m', '12m'];
const REGIME_TABLES = ['trump_rich_2023_2025', 'crisis_2008_historical', 'pre_crisis_2000_2007_historical', 'recovery_2010_2016_historical', 'trade_war_2017_2019_historical'];
const FDW_TABLES = ['soybean_oil_prices', 'weather_data', 'corn_prices', 'palm_oil_prices', 'cftc_cot', 'usda_wasde', 'fx_rates_daily', 'news_sentiment'];
const NEW_TABLES = ['zl_training_prod_allhistory_1m', 'zl_training_full_allhistory_3m', 'regime_calendar', 'regime_weights'];

/** The concrete legacy `dataset.table` names the manifest maps (what ripgrep is asked to find). */
export function legacyNames() {
  return [
    ...HORIZONS.map((h) => `models_v4.production_training_data_${h}`),
    ...REGIME_TABLES.map((t) => `models_v4.${t}`),
    'models_v4.training_dataset_super_enriched',
    'models_v4.predictions_latest',
    ...FDW_TABLES.map((t) => `forecasting_data_warehouse.${t}`),
  ];
}

function manifest() {
  return {
    project: 'cbi-v14',
    location: 'US',
    datasets: Object.fromEntries(['archive', 'raw_intelligence', 'features', 'training', 'predictions', 'monitoring'].map((d) => [d, { description: `${d} dataset` }])),
    legacyDatasets: {
      models_v4: { description: 'Legacy training tables; shims live here during the grace period' },
      forecasting_data_warehouse: { description: 'Legacy raw price and weather tables' },
    },
    variables: { horizon: HORIZONS },
    mappings: [
      { from: 'models_v4.production_training_data_{horizon}', to: 'training.zl_training_prod_allhistory_{horizon}', status: 'shimmed', shimmedOn: '2025-11-14' },
      ...REGIME_TABLES.map((t, k) => ({ from: `models_v4.${t}`, to: `training.zl_training_full_${['trump_2023_2025', 'crisis_2008', 'pre_crisis_2000_2007', 'recovery_2010_2016', 'trade_war_2017_2019'][k]}_1m`, status: 'migrated' })),
      { from: 'models_v4.training_dataset_super_enriched', to: 'features.master_features_daily', status: 'migrated' },
      { from: 'models_v4.predictions_latest', to: 'predictions.zl_forecasts_daily', status: 'migrated' },
      { from: 'forecasting_data_warehouse.{table}', to: 'raw_intelligence.fdw_{table}', status: 'planned' },
    ],
  };
}

/** A small seeded generator (mulberry32): the same corpus on every machine. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The data team's line makers over a seeded generator: for each kind (`sql`, `python`, `ts`, `docs`) a line that
 * holds references (every form the scanner knows) and a filler line without any. Shared with real.mjs.
 */
export function dataTeamLines(rnd) {
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const h = () => pick(HORIZONS);
  const legacy = () => (rnd() < 0.5 ? `models_v4.production_training_data_${h()}` : rnd() < 0.5 ? `models_v4.${pick(REGIME_TABLES)}` : `forecasting_data_warehouse.${pick(FDW_TABLES)}`);
  const col = () => pick(['date', 'zl_price_current', 'target_1m', 'vix_close', 'rin_d4', 'corn_close', 'market_regime', 'training_weight']) + (rnd() < 0.3 ? `_${Math.floor(rnd() * 300)}` : '');

  const sqlRef = () => {
    const [ds, t] = legacy().split('.');
    switch (Math.floor(rnd() * 12)) {
      case 0: return `${ds}.${t}`;
      case 1: return `\`cbi-v14.${ds}.${t}\``;
      case 2: return `\`cbi-v14\`.\`${ds}\`.\`${t}\``;
      case 3: return `\`cbi-v14.${ds}\`.${t}`;
      case 4: return `[cbi-v14:${ds}.${t}]`;
      case 5: return `${ds}.${t}$2023${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}01`;
      case 6: return '`models_v4.production_training_data_*`';
      case 7: return `${ds}.INFORMATION_SCHEMA.COLUMNS`;
      case 8: return `\`cbi-v14.${ds}.__TABLES__\``;
      case 9: return `training.${pick(NEW_TABLES)}`;
      case 10: return `staging_tmp.scratch_${Math.floor(rnd() * 50)}`;
      default: return `\`cbi-v14.features.master_features_daily\``;
    }
  };
  const sqlLine = () => {
    switch (Math.floor(rnd() * 14)) {
      case 0: return `CREATE OR REPLACE TABLE \`cbi-v14.training.${pick(NEW_TABLES)}\` AS`;
      case 1: return `SELECT t.${col()}, t.${col()}, f.${col()} AS ${col()}`;
      case 2: return `FROM ${sqlRef()} AS t`;
      case 3: return `LEFT JOIN ${sqlRef()} f ON f.date = t.date`;
      case 4: return `WHERE t.date BETWEEN '2020-01-01' AND "2025-11-14" AND t.${col()} IS NOT NULL`;
      case 5: return `-- source: ${legacy()} (see docs/migrations/20251114_NAMING_ARCHITECTURE_MIGRATION.md)`;
      case 6: return `  , SAFE_DIVIDE(t.${col()}, NULLIF(t.${col()}, 0)) AS ratio_${Math.floor(rnd() * 99)}`;
      case 7: return `/* ${pick(['dedup by source precedence', 'Big-8 signals', 'regime weights', 'backfill from archive'])} */`;
      case 8: return `UNION ALL SELECT * FROM ${sqlRef()}`;
      case 9: return `  AND ${col()} > ${(rnd() * 100).toFixed(2)} # tolerance`;
      case 10: return `GROUP BY 1, 2 ORDER BY date DESC LIMIT ${Math.floor(rnd() * 1000)};`;
      case 11: return `SELECT table_name, row_count FROM ${sqlRef()} WHERE table_name LIKE 'production_%'`;
      case 12: return `INSERT INTO monitoring.dedup_conflicts (date, source) SELECT date, 'fdw' FROM ${sqlRef()};`;
      default: return '';
    }
  };
  const pyLine = () => {
    const [ds, t] = legacy().split('.');
    switch (Math.floor(rnd() * 14)) {
      case 0: return `    table = f"{PROJECT_ID}.${ds}.${t.replace(/_(1w|1m|3m|6m|12m)$/, '_{h}')}"`;
      case 1: return `    query = f"""SELECT * FROM \`{PROJECT_ID}.${ds}.${t}\` WHERE date > '{start}'"""`;
      case 2: return `    sql = "SELECT ${col()} FROM {project}.${ds}.${t}".format(project=PROJECT_ID)`;
      case 3: return `    sql = "DELETE FROM %(project)s.${ds}.${t} WHERE date < %(cutoff)s" % params`;
      case 4: return `    subprocess.run(["bq", "cp", "cbi-v14:${ds}.${t}", "cbi-v14:archive.legacy_20251114__${ds}__${t}"], check=True)`;
      case 5: return `    # TODO: move off ${ds}.${t} after the grace period`;
      case 6: return `    df = client.query(sql).to_dataframe()  # rows: ${Math.floor(rnd() * 2000)}`;
      case 7: return `    path = os.path.join(DATA_DIR, f"production_training_data_{h}.parquet")`;
      case 8: return `    model.fit(X_train[cols], y_train, sample_weight=w.${col()})`;
      case 9: return `def train_${col()}(h: str = "${h()}") -> None:`;
      case 10: return `    """Train on ${legacy()} and write Models/local/horizon_{h}/prod/."""`;
      case 11: return `    logger.info("loaded %s rows from %s", len(df), 'training.${pick(NEW_TABLES)}')`;
      case 12: return `    x = np.mean(arr) / max(1, len(arr)) if arr else 0.0`;
      default: return '';
    }
  };
  const tsLine = () => {
    const [ds, t] = legacy().split('.');
    switch (Math.floor(rnd() * 12)) {
      case 0: return `  const table = \`\${project}.${ds}.${t.replace(/_(1w|1m|3m|6m|12m)$/, '_${horizon}')}\`;`;
      case 1: return `  const sql = \`SELECT ${col()} FROM \\\`\${PROJECT}.${ds}.${t}\\\` WHERE date >= @start\`;`;
      case 2: return `  const legacy = '${ds}.${t}'; // shimmed until 2025-12-14`;
      case 3: return `  /* reads ${legacy()} */ const rows = await bq.query({ query: sql, params });`;
      case 4: return `  const re = /production_training_data_(\\d+[wm])/g; const ratio = a / b / 2;`;
      case 5: return `  if (!rows.length) throw new Error(\`no rows in \${table}\`);`;
      case 6: return `  return rows.map((r) => ({ date: r.date, value: r.${col()} }));`;
      case 7: return `export async function load_${col()}(horizon: Horizon): Promise<Row[]> {`;
      case 8: return `  const x = "FROM training.${pick(NEW_TABLES)}";`;
      case 9: return '}';
      default: return '';
    }
  };
  const mdLine = () => {
    switch (Math.floor(rnd() * 12)) {
      case 0: return `- [ ] Migrate \`${legacy()}\` to \`training.${pick(NEW_TABLES)}\``;
      case 1: return `The shim view \`cbi-v14.${legacy()}\` points to the new table until the 30-day grace period ends.`;
      case 2: return '```sql';
      case 3: return `SELECT * FROM \`cbi-v14.${legacy()}\`;`;
      case 4: return '```';
      case 5: return `| ${legacy()} | training.${pick(NEW_TABLES)} | ${pick(['migrated', 'planned', 'shimmed'])} |`;
      case 6: return `Run \`bq show cbi-v14:${legacy()}\` to check the schema.`;
      case 7: return `## Phase ${Math.floor(rnd() * 9) + 1}: ${pick(['Inventory & Planning', 'Create New Datasets', 'Build Training Tables', 'Cleanup & Archive'])}`;
      case 8: return `Archived to \`archive.legacy_20251114__models_v4__*\`; see DATA_LINEAGE_MAP.md and config.json.`;
      default: return `Compare row counts (old vs new), verify date ranges and sample ${Math.floor(rnd() * 100)} rows.`;
    }
  };

  // Filler lines without references: real files mention a table every few lines, not on every line.
  const fillers = {
    sql: () => pick([`  , t.${col()} * ${(rnd() * 10).toFixed(3)} AS w_${col()}`, `  CASE WHEN t.${col()} > 0 THEN 'up' ELSE 'down' END AS dir_${Math.floor(rnd() * 50)},`, `  AND t.date >= DATE_SUB(CURRENT_DATE(), INTERVAL ${Math.floor(rnd() * 400)} DAY)`, `  , AVG(t.${col()}) OVER (ORDER BY t.date ROWS BETWEEN 20 PRECEDING AND CURRENT ROW) AS ma_20`]),
    python: () => pick([`    ${col()} = df["${col()}"].rolling(${Math.floor(rnd() * 60)}).mean()`, `    if len(df) < ${Math.floor(rnd() * 500)}:`, `        raise ValueError(f"not enough rows for {h}: {len(df)}")`, `    params = {"max_depth": ${Math.floor(rnd() * 12)}, "eta": ${(rnd() / 10).toFixed(3)}}`]),
    ts: () => pick([`  const ${col()} = rows.filter((r) => r.value > ${(rnd() * 10).toFixed(2)}).length;`, `  logger.debug('horizon %s: %d rows', horizon, rows.length);`, `  for (const r of rows) total += r.value / Math.max(1, r.count);`, `  return { ok: true, count: rows.length } as const;`]),
    docs: () => pick([`Verify that the row counts match before and after step ${Math.floor(rnd() * 20)}.`, `- [ ] Review schemas for consistency (${Math.floor(rnd() * 50)} columns)`, '', `The MAPE must not increase by more than 0.${Math.floor(rnd() * 9)}% during the shadow run.`]),
  };
  return { line: { sql: sqlLine, python: pyLine, ts: tsLine, docs: mdLine }, filler: fillers };
}

export function generateCorpus(dir, { totalBytes = 104 * 1024 * 1024, fileBytes = 48 * 1024 } = {}) {
  const rnd = mulberry32(SEED);
  const { line, filler: fillers } = dataTeamLines(rnd);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const kinds = [
    { sub: 'sql', ext: 'sql', share: 0.35, line: line.sql },
    { sub: 'python', ext: 'py', share: 0.3, line: line.python, header: 'import os\nimport subprocess\nimport numpy as np\nPROJECT_ID = "cbi-v14"\n\n' },
    { sub: 'ts', ext: 'ts', share: 0.2, line: line.ts, header: "import { BigQuery } from '@google-cloud/bigquery';\nconst project = 'cbi-v14';\n\n" },
    { sub: 'docs', ext: 'md', share: 0.15, line: line.docs, header: '# Migration notes\n\n' },
  ];
  let written = 0;
  let files = 0;
  for (const k of kinds) {
    const target = totalBytes * k.share;
    let bytes = 0;
    for (let f = 0; bytes < target; f++) {
      const folder = path.join(dir, k.sub, String(Math.floor(f / 100)).padStart(3, '0'));
      if (f % 100 === 0) mkdirSync(folder, { recursive: true });
      const lines = [k.header ?? ''];
      let size = lines[0].length;
      while (size < fileBytes) {
        const l = rnd() < 0.6 ? fillers[k.sub]() : k.line();
        lines.push(l);
        size += l.length + 1;
      }
      const text = lines.join('\n') + '\n';
      writeFileSync(path.join(folder, `${k.sub}_${f}.${k.ext}`), text);
      bytes += Buffer.byteLength(text);
      files++;
    }
    written += bytes;
  }
  const header = '// Generated by bench/corpus/generate.mjs, modelled on examples/cbi-warehouse and the seeds.\n';
  writeFileSync(path.join(dir, 'bqmigrate.json'), header + JSON.stringify(manifest(), null, 2) + '\n');
  writeFileSync(path.join(dir, 'VERSION'), JSON.stringify({ version: GENERATOR_VERSION, seed: SEED, bytes: written, files }));
  return { bytes: written, files };
}

/** A 10,000-line SQL file from the same generator (the single-file latency case). */
export function tenThousandLineSql() {
  const rnd = mulberry32(SEED + 1);
  const lines = [];
  const h = () => HORIZONS[Math.floor(rnd() * HORIZONS.length)];
  for (let i = 0; i < 10_000; i++) {
    switch (i % 12) {
      case 0: lines.push(`-- step ${i}: rebuild from models_v4.production_training_data_${h()}`); break;
      case 1: lines.push(`CREATE OR REPLACE TABLE \`cbi-v14.training.zl_training_prod_allhistory_${h()}\` AS`); break;
      case 2: lines.push(`SELECT t.date, t.zl_price_current, f.feature_${i % 300} AS f_${i}, 'note ${i}'`); break;
      case 3: lines.push(`FROM models_v4.production_training_data_${h()} AS t`); break;
      case 4: lines.push(`LEFT JOIN \`cbi-v14\`.\`forecasting_data_warehouse\`.\`soybean_oil_prices\` f ON f.date = t.date`); break;
      case 5: lines.push(`WHERE t.date BETWEEN '2020-01-01' AND '2025-11-14' /* window */`); break;
      case 6: lines.push(`  AND t.target_1m IS NOT NULL AND SAFE_DIVIDE(t.a, t.b) > 0.5`); break;
      case 7: lines.push(`UNION ALL SELECT * FROM \`cbi-v14.models_v4.${REGIME_TABLES[i % 5]}\` AS t`); break;
      case 8: lines.push(`  WHERE t.market_regime = 'trade_war' # regime filter`); break;
      case 9: lines.push(`;`); break;
      case 10: lines.push(`INSERT INTO monitoring.dedup_conflicts SELECT * FROM staging_tmp.conflicts_${i % 40};`); break;
      default: lines.push('');
    }
  }
  return lines.join('\n') + '\n';
}

/** The corpus directory, (re)generated when missing or from another generator version. */
export function ensureCorpus(dir, log = () => {}) {
  const info = ensureGenerated(dir, log);
  // A .git marker makes the corpus its own repository root, as a real workspace is: the repository's
  // .gitignore, which ignores bench/.corpus, does not apply inside it.
  mkdirSync(path.join(dir, '.git'), { recursive: true });
  return info;
}

function ensureGenerated(dir, log) {
  const stamp = path.join(dir, 'VERSION');
  if (existsSync(stamp)) {
    try {
      const v = JSON.parse(readFileSync(stamp, 'utf8'));
      if (v.version === GENERATOR_VERSION && v.seed === SEED) return v;
    } catch {
      // a broken stamp means a broken corpus: regenerate
    }
  }
  log(`generating the corpus in ${dir} (generator v${GENERATOR_VERSION}, seed ${SEED}) …`);
  return { version: GENERATOR_VERSION, seed: SEED, ...generateCorpus(dir) };
}
