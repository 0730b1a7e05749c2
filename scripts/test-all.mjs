#!/usr/bin/env node
// `npm test`: builds, type-checks, then runs every suite that exists, in order,
// and closes with one "N passed, N failed" line over all of them.
//   unit     node:test over out/test/unit      (core, CLI, warehouse, phases)
//   grammar  vscode-tmgrammar-test over test/grammar
//   webview  node:test over out/test/webview   (dashboard in headless Chromium)
//   host     the extension suite inside a real VS Code (code-server), plus UI tests
// Pass suite names to run only those: `npm test -- unit webview`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
process.chdir(root);
const results = path.join(root, 'test-results');
mkdirSync(results, { recursive: true });
const env = { ...process.env, METADATA_SERVER_DETECTION: 'none', BQMIGRATE_TEST_RESULTS: results };
delete env.GOOGLE_APPLICATION_CREDENTIALS;

const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env, ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

function tapCounts(file) {
  if (!existsSync(file)) return { passed: 0, failed: 1 };
  const tap = readFileSync(file, 'utf8');
  const num = (k) => Number((tap.match(new RegExp(`^# ${k} (\\d+)`, 'm')) ?? [])[1] ?? 0);
  return { passed: num('pass'), failed: num('fail') + num('cancelled') };
}

function hasTests(dir) {
  if (!existsSync(dir)) return false;
  const walk = (d) => readdirSync(d, { withFileTypes: true }).some((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.test.js')));
  return walk(dir);
}

function nodeTestSuite(name) {
  const dir = path.join('out', 'test', name);
  if (!hasTests(dir)) return undefined;
  const tap = path.join(results, `${name}.tap`);
  const status = run(process.execPath, [
    '--test', '--test-concurrency=2',
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
  let counts = { passed: 0, failed: 1 };
  if (existsSync(file)) {
    const r = JSON.parse(readFileSync(file, 'utf8'));
    counts = { passed: r.passed ?? 0, failed: r.failed ?? 0 };
  }
  if (status !== 0 && counts.failed === 0) counts.failed = 1;
  return counts;
}

const total = { passed: 0, failed: 0 };
const summary = [];
function record(name, counts) {
  if (!counts) return;
  total.passed += counts.passed;
  total.failed += counts.failed;
  summary.push(`${name}: ${counts.passed} passed, ${counts.failed} failed`);
}

if (run(process.execPath, ['esbuild.mjs']) !== 0) process.exit(1);
if (run(process.execPath, [path.join('node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']) !== 0) {
  console.error('type-check failed');
  process.exit(1);
}
if (existsSync('webview/tsconfig.json') && run(process.execPath, [path.join('node_modules', 'typescript', 'bin', 'tsc'), '-p', 'webview/tsconfig.json', '--noEmit']) !== 0) {
  console.error('webview type-check failed');
  process.exit(1);
}

if (want('unit')) record('unit', nodeTestSuite('unit'));
if (want('grammar') && existsSync('test/grammar')) {
  record('grammar', jsonSuite('grammar', process.execPath, ['scripts/test-grammar.mjs'], 'grammar.json'));
}
if (want('webview')) record('webview', nodeTestSuite('webview'));
if (want('host') && existsSync('out/test/host/run-code-server.js')) {
  record('host', jsonSuite('host', process.execPath, ['out/test/host/run-code-server.js'], 'host.json'));
}

console.log('\n' + summary.join('\n'));
console.log(`${total.passed} passed, ${total.failed} failed`);
process.exit(total.failed > 0 || total.passed === 0 ? 1 : 0);
