/** What the CLI says about bad input: where, what was expected, what to do — and the exit code its help documents. */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeFsError } from '../../../src/core/fs-errors';
import { sqlEffect } from '../../../src/core/warehouse/statements';
import { bqmigrate, buildOnce, copyFixture } from './cli-helpers';

before(() => buildOnce());

test('query refuses empty SQL (nothing, comments, ";") as a usage error instead of a native callback error', () => {
  const dir = copyFixture('basic');
  for (const sql of ['', '   ', '-- only a comment\n;', ';']) {
    const r = bqmigrate(['query', sql], dir);
    assert.equal(r.code, 2, sql);
    assert.match(r.stderr, /bqmigrate query: the SQL is empty.*give a statement/);
    assert.doesNotMatch(r.stderr, /native callback/);
  }
});

test('a destructive query needs --yes, and a query that changes the warehouse is journaled', () => {
  const dir = copyFixture('basic');
  const journal = path.join(dir, '.bqmigrate', 'journal.jsonl');
  const events = () => (fs.existsSync(journal) ? fs.readFileSync(journal, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string; action?: string; details?: Record<string, unknown> }) : []);
  assert.equal(bqmigrate(['query', 'CREATE SCHEMA scratch'], dir).code, 0);
  assert.deepEqual(events().map((e) => [e.event, e.action, e.details?.command]), [['action-start', 'query', 'query'], ['action-end', 'query', 'query']]);
  assert.equal(bqmigrate(['query', 'SELECT 1 AS x'], dir).code, 0);
  assert.equal(events().length, 2, 'a read is not journaled');
  const refused = bqmigrate(['query', 'DROP SCHEMA scratch CASCADE'], dir);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /nothing ran: the SQL is destructive \(DROP\).*--yes/);
  assert.equal(events().length, 2, 'nothing ran, nothing journaled');
  const schemas = () => bqmigrate(['query', "SELECT schema_name FROM information_schema.schemata WHERE schema_name = 'scratch'", '--format', 'json'], dir).stdout;
  assert.match(schemas(), /scratch/, 'the schema is still there');
  assert.equal(bqmigrate(['query', 'DROP SCHEMA scratch CASCADE', '--dry-run'], dir).code, 0, 'a dry run needs no --yes');
  assert.equal(events().length, 2, 'a dry run is not journaled');
  const ran = bqmigrate(['query', 'DROP SCHEMA scratch CASCADE', '--yes'], dir);
  assert.equal(ran.code, 0, ran.stderr);
  assert.doesNotMatch(schemas(), /scratch/);
  const last = events().slice(-2);
  assert.deepEqual(last.map((e) => e.event), ['action-start', 'action-end']);
  assert.deepEqual(last[0]!.details, { sql: 'DROP SCHEMA scratch CASCADE', destructive: ['DROP'], confirmed: true, command: 'query' });
});

test('sqlEffect reads code only: strings and comments do not count', () => {
  assert.deepEqual(sqlEffect("SELECT 'DROP TABLE x' -- DELETE\n"), { empty: false, destructive: [], writes: false });
  assert.deepEqual(sqlEffect('SELECT REPLACE(a, "x", "y") FROM t').destructive, []);
  assert.deepEqual(sqlEffect('create or replace table d.t as select 1; truncate table d.u').destructive, ['CREATE OR REPLACE', 'TRUNCATE']);
  assert.deepEqual(sqlEffect("EXECUTE IMMEDIATE 'DROP TABLE d.t'").destructive, ['EXECUTE IMMEDIATE']);
  assert.equal(sqlEffect('INSERT INTO d.t VALUES (1)').writes, true);
  assert.equal(sqlEffect('/* c */ ; -- x').empty, true);
});

test('run --phase with an unknown phase is a usage error: exit 2, as the help says', () => {
  const dir = copyFixture('basic');
  const r = bqmigrate(['run', '--phase', 'nope'], dir);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /no phase "nope"/);
});

test('--max-warnings -1 is accepted as the help writes it, not only as --max-warnings=-1', () => {
  const dir = copyFixture('basic');
  const spaced = bqmigrate(['lint', '--max-warnings', '-1'], dir);
  assert.doesNotMatch(spaced.stderr, /ambiguous/);
  assert.equal(spaced.code, bqmigrate(['lint', '--max-warnings=-1'], dir).code);
  assert.equal(bqmigrate(['lint', '--max-warnings', '-2'], dir).code, 2, 'still checked');
});

test('a NUL byte is reported at file:line:column', () => {
  const dir = copyFixture('basic');
  fs.writeFileSync(path.join(dir, 'queries', 'nul.sql'), 'SELECT 1;\nSELECT é\0 2;\n');
  const r = bqmigrate(['lint', 'queries'], dir);
  assert.match(r.stderr, /bqmigrate: queries\/nul\.sql:2:9: a NUL byte: a binary file, skipped/);
  assert.doesNotMatch(r.stderr, /offset/);
});

test('the manifest: a bad record key says which characters are wrong; an unknown field names the closest and the allowed ones', () => {
  const dir = copyFixture('basic');
  const file = path.join(dir, 'bqmigrate.json');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"training": { "description": "Training surfaces" }', '"trainïng": { "description": "Training surfaces" }').replace('"status": "planned" }', '"statsu": "planned" }'));
  const r = bqmigrate(['lint'], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /bqmigrate\.json:5:5: datasets\.trainïng: "trainïng" is not a valid dataset id: "ï" is not allowed \(a dataset id is ASCII letters, digits and underscores.*e\.g\. "training"\)/);
  assert.match(r.stderr, /bqmigrate\.json:\d+:\d+: mappings\.2: unknown field "statsu" \(did you mean "status"\? the fields here are "from", "to", .*"status"/);
  assert.doesNotMatch(r.stderr, /Invalid key in record/);
});

test('file errors name the problem once, in words, with the code', () => {
  let err: unknown;
  try {
    fs.readFileSync('/nonexistent/bqmigrate-x');
  } catch (e) {
    err = e;
  }
  assert.equal(describeFsError(err), 'no such file or folder (ENOENT)');
  const dir = copyFixture('basic');
  const r = bqmigrate(['import-inventory', 'missing.csv'], dir);
  assert.match(r.stderr, /missing\.csv: cannot read: no such file or folder \(ENOENT\)\n/);
  assert.equal((r.stderr.match(/ENOENT/g) ?? []).length, 1);
});
