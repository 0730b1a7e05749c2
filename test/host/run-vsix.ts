/**
 * Install test for the packaged extension: `code-server --install-extension bqmigrate-<platform>.vsix`
 * into a throwaway extensions folder, check it is listed with its version and files, then
 * open the fixture workspace with only the installed copy (no development path) and check,
 * inside the extension host, that it activates, registers its commands and loads DuckDB.
 *
 *   npm run package && node out/test/host/run-vsix.js [--vsix <file>] [--vscode oldest|current]
 *
 * Writes test-results/host-vsix.json `{ passed, failed, tests }` and prints `N passed, N failed`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../lib/browser';
import { hostEnv, makeScratch, prepareProfile, startCodeServer, type RunningCodeServer } from './lib/code-server';
import { findVsCodeHost, repoRoot } from './lib/paths';
import { Progress } from './lib/progress';
import { newWorkbenchPage, runExtensionTests } from './lib/workbench';
import type { HostTestResult } from './suite/index';

const root = repoRoot();
const resultsDir = process.env.BQMIGRATE_TEST_RESULTS ?? path.join(root, 'test-results');

async function main(): Promise<number> {
  const i = process.argv.indexOf('--vsix');
  const vsix = path.resolve(i >= 0 ? process.argv[i + 1]! : path.join(root, `bqmigrate-${process.platform}-${process.arch}.vsix`));
  const h = process.argv.indexOf('--vscode');
  const hostName = h >= 0 ? process.argv[h + 1]! : 'current';
  fs.mkdirSync(resultsDir, { recursive: true });
  const progress = new Progress(path.join(resultsDir, 'host-vsix-console.log'));
  const tests: HostTestResult[] = [];
  const scratch = makeScratch('bqmigrate-vsix-');
  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  const record = (title: string, fn: () => void) => {
    try {
      fn();
      tests.push({ title: `vsix: ${title}`, state: 'passed' });
      console.log(`  ✔ vsix: ${title}`);
    } catch (err) {
      tests.push({ title: `vsix: ${title}`, state: 'failed', error: err instanceof Error ? err.message : String(err) });
      console.log(`  ✘ vsix: ${title}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  try {
    if (!fs.existsSync(vsix)) throw new Error(`${vsix} does not exist: run \`npm run package\` first`);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const id = `${pkg.publisher}.${pkg.name}`;
    const host = findVsCodeHost(hostName, root);
    const extensionsDir = path.join(scratch, 'extensions');
    const cli = (args: string[]) => {
      const r = spawnSync(host.node, [host.entry, ...prepareProfile(scratch, {}, extensionsDir), ...args], { env: hostEnv(scratch), encoding: 'utf8', timeout: 120_000 });
      progress.log(`[code-server ${args.join(' ')}] exit ${r.status}\n${r.stdout}${r.stderr}`);
      return r;
    };

    progress.phase = 'installing the .vsix';
    const install = cli(['--install-extension', vsix]);
    record(`code-server --install-extension ${path.basename(vsix)} succeeds`, () => {
      if (install.status !== 0 || !/successfully installed/i.test(install.stdout + install.stderr)) {
        throw new Error(`exit ${install.status}: ${(install.stdout + install.stderr).trim().slice(-500)}`);
      }
    });
    const list = cli(['--list-extensions', '--show-versions']);
    record(`--list-extensions shows ${id}@${pkg.version}`, () => {
      if (!list.stdout.split(/\r?\n/).includes(`${id}@${pkg.version}`)) throw new Error(`listed: ${list.stdout.trim() || '(nothing)'}`);
    });
    const installed = fs.existsSync(extensionsDir) ? fs.readdirSync(extensionsDir).find((d) => d.startsWith(`${id}-`)) : undefined;
    record('the installed folder holds the bundle, the grammar and the DuckDB binding', () => {
      if (!installed) throw new Error(`no ${id}-* folder in ${extensionsDir}`);
      const dir = path.join(extensionsDir, installed);
      const need = [pkg.main, 'syntaxes/bqmigrate.injection.tmLanguage.json', 'node_modules/@duckdb/node-api/package.json'];
      const missing = need.filter((f: string) => !fs.existsSync(path.join(dir, f)));
      if (missing.length) throw new Error(`missing: ${missing.join(', ')}`);
      for (const banned of ['src', 'test', 'out']) if (fs.existsSync(path.join(dir, banned))) throw new Error(`${banned}/ should not be in the .vsix`);
    });

    if (installed) {
      progress.phase = 'starting code-server with the installed extension';
      const workspace = path.join(scratch, 'workspace');
      fs.cpSync(path.join(root, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
      const inHostResults = path.join(scratch, 'vsix-in-host.json');
      server = await startCodeServer(workspace, {
        host: hostName,
        extensionsDir,
        env: { BQMIGRATE_HOST_RESULTS_FILE: inHostResults, BQMIGRATE_VSIX_EXTENSIONS_DIR: extensionsDir },
        onLine: (l) => progress.log(`[code-server] ${l}`),
      });
      browser = await launchBrowser((l) => console.log(l));
      const page = await newWorkbenchPage(browser, progress, '[vsix]');
      progress.phase = 'checking the installed extension in the extension host';
      // The workbench runs extensionTestsPath only in development mode, so name an empty probe
      // extension as the development path; bqmigrate itself comes from the installed .vsix.
      const probe = path.join(scratch, 'probe');
      fs.mkdirSync(probe, { recursive: true });
      fs.writeFileSync(path.join(probe, 'package.json'), JSON.stringify({ name: 'vsix-probe', publisher: 'bqmigrate-test', version: '0.0.0', engines: { vscode: '*' } }));
      const extensionTestsPath = path.join(root, 'out', 'test', 'host', 'vsix', 'index.js');
      const code = await runExtensionTests(page, server.url(workspace, { extensionDevelopmentPath: probe, extensionTestsPath }), 180, progress);
      if (fs.existsSync(inHostResults)) tests.push(...(JSON.parse(fs.readFileSync(inHostResults, 'utf8')).tests as HostTestResult[]));
      else tests.push({ title: 'vsix: in-host checks', state: 'failed', error: `the check exited with code ${code} without results; see ${path.join(resultsDir, 'host-vsix-console.log')}` });
    }
    const size = fs.statSync(vsix).size;
    console.log(`vsix: ${path.basename(vsix)} ${(size / 1024 / 1024).toFixed(1)} MB`);
  } catch (err) {
    tests.push({ title: `vsix (${progress.phase})`, state: 'failed', error: err instanceof Error ? err.message : String(err) });
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    fs.rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  }
  const passed = tests.filter((t) => t.state === 'passed').length;
  const failed = tests.length - passed;
  const file = path.join(resultsDir, 'host-vsix.json');
  fs.writeFileSync(file, JSON.stringify({ passed, failed, tests }, null, 2));
  for (const t of tests.filter((x) => x.state === 'failed')) console.log(`FAILED ${t.title}\n${(t.error ?? '').replace(/^/gm, '    ')}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 || passed === 0 ? 1 : 0;
}

main().then((code) => process.exit(code));
