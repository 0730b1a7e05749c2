#!/usr/bin/env node
// `npm test`: builds, type-checks, then runs every suite that exists, in order,
// and closes with one "N passed, N failed" line over all of them.
//   unit     node:test over out/test/unit      (core, CLI, warehouse, phases)
//   grammar  vscode-tmgrammar-test over test/grammar
//   webview  node:test over out/test/webview   (dashboard in headless Chromium)
//   package  node:test over out/test/package   (npm tarball, VSIX per platform, pre-commit, GitHub Action)
//   host     the extension suite inside a real VS Code (code-server) — the oldest VS Code that
//            engines.vscode allows, then the current one followed by the UI tests
// Pass suite names to run only those: `npm test -- unit webview`.
// Set-up on the first run, with progress lines (later runs find it cached under ~/.cache): the
// browser (@sparticuz/chromium, unpacked), the VS Code hosts (scripts/vscode-host.mjs), and the
// pre-commit framework (Debian's package; see test/package/pre-commit.test.ts).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
process.chdir(root);
const results = path.join(root, 'test-results');
mkdirSync(results, { recursive: true });
// BQMIGRATE_NO_SERVER: a lint server the developer left running never answers a test's lint (the lint
// server's own tests clear it, each with a temp dir of its own).
const env = { ...process.env, METADATA_SERVER_DETECTION: 'none', BQMIGRATE_TEST_RESULTS: results, BQMIGRATE_NO_SERVER: '1' };
delete env.GOOGLE_APPLICATION_CREDENTIALS;

/**
 * A folder of this run under the temp dir. Its path stays short: VS Code's IPC sockets go into it, and a
 * Unix socket's path is limited to about 104 bytes (macOS's temp dir alone is near 50), so a long temp dir
 * gives way to /tmp where there is one.
 */
function runScratch() {
  const base = process.platform !== 'win32' && os.tmpdir().length > 24 && existsSync('/tmp') ? '/tmp' : os.tmpdir();
  return mkdtempSync(path.join(base, 'bqm-test-'));
}

const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env, ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

function tapCounts(file) {
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0 };
  const tap = readFileSync(file, 'utf8');
  const num = (k) => Number((tap.match(new RegExp(`^# ${k} (\\d+)`, 'm')) ?? [])[1] ?? 0);
  const skipped = num('skipped') + num('todo');
  return { passed: num('pass'), failed: num('fail') + num('cancelled'), skipped, skips: skipReasons(tap) };
}

/** "title # SKIP reason" lines of a TAP file. */
function skipReasons(tap) {
  return [...tap.matchAll(/^\s*ok \d+ - (.*?) # SKIP ?(.*)$/gm)].map((m) => `${m[1]}: ${m[2] || 'skipped'}`);
}

function hasTests(dir) {
  if (!existsSync(dir)) return false;
  const walk = (d) => readdirSync(d, { withFileTypes: true }).some((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.test.js')));
  return walk(dir);
}

function nodeTestSuite(name, concurrency = 2) {
  const dir = path.join('out', 'test', name);
  if (!hasTests(dir)) return undefined;
  const tap = path.join(results, `${name}.tap`);
  const status = run(process.execPath, [
    '--test', `--test-concurrency=${concurrency}`,
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    dir,
  ]);
  const counts = tapCounts(tap);
  if (status !== 0 && counts.failed === 0) counts.failed = 1;
  return counts;
}

function jsonSuite(name, cmd, args, resultFile) {
  const status = run(cmd, args);
  const file = path.join(results, resultFile);
  let counts = { passed: 0, failed: 1, skipped: 0 };
  if (existsSync(file)) {
    const r = JSON.parse(readFileSync(file, 'utf8'));
    counts = { passed: r.passed ?? 0, failed: r.failed ?? 0, skipped: r.skipped ?? 0 };
  }
  if (status !== 0 && counts.failed === 0) counts.failed = 1;
  return counts;
}

const total = { passed: 0, failed: 0, skipped: 0 };
const summary = [];
const skips = [];
function record(name, counts) {
  if (!counts) return;
  total.passed += counts.passed;
  total.failed += counts.failed;
  total.skipped += counts.skipped ?? 0;
  summary.push(`${name}: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`);
  for (const s of counts.skips ?? []) skips.push(`${name}: ${s}`);
}
function setupFailed(name, message) {
  console.error(`set-up: ${message}`);
  record(name, { passed: 0, failed: 1, skipped: 0 });
}

if (run(process.execPath, ['esbuild.mjs']) !== 0) process.exit(1);
// A clean out/: a compiled test whose source was deleted or renamed would otherwise still run.
rmSync('out', { recursive: true, force: true });
if (run(process.execPath, [path.join('node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']) !== 0) {
  console.error('type-check failed');
  process.exit(1);
}
if (existsSync('webview/tsconfig.json') && run(process.execPath, [path.join('node_modules', 'typescript', 'bin', 'tsc'), '-p', 'webview/tsconfig.json', '--noEmit']) !== 0) {
  console.error('webview type-check failed');
  process.exit(1);
}

// The suites' scratch (fixture copies, fake GCS buckets, VS Code profiles, packed tarballs: some 600 MB
// a run) goes into one folder of this run, the suites' temp dir, removed when the run passes and kept,
// named, when it fails. This process's own temp dir stays the user's: the browser and hosts it sets up are
// cached across runs.
const scratch = runScratch();
for (const k of ['TMPDIR', 'TMP', 'TEMP']) env[k] = scratch;

// Set-up the suites below need, done once per machine and cached (progress on stdout).
const require = createRequire(import.meta.url);
let browserReady = false;
if (want('webview') || want('host')) {
  try {
    const { ensureBrowser } = require('../out/test/lib/browser.js');
    const b = await ensureBrowser((l) => console.log(l));
    console.log(`set-up: browser ${b.version} (${b.how})`);
    browserReady = true;
  } catch (err) {
    setupFailed('browser', `the test browser could not be set up: ${err.message}`);
  }
}
const hostsReady = [];
if (want('host') && existsSync('out/test/host/run-code-server.js')) {
  const { VSCODE_HOSTS, ensureVsCodeHost } = await import('./vscode-host.mjs');
  for (const name of Object.keys(VSCODE_HOSTS)) {
    try {
      await ensureVsCodeHost(name, (l) => console.log(l));
      hostsReady.push(name);
    } catch (err) {
      setupFailed(`host ${name}`, `VS Code host "${name}" could not be installed: ${err.message}`);
    }
  }
}

// The pre-commit framework is Python and PyPI is not reachable here: Debian's package, as root.
if (want('package') && spawnSync('pre-commit', ['--version']).status !== 0) {
  if (process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0) {
    console.log("set-up: installing Debian's pre-commit with apt-get (running as root; PyPI is not reachable)…");
    const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env: aptEnv });
    const install = update.status === 0 && spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'pre-commit'], { stdio: ['ignore', 'ignore', 'inherit'], env: aptEnv });
    console.log(install && install.status === 0 ? `set-up: ${spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).stdout.trim()} installed` : 'set-up: apt-get could not install pre-commit; its test will say it did not run');
  } else {
    console.log('set-up: the pre-commit framework is not installed and this is not root: its test will say it did not run (`apt-get install pre-commit`)');
  }
}

if (want('unit')) record('unit', nodeTestSuite('unit'));
if (want('grammar') && existsSync('test/grammar')) {
  record('grammar', jsonSuite('grammar', process.execPath, ['scripts/test-grammar.mjs'], 'grammar.json'));
}
if (want('webview') && browserReady) record('webview', nodeTestSuite('webview'));
if (browserReady) {
  // The oldest VS Code runs the extension-host suite; the current one also the UI tests. The
  // time-out only catches a hang: on a loaded 2-core machine the suite alone took over 300 s.
  if (hostsReady.includes('oldest')) {
    record('host (oldest VS Code)', jsonSuite('host-oldest', process.execPath, ['out/test/host/run-code-server.js', '--vscode', 'oldest', '--only', 'suite', '--timeout', '900'], 'host-oldest.json'));
  }
  if (hostsReady.includes('current')) {
    record('host (current VS Code)', jsonSuite('host', process.execPath, ['out/test/host/run-code-server.js', '--vscode', 'current', '--timeout', '900'], 'host.json'));
  }
}

// What users install: the npm tarball and the VSIXes, built once into a folder of this run (one
// file at a time: packing rewrites dist/ with production bundles, rebuilt for development after).
if (want('package') && hasTests(path.join('out', 'test', 'package'))) {
  const packDir = mkdtempSync(path.join(scratch, 'bqmigrate-pack-'));
  env.BQMIGRATE_PACK_DIR = packDir;
  record('package', nodeTestSuite('package', 1));
  run(process.execPath, ['esbuild.mjs']);
  const vsix = path.join(packDir, 'vsix', `bqmigrate-${process.platform}-${process.arch}.vsix`);
  if (browserReady && existsSync(vsix)) {
    // The VSIX installed into the oldest VS Code: engines.vscode must admit it, and DuckDB must load.
    const oldest = hostsReady.includes('oldest') ? 'oldest' : hostsReady[0];
    if (oldest) record(`vsix in VS Code (${oldest})`, jsonSuite('vsix', process.execPath, ['out/test/host/run-vsix.js', '--vsix', vsix, '--vscode', oldest], 'host-vsix.json'));
  }
  rmSync(packDir, { recursive: true, force: true });
}

console.log('\n' + summary.join('\n'));
if (skips.length) console.log(`not run:\n${skips.map((s) => `  ${s}`).join('\n')}`);
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
const failed = total.failed > 0 || total.passed === 0;
if (failed) console.log(`the suites' temp files are kept in ${scratch} (delete the folder when done)`);
else {
  try {
    rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  } catch (err) {
    console.log(`the suites' temp files could not all be removed from ${scratch} (${err.code ?? err.message}): delete the folder`);
  }
}
process.exit(failed ? 1 : 0);
