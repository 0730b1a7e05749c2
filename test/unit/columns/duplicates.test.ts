import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { findDuplicateColumns } from '../../../src/core/columns/duplicates';
import { loadManifestFile } from '../../../src/core/manifest/load';
import type { Warehouse } from '../../../src/core/warehouse/types';
import { cli, makeWorkspace } from '../phases/helpers';

/**
 * features.wide: 40 independent columns (uniform, normal-ish, 0/1 flags, small integers, strings), some with
 * names like the planted ones, and planted duplicates: an exact copy, a copy with 30 % more nulls, a copy with
 * float noise far below the tolerance, a string copy, and a near miss that agrees on 95 % of rows.
 */
async function plant(wh: Warehouse, rows: number): Promise<void> {
  await wh.query('CREATE SCHEMA IF NOT EXISTS features');
  const base: string[] = ['i AS id'];
  for (let c = 0; c < 12; c++) base.push(`random() AS u${c}`);
  for (let c = 0; c < 8; c++) base.push(`(random() + random() + random() - 1.5) AS n${c}`);
  for (let c = 0; c < 8; c++) base.push(`CAST(random() < 0.5 AS INTEGER) AS flag${c}`);
  for (let c = 0; c < 6; c++) base.push(`CAST(floor(random() * 5) AS INTEGER) AS level${c}`);
  for (let c = 0; c < 4; c++) base.push(`'s' || CAST(floor(random() * 1000) AS INTEGER) AS label${c}`);
  base.push('random() AS sentiment_avg', 'random() AS sentiment_avg_v2');
  const planted = [
    'u0 AS u0_copy',
    'CASE WHEN random() < 0.3 THEN NULL ELSE n0 END AS n0_sparse',
    'u1 * (1 + (random() - 0.5) * 1e-13) AS u1_noisy',
    'label0 AS label0_copy',
    'CASE WHEN random() < 0.05 THEN random() ELSE u2 END AS u2_near',
  ];
  await wh.query(`CREATE OR REPLACE TABLE features.wide AS SELECT *, ${planted.join(', ')} FROM (SELECT ${base.join(', ')} FROM range(${rows}) AS r(i))`);
}

test('planted duplicates are found — exact, null-padded, float noise, strings — and no group among independent columns', async () => {
  const ws = await makeWorkspace(undefined, { seed: false });
  const wh = await ws.open();
  try {
    await plant(wh, 20_000);
    const r = await findDuplicateColumns(wh, { dataset: 'features', table: 'wide' });
    const groups = r.groups.map((g) => `${[...g.columns].sort().join('+')}→${g.canonical}:${g.pairs.map((p) => p.kind).join(',')}`).sort();
    assert.deepEqual(groups, ['label0+label0_copy→label0:identical', 'n0+n0_sparse→n0:null-padded', 'u0+u0_copy→u0:identical', 'u1+u1_noisy→u1:tolerance']);
    assert.equal(r.scans, 2, 'two reads of the table');
    const sparse = r.groups.find((g) => g.canonical === 'n0')!;
    assert.ok(sparse.nullRates.n0_sparse! > 0.25 && sparse.nullRates.n0_sparse! < 0.35, 'the null rate is measured');
    assert.ok(r.groups.every((g) => g.pairs.every((p) => p.matchRate >= 0.999)));
    // At a lower threshold the near miss joins u2; names alone never group (sentiment_avg / sentiment_avg_v2).
    const loose = await findDuplicateColumns(wh, { dataset: 'features', table: 'wide' }, { threshold: 0.9 });
    assert.ok(loose.groups.some((g) => g.columns.includes('u2_near') && g.columns.includes('u2')));
    assert.ok(!loose.groups.some((g) => g.columns.includes('sentiment_avg')));
  } finally {
    await wh.close();
    ws.cleanup();
  }
});

test('columns duplicates: text and JSON output, --merge adds planned column mappings once, bad arguments exit 2', async () => {
  const ws = await makeWorkspace(undefined, { seed: false });
  try {
    const wh = await ws.open();
    try {
      await plant(wh, 5_000);
    } finally {
      await wh.close();
    }
    const text = await cli(ws.dir, ['columns', 'duplicates', 'features.wide']);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /features\.wide: 5000 rows, \d+ columns compared, \d+ candidate pairs, 4 groups \(threshold 0\.999, 2 scans of the table\)/);
    assert.match(text.out, /n0_sparse\s+nulls\s+[\d.]+ %\s+null-padded, match 100 %/);
    const json = JSON.parse((await cli(ws.dir, ['columns', 'duplicates', 'features.wide', '--json'])).out);
    assert.equal(json.groups.length, 4);
    const merged = await cli(ws.dir, ['columns', 'duplicates', 'features.wide', '--merge']);
    assert.equal(merged.code, 0, merged.err);
    assert.match(merged.out, /added 4 column mappings \(status planned\)/);
    const loaded = loadManifestFile(ws.file);
    assert.ok(loaded.ok, JSON.stringify(loaded.problems));
    const columns = loaded.loaded.manifest.mappings.filter((m) => m.kind === 'column');
    assert.deepEqual(columns.map((m) => `${m.table}:${JSON.stringify(m.from)}→${m.to}:${m.status}`).sort(), [
      'features.wide:["label0","label0_copy"]→label0:planned',
      'features.wide:["n0","n0_sparse"]→n0:planned',
      'features.wide:["u0","u0_copy"]→u0:planned',
      'features.wide:["u1","u1_noisy"]→u1:planned',
    ]);
    const before = fs.readFileSync(ws.file, 'utf8');
    const again = await cli(ws.dir, ['columns', 'duplicates', 'features.wide', '--merge']);
    assert.match(again.err, /already in a column mapping/);
    assert.equal(fs.readFileSync(ws.file, 'utf8'), before, 'a second merge adds nothing');
    assert.equal((await cli(ws.dir, ['columns', 'duplicates', 'features.wide', '--threshold', '2'])).code, 2);
    assert.equal((await cli(ws.dir, ['columns', 'duplicates'])).code, 2);
    const missing = await cli(ws.dir, ['columns', 'duplicates', 'features.nope']);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /features\.nope does not exist/);
  } finally {
    ws.cleanup();
  }
});
