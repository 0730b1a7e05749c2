/**
 * Runs inside the extension host when run-vsix.ts opens code-server with the
 * packaged extension installed (no development path): checks that the extension
 * was loaded from the installed .vsix, activates, registers its commands and can
 * load the native DuckDB binding shipped next to the bundle. Writes its verdict to
 * $BQMIGRATE_HOST_RESULTS_FILE.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

interface Check {
  title: string;
  state: 'passed' | 'failed';
  error?: string;
}

export async function run(): Promise<void> {
  const checks: Check[] = [];
  const check = async (title: string, fn: () => unknown | Promise<unknown>) => {
    try {
      await fn();
      checks.push({ title: `vsix: ${title}`, state: 'passed' });
    } catch (err) {
      checks.push({ title: `vsix: ${title}`, state: 'failed', error: err instanceof Error ? err.message : String(err) });
    }
  };
  const ext = vscode.extensions.getExtension('cbi-v14.bqmigrate');
  await check('the installed extension is loaded from the extensions folder', () => {
    if (!ext) throw new Error('cbi-v14.bqmigrate is not installed in this host');
    const dir = process.env.BQMIGRATE_VSIX_EXTENSIONS_DIR;
    if (!dir || !path.resolve(ext.extensionPath).startsWith(path.resolve(dir))) {
      throw new Error(`loaded from ${ext.extensionPath}, expected under ${dir}`);
    }
  });
  await check('activates on a workspace with bqmigrate.json', async () => {
    await ext!.activate();
    if (!ext!.isActive) throw new Error('not active after activate()');
  });
  await check('registers every contributed command', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = (ext!.packageJSON.contributes?.commands ?? []).map((c: { command: string }) => c.command).filter((id: string) => !registered.has(id));
    if (missing.length) throw new Error(`not registered: ${missing.join(', ')}`);
  });
  await check('the native DuckDB binding shipped in the .vsix loads', async () => {
    const api = require(path.join(ext!.extensionPath, 'node_modules', '@duckdb', 'node-api')) as {
      DuckDBInstance: { create(path?: string): Promise<{ connect(): Promise<{ runAndReadAll(sql: string): Promise<{ getRows(): unknown[][] }>; closeSync?(): void }> }> };
    };
    const db = await api.DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const rows = (await conn.runAndReadAll('SELECT 40 + 2 AS answer')).getRows();
    if (Number(rows[0]?.[0]) !== 42) throw new Error(`SELECT 40 + 2 returned ${JSON.stringify(rows)}`);
  });
  const passed = checks.filter((c) => c.state === 'passed').length;
  const results = { passed, failed: checks.length - passed, tests: checks };
  const file = process.env.BQMIGRATE_HOST_RESULTS_FILE;
  if (file) fs.writeFileSync(file, JSON.stringify(results, null, 2));
  for (const c of checks) console.log(`[bqmigrate-host] ${c.state === 'passed' ? 'pass' : 'fail'}: ${c.title}${c.error ? `: ${c.error}` : ''}`);
  if (results.failed > 0) throw new Error(`${results.failed} vsix check(s) failed`);
}
