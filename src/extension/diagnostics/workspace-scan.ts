/**
 * One workspace scan: every file the engine lints (workspace-files.ts), open documents from their live
 * text, the others from the lint cache or on the worker pool (disk-scan.ts), each published as soon as
 * it is known; then the records of files gone since are dropped, the totals logged and recorded, and
 * the timings kept for `bqmigrate.internal.stats`.
 */
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { FileLintResult } from '../../core/lint/file-lint';
import type { KeptWorkers } from '../../core/lint/kept-workers';
import type { FolderCache } from '../../core/lint/walk-cache';
import { appendSnapshot } from '../../core/progress/snapshots';
import type { ExtensionStats, ScanStats } from '../context';
import { toDiagnostic } from './convert';
import { scanDisk } from './disk-scan';
import type { Engine } from './engine';
import { rangeOf, ScannedRecord } from './file-record';
import type { PublishedFiles } from './published-files';
import type { ReferenceTotals } from './reference-counts';
import { workspaceFiles } from './workspace-files';

/** How often the event loop's delay is sampled during a scan (ms). */
const DELAY_RESOLUTION_MS = 5;

/** The lint cache's file name in the extension's workspace storage. */
const LINT_CACHE_FILE = 'lintcache';

/** What a scan needs of the workspace linter that runs it. */
export interface ScanHost {
  readonly published: PublishedFiles;
  readonly stats: ExtensionStats;
  readonly log: vscode.LogOutputChannel;
  /** Where the lint cache lives (undefined: no workspace storage, or `bqmigrate.lint.cache` off) and the build it names. */
  cache(): { file: string | undefined; tool: string };
  /** False when only open documents are linted (`bqmigrate.lint.workspaceScan` off). */
  readonly scanAll: boolean;
  /** Lint workers kept from one scan to the next, their code optimised. */
  readonly keptWorkers?: KeptWorkers;
  /** Lints an open document from its text and publishes it; false when the engine does not lint it. */
  lintDocument(doc: vscode.TextDocument): boolean;
  totals(): ReferenceTotals;
  /** Diagnostics or counts changed (coalesced by the host). */
  changed(): void;
}

/** Scans the workspace with `engine`; stops, publishing nothing more, as soon as `stopped()` says so. Resolves with the totals when it completed. */
export async function scanWorkspace(host: ScanHost, engine: Engine, stopped: () => boolean, progress: vscode.Progress<{ message?: string }>): Promise<ReferenceTotals | undefined> {
  const t0 = performance.now();
  const delay = monitorEventLoopDelay({ resolution: DELAY_RESOLUTION_MS });
  delay.enable();
  try {
    const published = host.published;
    const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
    const openPaths = new Map([...open.values()].filter((d) => d.uri.scheme === 'file').map((d) => [d.uri.fsPath, d]));
    const seen = new Set<string>();
    // Files showing diagnostics as the scan starts (the walk meets each file once, so only these can be stale).
    const showing = new Set<string>();
    for (const rec of published.values()) if (rec.diagnostics.length > 0) showing.add(rec.uri.fsPath);
    let files = 0;
    // Open documents are linted here from their live text; every other file off this thread.
    async function* closedFiles(folders: FolderCache | undefined): AsyncGenerator<string> {
      // With the workspace scan off only open documents are linted.
      if (!host.scanAll) return;
      for await (const file of workspaceFiles(engine, folders)) {
        files++;
        const doc = openPaths.get(file);
        if (!doc) yield file;
        else if (host.lintDocument(doc)) seen.add(doc.uri.toString());
      }
    }
    const { file: cacheFile, tool } = host.cache();
    let done = 0;
    let findingsAt: number | undefined;
    let findingsShown: { files: number; diagnostics: number } | undefined;
    let cachedFindings: ScanStats['cachedFindings'];
    const summary = await scanDisk(closedFiles, {
      engine,
      // Only open documents are linted with the workspace scan off: the cache is not read (nor shown first).
      cacheFile: host.scanAll ? cacheFile : undefined,
      tool,
      keptWorkers: host.keptWorkers,
      warn: (message) => host.log.warn(message),
      stopped,
      showsDiagnostics: (file) => showing.has(file),
      onResult: (r) => {
        const uri = vscode.Uri.file(r.filePath);
        seen.add(uri.toString());
        publishScanned(host, uri, r, engine);
        if (++done % 250 === 0) progress.report({ message: `${done} files` });
      },
      onFindingsDone: async () => {
        await published.flush();
        findingsAt = performance.now();
        findingsShown = published.shown();
      },
      isOpen: (file) => openPaths.has(file),
      onCachedFindingsDone: async () => {
        await published.flush();
        cachedFindings = { at: performance.now(), shown: published.shown() };
      },
      onNotWalked: (file) => seen.delete(vscode.Uri.file(file).toString()),
    });
    if (!summary || stopped()) return undefined;
    await published.flush();
    const publishedAt = performance.now();
    for (const doc of open.values()) if (!seen.has(doc.uri.toString()) && host.lintDocument(doc)) seen.add(doc.uri.toString());
    for (const key of [...published.keys()]) if (!seen.has(key)) published.drop(key);
    const ms = performance.now() - t0;
    // The histogram counts a delay when its timer fires after it: one more timer takes in the scan's last stretch.
    await new Promise((resolve) => setTimeout(resolve, 2 * DELAY_RESOLUTION_MS));
    if (stopped()) return undefined;
    const totals = host.totals();
    host.stats.lastScan = {
      ms,
      files,
      ...summary,
      references: totals.total,
      at: new Date().toISOString(),
      startedAt: t0,
      findingsAt: findingsAt ?? publishedAt,
      findingsShown: findingsShown ?? published.shown(),
      cachedFindings,
      publishedAt,
      maxEventLoopDelayMs: delay.max / 1e6,
      workersStarted: host.keptWorkers?.started ?? 0,
    };
    host.stats.firstScan ??= host.stats.lastScan;
    host.log.info(`workspace scan: ${files} files, ${summary.fromCache} from cache, took ${(ms / 1000).toFixed(2)} s: ${totals.total} legacy references`);
    try {
      await appendSnapshot(engine.root, { total: totals.total, byDataset: totals.byDataset, files });
    } catch (err) {
      host.log.warn(`could not record the reference snapshot: ${(err as Error).message}`);
    }
    host.changed();
    return totals;
  } finally {
    delay.disable();
  }
}

/**
 * Publishes a file's lint from the workspace scan. An open document's lint (from its live text) wins:
 * a scan result for a file opened meanwhile is dropped. A file the scan could not read has no diagnostics.
 */
function publishScanned(host: ScanHost, uri: vscode.Uri, r: FileLintResult, engine: Engine): void {
  const key = uri.toString();
  if (host.published.get(key)?.version !== undefined) return;
  if (r.note !== undefined) {
    if (host.published.drop(key, uri)) host.changed();
    return;
  }
  const diagnostics = r.violations.map((v, k) => toDiagnostic(v, rangeOf(r.positions[k]!)));
  host.published.publishBatched(new ScannedRecord(uri, r, engine, diagnostics));
  host.changed();
}

/** The lint cache file in `dir` (the extension's workspace storage). */
export function lintCacheIn(dir: string): string {
  return path.join(dir, LINT_CACHE_FILE);
}
