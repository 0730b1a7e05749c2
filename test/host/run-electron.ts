/**
 * `npm run test:electron`: the same host suite (test/host/suite) in desktop VS Code,
 * downloaded by @vscode/test-electron — for machines that reach update.code.visualstudio.com.
 * Offline, use run-code-server.ts (what `npm test` runs).
 *
 *   node out/test/host/run-electron.js [--version stable|insiders|1.95.0] [--vscode-executable <path>] [--grep <pattern>]
 *
 * Environment: VSCODE_VERSION / VSCODE_EXECUTABLE_PATH do the same as the options.
 * Writes test-results/host-electron.json `{ passed, failed, tests }`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from './lib/paths';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  if (v === undefined) throw new Error(`${name} needs a value`);
  return v;
}

async function main(): Promise<number> {
  const root = repoRoot();
  const resultsDir = process.env.BQMIGRATE_TEST_RESULTS ?? path.join(root, 'test-results');
  const resultsFile = path.join(resultsDir, 'host-electron.json');
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.rmSync(resultsFile, { force: true });
  // Tests modify files: run on a copy of the fixture workspace.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bqmigrate-electron-'));
  const workspace = path.join(scratch, 'workspace');
  fs.cpSync(path.join(root, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  const grep = option('--grep');
  try {
    const code = await runTests({
      version: option('--version') ?? process.env.VSCODE_VERSION ?? 'stable',
      vscodeExecutablePath: option('--vscode-executable') ?? process.env.VSCODE_EXECUTABLE_PATH,
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out', 'test', 'host', 'suite', 'index.js'),
      launchArgs: [
        workspace,
        '--disable-extensions', // other installed extensions; the one under development still loads
        '--user-data-dir', path.join(scratch, 'user-data'),
      ],
      extensionTestsEnv: {
        BQMIGRATE_HOST_RESULTS_FILE: resultsFile,
        METADATA_SERVER_DETECTION: 'none',
        ...(grep ? { BQMIGRATE_HOST_GREP: grep } : {}),
      },
    });
    if (!fs.existsSync(resultsFile)) {
      // VS Code exited without the suite's run() writing results: that is a failure, whatever the exit code.
      fs.writeFileSync(resultsFile, JSON.stringify({ passed: 0, failed: 1, tests: [{ title: 'electron run', state: 'failed', error: `VS Code exited with ${code} before the suite wrote ${resultsFile}` }] }, null, 2));
      console.error(`test:electron: no results from the suite (VS Code exit code ${code})`);
      return 1;
    }
    const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as { failed: number };
    return code === 0 && results.failed === 0 ? 0 : 1;
  } catch (err) {
    console.error(`test:electron: ${err instanceof Error ? err.message : String(err)}`);
    if (!fs.existsSync(resultsFile)) {
      fs.writeFileSync(resultsFile, JSON.stringify({ passed: 0, failed: 1, tests: [{ title: 'electron run', state: 'failed', error: String(err) }] }, null, 2));
    }
    return 1;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  }
}

main().then((code) => process.exit(code));
