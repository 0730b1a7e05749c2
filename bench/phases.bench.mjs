#!/usr/bin/env node
// Phases benchmark: the datasets, archive and create-targets phases of examples/cbi-warehouse (15 legacy tables) against the
// loopback fake BigQuery server with injected latency on every request, at concurrency 1
// (the reference, measured in the same run) and 4. Efficiency = (sum of action times ÷ concurrency) ÷ wall time:
// 1.0 means the four lanes were always busy. Target: efficiency ≥ 0.7 at 4.
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
require('tsx/cjs/api').register();
process.env.METADATA_SERVER_DETECTION = 'none';
delete process.env.GOOGLE_APPLICATION_CREDENTIALS;

const root = path.resolve(import.meta.dirname, '..');
const { parseManifest } = require(path.join(root, 'src/core/manifest/load.ts'));
const { runPhases, readJournal } = require(path.join(root, 'src/core/phases/index.ts'));
const { openWarehouse, seedSampleWarehouse } = require(path.join(root, 'src/core/warehouse/index.ts'));
const { startFakeBigQuery } = require(path.join(root, 'test/fake-bigquery/server.ts'));

const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 150);
const phases = ['datasets', 'archive', 'targets'];

async function measure(concurrency) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bqm-phbench-'));
  const file = path.join(dir, 'bqmigrate.json');
  // The sample workspace's manifest: 15 legacy tables exist in the sample warehouse (5 horizons, 5 regimes, 5 raw).
  const text = readFileSync(path.join(root, 'examples', 'cbi-warehouse', 'bqmigrate.json'), 'utf8');
  writeFileSync(file, text);
  const r = parseManifest(text, file);
  if (!r.ok) throw new Error('manifest');
  const fake = await startFakeBigQuery({ project: 'cbi-v14' });
  await seedSampleWarehouse(fake.engine.wh);
  fake.faults.add({ kind: 'slow', times: Infinity, delayMs: latencyMs });
  const wh = await openWarehouse({ backend: 'bigquery', loaded: r.loaded, bigquery: { apiEndpoint: fake.url, retryBaseDelayMs: 1 } });
  const started = performance.now();
  let result = await runPhases({ wh, loaded: r.loaded, phases, yes: true, concurrency, log: () => undefined });
  let resumes = 0;
  while (result.status !== 'ok' && resumes < 5) {
    resumes++;
    result = await runPhases({ wh, loaded: r.loaded, resume: true, yes: true, concurrency, log: () => undefined });
  }
  const wall = performance.now() - started;
  const events = readJournal(dir);
  const actionMs = events.filter((e) => e.event === 'action-end' || e.event === 'action-error').reduce((n, e) => n + Number(e.details?.ms ?? 0), 0);
  // Time inside steps (step-start → step-end/error): the part concurrency can shorten; planning snapshots are outside it.
  let stepMs = 0;
  const open = new Map();
  for (const e of events) {
    const key = `${e.runId}/${e.phase}/${e.step}`;
    if (e.event === 'step-start') open.set(key, Date.parse(e.ts));
    if ((e.event === 'step-end' || e.event === 'step-error') && open.has(key)) stepMs += Date.parse(e.ts) - open.get(key);
  }
  await wh.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
  return { concurrency, wallMs: Math.round(wall), stepMs, sumActionMs: Math.round(actionMs), efficiency: actionMs / concurrency / wall, stepEfficiency: actionMs / concurrency / stepMs, status: result.status, resumes, requests: fake.requests.length };
}

const one = await measure(1);
const four = await measure(4);
const rows = [one, four];
console.log(`phases bench: ${phases.join(' → ')} on the fake BigQuery server, +${latencyMs} ms per request`);
console.log('concurrency  wall (ms)  in steps (ms)  Σ actions (ms)  Σ/concurrency (ms)  efficiency (wall)  efficiency (in steps)  resumes  status');
for (const r of rows) console.log(`${String(r.concurrency).padEnd(11)}  ${String(r.wallMs).padStart(9)}  ${String(r.stepMs).padStart(13)}  ${String(r.sumActionMs).padStart(14)}  ${String(Math.round(r.sumActionMs / r.concurrency)).padStart(18)}  ${r.efficiency.toFixed(2).padStart(17)}  ${r.stepEfficiency.toFixed(2).padStart(21)}  ${String(r.resumes).padStart(7)}  ${r.status}`);
const speedup = one.wallMs / four.wallMs;
console.log(`speed-up at 4 vs 1 (reference, same run): ${speedup.toFixed(2)}×; efficiency at 4: ${four.efficiency.toFixed(2)} of wall time, ${four.stepEfficiency.toFixed(2)} inside steps (target ≥ 0.70)`);
console.log('wall time also holds the planning snapshot of each phase (serial listing requests) and any resumes after a failed action.');
if (process.env.BENCH_RESULT) {
  writeFileSync(process.env.BENCH_RESULT, JSON.stringify({ latencyMs, speedupVsConcurrency1: speedup, efficiencyAt4: four.efficiency, stepEfficiencyAt4: four.stepEfficiency, efficiencyAt1: one.efficiency, runs: rows }, null, 2));
}
