import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../../src/core/fix/apply';
import { createLinter } from '../../../src/core/lint/linter';
import { columnsManifest, markFindings, unmark } from './marked';

const loaded = columnsManifest();
/** Checks that exactly the marked words are found, each as marked. */
const check = (marked: string, file = 'q.sql') => {
  const { text } = unmark(marked);
  assert.equal(markFindings(loaded, text, file), marked);
};

test('qualified and unqualified columns of the one table in FROM, in every clause', () => {
  check(`SELECT f.«sentiment_avg», «news_sentiment_score_v2», date
FROM features.master_features_daily AS f
WHERE «avg_sentiment» > 0 AND f.«sentiment_mean_1d» IS NOT NULL
GROUP BY 1, «news_sentiment_score_v2»
HAVING COUNT(*) > 1
QUALIFY ROW_NUMBER() OVER (PARTITION BY «news_sentiment_score_v2» ORDER BY f.«sentiment_avg» DESC) = 1
ORDER BY «news_sentiment_score_v2»`);
});

test('backticked names keep their backticks; the project-qualified table resolves too', () => {
  check('SELECT `«sentiment_avg»`, t.`«avg_sentiment»` FROM `cbi-v14.features.master_features_daily` t');
  const { text } = unmark('SELECT `«sentiment_avg»` FROM `cbi-v14.features.master_features_daily`');
  const linted = createLinter(loaded).lintText(text, 'q.sql');
  const edits = linted.violations.flatMap((v) => v.fix?.edits ?? []);
  assert.equal(applyEdits(text, edits).text, 'SELECT `sentiment_score_mean` FROM `cbi-v14.features.master_features_daily`');
});

test('another table\'s column of the same name is left alone; two candidate tables make a possible reference', () => {
  check(`SELECT x.sentiment_avg, m.«avg_sentiment» FROM features.master_features_daily m JOIN features.other x ON m.date = x.date`);
  check(`SELECT sentiment_avg FROM features.other`);
  // BigQuery refuses an ambiguous unqualified column, so the one mapped table in scope is the only reading.
  check(`SELECT «sentiment_avg» FROM features.master_features_daily m JOIN features.other x ON m.date = x.date`);
  // Known to exist in a derived table too: either could be meant.
  check(`SELECT ‹sentiment_avg› FROM features.master_features_daily m, (SELECT 1 AS sentiment_avg) d`);
  // Two mapped tables in a self-join: unqualified is ambiguous.
  check(`SELECT ‹sentiment_avg›, a.«sentiment_avg» FROM features.master_features_daily a JOIN features.master_features_daily b ON a.date = b.date`);
});

test('CTEs and subqueries resolve through their scopes; a column passed through unaliased is renamed where it is read', () => {
  check(`WITH base AS (
  SELECT date, «sentiment_avg», «news_sentiment_score_v2» AS news FROM features.master_features_daily
), other AS (SELECT sentiment_avg FROM features.unrelated)
SELECT b.«sentiment_avg», news, o.sentiment_avg
FROM base b JOIN other o USING (date)
WHERE b.«sentiment_avg» IN (SELECT «avg_sentiment» FROM features.master_features_daily)
ORDER BY b.«sentiment_avg»`);
  check(`SELECT s.«sentiment_avg», s.news FROM (SELECT * FROM features.master_features_daily) s`);
  check(`SELECT d.news FROM (SELECT «news_sentiment_score_v2» AS news FROM features.master_features_daily) d WHERE d.news > 0`);
  // A correlated subquery reads the outer table's column when its own tables are fully known.
  check(`SELECT date FROM features.master_features_daily m WHERE EXISTS (SELECT 1 FROM UNNEST([1]) x WHERE x > m.«sentiment_avg»)`);
});

test('JOIN … USING renames only when every side maps the column the same way; EXCEPT and REPLACE name the star\'s columns', () => {
  check(`SELECT * FROM features.master_features_daily a JOIN features.master_features_daily b USING («sentiment_avg»)`);
  check(`SELECT * FROM features.master_features_daily a JOIN features.other b USING (‹sentiment_avg›)`);
  check(`SELECT * EXCEPT («sentiment_avg», date) FROM features.master_features_daily`);
  check(`SELECT * REPLACE (ROUND(«avg_sentiment», 2) AS «avg_sentiment») FROM features.master_features_daily`);
  check(`SELECT t.* EXCEPT («news_sentiment_score_v2») FROM features.master_features_daily t`);
});

test('a select-list alias of the same name in ORDER BY is only a possible reference; aliases and struct fields are not columns', () => {
  check(`SELECT «avg_sentiment» * 2 AS sentiment_avg FROM features.master_features_daily ORDER BY ‹sentiment_avg›`);
  check(`SELECT s.sentiment_avg FROM features.master_features_daily t, UNNEST(t.structs) s`);
  check(`SELECT STRUCT(«sentiment_avg» AS avg_sentiment) AS s FROM features.master_features_daily`);
});

test('two sources of one consolidation in one SELECT list: both flagged, the fix unsafe', () => {
  const text = 'SELECT sentiment_avg, avg_sentiment FROM features.master_features_daily';
  const v = createLinter(loaded).lintText(text, 'q.sql').violations.filter((x) => x.ruleId === 'legacy-column');
  assert.deepEqual(v.map((x) => x.fix?.safety), ['unsafe', 'unsafe']);
  assert.match(v[0]!.message, /would then have sentiment_score_mean twice/);
});

test('a templated table and a table followed to its new name; INSERT, UPDATE and DELETE', () => {
  check(`SELECT «px_close» FROM models_v4.production_training_data_1m`);
  check(`SELECT t.«px_close» FROM training.zl_training_prod_allhistory_3m t`);
  check(`SELECT px_close FROM training.zl_training_prod_allhistory_6m`);
  check(`INSERT INTO features.weather_daily (date, «temp_max_c») SELECT date, t FROM features.staging;
UPDATE features.weather_daily SET «temp_min_c» = 0 WHERE «temp_max_c» IS NULL;
DELETE FROM features.weather_daily WHERE «temp_min_c» < -90`);
});

test('a statement the parser refuses is read word by word as possible references; the next statement is still resolved', () => {
  check(`SELECT * EXCEPT (‹sentiment_avg›) REPLACE (1 AS ‹avg_sentiment›) FROM features.master_features_daily;
SELECT «sentiment_avg» FROM features.master_features_daily`);
});

test('SQL in Python strings (f-strings with placeholders) and in TypeScript template literals', () => {
  check(`def load(client, h):
    sql = f"""SELECT date, «px_close» FROM models_v4.production_training_data_{h} WHERE «px_close» > {threshold}"""
    rows = client.query("SELECT «temp_max_c» FROM features.weather_daily").result()
    note = "px_close is a column"
`, 'load.py');
  check('const q = `SELECT w.«temp_min_c» FROM features.weather_daily w WHERE w.day = ${day}`;\nconst px_close = 1;\n', 'load.ts');
});

test('pandas: frames loaded from the table in the same function are fixed (info); other frames are possible references', () => {
  const marked = `import pandas as pd

def features(client):
    df = client.query("SELECT date, «sentiment_avg» FROM features.master_features_daily").to_dataframe()
    clean = df.dropna()
    clean["«sentiment_avg»"].mean()
    top = df[["date", "«sentiment_avg»"]].sort_values(by=["«sentiment_avg»"])
    return clean.«sentiment_avg», df.groupby("«sentiment_avg»").size(), df.rename(columns={"«sentiment_avg»": "s"})

def elsewhere(frame):
    return frame["‹sentiment_avg›"], frame["date"], {"sentiment_avg": 1}
`;
  check(marked, 'features.py');
  const { text } = unmark(marked);
  const v = createLinter(loaded).lintText(text, 'features.py').violations.filter((x) => x.ruleId === 'legacy-column');
  const pandas = v.filter((x) => text[x.range.start - 1] === '"' || text[x.range.start - 1] === '.');
  assert.ok(pandas.length >= 6);
  assert.ok(pandas.every((x) => x.severity === 'info'), 'pandas findings are info');
  assert.equal(v.find((x) => text.slice(x.range.start - 7, x.range.start) === 'SELECT ' || text.slice(x.range.start - 6, x.range.start) === 'date, ')?.severity, 'warning', 'SQL findings keep the rule\'s severity');
});

test('a manifest without column mappings finds nothing and costs no parse; the rule can be turned off', () => {
  const text = 'SELECT sentiment_avg FROM features.master_features_daily';
  const off = createLinter(loaded, { rules: { 'legacy-column': 'off' } }).lintText(text, 'q.sql');
  assert.equal(off.violations.filter((v) => v.ruleId === 'legacy-column').length, 0);
});

test('MERGE is not resolved through its scopes: its mapped words are possible references, never silent; the statements around it still resolve', () => {
  check(`MERGE features.master_features_daily T USING features.staging S ON T.date = S.date
WHEN MATCHED THEN UPDATE SET ‹sentiment_avg› = S.x
WHEN NOT MATCHED THEN INSERT (date, ‹avg_sentiment›) VALUES (S.date, S.y);
SELECT «sentiment_avg» FROM features.master_features_daily`);
  const { text } = unmark(`MERGE features.master_features_daily T USING features.staging S ON T.date = S.date WHEN MATCHED THEN UPDATE SET sentiment_avg = S.x`);
  const found = createLinter(loaded).lintText(text, 'q.sql').violations.filter((v) => v.ruleId === 'legacy-column');
  assert.equal(found.length, 1);
  assert.equal(found[0]!.severity, 'info');
  assert.equal(found[0]!.fix, undefined, 'no fix where the scope is not resolved');
  assert.match(found[0]!.message, /possible reference .*MERGE statements are not resolved/);
});
