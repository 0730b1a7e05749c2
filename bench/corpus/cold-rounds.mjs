#!/usr/bin/env node
// A cold `lint --format json` (no cache) of two or more builds run alternately, with ripgrep (the same fixed
// strings as lint.bench.mjs) in every round: for comparing a change with the code before it on a shared
// machine, where absolute times drift from minute to minute. The order of the builds alternates between
// rounds. Wall ms around the process; CPU (user + sys) from GNU time. Prints medians and ratios to
// ripgrep's median, and checks that every build printed the same output.
// Usage: node bench/corpus/cold-rounds.mjs <rounds> [--synthetic] <label>=<path to bin/bqmigrate.js> …
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import path from 'node:path';
import { ensureCorpus, legacyNames } from './generate.mjs';
import { ensureRealCorpus, realLegacyNames } from './real.mjs';

const root = path.resolve(import.meta.dirname, '..', '..');
const args = process.argv.slice(2);
const synthetic = args.includes('--synthetic');
const [rounds, ...specs] = args.filter((a) => a !== '--synthetic');
if (!(Number(rounds) > 0) || specs.length === 0) throw new Error('usage: cold-rounds.mjs <rounds> [--synthetic] <label>=<bin> …');
const corpus = path.join(root, 'bench', '.corpus', synthetic ? 'workspace' : 'real');
if (synthetic) ensureCorpus(corpus, () => {});
else ensureRealCorpus(corpus, () => {});
const names = synthetic ? legacyNames() : realLegacyNames();
const builds = specs.map((s) => {
  const [label, bin] = s.split('=');
  return { label, bin, wall: [], cpu: [], outputs: new Set() };
});
const rgBin = spawnSync('/usr/bin/rg', ['--version']).status === 0 ? '/usr/bin/rg' : 'rg';
const rg = ['-F', '-c', '--no-ignore', '--hidden', ...names.flatMap((n) => ['-e', n]), corpus];

/** Runs a command under GNU time: wall ms, CPU ms and stdout. */
function timed(cmd, argv) {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', cmd, ...argv], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = performance.now() - t0;
  if (r.error) throw r.error;
  const [user, sys] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { wall, cpu: (user + sys) * 1000, stdout: r.stdout };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const rgMs = [];
const loads = [];
for (let r = 0; r < Number(rounds); r++) {
  loads.push(loadavg()[0].toFixed(2));
  rgMs.push(timed(rgBin, rg).wall);
  const order = r % 2 === 0 ? builds : [...builds].reverse();
  for (const b of order) {
    const run = timed(process.execPath, [b.bin, 'lint', '--format', 'json', '--manifest', path.join(corpus, 'bqmigrate.json'), corpus]);
    b.wall.push(run.wall);
    b.cpu.push(run.cpu);
    b.outputs.add(createHash('sha256').update(run.stdout).digest('hex'));
  }
}
const rgMedian = median(rgMs);
console.log(`${rounds} rounds on the ${synthetic ? 'synthetic' : 'realistic'} corpus, load average (1 min) ${loads.join(' ')}`);
console.log(`ripgrep median ${Math.round(rgMedian)} ms (min ${Math.round(Math.min(...rgMs))})`);
for (const b of builds) {
  console.log(`${b.label}: cold ${Math.round(median(b.wall))} ms = ${(median(b.wall) / rgMedian).toFixed(2)}× ripgrep (min ${Math.round(Math.min(...b.wall))}, CPU ${Math.round(median(b.cpu))} ms)`);
}
const outputs = new Set(builds.flatMap((b) => [...b.outputs]));
if (outputs.size !== 1) {
  console.error(`the builds printed ${outputs.size} different outputs`);
  process.exit(1);
}
