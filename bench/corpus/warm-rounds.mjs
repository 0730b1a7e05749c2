#!/usr/bin/env node
// A warm `lint --format json --cache` of two or more builds run alternately on the realistic corpus, with
// ripgrep (the same 11 fixed strings as lint.bench.mjs) and `node -e 0` in every round: for comparing a change
// with the code before it on a shared machine, where absolute times drift from minute to minute. Each round:
// ripgrep, `node -e 0`, each build warm (nothing changed), then every 100th file touched (a new mtime) and
// each build again (1 % changed), then each build once more untimed (so the next round starts warm), then
// one file in the middle of the corpus touched and each build again (one file changed, as in a pre-commit
// hook), then each build once more untimed, then a copy of that file added beside it and each build again
// (one file added), once more untimed, the copy removed and each build again (one file removed), once more
// untimed. The order of the builds alternates between rounds. Wall ms around the process; CPU (user + sys)
// from GNU time.
// Fill each build's cache first (one run each). Prints medians, ratios to ripgrep's median and the load.
// A build runs in its own process (BQMIGRATE_NO_SERVER=1) unless its spec ends in `=server`: then its lint
// goes to the lint server of that build, which must be running (`bqmigrate lint-server start`).
// Usage: node bench/corpus/warm-rounds.mjs <rounds> <label>=<path to bin/bqmigrate.js>=<cache file>[=server] …
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { realLegacyNames } from './real.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const corpus = path.join(root, 'bench', '.corpus', 'real');
const [rounds, ...specs] = process.argv.slice(2);
if (!(Number(rounds) > 0) || specs.length === 0) throw new Error('usage: warm-rounds.mjs <rounds> <label>=<bin>=<cache> …');
const builds = specs.map((b) => {
  const [label, bin, cache, server] = b.split('=');
  return { label, bin, cache, env: server === 'server' ? process.env : { ...process.env, BQMIGRATE_NO_SERVER: '1' }, warm: [], warmCpu: [], changed: [], changedCpu: [], one: [], oneCpu: [], added: [], addedCpu: [], removed: [], removedCpu: [] };
});
const files = [];
(function walk(d) {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) {
      if (e.name !== '.bqmigrate') walk(p);
    } else if (e.name !== 'bqmigrate.json') files.push(p);
  }
})(corpus);
files.sort();
const touched = files.filter((_, i) => i % 100 === 0);
const middle = files[files.length >> 1];
const added = path.join(path.dirname(middle), `added-${path.basename(middle)}`);
const rgBin = spawnSync('/usr/bin/rg', ['--version']).status === 0 ? '/usr/bin/rg' : 'rg';
const rg = ['-F', '-c', '--no-ignore', '--hidden', ...realLegacyNames().flatMap((n) => ['-e', n]), corpus];

function timed(cmd, args, env = process.env) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', cmd, ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26, env });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const [user, sys] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { wall, cpu: (user + sys) * 1000 };
}
const lint = (b) => timed(process.execPath, [b.bin, 'lint', corpus, '--format', 'json', '--cache', '--cache-location', b.cache], b.env);

const rgMs = [];
const nodeMs = [];
const loads = [];
for (let r = 0; r < Number(rounds); r++) {
  loads.push(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  rgMs.push(timed(rgBin, rg).wall);
  nodeMs.push(timed(process.execPath, ['-e', '0']).wall);
  const order = r % 2 ? [...builds].reverse() : builds;
  for (const b of order) {
    const t = lint(b);
    b.warm.push(t.wall);
    b.warmCpu.push(t.cpu);
  }
  const now = Date.now() / 1000 + r;
  for (const f of touched) utimesSync(f, now, now);
  for (const b of order) {
    const t = lint(b);
    b.changed.push(t.wall);
    b.changedCpu.push(t.cpu);
  }
  for (const b of order) lint(b);
  utimesSync(middle, now + 0.5, now + 0.5);
  for (const b of order) {
    const t = lint(b);
    b.one.push(t.wall);
    b.oneCpu.push(t.cpu);
  }
  for (const b of order) lint(b);
  // A file added beside the middle one (a copy of it), then removed again: what a commit that adds or deletes a file leaves.
  writeFileSync(added, readFileSync(middle));
  for (const b of order) {
    const t = lint(b);
    b.added.push(t.wall);
    b.addedCpu.push(t.cpu);
  }
  for (const b of order) lint(b);
  rmSync(added);
  for (const b of order) {
    const t = lint(b);
    b.removed.push(t.wall);
    b.removedCpu.push(t.cpu);
  }
  for (const b of order) lint(b);
}

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const rgMedian = median(rgMs);
console.log(`${rounds} rounds, ${touched.length} files touched for 1 %, load average (1 min) ${loads.join(' ')}`);
console.log(`ripgrep median ${rgMedian.toFixed(0)} ms (min ${Math.min(...rgMs).toFixed(0)}); node -e 0 median ${median(nodeMs).toFixed(0)} ms`);
const row = (label, wall, cpu) => `${label} ${median(wall).toFixed(0)} ms = ${(median(wall) / rgMedian).toFixed(2)}× ripgrep (min ${Math.min(...wall).toFixed(0)}, CPU ${median(cpu).toFixed(0)} ms)`;
for (const b of builds) {
  console.log(`${b.label}: ${[row('warm', b.warm, b.warmCpu), row('1 % changed', b.changed, b.changedCpu), row('one file changed', b.one, b.oneCpu), row('one file added', b.added, b.addedCpu), row('one file removed', b.removed, b.removedCpu)].join('; ')}`);
}
