/**
 * The extension-host test runner (`extensionTestsPath`): VS Code, code-server or
 * @vscode/test-electron, calls `run()` inside the extension host. It runs every
 * `*.test.js` next to this file with mocha (BDD: describe/it, or TDD: suite/test —
 * both globals are installed), prints a plain `N passed, N failed` line and writes
 * `{ passed, failed, tests }` to $BQMIGRATE_HOST_RESULTS_FILE.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export interface HostTestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export interface HostSuiteResults {
  passed: number;
  failed: number;
  tests: HostTestResult[];
}

function resultsFile(): string {
  if (process.env.BQMIGRATE_HOST_RESULTS_FILE) return process.env.BQMIGRATE_HOST_RESULTS_FILE;
  // Walk up to the repo root (out/test/host/suite → repo) for a default location.
  let dir = __dirname;
  while (!(fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'tsconfig.json'))) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.join(dir, 'test-results', 'host-suite.json');
}

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...testFiles(p));
    else if (e.name.endsWith('.test.js')) out.push(p);
  }
  return out.sort();
}

export function run(): Promise<void> {
  const grep = process.env.BQMIGRATE_HOST_GREP;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: Number(process.env.BQMIGRATE_HOST_TEST_TIMEOUT ?? 30_000), reporter: 'spec', ...(grep ? { grep } : {}) });
  // TDD names next to BDD ones, so a test file may use either style.
  mocha.suite.on('pre-require', (context: any) => {
    context.suite ??= context.describe;
    context.test ??= context.it;
    context.suiteSetup ??= context.before;
    context.suiteTeardown ??= context.after;
    context.setup ??= context.beforeEach;
    context.teardown ??= context.afterEach;
  });
  for (const f of testFiles(__dirname)) mocha.addFile(f);

  const tests: HostTestResult[] = [];
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const results: HostSuiteResults = {
          passed: tests.filter((t) => t.state === 'passed').length,
          failed: tests.filter((t) => t.state === 'failed').length,
          tests,
        };
        const file = resultsFile();
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(`${file}.tmp`, JSON.stringify(results, null, 2));
        fs.renameSync(`${file}.tmp`, file);
        console.log(`${results.passed} passed, ${results.failed} failed`);
        if (failures > 0) reject(new Error(`${failures} host test(s) failed`));
        else resolve();
      });
      // Progress markers the code-server runner reads to say where a hung run stopped.
      runner.on('test', (t) => console.log(`[bqmigrate-host] start: ${t.fullTitle()}`));
      runner.on('pass', (t) => {
        tests.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration });
        console.log(`[bqmigrate-host] pass: ${t.fullTitle()} (${t.duration} ms)`);
      });
      runner.on('fail', (t, err) => {
        tests.push({ title: t.fullTitle(), state: 'failed', durationMs: t.duration, error: String(err?.stack ?? err) });
        console.log(`[bqmigrate-host] fail: ${t.fullTitle()}: ${err?.message ?? err}`);
      });
      runner.on('pending', (t) => {
        tests.push({ title: t.fullTitle(), state: 'pending' });
        console.log(`[bqmigrate-host] pending: ${t.fullTitle()}`);
      });
    } catch (err) {
      reject(err);
    }
  });
}
