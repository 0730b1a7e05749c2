/**
 * A generated corpus for legacy-column: SQL files, Python modules (SQL in f-strings, pandas frames) and
 * TypeScript services, in the shapes feature pipelines take — CTE chains, joins with tables that share
 * column names, subqueries, USING, EXCEPT/REPLACE, aliases named like legacy columns, string literals
 * and comments that spell them. Every piece is composed with its truth: `«col»` a reference the fix
 * must rename, `‹col›` one the scopes cannot settle (possible, no fix), `⟪col⟫` a decoy that spells a
 * legacy column but is not a reference to it. It imports nothing from src/.
 */
import { mulberry32 } from './corpus';

export const COLUMN_CORPUS_MANIFEST = `{
  "project": "cbi-v14",
  "datasets": { "features": { "description": "f" }, "training": { "description": "t" }, "raw": { "description": "r" } },
  "legacyDatasets": { "models_v4": { "description": "old" } },
  "variables": { "horizon": ["1w", "1m", "3m", "6m", "12m"] },
  "mappings": [
    { "from": "models_v4.production_training_data_{horizon}", "to": "training.zl_training_prod_allhistory_{horizon}", "status": "migrated" },
    { "kind": "column", "table": "features.master_features_daily", "from": ["sentiment_avg", "avg_sentiment", "sentiment_mean_1d"], "to": "sentiment_score_mean", "combine": "coalesce", "status": "migrated" },
    { "kind": "column", "table": "features.master_features_daily", "from": "news_sentiment_score_v2", "to": "sentiment_news_score", "status": "migrated" },
    { "kind": "column", "table": "features.weather_daily", "from": ["temp_max_c", "temp_min_c"], "to": "temp_mid_c", "combine": "sql", "expression": "(temp_max_c + temp_min_c) / 2", "status": "migrated" },
    { "kind": "column", "table": "models_v4.production_training_data_{horizon}", "from": ["px_close", "close_px"], "to": "zl_price_close", "combine": "coalesce", "status": "migrated" }
  ]
}`;

interface MappedTable {
  /** How the corpus names it (a template for the production family). */
  names: string[];
  legacy: string[];
  /** Columns it has that no mapping touches. */
  plain: string[];
}

const FEATURES: MappedTable = { names: ['features.master_features_daily', '`cbi-v14.features.master_features_daily`', '`cbi-v14`.features.master_features_daily'], legacy: ['sentiment_avg', 'avg_sentiment', 'sentiment_mean_1d', 'news_sentiment_score_v2'], plain: ['date', 'symbol', 'volume', 'rsi_14'] };
const WEATHER: MappedTable = { names: ['features.weather_daily', '`cbi-v14.features.weather_daily`'], legacy: ['temp_max_c', 'temp_min_c'], plain: ['date', 'station_id', 'precip_mm'] };
const PRODUCTION: MappedTable = { names: ['models_v4.production_training_data_@H@', 'training.zl_training_prod_allhistory_@H@', '`cbi-v14.models_v4.production_training_data_@H@`'], legacy: ['px_close', 'close_px'], plain: ['date', 'target_1w', 'zl_volume'] };
const MAPPED = [FEATURES, WEATHER, PRODUCTION];
/** Tables without column mappings whose columns share the legacy names. */
const UNMAPPED = ['raw.sentiment_feed', 'raw.weather_stations', 'features.other_signals'];
const HORIZONS = ['1w', '1m', '3m', '6m', '12m'];

export interface ColumnCorpusFile {
  rel: string;
  /** Marked text: «rename», ‹possible›, ⟪decoy⟫. */
  marked: string;
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

function tableName(r: Rand, t: MappedTable): string {
  return pick(r, t.names).replace('@H@', pick(r, HORIZONS));
}

/** One SELECT of one of the shapes, returned marked. */
function query(r: Rand): string {
  const t = pick(r, MAPPED);
  const name = tableName(r, t);
  const col = () => pick(r, t.legacy);
  const plain = () => pick(r, t.plain);
  const other = pick(r, UNMAPPED);
  switch (Math.floor(r() * 12)) {
    case 0:
      return `SELECT ${plain()}, «${col()}», «${col()}» AS feature_a\nFROM ${name}\nWHERE «${col()}» IS NOT NULL AND ${plain()} > 0\nORDER BY ${plain()}`;
    case 1:
      return `SELECT f.${plain()}, f.«${col()}», o.⟪${col()}⟫ AS other_value\nFROM ${name} AS f\nJOIN ${other} AS o ON o.${plain()} = f.${plain()}\nWHERE f.«${col()}» > o.⟪${col()}⟫`;
    case 2: {
      const c = col();
      return `WITH base AS (\n  SELECT ${plain()}, «${c}», «${col()}» AS renamed_feature\n  FROM ${name}\n  WHERE «${col()}» BETWEEN -1 AND 1\n)\nSELECT b.${plain()}, b.«${c}», renamed_feature\nFROM base AS b\nORDER BY b.«${c}» DESC`;
    }
    case 3:
      return `SELECT ${plain()}, AVG(«${col()}») AS mean_value, COUNT(*) AS n\nFROM ${name}\nGROUP BY ${plain()}\nHAVING AVG(«${col()}») > 0\nQUALIFY ROW_NUMBER() OVER (PARTITION BY ${plain()} ORDER BY AVG(«${col()}») DESC) = 1`;
    case 4:
      return `SELECT s.${plain()}, s.«${col()}»\nFROM (\n  SELECT * FROM ${name} WHERE «${col()}» IS NOT NULL\n) AS s`;
    case 5:
      return `SELECT * EXCEPT («${col()}»)\nFROM ${name}\nWHERE ${plain()} IN (SELECT ${plain()} FROM ${other} WHERE ‹${col()}› > 0)`;
    case 6:
      return `SELECT * REPLACE (ROUND(«${col()}», 4) AS «${col()}»)\nFROM ${name}`;
    case 7:
      // Two candidate tables that both may hold the column: only a possible reference.
    {
      const c = col();
      return `SELECT ‹${c}›\nFROM ${name} AS a, (SELECT 1 AS ⟪${c}⟫) AS d`;
    }
    case 8:
      return `SELECT x.${plain()}, x.⟪${col()}⟫\nFROM ${other} AS x\n-- ${col()} is read from the feed here, not from the feature table\nWHERE x.⟪${col()}⟫ != 'sentiment_avg'`.replace(/-- (\w+) is/, (_m, c: string) => `-- ⟪${c}⟫ is`).replace("!= 'sentiment_avg'", "!= '⟪sentiment_avg⟫'");
    case 9:
      return `SELECT «${col()}» * 2 AS ⟪${col()}⟫\nFROM ${name}\nORDER BY 1`;
    case 10:
      return `SELECT a.${plain()}\nFROM ${name} AS a\nJOIN ${name} AS b USING (${plain()})\nWHERE a.«${col()}» > b.«${col()}»`;
    default:
      return `SELECT ${plain()}\nFROM ${name}\nWHERE EXISTS (SELECT 1 FROM ${other} AS o WHERE o.⟪${col()}⟫ = 1)`;
  }
}

/** A Python module: SQL in an f-string, then pandas on the frame, and a helper whose frame comes from elsewhere. */
function pythonModule(r: Rand): string {
  const t = pick(r, MAPPED);
  const c1 = pick(r, t.legacy);
  const c2 = pick(r, t.legacy);
  const name = t === PRODUCTION ? t.names[0]!.replace('@H@', '{horizon}') : tableName(r, t);
  const plain = pick(r, t.plain);
  return `"""Loads ${name.replace(/`/g, '')} for the nightly job."""
import pandas as pd
from google.cloud import bigquery


def load(client: bigquery.Client, horizon: str, limit: int = 1000) -> pd.DataFrame:
    sql = f"""
        SELECT ${plain}, «${c1}», «${c2}»
        FROM ${name}
        WHERE «${c1}» IS NOT NULL
        LIMIT {limit}
    """
    df = client.query(sql).to_dataframe()
    df = df.dropna()
    df["score"] = df["«${c1}»"] * 2 + df.«${c2}»
    summary = df.groupby("${plain}")["«${c1}»"].mean()
    return df[["${plain}", "«${c2}»"]].sort_values(by="«${c1}»")


def describe(frame: pd.DataFrame) -> dict:
    # ⟪${c1}⟫ arrives from callers' frames too
    return {"mean": frame["‹${c1}›"].mean(), "label": "⟪${c2}⟫"}
`;
}

function typescriptService(r: Rand): string {
  const t = pick(r, MAPPED);
  const c = pick(r, t.legacy);
  // A backtick would close the template literal: TypeScript services name tables unquoted.
  const name = tableName(r, t).replace(/`/g, '');
  const plain = pick(r, t.plain);
  return `import { BigQuery } from '@google-cloud/bigquery';

const client = new BigQuery();

export async function latest(limit: number) {
  const query = \`
    SELECT ${plain}, t.«${c}»
    FROM ${name} AS t
    WHERE t.«${c}» IS NOT NULL
    ORDER BY ${plain} DESC
    LIMIT \${limit}\`;
  const [rows] = await client.query({ query });
  // the ⟪${c}⟫ field is shown as is
  return rows.map((row: Record<string, unknown>) => ({ value: row['⟪${c}⟫'] }));
}
`;
}

/** `count` copies of each shape, seeded: the same corpus on every machine. */
export function buildColumnCorpus(count: number, seed = 17): ColumnCorpusFile[] {
  const r = mulberry32(seed);
  const files: ColumnCorpusFile[] = [];
  for (let n = 0; n < count; n++) {
    const statements = Array.from({ length: 6 }, () => query(r));
    files.push({ rel: `sql/features_${n}.sql`, marked: `-- Feature queries, batch ${n}\n${statements.join(';\n\n')};\n` });
    files.push({ rel: `python/load_${n}.py`, marked: pythonModule(r) });
    files.push({ rel: `ts/service-${n}.ts`, marked: typescriptService(r) });
  }
  return files;
}

export interface Marks {
  text: string;
  renames: [number, number][];
  possible: [number, number][];
  decoys: [number, number][];
  /** The text as the fix must leave it. */
  fixed: string;
}

const CANONICAL: Record<string, string> = {
  sentiment_avg: 'sentiment_score_mean',
  avg_sentiment: 'sentiment_score_mean',
  sentiment_mean_1d: 'sentiment_score_mean',
  news_sentiment_score_v2: 'sentiment_news_score',
  temp_max_c: 'temp_mid_c',
  temp_min_c: 'temp_mid_c',
  px_close: 'zl_price_close',
  close_px: 'zl_price_close',
};

export function readMarks(marked: string): Marks {
  const out: Marks = { text: '', renames: [], possible: [], decoys: [], fixed: '' };
  let last = 0;
  for (const m of marked.matchAll(/«([^»]*)»|‹([^›]*)›|⟪([^⟫]*)⟫/g)) {
    const between = marked.slice(last, m.index);
    out.text += between;
    out.fixed += between;
    const word = m[1] ?? m[2] ?? m[3]!;
    const span: [number, number] = [out.text.length, out.text.length + word.length];
    if (m[1] !== undefined) out.renames.push(span);
    else if (m[2] !== undefined) out.possible.push(span);
    else out.decoys.push(span);
    out.text += word;
    out.fixed += m[1] !== undefined ? CANONICAL[word] ?? word : word;
    last = m.index! + m[0].length;
  }
  out.text += marked.slice(last);
  out.fixed += marked.slice(last);
  return out;
}

/** The independent finder: every whole word that spells a legacy column (no parsing, no scopes). */
export function naiveColumnWords(text: string): [number, number][] {
  const out: [number, number][] = [];
  for (const m of text.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) if (CANONICAL[m[0]] !== undefined) out.push([m.index!, m.index! + m[0].length]);
  return out;
}
