/**
 * Runs the extension's host suite inside a real VS Code (code-server, offline),
 * then the Playwright UI tests on the same server. Writes test-results/host.json
 * `{ passed, failed, tests }` and prints `N passed, N failed`.
 *
 *   node out/test/host/run-code-server.js [--vscode oldest|current] [--only suite|ui] [--grep <mocha grep>] [--timeout <s>] [--extension <folder>] [--update-media]
 *
 * --vscode picks the VS Code build (test/host/vscode-hosts.json; default current). Results of
 * another than the current one go to test-results/host-<name>.json.
 *
 * One code-server and one Chromium at a time; both are always stopped.
 * See docs/host-testing.md.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../lib/browser';
import { makeScratch, startCodeServer, type RunningCodeServer } from './lib/code-server';
import { findVsCodeHost, repoRoot, vsCodeHostNames } from './lib/paths';
import { Progress, withTimeout } from './lib/progress';
import { newWorkbenchPage, runExtensionTests } from './lib/workbench';
import type { HostSuiteResults, HostTestResult } from './suite/index';
import { uiTests } from './ui/index';
import type { UiContext } from './ui/types';

interface Options {
  /** Which VS Code build: a name in test/host/vscode-hosts.json. */
  vscode: string;
  only?: 'suite' | 'ui';
  grep?: string;
  timeoutS: number;
  /** extensionDevelopmentPath; the repo root unless --extension says otherwise. */
  extension: string;
  /** Copy the README screenshots to media/screenshots/ after a green UI run. */
  updateMedia: boolean;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { vscode: 'current', timeoutS: 300, extension: root, updateMedia: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--only') {
      const v = value();
      if (v !== 'suite' && v !== 'ui') throw new Error(`--only expects "suite" or "ui", got "${v}"`);
      opts.only = v;
    } else if (a === '--vscode') {
      opts.vscode = value();
      if (!vsCodeHostNames(root).includes(opts.vscode)) throw new Error(`--vscode expects one of ${vsCodeHostNames(root).join(', ')}, got "${opts.vscode}"`);
    } else if (a === '--grep') opts.grep = value();
    else if (a === '--timeout') opts.timeoutS = Number(value());
    else if (a === '--extension') opts.extension = path.resolve(value());
    else if (a === '--update-media') opts.updateMedia = true;
    else throw new Error(`unknown option ${a}; usage: run-code-server.js [--vscode oldest|current] [--only suite|ui] [--grep <pattern>] [--timeout <seconds>] [--extension <folder>] [--update-media]`);
  }
  return opts;
}

const root = repoRoot();
const resultsDir = process.env.BQMIGRATE_TEST_RESULTS ?? path.join(root, 'test-results');
const screenshotsDir = path.join(resultsDir, 'screenshots');

/** The UI tests' screenshots that go into the README (media/screenshots/) with --update-media. */
const README_SCREENSHOTS = ['quick-fix', 'problems-panel', 'mapping-tree', 'refactor-preview'];
/** Copies of the fixture workspace live here (tests modify files); removed at the end. */
const workspaces = makeScratch('bqmigrate-host-ws-');

/** test-results/host[-<name>].json and the in-host suite's host[-<name>]-suite.json. */
const resultsFile = (opts: Options, suffix = '') => path.join(resultsDir, `host${opts.vscode === 'current' ? '' : `-${opts.vscode}`}${suffix}.json`);
const suiteResultsFile = (opts: Options) => resultsFile(opts, '-suite');

function copyWorkspace(name: string): string {
  const dest = path.join(workspaces, name);
  fs.cpSync(path.join(root, 'test', 'fixtures', 'workspace'), dest, { recursive: true });
  return dest;
}

/** The extension-host mocha suite: the workbench calls codeAutomationExit when run() settles. */
async function runSuite(server: RunningCodeServer, browser: Browser, opts: Options, progress: Progress): Promise<HostSuiteResults> {
  const suiteResults = suiteResultsFile(opts);
  fs.rmSync(suiteResults, { force: true });
  const workspace = copyWorkspace('workspace-suite');
  const page = await newWorkbenchPage(browser, progress, '[suite]');
  try {
    progress.phase = 'running the host suite';
    const extensionTestsPath = path.join(root, 'out', 'test', 'host', 'suite', 'index.js');
    const code = await runExtensionTests(page, server.url(workspace, { extensionDevelopmentPath: opts.extension, extensionTestsPath }), opts.timeoutS, progress);
    if (!fs.existsSync(suiteResults)) {
      return { passed: 0, failed: 1, tests: [{ title: 'host suite', state: 'failed', error: `the suite exited with code ${code} without writing results (did run() load? see test-results/host-console.log)` }] };
    }
    const results = JSON.parse(fs.readFileSync(suiteResults, 'utf8')) as HostSuiteResults;
    if (code !== 0 && results.failed === 0) {
      results.tests.push({ title: 'host suite', state: 'failed', error: `run() rejected (exit code ${code}) although no test failed; see test-results/host-console.log` });
      results.failed++;
    }
    return results;
  } finally {
    await page.context().close();
  }
}

/** The Playwright UI tests: a person's view of the workbench with the extension loaded. */
async function runUi(server: RunningCodeServer, browser: Browser, opts: Options, progress: Progress): Promise<HostTestResult[]> {
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const results: HostTestResult[] = [];
  for (const test of uiTests) {
    const workspace = copyWorkspace(`workspace-ui-${results.length}`);
    const page = await newWorkbenchPage(browser, progress, '[ui]');
    const started = Date.now();
    const ctx: UiContext = {
      page,
      workspace,
      log: (m) => progress.log(`[ui ${test.name}] ${m}`),
      screenshot: async (name, target) => {
        const file = path.join(screenshotsDir, `${name}.png`);
        if (target) await target.locator.screenshot({ path: file });
        else await page.screenshot({ path: file });
        return file;
      },
    };
    progress.phase = `UI test "${test.name}"`;
    progress.log(`[bqmigrate-host] start: ui: ${test.name}`);
    try {
      await page.goto(server.url(workspace, { extensionDevelopmentPath: opts.extension }));
      await withTimeout(test.run(ctx), 120, progress);
      results.push({ title: `ui: ${test.name}`, state: 'passed', durationMs: Date.now() - started });
      console.log(`  ✔ ui: ${test.name} (${Date.now() - started} ms)`);
    } catch (err) {
      await page.screenshot({ path: path.join(screenshotsDir, `FAILED-${test.name.replace(/\W+/g, '-')}.png`) }).catch(() => undefined);
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      results.push({ title: `ui: ${test.name}`, state: 'failed', durationMs: Date.now() - started, error });
      console.log(`  ✘ ui: ${test.name}\n${error.replace(/^/gm, '      ')}`);
    } finally {
      await page.context().close();
    }
  }
  return results;
}

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  fs.mkdirSync(resultsDir, { recursive: true });
  const progress = new Progress(path.join(resultsDir, `host${opts.vscode === 'current' ? '' : `-${opts.vscode}`}-console.log`));
  const tests: HostTestResult[] = [];
  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  const cleanup = async () => {
    await browser?.close().catch(() => undefined);
    browser = undefined;
    await server?.stop();
    server = undefined;
    fs.rmSync(workspaces, { recursive: true, force: true, maxRetries: 3 });
  };
  const onSignal = (sig: NodeJS.Signals) => void cleanup().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const main = JSON.parse(fs.readFileSync(path.join(opts.extension, 'package.json'), 'utf8')).main ?? 'extension.js';
    if (!fs.existsSync(path.join(opts.extension, main))) throw new Error(`${path.join(opts.extension, main)} is missing: run \`npm run build\` first`);
    if (!fs.existsSync(path.join(root, 'out', 'test', 'host', 'suite', 'index.js'))) throw new Error('out/test/host is missing: run `npm run compile-tests` first');
    progress.phase = 'starting code-server';
    // Environment given to code-server reaches the extension host, so run() finds its results file.
    const host = findVsCodeHost(opts.vscode, root);
    console.log(`host tests on VS Code ${host.vscodeVersion} (code-server ${host.codeServerVersion}, "${opts.vscode}")`);
    server = await startCodeServer(workspaces, {
      host: opts.vscode,
      env: {
        BQMIGRATE_HOST_RESULTS_FILE: suiteResultsFile(opts),
        ...(opts.grep ? { BQMIGRATE_HOST_GREP: opts.grep } : {}),
      },
      onLine: (l) => progress.log(`[code-server] ${l}`),
    });
    progress.phase = 'launching Chromium';
    browser = await launchBrowser((l) => console.log(l));
    if (opts.only !== 'ui') {
      const suite = await runSuite(server, browser, opts, progress);
      tests.push(...suite.tests);
    }
    if (opts.only !== 'suite') {
      const ui = await runUi(server, browser, opts, progress);
      tests.push(...ui);
      if (opts.updateMedia && ui.every((t) => t.state === 'passed')) {
        // The README shows these; only screenshots from a green run are worth showing.
        const media = path.join(root, 'media', 'screenshots');
        fs.mkdirSync(media, { recursive: true });
        for (const name of README_SCREENSHOTS) fs.copyFileSync(path.join(screenshotsDir, `${name}.png`), path.join(media, `${name}.png`));
        console.log(`copied ${README_SCREENSHOTS.join(', ')} to media/screenshots/`);
      }
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    console.error(`host tests: ${message}`);
    tests.push({ title: `host run (${progress.phase})`, state: 'failed', error: message });
  } finally {
    await cleanup();
  }
  const passed = tests.filter((t) => t.state === 'passed').length;
  const failed = tests.filter((t) => t.state === 'failed').length;
  const file = resultsFile(opts);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify({ passed, failed, tests }, null, 2));
  fs.renameSync(`${file}.tmp`, file);
  for (const t of tests.filter((x) => x.state === 'failed')) console.log(`FAILED ${t.title}\n${(t.error ?? '').replace(/^/gm, '    ')}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 || passed === 0 ? 1 : 0;
}

main().then((code) => process.exit(code));
