#!/usr/bin/env node
// Diff benchmark (local warehouse, DuckDB): two N-row, 20-column tables that differ in exactly 100 rows
// (one column changed). `diffTables` by key must find exactly those rows. The reference, measured in the
// same run on the same tables: one aggregate scan of both, `SELECT COUNT(*), SUM(hash(t)) FROM t`.
// Target: diff ≤ 3× the reference. Node's memory: the V8 heap's peak over the diff, at N/10 and at N
// (flat = the rows stay in the warehouse; only the 100 differences come back).
// BENCH_DIFF_ROWS (default 10,000,000) sets N.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
require('tsx/cjs/api').register();

const root = path.resolve(import.meta.dirname, '..');
const { parseManifest } = require(path.join(root, 'src/core/manifest/load.ts'));
const { initialManifestText } = require(path.join(root, 'src/core/phases/init.ts'));
const { openWarehouse } = require(path.join(root, 'src/core/warehouse/index.ts'));
const { diffTables } = require(path.join(root, 'src/core/diff/index.ts'));

const N = Number(process.env.BENCH_DIFF_ROWS ?? 10_000_000);
const CHANGED = 100;
if (!Number.isInteger(N) || N < CHANGED * 10 || N % CHANGED) throw new Error(`BENCH_DIFF_ROWS must be a multiple of ${CHANGED}, at least ${CHANGED * 10}`);

/** Twenty columns of the kinds a training table holds: a key, a date, doubles, integers, strings, a boolean. */
function columns(n) {
  const cols = ['i AS id', `DATE '2000-01-01' + CAST(i % 9000 AS INTEGER) AS date`];
  for (let c = 0; c < 10; c++) cols.push(`CAST((i * ${c + 7}) % 100003 AS DOUBLE) / 97.0 AS f${c}`);
  for (let c = 0; c < 4; c++) cols.push(`(i * ${c + 3}) % ${1000 + c} AS n${c}`);
  for (let c = 0; c < 3; c++) cols.push(`'regime_' || CAST((i + ${c}) % 13 AS VARCHAR) AS s${c}`);
  cols.push('(i % 2 = 0) AS flag');
  if (cols.length !== 20) throw new Error('20 columns');
  return `SELECT ${cols.join(', ')} FROM range(${n}) AS r(i)`;
}

async function measure(n) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bqm-diffbench-'));
  const file = path.join(dir, 'bqmigrate.json');
  writeFileSync(file, initialManifestText());
  const r = parseManifest(initialManifestText(), file);
  if (!r.ok) throw new Error('manifest');
  const wh = await openWarehouse({ backend: 'local', loaded: r.loaded });
  try {
    const built = performance.now();
    await wh.query('CREATE SCHEMA IF NOT EXISTS bench');
    await wh.query(`CREATE OR REPLACE TABLE bench.a AS ${columns(n)}`);
    // Every (n / 100)-th row gets f3 + 1: exactly 100 rows differ.
    const step = n / CHANGED;
    await wh.query(`CREATE OR REPLACE TABLE bench.b AS SELECT * REPLACE (CASE WHEN id % ${step} = 7 THEN f3 + 1 ELSE f3 END AS f3) FROM bench.a`);
    const buildMs = performance.now() - built;

    const a = { dataset: 'bench', table: 'a' };
    const b = { dataset: 'bench', table: 'b' };
    // Warm both tables once, so neither measurement pays the first read.
    await wh.query('SELECT COUNT(*) AS n FROM bench.a');
    await wh.query('SELECT COUNT(*) AS n FROM bench.b');

    const refStart = performance.now();
    const ref = await Promise.all([a, b].map((t) => wh.query(`SELECT COUNT(*) AS n, SUM(hash(t)) AS h FROM ${wh.dialect.table(t)} AS t`)));
    const referenceMs = performance.now() - refStart;

    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 20);
    const diffStart = performance.now();
    const report = await diffTables(wh, a, b, { key: ['id'], limit: 1000 });
    const diffMs = performance.now() - diffStart;
    clearInterval(sampler);
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);

    const found = report.differences.rows.map((d) => Number(d.key?.id)).sort((x, y) => x - y);
    const expected = Array.from({ length: CHANGED }, (_, k) => k * step + 7);
    const exact = report.verdict === 'different' && report.differences.total === CHANGED && found.length === CHANGED && found.every((v, k) => v === expected[k]) && report.differences.rows.every((d) => d.kind === 'changed' && d.columns?.join() === 'f3');
    return {
      rows: n,
      columns: 20,
      buildMs: Math.round(buildMs),
      referenceMs: Math.round(referenceMs),
      diffMs: Math.round(diffMs),
      ratio: diffMs / referenceMs,
      found: found.length,
      exact,
      bucketing: report.bucketing,
      tiers: report.tiers.map((t) => `${t.tier}:${t.status}`).join(' '),
      heapPeakDeltaMiB: (heapPeak - heapBefore) / 2 ** 20,
      referenceRows: Number(ref[0].rows[0].n),
    };
  } finally {
    await wh.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const small = await measure(N / 10);
const large = await measure(N);
const fmt = (x) => (Math.round(x * 100) / 100).toString();
console.log('rows        build ms  reference ms  diff ms  ratio  differences found  exact  V8 heap peak Δ (MiB)');
for (const m of [small, large]) {
  console.log(`${String(m.rows).padEnd(11)} ${String(m.buildMs).padStart(8)}  ${String(m.referenceMs).padStart(12)}  ${String(m.diffMs).padStart(7)}  ${fmt(m.ratio).padStart(5)}  ${String(m.found).padStart(17)}  ${String(m.exact).padStart(5)}  ${fmt(m.heapPeakDeltaMiB).padStart(20)}`);
}
console.log(`bucketing at ${large.rows} rows: ${large.bucketing}; tiers ${large.tiers}`);
const memoryGrowth = large.heapPeakDeltaMiB / Math.max(small.heapPeakDeltaMiB, 1);
console.log(`target: ratio ≤ 3 at ${large.rows} rows → ${large.ratio <= 3 ? 'met' : 'NOT met'}; heap peak at N vs N/10: ×${fmt(memoryGrowth)} (flat ≈ 1)`);
if (process.env.BENCH_RESULT) {
  writeFileSync(process.env.BENCH_RESULT, JSON.stringify({ small, large, targetRatio: 3, met: large.ratio <= 3 && large.exact, heapGrowth: memoryGrowth }, null, 2));
}
if (!small.exact || !large.exact) {
  console.error('the diff did not find exactly the planted differences');
  process.exit(1);
}
