#!/usr/bin/env node
// History benchmark: what the shared history and the run lock add to a run on the loopback fake
// BigQuery server with 150 ms of latency on every request (BENCH_LATENCY_MS). A run's steps never
// wait for the history: each event is uploaded in the background after its fsync. What a run does
// wait for is its first statement (create the history table if missing, take the lock, read the
// history) and its last (the events still queued, and the lock's release); that fixed cost is
// measured here directly (median of 5 start/finish pairs on the same fake), and divided by the steps
// of a real run of the datasets, archive, targets and shims phases measured in the same process.
// One round trip is a tables.get, median of 5. Goal: under one round trip per step.
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
const { startRunHistory } = require(path.join(root, 'src/core/history/session.ts'));
const { openWarehouse, seedSampleWarehouse } = require(path.join(root, 'src/core/warehouse/index.ts'));
const { startFakeBigQuery } = require(path.join(root, 'test/fake-bigquery/server.ts'));

const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 150);
const phases = ['datasets', 'archive', 'targets', 'shims'];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = mkdtempSync(path.join(os.tmpdir(), 'bqm-histbench-'));
const file = path.join(dir, 'bqmigrate.json');
const text = readFileSync(path.join(root, 'examples', 'cbi-warehouse', 'bqmigrate.json'), 'utf8');
writeFileSync(file, text);
const parsed = parseManifest(text, file);
if (!parsed.ok) throw new Error('manifest');
const loaded = parsed.loaded;
const fake = await startFakeBigQuery({ project: 'cbi-v14' });
await seedSampleWarehouse(fake.engine.wh);
fake.faults.add({ kind: 'slow', times: Infinity, delayMs: latencyMs });
const wh = await openWarehouse({ backend: 'bigquery', loaded, bigquery: { apiEndpoint: fake.url, retryBaseDelayMs: 1 } });

const roundTrips = [];
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  await wh.getTable({ dataset: 'models_v4', table: 'production_training_data_1m' });
  roundTrips.push(performance.now() - t);
}
const roundTripMs = median(roundTrips);

const before = fake.requests.length;
const started = performance.now();
const result = await runPhases({ wh, loaded, phases, yes: true, concurrency: 4, log: () => undefined });
const runMs = performance.now() - started;
const runRequests = fake.requests.slice(before);
const historyRequests = runRequests.filter((r) => JSON.stringify(r.body ?? '').includes('_bqmigrate') || r.path.includes('_bqmigrate')).length;
const events = readJournal(dir);
const steps = events.filter((e) => e.event === 'step-end' || e.event === 'step-error').length;

// The fixed cost, on the journal and history the run left: start (lock + read + upload of what is missing) and finish (last events + release).
const startMs = [];
const finishMs = [];
for (let i = 0; i < 5; i++) {
  let t = performance.now();
  const h = await startRunHistory(wh, loaded, { runId: `bench-${i}`, phases });
  startMs.push(performance.now() - t);
  h.record({ id: `bench-event-${i}`, ts: new Date().toISOString(), runId: `bench-${i}`, event: 'run-end', details: { kind: 'run', status: 'ok' } }, events.length + i);
  t = performance.now();
  await h.finish();
  finishMs.push(performance.now() - t);
}
const fixedMs = median(startMs) + median(finishMs);
const perStepMs = fixedMs / steps;

await wh.close();
await fake.close();
rmSync(dir, { recursive: true, force: true });

console.log(`history bench: ${phases.join(' → ')} on the fake BigQuery server, +${latencyMs} ms per request; one round trip (tables.get): ${Math.round(roundTripMs)} ms`);
console.log(`run: ${result.status}, ${steps} steps, ${Math.round(runMs)} ms wall, ${runRequests.length} requests of which ${historyRequests} for the history and the lock (uploads beside the steps)`);
console.log(`a run waits for: start ${Math.round(median(startMs))} ms (lock + history read, one statement) + end ${Math.round(median(finishMs))} ms (last events + release, one statement) = ${Math.round(fixedMs)} ms`);
console.log(`per step: ${Math.round(perStepMs)} ms = ${(perStepMs / roundTripMs).toFixed(2)} round trips (goal < 1)`);
if (process.env.BENCH_RESULT) {
  writeFileSync(process.env.BENCH_RESULT, JSON.stringify({ latencyMs, roundTripMs, steps, runMs, status: result.status, requests: runRequests.length, historyRequests, startMs: median(startMs), finishMs: median(finishMs), fixedMs, perStepMs, perStepRoundTrips: perStepMs / roundTripMs }, null, 2));
}
