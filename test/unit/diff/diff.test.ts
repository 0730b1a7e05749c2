/**
 * `diffTables` finds exactly the planted differences — changed values, missing rows, duplicated
 * rows, NULL vs empty string — and nothing else: not float noise within the tolerance (also
 * across a rounding boundary), not NUMERIC against FLOAT64, not a timestamp stored with a time
 * zone. On the local warehouse (DuckDB SQL) and on BigQuery's SQL through the loopback fake.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { diffTables, formatDiffReport, planColumns, roundingDigits, type DiffReport } from '../../../src/core/diff/index';
import { openWarehouse } from '../../../src/core/warehouse/index';
import type { LocalWarehouse } from '../../../src/core/warehouse/local';
import type { Warehouse } from '../../../src/core/warehouse/types';
import { fakeWarehouse, tempDir, writeManifest } from '../warehouse/helpers';

const A = { dataset: 'cmp', table: 'source' };
const B = { dataset: 'cmp', table: 'copy' };
const EQUAL = { dataset: 'cmp', table: 'equal_copy' };
const EXACT = { dataset: 'cmp', table: 'exact_copy' };

/** 6,000 rows: every type the comparison normalises. Ids 0…5999. */
const SOURCE = `SELECT i AS id,
  CAST(i AS DOUBLE) / 7 AS price,
  CAST(CAST(i AS DECIMAL(18, 4)) / 8 AS DECIMAL(18, 4)) AS amount,
  'note ' || i AS note,
  TIMESTAMP '2020-01-01 00:00:00' + to_seconds(i * 3600) AS ts,
  DATE '2020-01-01' + CAST(i // 24 AS INTEGER) AS day,
  i % 3 = 0 AS flag
FROM range(6000) r(i)`;

/**
 * The copy: the same content with NUMERIC amount as FLOAT64 and ts as TIMESTAMPTZ (normalised,
 * not differences), float noise of 1e-12 on every 10th price, and the planted differences:
 * changed price (17), changed note (23), changed flag (31), NULL vs '' (41: NULL in the source),
 * missing rows (53, 59), duplicated rows (61, 67).
 */
const PLANT = [
  `CREATE TABLE "cmp"."copy" AS SELECT id, price, CAST(amount AS DOUBLE) AS amount, note, CAST(ts AS TIMESTAMPTZ) AS ts, day, flag FROM "cmp"."source"`,
  `UPDATE "cmp"."copy" SET price = price + 1e-12 WHERE id % 10 = 0`,
  `UPDATE "cmp"."copy" SET price = price + 0.5 WHERE id = 17`,
  `UPDATE "cmp"."copy" SET note = 'note 23 (edited)' WHERE id = 23`,
  `UPDATE "cmp"."copy" SET flag = NOT flag WHERE id = 31`,
  `UPDATE "cmp"."source" SET note = NULL WHERE id = 41`,
  `UPDATE "cmp"."copy" SET note = '' WHERE id = 41`,
  `DELETE FROM "cmp"."copy" WHERE id IN (53, 59)`,
  `INSERT INTO "cmp"."copy" SELECT * FROM "cmp"."copy" WHERE id IN (61, 67)`,
  // A value right at a rounding boundary of the 1e-9 granule, and one 2e-13 across it: equal within tolerance.
  `UPDATE "cmp"."source" SET price = 0.0000000004999 WHERE id = 71`,
  `UPDATE "cmp"."copy" SET price = 0.0000000005001 WHERE id = 71`,
];

function diffSuite(name: string, open: () => Promise<{ wh: Warehouse; direct: LocalWarehouse; close(): Promise<void> }>) {
  describe(`diff on ${name}`, () => {
    let wh: Warehouse;
    let direct: LocalWarehouse;
    let close: () => Promise<void>;
    before(async () => {
      ({ wh, direct, close } = await open());
      await direct.createDataset({ dataset: 'cmp' });
      await direct.query(`CREATE TABLE "cmp"."source" AS ${SOURCE}`);
      for (const s of PLANT) await direct.query(s);
      await direct.query(`CREATE TABLE "cmp"."equal_copy" AS SELECT id, price + 1e-12 AS price, CAST(amount AS DOUBLE) AS amount, note, CAST(ts AS TIMESTAMPTZ) AS ts, day, flag FROM "cmp"."source"`);
      await direct.query(`CREATE TABLE "cmp"."exact_copy" AS SELECT * FROM "cmp"."source"`);
    });
    after(async () => close());

    it('equal tables are equal in one scan; within the tolerance after normalising types, and the report says how', async () => {
      const exact = await diffTables(wh, EXACT, A, { key: ['id'] });
      assert.equal(exact.verdict, 'equal', formatDiffReport(exact));
      assert.deepEqual(exact.tiers.map((t) => t.status), ['equal', 'equal', 'not-needed']);
      const r = await diffTables(wh, EQUAL, A, { key: ['id'] });
      assert.equal(r.verdict, 'equal', formatDiffReport(r));
      // 1e-12 of noise on 6,000 prices: a few straddle a 1e-9 rounding boundary, and tier 3 finds them equal.
      assert.ok(['equal', 'not-needed'].includes(r.tiers[2]!.status), formatDiffReport(r));
      assert.equal(r.differences.total, 0);
      assert.ok(r.normalisations.includes('FLOAT64 compared within ±1e-9: price'), r.normalisations.join('\n'));
      assert.ok(r.normalisations.includes('amount: FLOAT64 vs NUMERIC compared as FLOAT64 within ±1e-9'), r.normalisations.join('\n'));
      assert.ok(r.normalisations.some((n) => /^timestamps compared as UTC instants.*: ts$/.test(n)), r.normalisations.join('\n'));
      const multiset = await diffTables(wh, EQUAL, A, {});
      assert.equal(multiset.verdict, 'equal', formatDiffReport(multiset));
    });

    it('by key, float noise in every row: exact fingerprints first, rounded ones when more buckets differ than tier 3 may read', async () => {
      await direct.query(`CREATE OR REPLACE TABLE "cmp"."noisy" AS SELECT * REPLACE (price + 1e-12 AS price) FROM "cmp"."source"`);
      const noisy = { dataset: 'cmp', table: 'noisy' };
      const wide = await diffTables(wh, noisy, A, { key: ['id'] });
      assert.equal(wide.verdict, 'equal', formatDiffReport(wide));
      assert.equal(wide.tiers[2]!.status, 'equal', 'tier 3 read the noisy buckets and found every price within the tolerance');
      const narrow = await diffTables(wh, noisy, A, { key: ['id'], maxBuckets: 3 });
      assert.equal(narrow.verdict, 'equal', formatDiffReport(narrow));
      assert.match(narrow.tiers[1]!.detail, /with floats rounded to ±1e-9 \(by exact values \d+ differed, more than the 3 tier 3 may read\)/);
      await direct.query(`UPDATE "cmp"."noisy" SET price = price + 0.25 WHERE id = 4242`);
      const changed = await diffTables(wh, noisy, A, { key: ['id'], maxBuckets: 3 });
      assert.deepEqual(changed.differences.rows.map((d) => [Number(d.key!.id), d.columns]), [[4242, ['price']]], formatDiffReport(changed));
    });

    it('by key: exactly the planted differences, with their kind and columns, and nothing else', async () => {
      const r = await diffTables(wh, A, B, { key: ['id'], limit: 50 });
      assert.equal(r.verdict, 'different');
      assert.equal(r.differences.total, 8, formatDiffReport(r));
      const byId = Object.fromEntries(r.differences.rows.map((d) => [Number(d.key!.id), d]));
      assert.deepEqual(Object.keys(byId).map(Number).sort((x, y) => x - y), [17, 23, 31, 41, 53, 59, 61, 67]);
      assert.deepEqual(byId[17]!.columns, ['price']);
      assert.deepEqual(byId[23]!.columns, ['note']);
      assert.deepEqual(byId[31]!.columns, ['flag']);
      assert.deepEqual(byId[41]!.columns, ['note']);
      assert.equal(byId[41]!.a!.note, null);
      assert.equal(byId[41]!.b!.note, '');
      assert.equal(byId[53]!.kind, 'only-in-a');
      assert.deepEqual([byId[61]!.kind, byId[61]!.countA, byId[61]!.countB], ['count-differs', 1, 2]);
      assert.equal(r.rows.a! - r.rows.b!, 0, '2 missing and 2 duplicated rows: the counts alone cannot tell');
      assert.ok(r.columnStats.some((s) => s.column === 'note' && s.property === 'nulls'), 'the column aggregates of the differing buckets see the NULL');
    });

    it('as multisets (no key): the changed rows as pairs, the missing and the duplicated rows, nothing else', async () => {
      const r = await diffTables(wh, A, B, { limit: 50 });
      assert.equal(r.verdict, 'different');
      const lines = r.differences.rows.map((d) => `${Number((d.a ?? d.b)!.id)}:${d.kind}:${d.countA}/${d.countB}`).sort();
      assert.deepEqual(lines, [
        '17:only-in-a:1/0', '17:only-in-b:0/1', '23:only-in-a:1/0', '23:only-in-b:0/1', '31:only-in-a:1/0', '31:only-in-b:0/1',
        '41:only-in-a:1/0', '41:only-in-b:0/1', '53:only-in-a:1/0', '59:only-in-a:1/0', '61:count-differs:1/2', '67:count-differs:1/2',
      ]);
      assert.equal(r.differences.total, 12);
    });

    it('float differences beyond the tolerance are found; --where and --columns narrow the comparison', async () => {
      const beyond = await diffTables(wh, A, B, { key: ['id'], tolerance: 1e-13, limit: 1000 });
      // 600 rows of 1e-12 noise (every 10th id; 0 is 0 + 1e-12) are now differences too.
      assert.ok(beyond.differences.total! > 600, formatDiffReport(beyond));
      const narrow = await diffTables(wh, A, B, { key: ['id'], where: 'id < 20', columns: [{ a: 'id', b: 'id' }, { a: 'price', b: 'price' }] });
      assert.deepEqual(narrow.differences.rows.map((d) => Number(d.key!.id)), [17]);
      assert.equal(narrow.rows.a, 20);
    });

    it('a byte budget too small for a tier makes it "not validated", never equal', async () => {
      const none = await diffTables(wh, EXACT, A, { key: ['id'], maxBytes: 10 });
      assert.equal(none.verdict, 'not-validated');
      assert.deepEqual(none.tiers.map((t) => t.status), ['not-validated', 'not-validated', 'not-validated']);
      const first = await diffTables(wh, A, B, { key: ['id'] });
      const tier1 = first.tiers[0]!.bytes!;
      const partial = await diffTables(wh, A, B, { key: ['id'], maxBytes: tier1 + 1 });
      assert.equal(partial.tiers[2]!.status, 'not-validated');
      assert.match(partial.tiers[2]!.detail, /^not validated: needs \d+ bytes/);
      // Equal counts and a float column: a differing fingerprint may be rounding noise, so not proven.
      assert.equal(partial.verdict, 'not-validated', formatDiffReport(partial));
      assert.match(partial.summary, /tier 3 could not run to tell float noise from differences/);
      // Without a float column a differing fingerprint is a difference, proven by tier 1 alone.
      const exactColumns = [{ a: 'id', b: 'id' }, { a: 'note', b: 'note' }];
      const exactFirst = await diffTables(wh, A, B, { key: ['id'], columns: exactColumns });
      const exactPartial = await diffTables(wh, A, B, { key: ['id'], columns: exactColumns, maxBytes: exactFirst.tiers[0]!.bytes! + 1 });
      assert.equal(exactPartial.tiers[2]!.status, 'not-validated');
      assert.equal(exactPartial.verdict, 'different', formatDiffReport(exactPartial));
      assert.match(exactPartial.summary, /fingerprints differ and no compared column is a float/);
    });

    it('refuses what it cannot compare, naming the problem', async () => {
      await assert.rejects(diffTables(wh, A, { dataset: 'cmp', table: 'nope' }), /cmp\.nope does not exist/);
      await assert.rejects(diffTables(wh, A, B, { key: ['no_such_column'] }), /key column no_such_column is not compared/);
      await assert.rejects(diffTables(wh, A, B, { columns: [{ a: 'id', b: 'missing' }] }), /no column missing in the second table/);
    });
  });
}

diffSuite('the local warehouse (DuckDB)', async () => {
  const dir = tempDir();
  const wh = (await openWarehouse({ backend: 'local', loaded: writeManifest(dir) })) as LocalWarehouse;
  return {
    wh,
    direct: wh,
    async close() {
      await wh.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

diffSuite('BigQuery SQL (the loopback fake)', async () => {
  const { fake, wh } = await fakeWarehouse({}, { timeoutMs: 120_000 });
  return {
    wh,
    direct: fake.engine.wh,
    async close() {
      await wh.close();
      await fake.close();
    },
  };
});

describe('column planning', () => {
  it('pairs by name case-insensitively, through renames, and says what it normalises', () => {
    const plan = planColumns(
      [{ name: 'Date', type: 'DATE' }, { name: 'price', type: 'NUMERIC' }, { name: 'ts', type: 'DATETIME' }, { name: 'old', type: 'STRING' }, { name: 'gone', type: 'INT64' }, { name: 'archived_date', type: 'DATE' }],
      [{ name: 'date', type: 'DATE' }, { name: 'price', type: 'FLOAT64' }, { name: 'ts', type: 'TIMESTAMP' }, { name: 'new', type: 'STRING' }, { name: 'extra', type: 'INT64' }],
      { renamed: { old: 'new' }, ignore: ['archived_date'], tolerance: 1e-6 },
    );
    assert.deepEqual(plan.compared.map((c) => `${c.a}:${c.b}:${c.comparison}`), ['Date:date:exact', 'price:price:float', 'ts:ts:instant', 'old:new:exact']);
    assert.deepEqual(plan.onlyInA, ['gone']);
    assert.deepEqual(plan.onlyInB, ['extra']);
    assert.deepEqual(plan.ignored, ['archived_date']);
    assert.deepEqual(plan.normalisations, ['price: NUMERIC vs FLOAT64 compared as FLOAT64 within ±0.000001', 'timestamps compared as UTC instants (DATETIME read as UTC): ts']);
    assert.equal(roundingDigits(1e-9), 9);
    assert.equal(roundingDigits(5e-9), 9);
    assert.equal(roundingDigits(0.01), 2);
  });
});

/** Keeps the report shape honest for consumers (validate, the dashboard, --json). */
export function assertReportShape(r: DiffReport): void {
  assert.ok(['equal', 'different', 'not-validated'].includes(r.verdict));
  assert.equal(r.tiers.length, 3);
}
