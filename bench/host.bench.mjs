#!/usr/bin/env node
// Host benchmark: the extension inside a real VS Code (code-server + headless Chromium, as the
// host tests run it) on a copy of test/fixtures/workspace plus a 10,000-line SQL file.
// Measured inside the extension host (test/host/bench/index.ts, via `bqmigrate.internal.stats`):
//   activation time; extension-host start → first complete workspace diagnostics; the scan's own time;
//   re-lint latency per keystroke in the 10,000-line file (median; target ≤ 15 ms), and keystroke →
//   diagnostics published (includes the debounce).
//
// "Re-lint latency" is the extension's work for one keystroke once the debounce has run out: for the
// edit at document version v, the lint of version v as WorkspaceLinter.lintDocument times it — from
// reading the document's text, through the core linter and the conversion of every violation to a
// vscode.Diagnostic, to `DiagnosticCollection.set` returning (the diagnostics are handed to VS Code).
// It is split into core (text + `Linter.lintEdit`: the incremental re-lint from the previous version, which in
// SQL scans and checks only the edited statements), convert (violations → diagnostics) and publish
// (`collection.set`). Excluded: the debounce (`bqmigrate.lint.debounceMs`) and what VS Code does after
// `set` (its 50 ms coalescing of onDidChangeDiagnostics, the window drawing) — the "keystroke →
// diagnostics published" row includes those. MappingReferences and reference counts are built lazily,
// after `set`, when the tree, status bar or Find All References read them.
//
// References measured in the same run: a whole `lintText` of the same 10,000-line text in this process
// (median of 30 after 10 warm-ups; in-host / out-of-host ratio — note the host runs code-server's Node 24,
// this process the project's Node), and `bqmigrate lint` (CLI) over the same workspace (scan ratio).
// The load average is printed at the start and the end: on a shared machine compare ratios, not times.
// BQMIGRATE_BENCH_CPU_PROFILE=<file.cpuprofile> also writes a CPU profile of the extension host taken
// during the keystrokes (open it in Chrome DevTools or VS Code).
// Needs: `npm run build && npm run compile-tests`, and the VS Code host (`node scripts/vscode-host.mjs current`; `npm test` installs it).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { tenThousandLineSql } from './corpus/generate.mjs';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
for (const f of ['dist/extension.js', 'dist/cli.js', 'out/test/host/bench/index.js', 'out/src/core/index.js']) {
  if (!existsSync(path.join(root, f))) {
    console.error(`host bench: ${f} is missing: run \`npm run build && npm run compile-tests\` first`);
    process.exit(1);
  }
}
const { makeScratch, startCodeServer } = require(path.join(root, 'out/test/host/lib/code-server.js'));
const { launchBrowser } = require(path.join(root, 'out/test/lib/browser.js'));
const { Progress } = require(path.join(root, 'out/test/host/lib/progress.js'));
const { newWorkbenchPage, runExtensionTests } = require(path.join(root, 'out/test/host/lib/workbench.js'));
const core = require(path.join(root, 'out/src/core/index.js'));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x) => (x === undefined ? 'n/a' : x < 10 ? x.toFixed(2) : x.toFixed(0));

const loadAtStart = os.loadavg().map((x) => Math.round(x * 100) / 100);
const scratch = makeScratch('bqmigrate-host-bench-');
const workspace = path.join(scratch, 'workspace');
cpSync(path.join(root, 'test/fixtures/workspace'), workspace, { recursive: true });
const bigSql = tenThousandLineSql();
writeFileSync(path.join(workspace, 'sql', 'bench_10k.sql'), bigSql);

// Reference 1: the core linter on the same text, in this process (Node, no editor).
const loaded = core.loadManifestFile(path.join(workspace, 'bqmigrate.json'));
if (!loaded.ok) throw new Error(`fixture manifest: ${loaded.problems.map((p) => p.message).join('; ')}`);
const linter = core.createLinter(loaded.loaded);
const bigFile = path.join(workspace, 'sql', 'bench_10k.sql');
const outOfHost = [];
for (let i = 0; i < 40; i++) {
  const text = i % 2 ? bigSql : bigSql.replace('\n', ' \n');
  const t0 = performance.now();
  linter.lintText(text, bigFile, 'sql');
  if (i >= 10) outOfHost.push(performance.now() - t0);
}
// Reference 2: the CLI over the same workspace.
const cliStart = performance.now();
const cli = spawnSync(process.execPath, [path.join(root, 'bin/bqmigrate.js'), 'lint', workspace, '--format', 'json'], { encoding: 'utf8', env: { ...process.env, METADATA_SERVER_DETECTION: 'none' } });
const cliMs = performance.now() - cliStart;

const progress = new Progress(path.join(scratch, 'host-bench.log'));
const resultsFile = path.join(scratch, 'in-host.json');
let server;
let browser;
let inHost;
try {
  server = await startCodeServer(workspace, { env: { BQMIGRATE_HOST_RESULTS_FILE: resultsFile }, onLine: (l) => progress.log(`[code-server] ${l}`) });
  browser = await launchBrowser((l) => console.log(l));
  const page = await newWorkbenchPage(browser, progress, '[bench]');
  progress.phase = 'the in-host bench';
  const openedAt = performance.now();
  const code = await runExtensionTests(page, server.url(workspace, { extensionDevelopmentPath: root, extensionTestsPath: path.join(root, 'out/test/host/bench/index.js') }), 300, progress);
  const wallMs = performance.now() - openedAt;
  if (code !== 0 || !existsSync(resultsFile)) throw new Error(`the in-host bench failed (exit ${code}); log: ${path.join(scratch, 'host-bench.log')}`);
  inHost = { ...JSON.parse(readFileSync(resultsFile, 'utf8')), workbenchRunWallMs: wallMs };
} finally {
  await browser?.close().catch(() => undefined);
  await server?.stop();
}
rmSync(scratch, { recursive: true, force: true });

const r = inHost.relint;
const refMedian = median(outOfHost);
const rows = [
  ['activation', fmt(inHost.activationMs), 'ms', ''],
  ['ext host start → workspace diagnostics complete', fmt(inHost.hostStartToScanDoneMs), 'ms', `${inHost.scan?.files ?? '?'} files, ${inHost.scan?.references ?? '?'} refs`],
  ['workspace scan (in host)', fmt(inHost.scan?.ms), 'ms', `CLI lint same workspace: ${fmt(cliMs)} ms (exit ${cli.status}) → ratio ${fmt(inHost.scan?.ms / cliMs)}`],
  [`re-lint after a keystroke, ${r.lines}-line SQL, ${r.violations} diagnostics (median of ${r.lintSamples}; min)`, `${fmt(r.lintMedianMs)} (${fmt(r.lintMinMs)})`, 'ms', `target ≤ 15 ms; a whole lintText of the file out of host ${fmt(refMedian)} ms → ratio ${fmt(r.lintMedianMs / refMedian)}`],
  ['  of which: text + core lintEdit (incremental, in host)', fmt(r.coreMedianMs), 'ms', `whole lintText out of host ${fmt(refMedian)} ms → ratio ${fmt(r.coreMedianMs / refMedian)}`],
  ['  of which: violations → diagnostics', fmt(r.convertMedianMs), 'ms', ''],
  ['  of which: collection.set', fmt(r.publishMedianMs), 'ms', ''],
  ['  extension\'s own share (total − core), median', fmt(r.extensionOwnMedianMs), 'ms', ''],
  ['keystroke → diagnostics published (median)', fmt(r.keystrokeToDiagnosticsMedianMs), 'ms', `includes debounce (${r.debounceMs ?? 'default'} ms)`],
];
const loadAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
console.log(`load average (1/5/15 min): ${loadAtStart.join(' ')} at the start, ${loadAtEnd.join(' ')} at the end`);
console.log('| measure | value | unit | note |\n|---|---:|---|---|');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);

if (process.env.BENCH_RESULT) {
  writeFileSync(process.env.BENCH_RESULT, JSON.stringify({
    activationMs: inHost.activationMs,
    hostStartToDiagnosticsMs: inHost.hostStartToScanDoneMs,
    scanMs: inHost.scan?.ms,
    cliLintSameWorkspaceMs: cliMs,
    scanVsCliRatio: inHost.scan?.ms / cliMs,
    relintMedianMs: r.lintMedianMs,
    relintTargetMs: 15,
    relintMeetsTarget: r.lintMedianMs !== undefined && r.lintMedianMs <= 15,
    relintMinMs: r.lintMinMs,
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: loadAtEnd,
    relintCoreInHostMedianMs: r.coreMedianMs,
    relintConvertMedianMs: r.convertMedianMs,
    relintPublishMedianMs: r.publishMedianMs,
    relintExtensionOwnMedianMs: r.extensionOwnMedianMs,
    diagnostics: r.violations,
    coreOutOfHostMedianMs: refMedian,
    relintInHostVsOutOfHostRatio: r.lintMedianMs / refMedian,
    keystrokeToDiagnosticsMedianMs: r.keystrokeToDiagnosticsMedianMs,
    debounceMs: r.debounceMs,
    lines: r.lines,
    keystrokes: r.keystrokes,
  }, null, 2));
}
