/**
 * In-host half of bench/host.bench.mjs (an extensionTestsPath payload): reads the
 * extension's own timings through `bqmigrate.internal.stats`, then types into a
 * 10,000-line SQL file and measures each keystroke's re-lint. Writes the figures to
 * $BQMIGRATE_HOST_RESULTS_FILE. Not a test: it asserts nothing about speed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

interface Stats {
  activationMs?: number;
  lastScan?: { ms: number; files: number; references: number; at: string };
  documentLintMs: { samples: number[]; median?: number; count: number };
}

const KEYSTROKES = Number(process.env.BQMIGRATE_BENCH_KEYSTROKES ?? 40);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const stats = async (wait = false) => (await vscode.commands.executeCommand('bqmigrate.internal.stats', { waitForScan: wait })) as Stats;

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension('cbi-v14.bqmigrate');
  if (!ext) throw new Error('cbi-v14.bqmigrate is not loaded');
  await ext.activate();
  // The first workspace scan starts shortly after activation; wait until one has finished.
  let first = await stats(true);
  for (const deadline = Date.now() + 60_000; !first.lastScan && Date.now() < deadline; first = await stats(true)) await new Promise((r) => setTimeout(r, 100));
  const hostStart = performance.timeOrigin;

  const file = vscode.Uri.file(path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, process.env.BQMIGRATE_BENCH_FILE ?? 'sql/bench_10k.sql'));
  const doc = await vscode.workspace.openTextDocument(file);
  const editor = await vscode.window.showTextDocument(doc);
  await until(() => vscode.languages.getDiagnostics(file).some((d) => d.source === 'bqmigrate'), 30_000, 'diagnostics for the 10,000-line file');

  const lintSamples: number[] = [];
  const endToEnd: number[] = [];
  const line = Math.floor(doc.lineCount / 2);
  for (let i = 0; i < KEYSTROKES; i++) {
    const before = (await stats()).documentLintMs.count;
    const published = nextDiagnostics(file);
    const t0 = performance.now();
    // One keystroke: type a character, or take it back, so the file stays the same size.
    const ok = await editor.edit((e) => (i % 2 === 0 ? e.insert(new vscode.Position(line, 0), ' ') : e.delete(new vscode.Range(line, 0, line, 1))));
    if (!ok) throw new Error('the edit was not applied');
    await published;
    endToEnd.push(performance.now() - t0);
    const after = await stats();
    if (after.documentLintMs.count > before) lintSamples.push(after.documentLintMs.samples[after.documentLintMs.samples.length - 1]!);
  }
  const debounce = vscode.workspace.getConfiguration('bqmigrate').get('lint.debounceMs');
  const results = {
    activationMs: first.activationMs,
    hostStartToScanDoneMs: first.lastScan ? Date.parse(first.lastScan.at) - hostStart : undefined,
    scan: first.lastScan,
    relint: {
      lines: doc.lineCount,
      keystrokes: KEYSTROKES,
      lintMedianMs: lintSamples.length ? median(lintSamples) : undefined,
      lintSamples: lintSamples.length,
      keystrokeToDiagnosticsMedianMs: median(endToEnd),
      debounceMs: debounce,
    },
  };
  await vscode.commands.executeCommand('workbench.action.files.revert');
  const out = process.env.BQMIGRATE_HOST_RESULTS_FILE;
  if (out) fs.writeFileSync(out, JSON.stringify(results, null, 2));
  console.log(`[bqmigrate-host] pass: bench ${JSON.stringify(results)}`);
}

function nextDiagnostics(uri: vscode.Uri): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error('no diagnostics within 10 s of a keystroke'));
    }, 10_000);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
  });
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
