/**
 * Shared helpers for the extension's host tests: activate, wait for the scan,
 * read diagnostics, and restore fixture files the tests change.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BqmigrateApi } from '../../../src/extension/extension';

export const EXTENSION_ID = 'cbi-v14.bqmigrate';

export async function api(): Promise<BqmigrateApi> {
  const ext = vscode.extensions.getExtension<BqmigrateApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded in this extension host`);
  const extApi = await ext.activate();
  await idle();
  return extApi;
}

export function packageJson(): any {
  return vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
}

export interface Stats {
  activationMs?: number;
  lastScan?: { ms: number; files: number; references: number; startedAt: number };
  documentLintMs: { samples: number[]; median?: number; count: number };
  totals: { references: number; files: number };
  manifest: { file?: string; stale: boolean; problems: number };
}

/** Waits until the workspace scan has run and no scan is in progress. */
export async function idle(): Promise<Stats> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const stats = (await vscode.commands.executeCommand('bqmigrate.internal.stats', { waitForScan: true })) as Stats;
    if (stats.lastScan) return stats;
    if (Date.now() > deadline) throw new Error('the workspace scan did not finish within 20 s');
    await sleep(100);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function root(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return folder.uri.fsPath;
}

export function uri(rel: string): vscode.Uri {
  return vscode.Uri.file(path.join(root(), rel));
}

export function ours(u: vscode.Uri, code?: string): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics(u)
    .filter((d) => d.source === 'bqmigrate' && (code === undefined || codeOf(d) === code))
    .sort((a, b) => a.range.start.compareTo(b.range.start));
}

export function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c !== null && typeof c === 'object') return String(c.value);
  return c === undefined ? undefined : String(c);
}

/** Polls until `check` returns a truthy value or throws with `what` after the time-out. */
export async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(50);
  }
}

/**
 * `vscode.executeCodeActionProvider`, asked again when the workbench cancels it. The workbench
 * cancels a code-action request (and the command rejects with "Canceled") whenever the set of
 * code-action providers for the document changes while it runs, or the document's text changes
 * (getCodeActions in codeAction.ts: registry.onDidChange → cts.cancel(), TextModelCancellationTokenSource).
 * Opening the first TypeScript, Markdown or JSON file activates VS Code's built-in language
 * extension for it, which registers its own code-action providers a moment later — seconds
 * later on a loaded machine, in the middle of the request.
 */
export async function codeActionsAt(file: vscode.Uri, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  const attempts = 10;
  for (let attempt = 1; ; attempt++) {
    try {
      return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', file, range, kind)) ?? [];
    } catch (err) {
      if (!isCanceled(err) || attempt === attempts) throw err;
      await sleep(200 * attempt);
    }
  }
}

/** VS Code's cancellation error, as it arrives from the workbench: name and message "Canceled". */
export function isCanceled(err: unknown): boolean {
  return err instanceof Error && (err.name === 'Canceled' || err.message === 'Canceled');
}

/** The text at a range of a file as it is on disk. */
export function textAt(file: vscode.Uri, range: vscode.Range): string {
  const lines = fs.readFileSync(file.fsPath, 'utf8').split(/\r?\n/);
  if (range.start.line !== range.end.line) throw new Error('multi-line range');
  return lines[range.start.line]!.slice(range.start.character, range.end.character);
}

/** Remembers files' contents and puts them back (disk and any open editor). */
export class FixtureSnapshot {
  private readonly saved = new Map<string, string>();
  constructor(rels: string[]) {
    for (const rel of rels) this.saved.set(rel, fs.readFileSync(uri(rel).fsPath, 'utf8'));
  }
  async restore(): Promise<void> {
    for (const [rel, text] of this.saved) {
      const u = uri(rel);
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === u.toString());
      if (doc) {
        const edit = new vscode.WorkspaceEdit();
        edit.replace(u, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
        await vscode.workspace.applyEdit(edit);
        await doc.save();
      } else {
        fs.writeFileSync(u.fsPath, text);
      }
    }
    await vscode.commands.executeCommand('bqmigrate.lintWorkspace');
    await idle();
  }
}

export const FIXTURE_SOURCES = ['sql/build_training.sql', 'sql/regimes.sql', 'sql/clean.sql', 'src/loadTraining.ts', 'scripts/export_training_data.py', 'docs/migration-notes.md', 'bqmigrate.json'];
