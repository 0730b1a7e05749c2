#!/usr/bin/env node
// The lint cache (`bqmigrate lint --format json --cache`, the built CLI) against ripgrep searching the same
// corpus for the same legacy names, in one run per corpus: filling an empty cache, a warm run with nothing
// changed, and one with 1 % of the files touched (a new mtime: linted again, the rest from the cache).
// Corpora: the realistic one (bench/corpus/real.mjs: mostly real code without references) when that
// generator is there, and the synthetic one (bench/corpus/generate.mjs). The cache file lives outside the
// corpus. Targets (issue 19): warm ≤ 1× ripgrep, 1 % changed ≤ 1.5× ripgrep.
// BENCH_REAL_CORPUS=DIR measures a realistic corpus already written elsewhere.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureCorpus, legacyNames } from './corpus/generate.mjs';

const root = path.resolve(import.meta.dirname, '..');
const corpusBase = path.join(root, 'bench', '.corpus');
const runs = Math.max(3, Number(process.env.BENCH_RUNS ?? 5));
const cli = path.join(root, 'bin', 'bqmigrate.js');
const log = (s) => console.log(s);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

if (!existsSync(path.join(root, 'dist', 'cli.js'))) {
  log('dist/cli.js is missing: run `npm run build` first');
  process.exit(1);
}

/** Wall time and peak RSS of a command (GNU time when present). */
function timed(cmd, args) {
  const useTime = existsSync('/usr/bin/time');
  const t0 = process.hrtime.bigint();
  const r = useTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] })
    : spawnSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const lines = (r.stderr ?? '').trim().split('\n');
  return { wallMs, rssMiB: useTime ? Number(lines[lines.length - 1]) / 1024 : NaN, status: r.status, stderr: r.stderr };
}

function corpusFiles(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === '.git' || e.name === '.bqmigrate') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) corpusFiles(p, out);
    else if (e.name !== 'bqmigrate.json' && e.name !== 'VERSION') out.push(p);
  }
  return out.sort();
}

/** One corpus: every figure measured in this one run, each ratio against ripgrep's median of the same run. */
function measure(name, corpus, names) {
  const files = corpusFiles(corpus);
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  const loadBefore = load();
  log(`\n${name}: ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB; load ${loadBefore}`);
  const rgBin = existsSync('/usr/bin/rg') ? '/usr/bin/rg' : spawnSync('which', ['rg'], { encoding: 'utf8' }).stdout.trim();
  if (!rgBin) throw new Error('ripgrep (rg) is not installed: it is the reference');
  const rgArgs = ['-F', '-c', '--no-ignore', '--hidden', ...names.flatMap((n) => ['-e', n]), corpus];
  const cacheFile = path.join(corpusBase, '.cache', `${name}-lintcache`);
  mkdirSync(path.dirname(cacheFile), { recursive: true });
  const lint = (extra) => timed(process.execPath, [cli, 'lint', corpus, '--format', 'json', ...extra]);
  const cached = () => lint(['--cache', '--cache-location', cacheFile]);
  timed(rgBin, rgArgs); // page cache warm for everyone
  const uncached = [lint([]), lint([])];
  rmSync(cacheFile, { force: true });
  const fill = cached();
  if (fill.status !== 0 && fill.status !== 1) throw new Error(`lint --cache exited ${fill.status}: ${fill.stderr.slice(0, 500)}`);
  const rg = [];
  const warm = [];
  const changed = [];
  let stamp = Math.floor(Date.now() / 1000);
  const step = 100; // every 100th file: 1 %
  for (let k = 0; k < runs; k++) {
    rg.push(timed(rgBin, rgArgs).wallMs);
    warm.push(cached());
    stamp++;
    for (let i = k % step; i < files.length; i += step) utimesSync(files[i], stamp, stamp);
    rg.push(timed(rgBin, rgArgs).wallMs);
    changed.push(cached());
  }
  const rgMs = median(rg);
  const wall = (xs) => median(xs.map((x) => x.wallMs));
  const rss = (xs) => Math.max(...xs.map((x) => x.rssMiB));
  const f = {
    files: files.length,
    mb: Math.round(bytes / 1e5) / 10,
    rgMs: Math.round(rgMs),
    uncachedMs: Math.round(wall(uncached)),
    fillMs: Math.round(fill.wallMs),
    fillRssMiB: Math.round(fill.rssMiB),
    cacheBytes: statSync(cacheFile).size,
    warmMs: Math.round(wall(warm)),
    warmRssMiB: Math.round(rss(warm)),
    changedMs: Math.round(wall(changed)),
    changedRssMiB: Math.round(rss(changed)),
    changedFiles: Math.ceil(files.length / step),
    loadBefore,
    loadAfter: load(),
  };
  const r2 = (x) => Math.round(x * 100) / 100;
  Object.assign(f, { uncachedVsRg: r2(f.uncachedMs / rgMs), fillVsUncached: r2(f.fillMs / f.uncachedMs), warmVsRg: r2(f.warmMs / rgMs), changedVsRg: r2(f.changedMs / rgMs) });
  log('| measurement | wall ms | × rg | peak RSS MiB |');
  log('|---|---:|---:|---:|');
  log(`| rg -F -c (${names.length} legacy names), median of ${rg.length} | ${f.rgMs} | 1 | — |`);
  log(`| lint --format json, no cache | ${f.uncachedMs} | ${f.uncachedVsRg} | ${Math.round(rss(uncached))} |`);
  log(`| lint --cache, cache empty (fills ${(f.cacheBytes / 1e6).toFixed(1)} MB) | ${f.fillMs} | ${r2(f.fillMs / rgMs)} (${f.fillVsUncached}× uncached) | ${f.fillRssMiB} |`);
  log(`| lint --cache, nothing changed, median of ${runs} | ${f.warmMs} | **${f.warmVsRg}** (target ≤ 1) | ${f.warmRssMiB} |`);
  log(`| lint --cache, 1 % changed (${f.changedFiles} files), median of ${runs} | ${f.changedMs} | **${f.changedVsRg}** (target ≤ 1.5) | ${f.changedRssMiB} |`);
  log(`load average ${f.loadBefore} before, ${f.loadAfter} after`);
  return f;
}

const figures = {};
let real = process.env.BENCH_REAL_CORPUS;
let realNames;
const realModule = path.join(import.meta.dirname, 'corpus', 'real.mjs');
if (existsSync(realModule)) {
  const m = await import(realModule);
  realNames = m.realLegacyNames();
  if (!real) {
    real = path.join(corpusBase, 'real');
    m.ensureRealCorpus(real, log);
  }
} else if (real) {
  throw new Error('BENCH_REAL_CORPUS needs bench/corpus/real.mjs for the legacy names ripgrep looks for');
}
if (real) figures.real = measure('real', real, realNames);
else log('bench/corpus/real.mjs is not there: the realistic corpus is not measured');

const synthetic = path.join(corpusBase, 'workspace');
ensureCorpus(synthetic, log);
mkdirSync(path.join(synthetic, '.git'), { recursive: true }); // its own repository root, as in lint.bench.mjs
figures.synthetic = measure('synthetic', synthetic, legacyNames());

if (process.env.BENCH_RESULT) writeFileSync(process.env.BENCH_RESULT, JSON.stringify(figures));
