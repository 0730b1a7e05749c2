/**
 * In-host half of bench/host.bench.mjs (an extensionTestsPath payload): reads the
 * extension's own timings through `bqmigrate.internal.stats`, then types into a
 * 10,000-line SQL file and measures each keystroke's re-lint. Writes the figures to
 * $BQMIGRATE_HOST_RESULTS_FILE. Not a test: it asserts nothing about speed.
 *
 * Per keystroke (an edit at document version v) it waits for the extension's lint of
 * version v and reads that lint's own timing (re-lint latency: from reading the text to
 * `DiagnosticCollection.set` returning, split into core / conversion / publish; the
 * debounce before it is excluded), and separately times edit applied → the first
 * onDidChangeDiagnostics for the file after that lint (includes the debounce and VS Code's
 * own 50 ms coalescing of that event).
 */
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DocumentLintTiming } from '../../../src/extension/context';


interface Stats {
  activationMs?: number;
  lastScan?: { ms: number; files: number; references: number; at: string };
  documentLintMs: { samples: number[]; median?: number; count: number };
  documentLints: DocumentLintTiming[];
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

  const lints: DocumentLintTiming[] = [];
  const endToEnd: number[] = [];
  const line = Math.floor(doc.lineCount / 2);
  const key = file.toString();
  // When onDidChangeDiagnostics fired for the file (the extension host's clock, shared with the extension's timings).
  const events: number[] = [];
  let wake: (() => void) | undefined;
  const sub = vscode.languages.onDidChangeDiagnostics((e) => {
    if (!e.uris.some((u) => u.toString() === key)) return;
    events.push(performance.now());
    wake?.();
  });
  // BQMIGRATE_BENCH_CPU_PROFILE=<file.cpuprofile>: a CPU profile of the extension host during the keystrokes.
  const profileTo = process.env.BQMIGRATE_BENCH_CPU_PROFILE;
  const session = profileTo ? new inspector.Session() : undefined;
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session!.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
  if (session) {
    session.connect();
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 100 });
    await post('Profiler.start');
  }
  try {
    for (let i = 0; i < KEYSTROKES; i++) {
      const t0 = performance.now();
      // One keystroke: type a character, or take it back, so the file stays the same size.
      const ok = await editor.edit((e) => (i % 2 === 0 ? e.insert(new vscode.Position(line, 0), ' ') : e.delete(new vscode.Range(line, 0, line, 1))));
      if (!ok) throw new Error('the edit was not applied');
      const version = doc.version;
      // Events from an earlier lint may still arrive: wait for this version's lint, then for the first event after it.
      let lint: DocumentLintTiming | undefined;
      let published: number | undefined;
      for (const deadline = Date.now() + 10_000; published === undefined; ) {
        if (Date.now() > deadline) throw new Error(`no lint and diagnostics event for version ${version} within 10 s of a keystroke`);
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 50);
        });
        lint ??= (await stats()).documentLints.find((l) => l.uri === key && l.version === version);
        if (lint) published = events.find((t) => t >= lint!.endAt);
      }
      lints.push(lint!);
      endToEnd.push(published - t0);
    }
  } finally {
    sub.dispose();
    if (session) {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      fs.writeFileSync(profileTo!, JSON.stringify(profile));
      session.disconnect();
    }
  }
  const lintSamples = lints.map((l) => l.totalMs);
  const debounce = vscode.workspace.getConfiguration('bqmigrate').get('lint.debounceMs');
  const results = {
    activationMs: first.activationMs,
    hostStartToScanDoneMs: first.lastScan ? Date.parse(first.lastScan.at) - hostStart : undefined,
    scan: first.lastScan,
    relint: {
      lines: doc.lineCount,
      keystrokes: KEYSTROKES,
      lintMedianMs: lintSamples.length ? median(lintSamples) : undefined,
      lintMinMs: Math.min(...lintSamples),
      lintSamples: lintSamples.length,
      coreMedianMs: median(lints.map((l) => l.coreMs)),
      convertMedianMs: median(lints.map((l) => l.convertMs)),
      publishMedianMs: median(lints.map((l) => l.publishMs)),
      extensionOwnMedianMs: median(lints.map((l) => l.totalMs - l.coreMs)),
      violations: lints[0]?.violations,
      keystrokeToDiagnosticsMedianMs: median(endToEnd),
      debounceMs: debounce,
    },
  };
  await vscode.commands.executeCommand('workbench.action.files.revert');
  const out = process.env.BQMIGRATE_HOST_RESULTS_FILE;
  if (out) fs.writeFileSync(out, JSON.stringify(results, null, 2));
  console.log(`[bqmigrate-host] pass: bench ${JSON.stringify(results)}`);
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
