#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.mjs in turn, each in its own `node` process, prints their
// tables and writes bench/results.json. `npm run bench -- lint phases` runs only those.
//
// Contract for a bench file: it prints its own small table to stdout, and when the environment
// variable BENCH_RESULT is set it writes its figures there as one JSON object (ratios against a
// reference measured in the same run, plus the raw numbers). Exit code 0 means it ran.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const only = process.argv.slice(2);
const benches = readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith('.bench.mjs'))
  .sort()
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.bench\.mjs$/, '')));

function cpuModel() {
  const r = spawnSync('lscpu', [], { encoding: 'utf8' });
  const m = /^Model name:\s*(.+)$/m.exec(r.stdout ?? '');
  return m ? m[1].trim() : os.cpus()[0]?.model ?? 'unknown';
}

const machine = {
  nproc: os.availableParallelism(),
  cpu: cpuModel(),
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
  loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
};
console.log(`machine: ${machine.nproc} CPUs (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}, load ${machine.loadAverageAtStart.join(' ')}`);

// A partial run (`npm run bench -- host`) keeps the other benches' last figures, each with its own time.
const resultsFile = path.join(import.meta.dirname, 'results.json');
let previous = {};
try {
  previous = JSON.parse(readFileSync(resultsFile, 'utf8')).benches ?? {};
} catch {
  // no earlier results
}
const results = { ts: new Date().toISOString(), machine, benches: { ...previous } };
let failed = 0;
for (const file of benches) {
  const name = file.replace(/\.bench\.mjs$/, '');
  const out = path.join(os.tmpdir(), `bqmigrate-bench-${process.pid}-${name}.json`);
  console.log(`\n== ${name} ==`);
  const started = Date.now();
  const r = spawnSync(process.execPath, [path.join(import.meta.dirname, file)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, BENCH_RESULT: out, METADATA_SERVER_DETECTION: 'none' },
  });
  const entry = { seconds: (Date.now() - started) / 1000, exitCode: r.status };
  if (existsSync(out)) {
    try {
      entry.figures = JSON.parse(readFileSync(out, 'utf8'));
    } catch (e) {
      entry.error = `unreadable result: ${e.message}`;
    }
    rmSync(out, { force: true });
  }
  if (r.status !== 0) {
    failed++;
    entry.error ??= `exited with ${r.status ?? r.signal}`;
    console.log(`${name}: FAILED (${entry.error})`);
  }
  results.benches[name] = { ts: new Date().toISOString(), ...entry };
}
writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n');
console.log(`\nwrote bench/results.json (${benches.length} bench${benches.length === 1 ? '' : 'es'}, ${failed} failed)`);
process.exitCode = failed > 0 ? 1 : 0;
