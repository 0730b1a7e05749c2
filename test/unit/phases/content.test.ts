/**
 * Validation proves content: after the migration, changing zl_price_current in 284 rows of a
 * new table (counts and date ranges untouched) fails validate's content check with those rows;
 * the archive is compared with the legacy table while it is still there; `bqmigrate diff`
 * exits 0 for equal tables, 1 for different ones, 2 for usage and warehouse errors.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { main } from '../../../src/cli/main';
import { runPhases, validateMigration } from '../../../src/core/phases/index';
import { makeWorkspace, quiet, target, type Workspace } from './helpers';

async function cli(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await main(argv, { stdout, stderr, cwd, env: process.env });
  return { code, out, err };
}

describe('validation proves content', () => {
  let ws: Workspace;
  before(async () => {
    // 1m … 12m keyed by date; the family mapping gets the key.
    ws = await makeWorkspace((t) => t.replace('"status": "planned" }', '"status": "planned", "key": ["date"] }'));
    const wh = await ws.open();
    try {
      const r = await runPhases({ wh, loaded: ws.load(), phases: ['datasets', 'archive', 'targets'], yes: true, ...quiet });
      assert.equal(r.status, 'ok', r.error);
    } finally {
      await wh.close();
    }
  });
  after(() => ws.cleanup());

  it('every pair is compared: legacy → archive and legacy → new, and they are equal', async () => {
    const wh = await ws.open();
    try {
      const report = await validateMigration(wh, ws.load(), { write: false });
      const content = report.checks.filter((c) => c.id.startsWith('content:'));
      assert.equal(content.length, 10, content.map((c) => c.id).join(', '));
      assert.deepEqual(content.filter((c) => !c.pass || c.skipped).map((c) => `${c.id}: ${c.detail}`), []);
      const one = content.find((c) => c.id === 'content:training.zl_training_prod_allhistory_1m')!;
      assert.equal(one.description, 'content = legacy');
      assert.equal(one.content!.verdict, 'equal');
      assert.deepEqual(one.content!.key, ['date']);
      assert.equal(one.content!.rowsA, 1404);
      assert.ok(one.content!.normalisations.some((n) => /FLOAT64 compared within ±1e-9: zl_price_current/.test(n)));
      const archive = content.find((c) => c.id.startsWith('content:archive.'))!;
      assert.equal(archive.description, 'content = legacy (archive)');
    } finally {
      await wh.close();
    }
  });

  it('284 changed prices fail the content check, with the rows, while counts and date ranges still pass', async () => {
    const wh = await ws.open();
    try {
      const t = wh.dialect.table(target('1m'));
      await wh.query(`UPDATE ${t} SET zl_price_current = zl_price_current + 0.25 WHERE date IN (SELECT date FROM ${t} ORDER BY date LIMIT 284)`);
      const report = await validateMigration(wh, ws.load(), { write: false });
      const failed = report.checks.filter((c) => !c.pass);
      assert.deepEqual(failed.map((c) => c.id), ['content:training.zl_training_prod_allhistory_1m']);
      const c = failed[0]!;
      assert.equal(c.content!.verdict, 'different');
      assert.equal(c.content!.differing, 284);
      assert.match(c.detail, /^different: 284 key\(s\) differ; date="2019-12-02": changed zl_price_current/);
      assert.ok(report.checks.find((x) => x.id === 'row-count:training.zl_training_prod_allhistory_1m')!.pass, 'the row count cannot see it');
    } finally {
      await wh.close();
    }
  });

  it('bqmigrate diff: exit 0 equal, 1 different (with the rows, --json), 2 for usage and missing tables', async () => {
    const equal = await cli(ws.dir, 'diff', 'models_v4.production_training_data_3m', 'training.zl_training_prod_allhistory_3m', '--key', 'date');
    assert.equal(equal.code, 0, equal.err + equal.out);
    assert.match(equal.out, /^EQUAL — equal: 1475 rows, 18 column\(s\) compared$/m);
    const differ = await cli(ws.dir, 'diff', 'models_v4.production_training_data_1m', 'training.zl_training_prod_allhistory_1m', '--key', 'date', '--limit', '3', '--json');
    assert.equal(differ.code, 1, differ.err);
    const json = JSON.parse(differ.out) as { verdict: string; differences: { total: number; rows: { key: { date: string }; columns: string[] }[]; truncated: boolean } };
    assert.equal(json.verdict, 'different');
    assert.equal(json.differences.total, 284);
    assert.equal(json.differences.rows.length, 3);
    assert.equal(json.differences.truncated, true);
    assert.deepEqual(json.differences.rows[0], { ...json.differences.rows[0], key: { date: '2019-12-02' }, columns: ['zl_price_current'] });
    const multiset = await cli(ws.dir, 'diff', 'models_v4.production_training_data_1m', 'training.zl_training_prod_allhistory_1m');
    assert.equal(multiset.code, 1);
    assert.match(multiset.out, /as multisets \(no --key\)/);
    const missing = await cli(ws.dir, 'diff', 'models_v4.production_training_data_1m', 'training.nope');
    assert.equal(missing.code, 2);
    assert.match(missing.err, /training\.nope does not exist/);
    const usage = await cli(ws.dir, 'diff', 'models_v4.production_training_data_1m');
    assert.equal(usage.code, 2);
    assert.match(usage.err, /give two tables/);
    const badKey = await cli(ws.dir, 'diff', 'models_v4.production_training_data_1m', 'training.zl_training_prod_allhistory_1m', '--key', 'nope');
    assert.equal(badKey.code, 2);
    assert.match(badKey.err, /key column nope is not compared/);
  });

  it('"validation": { "content": false } says the content was not validated', async () => {
    const text = (await import('node:fs')).readFileSync(ws.file, 'utf8');
    (await import('node:fs')).writeFileSync(ws.file, text.replace('"phases": [', '"validation": { "content": false },\n  "phases": ['));
    const wh = await ws.open();
    try {
      const report = await validateMigration(wh, ws.load(), { write: false });
      assert.equal(report.checks.filter((c) => c.id.startsWith('content:')).length, 0);
      const skipped = report.checks.find((c) => c.id === 'content')!;
      assert.equal(skipped.skipped, true);
      assert.match(skipped.detail, /not validated: "validation.content" is false/);
    } finally {
      await wh.close();
      (await import('node:fs')).writeFileSync(ws.file, text);
    }
  });
});
