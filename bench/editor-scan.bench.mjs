#!/usr/bin/env node
// Editor workspace-scan benchmark: a 7,360-file workspace opened in a real VS Code (code-server + headless
// Chromium, as the host tests run it), three windows one after the other on the same server, so the
// extension's workspace storage (and its lint cache) carries over as across a window reload:
//   cold     — an empty storage: every file linted on the lint worker pool; then the manifest changed twice, and
//              the two full scans that follow timed (on the lint workers the first scan started and kept);
//   restart  — the same workspace again: unchanged files from the lint cache;
//   1 % changed — 1 % of the files rewritten while no window was open, then the workspace again.
// Per window, measured inside the extension host (test/host/bench/scan.ts via `bqmigrate.internal.stats`):
// activate() starting → the files with findings the lint cache holds unchanged show their diagnostics, before
// the walk (a restart: compare the files and diagnostics then with the CLI's), activate() starting → every
// flagged file shows its diagnostics (the scan hands over cached files without
// findings last; the files and diagnostics shown at that moment are reported next to the CLI's), activate()
// starting → the first scan complete (the payload then checks every flagged file against the CLI's), the
// longest event-loop delay of the host during the scan (what a keystroke could wait), and files from the cache.
// Reference in the same run: `bqmigrate lint --format json` (the CLI) over the same workspace.
// Corpus: BQMIGRATE_SCAN_CORPUS=real (default; bench/corpus/real.mjs: 7,360 files, 104 MB, mostly code that names
// no table, 7 % data-team files with references) or =synthetic (bench/corpus/generate.mjs sized to 7,360 files,
// 105 MB, every file full of references: ~318,000 findings).
// The load average is printed at the start and the end: on a shared machine compare ratios, not times.
// BQMIGRATE_SCAN_CPU_PROFILE=<folder>: a CPU profile of the extension host per window (test/host/bench/scan.ts).
// Needs: `npm run build && npm run compile-tests`, and the VS Code host (`node scripts/vscode-host.mjs current`).
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { generateCorpus } from './corpus/generate.mjs';
import { generateRealCorpus } from './corpus/real.mjs';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
for (const f of ['dist/extension.js', 'dist/lint-worker.js', 'dist/cli.js', 'out/test/host/bench/scan.js']) {
  if (!existsSync(path.join(root, f))) {
    console.error(`editor-scan bench: ${f} is missing: run \`npm run build && npm run compile-tests\` first`);
    process.exit(1);
  }
}
const { makeScratch, startCodeServer } = require(path.join(root, 'out/test/host/lib/code-server.js'));
const { launchBrowser } = require(path.join(root, 'out/test/lib/browser.js'));
const { Progress } = require(path.join(root, 'out/test/host/lib/progress.js'));
const { newWorkbenchPage, runExtensionTests } = require(path.join(root, 'out/test/host/lib/workbench.js'));

const fmt = (x) => (x === undefined ? 'n/a' : x < 10 ? x.toFixed(2) : x.toFixed(0));
const loadAtStart = os.loadavg().map((x) => Math.round(x * 100) / 100);
const scratch = makeScratch('bqmigrate-scan-bench-');
const workspace = path.join(scratch, 'workspace');

function listFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else if (e.name !== 'bqmigrate.json' && e.name !== 'VERSION') out.push(p);
    // (.git is an empty marker folder: the corpus is its own repository root)
  }
  return out.sort();
}

let corpus = process.env.BQMIGRATE_SCAN_CORPUS ?? 'real';
if (corpus === 'real') {
  generateRealCorpus(workspace);
} else {
  corpus = 'synthetic';
  // generate.mjs fills each file to at least fileBytes: 105 MB over 7,360 files.
  generateCorpus(workspace, { totalBytes: 105 * 1024 * 1024, fileBytes: 14_930 });
}
const files = listFiles(workspace);
const bytes = files.reduce((n, f) => n + statSync(f).size, 0);

// Reference: the CLI over the same workspace (also what every flagged file must show in the editor).
const cliStart = performance.now();
const cli = spawnSync(process.execPath, [path.join(root, 'bin/bqmigrate.js'), 'lint', workspace, '--format', 'json'], { encoding: 'utf8', maxBuffer: 2 ** 31 - 1, env: { ...process.env, METADATA_SERVER_DETECTION: 'none' } });
const cliMs = performance.now() - cliStart;
if (cli.status !== 0 && cli.status !== 1) throw new Error(`the CLI lint failed (exit ${cli.status}): ${cli.stderr}`);
const eslint = JSON.parse(cli.stdout);
// The editor never scans dependency, build-output and VCS folders (src/extension/diagnostics/engine.ts
// ALWAYS_EXCLUDED); the CLI lints them when named. Compared on the files both lint.
const editorSkips = /[\\/](?:node_modules|\.git|\.bqmigrate|\.venv|__pycache__|out|dist)[\\/]/;
const flagged = eslint.filter((f) => f.messages.length > 0 && !editorSkips.test(path.relative(workspace, f.filePath).replace(/^/, '/'))).map((f) => f.filePath);
const cliFlaggedAll = eslint.filter((f) => f.messages.length > 0).length;
const expectedFile = path.join(scratch, 'expected.json');
const messages = eslint.filter((f) => flagged.includes(f.filePath)).reduce((n, f) => n + f.messages.length, 0);
writeFileSync(expectedFile, JSON.stringify({ flagged, messages }));

const progress = new Progress(path.join(scratch, 'scan-bench.log'));
const resultsFile = path.join(scratch, 'in-host.json');
const runs = [];
let server;
let browser;
try {
  server = await startCodeServer(workspace, { env: { BQMIGRATE_HOST_RESULTS_FILE: resultsFile, BQMIGRATE_SCAN_EXPECTED: expectedFile }, onLine: (l) => progress.log(`[code-server] ${l}`) });
  browser = await launchBrowser((l) => console.log(l));
  const window = async (label) => {
    rmSync(resultsFile, { force: true });
    const page = await newWorkbenchPage(browser, progress, `[${label}]`);
    progress.phase = `the ${label} window`;
    const code = await runExtensionTests(page, server.url(workspace, { extensionDevelopmentPath: root, extensionTestsPath: path.join(root, 'out/test/host/bench/scan.js') }), 900, progress);
    await page.context().close();
    if (code !== 0 || !existsSync(resultsFile)) throw new Error(`the ${label} window failed (exit ${code}); log: ${path.join(scratch, 'scan-bench.log')}`);
    runs.push({ label, ...JSON.parse(readFileSync(resultsFile, 'utf8')) });
  };
  await window('cold');
  await window('restart');
  // 1 % of the files changed while no window was open (a comment appended: new size and mtime).
  const changed = files.filter((_, i) => i % 100 === 7);
  for (const f of changed) appendFileSync(f, f.endsWith('.py') ? '\n# touched\n' : f.endsWith('.md') ? '\ntouched\n' : '\n-- touched\n'.replace('--', f.endsWith('.ts') ? '//' : '--'));
  await window('restart, 1 % changed');
} finally {
  await browser?.close().catch(() => undefined);
  if (process.env.BQMIGRATE_SCAN_KEEP_LOGS && server) cpSync(path.join(server.scratch, 'user-data', 'logs'), process.env.BQMIGRATE_SCAN_KEEP_LOGS, { recursive: true });
  await server?.stop();
}
rmSync(scratch, { recursive: true, force: true });

const loadAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
console.log(`corpus: ${corpus}, ${files.length} files, ${(bytes / 1048576).toFixed(0)} MB; CLI: ${eslint.length} files linted, ${cliFlaggedAll} flagged (${flagged.length} outside the folders the editor skips, with ${messages} findings)`);
console.log(`load average (1/5/15 min): ${loadAtStart.join(' ')} at the start, ${loadAtEnd.join(' ')} at the end`);
console.log('| window | activation → the cache\'s findings shown, before the walk: files / diagnostics | activation → every flagged file\'s diagnostics | vs CLI lint | shown then: files / diagnostics | scan complete | from cache (files / folders) | linted | longest host event-loop delay | flagged shown / CLI | diagnostics / CLI findings |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of runs) {
  const early = r.cachedFindingsShown ? `${fmt(r.activationToCachedFindingsShownMs / 1000)} s: ${r.cachedFindingsShown.files} / ${r.cachedFindingsShown.diagnostics}` : '—';
  console.log(`| ${r.label} | ${early} | ${fmt(r.activationToFindingsShownMs / 1000)} s | ${fmt(r.activationToFindingsShownMs / cliMs)}× | ${r.findingsShown.files} / ${r.findingsShown.diagnostics} | ${fmt(r.activationToAllPublishedMs / 1000)} s | ${r.fromCache} / ${r.foldersFromCache ?? '—'} | ${r.linted} | ${fmt(r.maxEventLoopDelayMs)} ms | ${r.flaggedShown} / ${r.flaggedExpected} | ${r.diagnosticsShown} / ${r.messagesExpected} |`);
}
for (const r of runs.filter((r) => r.rescans)) {
  const each = r.rescans.map((x) => `${fmt(x.scanToFindingsShownMs / 1000)} / ${fmt(x.scanToAllPublishedMs / 1000)} s (${x.linted} linted, ${x.workersStarted} workers started)`);
  console.log(`${r.label} window, full scans after a manifest change, on the lint workers kept from its first scan: scan start → every flagged file / complete ${each.join(', ')}; its first scan ${fmt(r.scanToFindingsShownMs / 1000)} / ${fmt(r.scanToAllPublishedMs / 1000)} s`);
}
console.log(`reference: \`bqmigrate lint --format json\` over the same workspace ${fmt(cliMs / 1000)} s (exit ${cli.status})`);

if (process.env.BENCH_RESULT) {
  writeFileSync(process.env.BENCH_RESULT, JSON.stringify({ corpus, files: files.length, bytes, cliLintMs: cliMs, cliFiles: eslint.length, flaggedFiles: flagged.length, runs, loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadAtEnd, targets: { coldS: 3, restartS: 1 } }, null, 2));
}
