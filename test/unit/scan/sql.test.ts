import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanText } from '../../../src/core/scan/index';
import { opts, runCase, type Case } from './cases';

const cases: Case[] = [
  { name: 'dataset.table in FROM', input: 'SELECT * FROM «models_v4.production_training_data_1m»', expect: [{ form: 'bare', context: 'code', dataset: 'models_v4', table: 'production_training_data_1m' }] },
  { name: 'project.dataset.table bare with own project', input: 'SELECT 1 FROM «cbi_proj.other.t»', expect: [{ project: 'cbi_proj', dataset: 'other', table: 't' }] },
  { name: 'whole path in backticks', input: 'SELECT * FROM «`cbi-v14.models_v4.production_training_data_1m`» t', expect: [{ form: 'backtick', project: 'cbi-v14', dataset: 'models_v4', table: 'production_training_data_1m' }] },
  { name: 'each part in backticks', input: 'SELECT * FROM «`cbi-v14`.`models_v4`.`t_1m`»', expect: [{ form: 'backtick-parts', project: 'cbi-v14', dataset: 'models_v4', table: 't_1m' }] },
  { name: 'project.dataset quoted, table bare', input: 'SELECT * FROM «`cbi-v14.models_v4`.t_1m»', expect: [{ form: 'backtick-parts', project: 'cbi-v14', dataset: 'models_v4', table: 't_1m' }] },
  { name: 'legacy SQL brackets', input: 'SELECT * FROM «[cbi-v14:models_v4.t_1m]»', expect: [{ form: 'legacy-sql', project: 'cbi-v14', dataset: 'models_v4', table: 't_1m' }] },
  { name: 'partition decorator', input: 'SELECT * FROM «models_v4.t$20230101»', expect: [{ table: 't', decorator: '$20230101' }] },
  { name: 'decorator inside backticks', input: 'SELECT * FROM «`models_v4.t$20230101`»', expect: [{ form: 'backtick', table: 't', decorator: '$20230101' }] },
  { name: 'wildcard table', input: 'SELECT * FROM «`models_v4.production_training_data_*`» WHERE _TABLE_SUFFIX = "1m"', expect: [{ table: 'production_training_data_*', wildcard: true }] },
  { name: 'INFORMATION_SCHEMA of a dataset', input: 'SELECT * FROM «models_v4.INFORMATION_SCHEMA.TABLES»', expect: [{ dataset: 'models_v4', table: 'INFORMATION_SCHEMA.TABLES', meta: 'INFORMATION_SCHEMA' }] },
  { name: 'INFORMATION_SCHEMA with project, quoted', input: 'SELECT * FROM «`cbi-v14.models_v4.INFORMATION_SCHEMA.COLUMNS`»', expect: [{ project: 'cbi-v14', dataset: 'models_v4', table: 'INFORMATION_SCHEMA.COLUMNS', meta: 'INFORMATION_SCHEMA' }] },
  { name: 'region INFORMATION_SCHEMA is not a dataset', input: 'SELECT * FROM `region-us`.INFORMATION_SCHEMA.JOBS' },
  { name: '__TABLES__ meta-table', input: 'SELECT * FROM «models_v4.__TABLES__»', expect: [{ table: '__TABLES__', meta: '__TABLES__' }] },
  { name: 'unknown dataset in table position is found', input: 'SELECT * FROM «other_ds.t» JOIN «x.y» USING (id)' },
  { name: 'unknown dataset outside table position is not', input: 'SELECT other_ds.t, alias.column, t.x FROM «models_v4.t» AS t' },
  { name: 'known dataset anywhere in code', input: 'SELECT 1 WHERE id IN (SELECT id FROM «models_v4.a») AND «training.b» IS NULL' },
  { name: 'comma-separated FROM list with aliases', input: 'SELECT * FROM «a.b» AS x, «c.d» y, «e.f»\nWHERE g.h = 1' },
  { name: 'implicit UNNEST of an alias or table in a FROM list is not a table', input: 'SELECT * FROM «a.events» AS e, e.items, events.params; SELECT * FROM «x.y», «events.z»' },
  { name: 'CREATE OR REPLACE TEMP TABLE IF NOT EXISTS', input: 'CREATE OR REPLACE TEMP TABLE IF NOT EXISTS «stage.t1» AS SELECT 1' },
  { name: 'DROP VIEW IF EXISTS / TRUNCATE / DELETE / MERGE INTO / INSERT / UPDATE', input: 'DROP VIEW IF EXISTS «a.v»; TRUNCATE TABLE «a.t»; DELETE FROM «a.u» WHERE TRUE; MERGE INTO «a.m» T USING «a.s» S ON T.id = S.id; INSERT «a.i» (x) VALUES (1); UPDATE «a.p» SET x = 1' },
  { name: 'table position survives comments', input: 'SELECT * FROM -- the source\n  /* legacy */ «other.t»' },
  { name: 'a string ends table position', input: "SELECT 'FROM' , x.y FROM «a.b»" },
  { name: 'names are whole: no early stop, no start inside', input: 'SELECT * FROM «models_v4.x_1m_backup» JOIN foo.models_v4.t_1m.col ON TRUE' },
  { name: 'hyphen is minus in SQL code', input: 'SELECT x-other.t FROM «models_v4.t»' },
  { name: 'comments: known datasets only', input: '-- rebuilt from «models_v4.t1», see other.t2\n# «training.t3»\n/* «archive.legacy_20251114__models_v4__t» */ SELECT 1', expect: [{ context: 'comment' }, { context: 'comment' }, { context: 'comment' }] },
  { name: 'strings in SQL', input: `SELECT 'models_v4 alone', "x.y", '''multi\nline «models_v4.t»''', r"raw «training.r»", b'bytes' FROM «a.b»`, expect: [{ context: 'string' }, { context: 'string' }, { context: 'code' }] },
  { name: 'EXECUTE IMMEDIATE string in table position', input: 'EXECUTE IMMEDIATE "SELECT * FROM «other.t»"', expect: [{ context: 'string' }] },
  { name: 'routine calls of a known dataset are routine references; of an unknown one, nothing', input: 'SELECT «models_v4.my_udf»(x), SAFE.PARSE_DATE("%F", s) FROM «models_v4.t»; SELECT * FROM ML.PREDICT(MODEL «models_v4.m», TABLE «models_v4.t»)', expect: [{ routine: true }, { routine: undefined }, {}, {}] },
  { name: 'routine definitions', input: 'CREATE OR REPLACE FUNCTION «`cbi-v14.forecasting_data_warehouse.haversine_distance`»(a FLOAT64) AS (1); CREATE FUNCTION «models_v4.f» (x INT64) AS (x); CALL «models_v4.refresh»()', expect: [{ routine: true, project: 'cbi-v14' }, { routine: true }, { routine: true }] },
  { name: 'a column list after INSERT INTO / CREATE TABLE is not a call', input: 'INSERT INTO «a.i»(x, y) VALUES (1, 2); CREATE TABLE «models_v4.n» (x INT64)', expect: [{ routine: undefined }, { routine: undefined }] },
  { name: 'dataset wildcards: quoted or in table position; t.* in a select list expands columns', input: 'SELECT t.*, models_v4.* FROM «`cbi-v14.models_v4.*`» t JOIN «models_v4.*» u USING (d) -- «training.*»', expect: [{ wildcard: true, table: '*' }, { wildcard: true }, { context: 'comment' }] },
  { name: 'numbers are not paths', input: 'SELECT 1.5, 2.0e3 FROM «a.b» LIMIT 10' },
  { name: 'quoted path is always a reference in code', input: 'SELECT «`other.t`», «`p`.`d`.`t`», t.`col`, `t`.`col` FROM x' },
  { name: 'case-insensitive keywords and known datasets', input: 'select * from «Other.T»; SELECT * FROM «MODELS_V4.T»' },
  { name: 'unterminated backtick does not swallow the file', input: 'SELECT `broken FROM x\nSELECT * FROM «a.b»' },
  { name: 'CRLF', input: 'SELECT *\r\nFROM «a.b»\r\n-- «models_v4.c»\r\n' },
];

for (const c of cases) test(`sql: ${c.name}`, () => runCase('sql', c));

test('sql: part ranges are inside the quotes', () => {
  const text = 'SELECT * FROM `cbi-v14`.`models_v4`.`t_1m`';
  const [r] = scanText(text, 'sql', opts).refs;
  assert.ok(r);
  assert.deepEqual(r.project!.range, { start: 15, end: 22 });
  assert.deepEqual(r.dataset.range, { start: 25, end: 34 });
  assert.deepEqual(r.table.range, { start: 37, end: 41 });
  assert.deepEqual(r.range, { start: 14, end: 42 });
});

test('sql: comments are recorded', () => {
  const text = 'SELECT 1 -- a\n/* b */ # c\n';
  assert.deepEqual(scanText(text, 'sql', opts).comments, [
    { start: 9, end: 13 },
    { start: 14, end: 21 },
    { start: 22, end: 25 },
  ]);
});
