#!/usr/bin/env node
// Lint benchmark: the built CLI `bqmigrate lint` against ripgrep searching the same corpus for the same legacy
// names (fixed strings) in the same run, on two corpora: the realistic one (bench/corpus/real.mjs: 7,360 files,
// about 104 MB, mostly real code without references — the primary figures: cold, the cache, the floor) and
// the synthetic one (bench/corpus/generate.mjs: 109 MB with a reference every 260 bytes — cold and floor only);
// the in-process scanner's own throughput; and the median latency of scanning and linting one 10,000-line SQL file.
// Targets: ≤ 3× ripgrep wall time, peak RSS ≤ 400 MB, 10k-line SQL lint ≤ 10 ms median.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleAndLoad } from './corpus/bundle.mjs';
import { ensureCorpus, legacyNames } from './corpus/generate.mjs';
import { ensureRealCorpus, realLegacyNames } from './corpus/real.mjs';

const root = path.resolve(import.meta.dirname, '..');
const corpusBase = path.join(root, 'bench', '.corpus');
const synthetic = path.join(corpusBase, 'workspace');
const corpus = path.join(corpusBase, 'real');
const runs = Number(process.env.BENCH_RUNS ?? 3);
const log = (s) => console.log(s);

const info = ensureRealCorpus(corpus, log);
log(`realistic corpus (v${info.version}): ${info.files} files, ${(info.bytes / 1e6).toFixed(1)} MB — ${info.code} JS/TS from node_modules, ${info.python} Python (gyp: ${info.gyp}), ${info.data} data-team files`);
const syntheticInfo = ensureCorpus(synthetic, log);
log(`synthetic corpus (generator v${syntheticInfo.version}, seed ${syntheticInfo.seed})`);

/** The folders under `dir` the linter walks (what a cache checks the mtime of). */
function walkFolders(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === '.git' || e.name === '.bqmigrate' || !e.isDirectory()) continue;
    out.push(path.join(dir, e.name));
    walkFolders(path.join(dir, e.name), out);
  }
  return out;
}

function walk(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === '.git' || e.name === '.bqmigrate') continue; // never linted (a cache left by a manual run would count as corpus)
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name !== 'VERSION' && e.name !== 'bqmigrate.json') out.push(p);
  }
  return out;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (ns) => Number(ns) / 1e6;

/** Builds the in-process entry (scanner + linter) the way the CLI bundle is built. */
function loadCore() {
  return bundleAndLoad(
    ["export { scanText, mightContainRefs, languageFor } from './src/core/scan/index';", "export { createLinter, parseManifest } from './src/core/index';"],
    path.join(corpusBase, '.build', 'core.cjs'),
  );
}

/** Wall time and peak RSS of a command, via GNU time when present. */
// Every lint runs in its own process (a lint server someone left running is not used) unless `env` says otherwise.
function timed(cmd, args, stdoutFile, env = { ...process.env, BQMIGRATE_NO_SERVER: '1' }) {
  const useTime = existsSync('/usr/bin/time');
  const t0 = process.hrtime.bigint();
  const r = useTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', stdoutFile === undefined ? 'pipe' : stdoutFile, 'pipe'], maxBuffer: 1 << 30, env })
    : spawnSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30, env });
  const wallMs = ms(process.hrtime.bigint() - t0);
  const lines = (r.stderr ?? '').trim().split('\n');
  const rssKiB = useTime ? Number(lines[lines.length - 1]) : NaN;
  return { wallMs, rssMiB: rssKiB / 1024, status: r.status, stdout: r.stdout, stderr: lines.slice(0, -1).join('\n') };
}

// One 10,000-line SQL file: scan alone and the full lint (scan + rules), median of 100 runs after 10 warm-ups,
// in a fresh process (bench/corpus/lint-one.mjs), run first: later this process holds the whole corpus, and its
// collector's background threads would compete for the two cores.
const core = await loadCore();
// Three processes; the one with the middle lint median is reported (the others are in the note).
const oneRuns = [0, 1, 2].map(() => {
  const r = spawnSync(process.execPath, [path.join(root, 'bench', 'corpus', 'lint-one.mjs'), path.join(corpusBase, '.build', 'core.cjs'), path.join(synthetic, 'bqmigrate.json'), '100'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`lint-one failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}).sort((a, b) => a.lintMedianMs - b.lintMedianMs);
const one = oneRuns[1];

const rows = [];
rows.push = function (...items) {
  for (const r of items) log(`  measured: ${r.what}: ${r.wallMs.toFixed(2)} ms, ${r.mbps.toFixed(1)} MB/s, RSS ${Number.isFinite(r.rssMiB) ? r.rssMiB.toFixed(0) : '—'} MiB (${r.note})`);
  return Array.prototype.push.apply(this, items);
};
const figures = { corpusCodeFiles: info.code, corpusPythonFiles: info.python, corpusDataFiles: info.data };
const r2 = (x) => Math.round(x * 100) / 100;
const rg = existsSync('/usr/bin/rg') ? '/usr/bin/rg' : spawnSync('which', ['rg'], { encoding: 'utf8' }).stdout.trim();
const cli = path.join(root, 'dist', 'cli.js');
const hasLint = existsSync(cli) && /lintFiles|['"]lint['"]/.test(readFileSync(cli, 'utf8'));
if (!hasLint) log('dist/cli.js has no `lint` yet: measuring the scanner in-process only');

/**
 * One corpus: ripgrep (the reference), the built CLI's cold lint, optionally the cache, and the floor, in that
 * order. Figures go into `figures` under `prefix` (none for the realistic corpus, `synthetic` for the other).
 */
function measureCorpus(dir, names, { label, prefix = '', cache = false }) {
  const key = (k) => (prefix ? prefix + k[0].toUpperCase() + k.slice(1) : k);
  const put = (o) => {
    for (const [k, v] of Object.entries(o)) figures[key(k)] = v;
  };
  const files = walk(dir);
  let bytes = 0;
  for (const f of files) bytes += readFileSync(f).length; // also warms the page cache for rg and the CLI
  const mb = bytes / 1e6;
  log(`${label} corpus: ${files.length} files, ${mb.toFixed(1)} MB`);
  put({ corpusMB: Math.round(mb * 10) / 10, corpusFiles: files.length });
  const tag = (what) => `${label}: ${what}`;

  let rgMs;
  if (rg) {
    const args = ['-F', '-c', '--no-ignore', '--hidden', ...names.flatMap((n) => ['-e', n]), dir];
    const samples = [];
    let rss = 0;
    let matchedFiles = 0;
    for (let k = 0; k < runs; k++) {
      const r = timed(rg, args);
      samples.push(r.wallMs);
      rss = Math.max(rss, r.rssMiB);
      matchedFiles = (r.stdout ?? '').split('\n').filter(Boolean).length;
    }
    rgMs = median(samples);
    rows.push({ what: tag(`rg -F -c (${names.length} legacy names)`), wallMs: rgMs, mbps: mb / (rgMs / 1000), rssMiB: rss, note: `${matchedFiles} files matched` });
    put({ rgWallMs: Math.round(rgMs), rgPeakRssMiB: Math.round(rss) });
  }

  if (hasLint) {
    const samples = [];
    let rss = 0;
    let status;
    const cliRuns = Math.max(1, Math.min(runs, Number(process.env.BENCH_CLI_RUNS ?? 3)));
    for (let k = 0; k < cliRuns; k++) {
      const r = timed(process.execPath, [path.join(root, 'bin', 'bqmigrate.js'), 'lint', dir, '--format', 'json'], 'ignore');
      samples.push(r.wallMs);
      rss = Math.max(rss, r.rssMiB);
      status = r.status;
      if (r.status !== 0 && r.status !== 1) log(`lint exited ${r.status}: ${r.stderr.slice(0, 500)}`);
    }
    const wall = median(samples);
    rows.push({ what: tag('bqmigrate lint --format json'), wallMs: wall, mbps: mb / (wall / 1000), rssMiB: rss, note: `exit ${status}${rgMs ? `; ${(wall / rgMs).toFixed(2)}× rg (target ≤ 3×)` : ''}` });
    put({ lintWallMs: Math.round(wall), lintMBps: Math.round((mb / (wall / 1000)) * 10) / 10, lintPeakRssMiB: Math.round(rss), lintExitCode: status, ...(rgMs ? { lintVsRg: r2(wall / rgMs) } : {}) });
  }

  if (hasLint && cache) {
    // The cache (`lint --cache`): filled once, then read with nothing changed, then with 1 % of the files
    // touched (a new mtime: they are linted again, the rest comes from the cache). Kept outside the corpus.
    const cacheFile = path.join(corpusBase, '.cache', `lintcache-${path.basename(dir)}`);
    rmSync(cacheFile, { force: true });
    const cached = (out = 'ignore', env = undefined) => timed(process.execPath, [path.join(root, 'bin', 'bqmigrate.js'), 'lint', dir, '--format', 'json', '--cache', '--cache-location', cacheFile], out, env);
    const fill = cached();
    const warm = [];
    const changed = [];
    let warmRss = 0;
    let changedRss = 0;
    const step = 100; // every 100th file: 1 %
    let stamp = Math.floor(Date.now() / 1000);
    for (let k = 0; k < Math.max(3, runs); k++) {
      const w = cached();
      warm.push(w.wallMs);
      warmRss = Math.max(warmRss, w.rssMiB);
      stamp++;
      for (let i = k % step; i < files.length; i += step) utimesSync(files[i], stamp, stamp);
      const c = cached();
      changed.push(c.wallMs);
      changedRss = Math.max(changedRss, c.rssMiB);
    }
    const warmMs = median(warm);
    const changedMs = median(changed);
    const touched = Math.ceil(files.length / step);
    rows.push(
      { what: tag('bqmigrate lint --format json --cache, cache empty (fills it)'), wallMs: fill.wallMs, mbps: mb / (fill.wallMs / 1000), rssMiB: fill.rssMiB, note: `cache ${(statSync(cacheFile).size / 1e6).toFixed(1)} MB` },
      { what: tag('bqmigrate lint --format json --cache, nothing changed'), wallMs: warmMs, mbps: mb / (warmMs / 1000), rssMiB: warmRss, note: rgMs ? `${(warmMs / rgMs).toFixed(2)}× rg (target ≤ 1×)` : '' },
      { what: tag(`bqmigrate lint --format json --cache, 1 % changed (${touched} files)`), wallMs: changedMs, mbps: mb / (changedMs / 1000), rssMiB: changedRss, note: rgMs ? `${(changedMs / rgMs).toFixed(2)}× rg (target ≤ 1.5×)` : '' },
    );
    // The warm floor (warm-floor.mjs): node, a stat of every folder and file, the stored output copied out —
    // what any node implementation of the cache convention pays with nothing changed.
    if (rgMs) {
      const listFile = path.join(corpusBase, '.cache', `paths-${path.basename(dir)}`);
      const outFile = path.join(corpusBase, '.cache', `output-${path.basename(dir)}.json`);
      writeFileSync(listFile, [dir, ...walkFolders(dir), ...files].join('\n'));
      const fd = openSync(outFile, 'w');
      cached(fd);
      closeSync(fd);
      const samples = [];
      for (let k = 0; k < runs; k++) samples.push(timed(process.execPath, [path.join(root, 'bench', 'corpus', 'warm-floor.mjs'), listFile, outFile], 'ignore').wallMs);
      const wall = median(samples);
      rows.push({ what: tag('warm floor: node + stat every folder and file + copy the stored output'), wallMs: wall, mbps: mb / (wall / 1000), rssMiB: NaN, note: `${(wall / rgMs).toFixed(2)}× rg; output ${(statSync(outFile).size / 1e6).toFixed(1)} MB` });
      put({ warmFloorWallMs: Math.round(wall), warmFloorVsRg: r2(wall / rgMs) });
    }
    // The same through a lint server (`lint-server start`, its socket in a temp dir of this bench's): each run
    // is a client process that hands the lint to the server, which has the lint code loaded and optimised
    // (two runs first, untimed, so it has).
    {
      const env = { ...process.env, TMPDIR: mkdtempSync(path.join(os.tmpdir(), 'bqm-bench-srv-')), BQMIGRATE_NO_SERVER: '' };
      const server = (action) => timed(process.execPath, [path.join(root, 'bin', 'bqmigrate.js'), 'lint-server', action], undefined, env);
      const started = server('start');
      if (started.status !== 0) throw new Error(`lint-server start failed: ${started.stdout}${started.stderr}`);
      try {
        cached('ignore', env);
        cached('ignore', env);
        const warmServed = [];
        const changedServed = [];
        let clientRss = 0;
        for (let k = 0; k < Math.max(3, runs); k++) {
          const w = cached('ignore', env);
          warmServed.push(w.wallMs);
          stamp++;
          for (let i = (k + 50) % step; i < files.length; i += step) utimesSync(files[i], stamp, stamp);
          const c = cached('ignore', env);
          changedServed.push(c.wallMs);
          clientRss = Math.max(clientRss, w.rssMiB, c.rssMiB);
        }
        const w = median(warmServed);
        const c = median(changedServed);
        const serverRss = Number(/memory (\d+) MiB/.exec(server('status').stdout)?.[1]);
        const rss = `the client's RSS; the server's ${serverRss} MiB`;
        rows.push(
          { what: tag('bqmigrate lint --format json --cache through the lint server, nothing changed'), wallMs: w, mbps: mb / (w / 1000), rssMiB: clientRss, note: `${rgMs ? `${(w / rgMs).toFixed(2)}× rg (target ≤ 1×); ` : ''}${rss}` },
          { what: tag(`bqmigrate lint --format json --cache through the lint server, 1 % changed (${touched} files)`), wallMs: c, mbps: mb / (c / 1000), rssMiB: clientRss, note: `${rgMs ? `${(c / rgMs).toFixed(2)}× rg (target ≤ 1.5×); ` : ''}${rss}` },
        );
        put({ serverWarmWallMs: Math.round(w), serverChangedWallMs: Math.round(c), serverClientPeakRssMiB: Math.round(clientRss), serverRssMiB: serverRss, ...(rgMs ? { serverWarmVsRg: r2(w / rgMs), serverChangedVsRg: r2(c / rgMs) } : {}) });
        // Without --cache through the server: every file read and linted again, on the lint workers the server
        // keeps (their code optimised by the runs before; two untimed runs first). Not the cold target, whose
        // lint starts in a fresh process.
        const plain = () => timed(process.execPath, [path.join(root, 'bin', 'bqmigrate.js'), 'lint', dir, '--format', 'json'], 'ignore', env);
        plain();
        plain();
        const served = [];
        for (let k = 0; k < Math.max(3, runs); k++) served.push(plain().wallMs);
        const p = median(served);
        const status = server('status').stdout;
        const pool = /pool +(.*)/.exec(status)?.[1] ?? '';
        const withPool = Number(/memory (\d+) MiB/.exec(status)?.[1]);
        rows.push({ what: tag('bqmigrate lint --format json through the lint server (no cache: every file linted again)'), wallMs: p, mbps: mb / (p / 1000), rssMiB: NaN, note: `${rgMs ? `${(p / rgMs).toFixed(2)}× rg; ` : ''}${pool}; the server's RSS ${withPool} MiB` });
        put({ serverNoCacheWallMs: Math.round(p), serverWithPoolRssMiB: withPool, ...(rgMs ? { serverNoCacheVsRg: r2(p / rgMs) } : {}) });
      } finally {
        server('stop');
        rmSync(env.TMPDIR, { recursive: true, force: true });
      }
    }
    put({
      cacheFillWallMs: Math.round(fill.wallMs),
      cacheBytes: statSync(cacheFile).size,
      cacheWarmWallMs: Math.round(warmMs),
      cacheWarmPeakRssMiB: Math.round(warmRss),
      cacheChangedWallMs: Math.round(changedMs),
      cacheChangedFiles: touched,
      ...(rgMs ? { cacheWarmVsRg: r2(warmMs / rgMs), cacheChangedVsRg: r2(changedMs / rgMs) } : {}),
    });
  }

  // The floors (floor.mjs): node + one worker per core reading every file, then decoding it and touching
  // every character (a JavaScript linter that lexes every character cannot be faster), or nothing more (a
  // scanner of the raw bytes, native or WebAssembly, started from node cannot be faster). Their ratios to rg
  // say how much of a "× ripgrep" target is left for the prefilter, lexing, rules and output.
  if (rgMs) {
    const floorOf = (mode) => median(Array.from({ length: runs }, () => timed(process.execPath, [path.join(root, 'bench', 'corpus', 'floor.mjs'), dir, mode]).wallMs));
    const wall = floorOf('decode');
    rows.push({ what: tag('floor: node + worker per core, read + decode + touch every char'), wallMs: wall, mbps: mb / (wall / 1000), rssMiB: NaN, note: `${(wall / rgMs).toFixed(2)}× rg; no lexing` });
    put({ floorWallMs: Math.round(wall), floorVsRg: r2(wall / rgMs) });
    if (figures[key('lintWallMs')]) put({ lintVsFloor: r2(figures[key('lintWallMs')] / wall) });
    const bytes = floorOf('bytes');
    rows.push({ what: tag('bytes floor: node + worker per core, read every file'), wallMs: bytes, mbps: mb / (bytes / 1000), rssMiB: NaN, note: `${(bytes / rgMs).toFixed(2)}× rg; no decoding` });
    put({ bytesFloorWallMs: Math.round(bytes), bytesFloorVsRg: r2(bytes / rgMs) });
  }
  return files;
}

// Node's own start (no script): the fixed cost every CLI run pays before reading a byte.
{
  const samples = [];
  for (let k = 0; k < runs; k++) samples.push(timed(process.execPath, ['-e', '0']).wallMs);
  const wall = median(samples);
  rows.push({ what: 'node -e 0 (start and exit)', wallMs: wall, mbps: NaN, rssMiB: NaN, note: 'fixed cost of any node process' });
  figures.nodeStartMs = Math.round(wall);
}
const files = measureCorpus(corpus, realLegacyNames(), { label: 'realistic', cache: true });
measureCorpus(synthetic, legacyNames(), { label: 'synthetic', prefix: 'synthetic' });
const texts = files.map((f) => readFileSync(f, 'utf8'));
const mb = texts.reduce((n, t) => n + Buffer.byteLength(t), 0) / 1e6;

/** The machine's speed right now: one pass of charCodeAt over the texts, the floor any lexer pays. */
function charLoopMs(list) {
  let x = 0;
  const t0 = process.hrtime.bigint();
  for (const t of list) for (let i = 0; i < t.length; i++) x = (x + t.charCodeAt(i)) | 0;
  const wall = ms(process.hrtime.bigint() - t0);
  return x === 0.5 ? -1 : wall;
}

// The scanner alone, in this process, one thread, against a bare character loop over the same texts.
{
  const wall = charLoopMs(texts);
  rows.push({ what: 'realistic: bare charCodeAt loop, 1 thread', wallMs: wall, mbps: mb / (wall / 1000), rssMiB: NaN, note: 'machine speed in this run' });
  figures.charLoopMs = Math.round(wall);
}
const loaded = core.parseManifest(readFileSync(path.join(corpus, 'bqmigrate.json'), 'utf8'), path.join(corpus, 'bqmigrate.json'));
if (!loaded.ok) throw new Error(`corpus manifest invalid: ${JSON.stringify(loaded.problems)}`);
const linter = core.createLinter(loaded.loaded);
const scanOpts = linter.scanOptions;
{
  let refs = 0;
  let passed = 0;
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < files.length; k++) {
    const family = core.languageFor(files[k]);
    if (!core.mightContainRefs(texts[k], scanOpts, family)) continue;
    passed++;
    refs += core.scanText(texts[k], family, scanOpts).refs.length;
  }
  const wall = ms(process.hrtime.bigint() - t0);
  rows.push({ what: 'realistic: prefilter + scanText, in-process, 1 thread', wallMs: wall, mbps: mb / (wall / 1000), rssMiB: process.memoryUsage().rss / 2 ** 20, note: `${refs} refs; prefilter passed ${passed}/${files.length}` });
  Object.assign(figures, {
    scanWallMs: Math.round(wall),
    scanMBps: Math.round(mb / (wall / 1000)),
    scanRefs: refs,
    scanVsCharLoop: Math.round((wall / figures.charLoopMs) * 100) / 100,
    ...(figures.rgWallMs ? { scanVsRg: r2(wall / figures.rgWallMs) } : {}),
  });
}

{
  const kb = one.bytes / 1024;
  const mbps = (t) => kb / 1024 / (t / 1000);
  rows.push({ what: '10k-line SQL: bare charCodeAt loop median', wallMs: one.loopMedianMs, mbps: mbps(one.loopMedianMs), rssMiB: NaN, note: 'machine speed in this run' });
  rows.push({ what: `10k-line SQL (${kb.toFixed(0)} KiB): scanText median`, wallMs: one.scanMedianMs, mbps: mbps(one.scanMedianMs), rssMiB: NaN, note: `min ${one.scanMinMs.toFixed(2)} ms` });
  rows.push({ what: '10k-line SQL: lintText (scan + rules) median', wallMs: one.lintMedianMs, mbps: mbps(one.lintMedianMs), rssMiB: NaN, note: `${one.violations} violations; min ${one.lintMinMs.toFixed(2)} ms; medians of 3 processes ${oneRuns.map((o) => o.lintMedianMs.toFixed(2)).join(', ')}` });
  Object.assign(figures, {
    sql10kCharLoopMedianMs: r2(one.loopMedianMs),
    sql10kScanMedianMs: r2(one.scanMedianMs),
    sql10kLintMedianMs: r2(one.lintMedianMs),
    sql10kLintMinMs: r2(one.lintMinMs),
    sql10kVsTarget: r2(one.lintMedianMs / 10),
    sql10kScanVsCharLoop: r2(one.scanMedianMs / one.loopMedianMs),
    sql10kLintVsCharLoop: r2(one.lintMedianMs / one.loopMedianMs),
  });
}

const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '—');
console.log('');
console.log('| measurement | wall ms | MB/s | peak RSS MiB | note |');
console.log('|---|---:|---:|---:|---|');
for (const r of rows) console.log(`| ${r.what} | ${fmt(r.wallMs, r.wallMs < 100 ? 2 : 0)} | ${fmt(r.mbps, 1)} | ${fmt(r.rssMiB)} | ${r.note} |`);
console.log('');
if (figures.lintVsRg !== undefined) console.log(`realistic corpus: lint / rg wall time: ${figures.lintVsRg}× (target ≤ 3×); lint peak RSS ${figures.lintPeakRssMiB} MiB (target ≤ 400)`);
if (figures.syntheticLintVsRg !== undefined) console.log(`synthetic corpus: lint / rg wall time: ${figures.syntheticLintVsRg}×; floor / rg ${figures.syntheticFloorVsRg}×`);
if (figures.cacheWarmVsRg !== undefined) console.log(`lint --cache / rg wall time: ${figures.cacheWarmVsRg}× nothing changed (target ≤ 1×), ${figures.cacheChangedVsRg}× with 1 % changed (target ≤ 1.5×)`);
if (figures.floorVsRg !== undefined) console.log(`realistic corpus: floor / rg wall time: ${figures.floorVsRg}× (reading, decoding and touching every character in JavaScript, nothing else); reading the bytes only ${figures.bytesFloorVsRg}×`);
if (figures.warmFloorVsRg !== undefined) console.log(`realistic corpus: warm floor / rg wall time: ${figures.warmFloorVsRg}× (node, a stat of every folder and file, the stored output copied out)`);
if (figures.serverWarmVsRg !== undefined) console.log(`through the lint server / rg wall time: ${figures.serverWarmVsRg}× nothing changed, ${figures.serverChangedVsRg}× with 1 % changed (--cache), ${figures.serverNoCacheVsRg}× without --cache (kept lint workers)`);
console.log(`10k-line SQL lint median: ${figures.sql10kLintMedianMs} ms (target ≤ 10 ms)`);
if (process.env.BENCH_RESULT) writeFileSync(process.env.BENCH_RESULT, JSON.stringify(figures));
