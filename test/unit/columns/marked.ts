/**
 * Texts with their expected column findings marked inline: `«col»` a reference the fix renames,
 * `‹col›` a possible reference (info, no fix). Anything unmarked must not be flagged.
 */
import { createLinter } from '../../../src/core/lint/linter';
import { parseManifest, type LoadedManifest } from '../../../src/core/manifest/load';

export interface Expected {
  start: number;
  end: number;
  kind: 'rename' | 'possible';
}

export function unmark(marked: string): { text: string; expected: Expected[] } {
  const expected: Expected[] = [];
  let text = '';
  const re = /«([^»]*)»|‹([^›]*)›/g;
  let last = 0;
  for (const m of marked.matchAll(re)) {
    text += marked.slice(last, m.index);
    const word = m[1] ?? m[2]!;
    expected.push({ start: text.length, end: text.length + word.length, kind: m[1] !== undefined ? 'rename' : 'possible' });
    text += word;
    last = m.index! + m[0].length;
  }
  return { text: text + marked.slice(last), expected };
}

/** The column findings of `text` as the same marks, to compare with the input in one assertion. */
export function markFindings(loaded: LoadedManifest, text: string, file: string): string {
  const found = createLinter(loaded)
    .lintText(text, file)
    .violations.filter((v) => v.ruleId === 'legacy-column')
    .sort((a, b) => b.range.start - a.range.start);
  let out = text;
  for (const v of found) {
    const word = out.slice(v.range.start, v.range.end);
    const mark = v.fix ? `«${word}»` : `‹${word}›`;
    out = out.slice(0, v.range.start) + mark + out.slice(v.range.end);
  }
  return out;
}

/** The manifest the column tests share: two feature tables, the production family and its new name. */
export const COLUMNS_MANIFEST = `{
  "project": "cbi-v14",
  "datasets": { "features": { "description": "f" }, "training": { "description": "t" } },
  "legacyDatasets": { "models_v4": { "description": "old" } },
  "variables": { "horizon": ["1w", "1m", "3m"] },
  "mappings": [
    { "from": "models_v4.production_training_data_{horizon}", "to": "training.zl_training_prod_allhistory_{horizon}", "status": "migrated" },
    { "kind": "column", "table": "features.master_features_daily", "from": "news_sentiment_score_v2", "to": "sentiment_news_score", "status": "migrated" },
    { "kind": "column", "table": "features.master_features_daily", "from": ["sentiment_avg", "avg_sentiment", "sentiment_mean_1d"], "to": "sentiment_score_mean", "combine": "coalesce", "status": "migrated" },
    { "kind": "column", "table": "features.weather_daily", "from": ["temp_max_c", "temp_min_c"], "to": "temp_mid_c", "combine": "sql", "expression": "(temp_max_c + temp_min_c) / 2", "status": "shimmed" },
    { "kind": "column", "table": "models_v4.production_training_data_{horizon}", "from": "px_close", "to": "zl_price_close", "status": "migrated" }
  ]
}`;

export function columnsManifest(): LoadedManifest {
  const r = parseManifest(COLUMNS_MANIFEST, '/tmp/bqmigrate.json');
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.loaded;
}
