/**
 * Keeps the bqmigrate diagnostics of the whole workspace current: open documents
 * as you type (debounced) or on save, every other file through a scan after
 * activation and after each manifest change (with a progress indicator; workspace-scan.ts),
 * and file watchers in between (a file they report is linted only when the scan would lint
 * it). Each file's lint is kept as a FileRecord (file-record.ts) with its diagnostics
 * (published-files.ts), which the mapping tree, the status bar, Find All References and the
 * workspace fix read.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LintResult } from '../../core/index';
import { KeptWorkers } from '../../core/lint/kept-workers';
import { decodeSource, DEFAULT_MAX_FILE_BYTES } from '../../core/lint/read';
import { definitionsDir } from '../../core/definitions/files';
import type { ExtensionStats } from '../context';
import { Engine } from './engine';
import type { ManifestService } from '../manifest/service';
import type { SettingsService } from '../settings';
import { toDiagnostics } from './convert';
import { LintRecord, positionsOf, type FileRecord, type MappingReference } from './file-record';
import { PublishedFiles } from './published-files';
import type { ReferenceTotals } from './reference-counts';
import { isScannedFolder, isWorkspaceFile, workspaceFilesIn } from './workspace-files';
import { lintCacheIn, scanWorkspace, type ScanHost } from './workspace-scan';
import { TextPositions, type OffsetConverter } from '../positions';
/** Document lint timings kept for `bqmigrate.internal.stats`. */
const MAX_TIMINGS = 200;

/** How long .gitignore events must stop before the scan they ask for starts (ms). */
const GITIGNORE_SETTLE_MS = 200;

export class WorkspaceLinter implements vscode.Disposable {
  private readonly published = new PublishedFiles();
  readonly collection = this.published.collection;
  private engine: Engine | undefined;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [this.published];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires (coalesced) when diagnostics or reference counts change. */
  readonly onDidChange = this.changed.event;
  private readonly scanned = new vscode.EventEmitter<ReferenceTotals>();
  /** Fires after each complete workspace scan. */
  readonly onDidScan = this.scanned.event;
  private changeTimer: NodeJS.Timeout | undefined;
  /** The scan a burst of .gitignore events starts, once they settle (gitignoreEvent). */
  private gitignoreTimer: NodeJS.Timeout | undefined;
  /** What the last onDidChange reported (see fireChanged). */
  private lastChangeKey: string | undefined;
  private scanGeneration = 0;
  private scanRunning: Promise<void> | undefined;
  private started = false;
  /** bqmigrate.lint.workspaceScan, read once at start (it is in RELOAD_KEYS). */
  private scanAll = true;
  /** The scans' lint workers, kept warm for the next scan (a manifest or settings change lints every file again); 5 minutes without one stops them. */
  private readonly keptWorkers = new KeptWorkers({ background: true, idleMs: 5 * 60_000 });

  constructor(
    private readonly manifest: ManifestService,
    private readonly settings: SettingsService,
    private readonly stats: ExtensionStats,
    private readonly log: vscode.LogOutputChannel,
    /** Where the workspace scan keeps its lint cache (the extension's workspace storage), if anywhere, and the build it names. */
    readonly storage?: { dir: string; tool: string },
  ) {
    this.disposables.push(this.changed, this.scanned);
  }

  /** Subscribes to documents, files, the manifest and settings, then scans. Called once after activation. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.scanAll = this.settings.current.lint.workspaceScan;
    this.rebuildEngine();
    const d = this.disposables;
    d.push(
      vscode.workspace.onDidOpenTextDocument((doc) => this.lintDocument(doc)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.settings.current.lint.run !== 'onType' || e.contentChanges.length === 0) return;
        this.schedule(e.document);
      }),
      vscode.workspace.onDidSaveTextDocument((doc) => this.lintDocument(doc)),
      // A closed editor may have held unsaved text: the file on disk is the truth again.
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme === 'file') void this.lintFileFromDisk(doc.uri);
      }),
      this.manifest.onDidChange(() => {
        this.rebuildEngine();
        void this.scanWorkspace();
      }),
      this.settings.onDidChange(() => {
        this.rebuildEngine();
        void this.scanWorkspace();
      }),
    );
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    d.push(
      watcher,
      watcher.onDidCreate((uri) => this.onDiskChange(uri)),
      watcher.onDidChange((uri) => this.onDiskChange(uri)),
      watcher.onDidDelete((uri) => this.onDiskDelete(uri)),
    );
    await this.scanWorkspace();
  }

  get currentEngine(): Engine | undefined {
    return this.engine;
  }

  /** Files linted so far with their results (open editors and the last scan). */
  get files(): ReadonlyMap<string, FileRecord> {
    return this.published.map;
  }

  /** The record of an open document at its current version, linting it now if it is stale. */
  recordFor(doc: vscode.TextDocument): FileRecord | undefined {
    const rec = this.published.get(doc.uri.toString());
    if (rec && rec.version === doc.version) return rec;
    return this.lintDocument(doc);
  }

  totals(): ReferenceTotals {
    return this.published.totals(this.definitionsFolder());
  }

  /** `<manifest dir>/<definitions.dir>/` (with a trailing separator), where pulled warehouse definitions live. */
  definitionsFolder(): string | undefined {
    const loaded = this.manifest.loaded;
    return loaded ? definitionsDir(loaded) + path.sep : undefined;
  }

  /** Linted files under the definitions folder: what the dashboard counts as warehouse definitions. */
  definitionRecords(): { rel: string; record: FileRecord }[] {
    const dir = this.definitionsFolder();
    if (!dir) return [];
    return [...this.published.values()].filter((r) => r.uri.fsPath.startsWith(dir)).map((record) => ({ rel: record.uri.fsPath.slice(dir.length), record }));
  }

  referencesOf(mappingIndex: number): MappingReference[] {
    const out: MappingReference[] = [];
    for (const rec of this.published.values()) for (const r of rec.references) if (r.mappingIndex === mappingIndex) out.push(r);
    return out.sort((a, b) => a.uri.fsPath.localeCompare(b.uri.fsPath) || a.range.start.compareTo(b.range.start));
  }

  /**
   * Lints an open document now (no debounce) and publishes its diagnostics. Timed for
   * `bqmigrate.internal.stats`: from reading the document's text to `collection.set` returning.
   */
  lintDocument(doc: vscode.TextDocument): FileRecord | undefined {
    const engine = this.engine;
    if (!engine || doc.uri.scheme !== 'file' || !engine.wants(doc.uri.fsPath, doc.languageId)) return undefined;
    const t0 = performance.now();
    const text = doc.getText();
    // The last lint of this file (open or from disk), when this engine made it: in SQL only the statements
    // the edit touched are linted again. lintEdit reuses that result's objects; store() replaces the record.
    const previous = this.published.get(doc.uri.toString());
    const result = previous instanceof LintRecord && previous.engine === engine ? engine.lintEdit(previous, text, doc.uri.fsPath, doc.languageId) : engine.lint(text, doc.uri.fsPath, doc.languageId);
    const t1 = performance.now();
    const rec = this.store(doc.uri, doc.version, text, result, TextPositions.forDocument(text, doc), engine);
    const t3 = performance.now();
    const stats = this.stats;
    stats.documentLintMs.push(t3 - t0);
    if (stats.documentLintMs.length > MAX_TIMINGS) stats.documentLintMs.shift();
    stats.documentLints.push({
      uri: doc.uri.toString(),
      version: doc.version,
      totalMs: t3 - t0,
      coreMs: t1 - t0,
      convertMs: t3 - t1 - this.lastPublishMs,
      publishMs: this.lastPublishMs,
      violations: result.violations.length,
      endAt: t3,
    });
    if (stats.documentLints.length > MAX_TIMINGS) stats.documentLints.shift();
    return rec;
  }

  /** Re-lints every file of the workspace; a newer call supersedes a running one. */
  scanWorkspace(): Promise<void> {
    const generation = ++this.scanGeneration;
    const run = vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'bqmigrate: linting workspace' },
      (progress) => this.scan(generation, progress),
    );
    this.scanRunning = Promise.resolve(run).catch((err: unknown) => this.log.error(`workspace scan failed: ${(err as Error).message}`));
    return this.scanRunning;
  }

  /** Lints these files from disk now (open ones from their editor) and publishes their diagnostics. */
  async refreshFiles(uris: readonly vscode.Uri[]): Promise<void> {
    const engine = this.engine;
    if (!engine) return;
    const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
    for (const uri of uris) {
      const doc = open.get(uri.toString());
      if (doc) this.lintDocument(doc);
      else await this.lintFileFromDisk(uri, engine);
    }
    this.fireChanged();
  }

  /** Resolves when the scan in progress (if any) has finished. */
  async whenIdle(): Promise<void> {
    while (this.scanRunning) {
      const running = this.scanRunning;
      await running;
      if (running === this.scanRunning) break;
    }
  }

  private async scan(generation: number, progress: vscode.Progress<{ message?: string }>): Promise<void> {
    const engine = this.engine;
    if (!engine) {
      this.published.clear();
      this.fireChanged();
      return;
    }
    const totals = await scanWorkspace(this.scanHost, engine, () => generation !== this.scanGeneration || engine !== this.engine, progress);
    if (totals) this.scanned.fire(totals);
  }

  /** What the workspace scan (workspace-scan.ts) uses of this linter. */
  private get scanHost(): ScanHost {
    return {
      published: this.published,
      stats: this.stats,
      log: this.log,
      cache: () => ({ file: this.settings.current.lint.cache && this.storage ? lintCacheIn(this.storage.dir) : undefined, tool: this.storage?.tool ?? 'bqmigrate-vscode' }),
      scanAll: this.scanAll,
      keptWorkers: this.keptWorkers,
      lintDocument: (doc) => this.lintDocument(doc) !== undefined,
      totals: () => this.totals(),
      changed: () => this.fireChanged(),
    };
  }

  /** Lints a closed file from disk when the workspace scan would lint it (else drops what it showed). */
  private async lintFileFromDisk(uri: vscode.Uri, engine = this.engine): Promise<void> {
    if (!engine) return;
    if (await isFolder(uri.fsPath)) return this.lintFolderFromDisk(uri.fsPath, engine);
    if (!isWorkspaceFile(engine, uri.fsPath)) {
      // Not linted by the scan (an ignored, excluded or never-scanned folder): a closed editor's diagnostics go with it.
      if (this.published.has(uri.toString())) this.forget(uri);
      return;
    }
    await this.lintCheckedFile(uri, engine);
  }

  /** A folder the watcher reports made (it reports one made with files in it as that folder only): each file the scan would lint. */
  private async lintFolderFromDisk(dir: string, engine: Engine): Promise<void> {
    for await (const file of workspaceFilesIn(engine, dir)) {
      if (engine !== this.engine) return;
      const uri = vscode.Uri.file(file);
      if (!isOpen(uri)) await this.lintCheckedFile(uri, engine);
    }
  }

  /** Reads a file the scan would lint and publishes its diagnostics. */
  private async lintCheckedFile(uri: vscode.Uri, engine: Engine): Promise<void> {
    let text: string;
    try {
      const stat = await fs.promises.stat(uri.fsPath);
      if (!stat.isFile() || stat.size > DEFAULT_MAX_FILE_BYTES) return;
      // Same decoding as the CLI: BOM stripped, binary files skipped.
      const decoded = decodeSource(await fs.promises.readFile(uri.fsPath));
      if (!decoded.ok) return;
      text = decoded.text;
    } catch {
      this.forget(uri);
      return;
    }
    if (engine !== this.engine) return;
    this.store(uri, undefined, text, engine.lint(text, uri.fsPath), new TextPositions(text), engine);
  }

  private onDiskChange(uri: vscode.Uri): void {
    if (this.manifest.isManifest(uri)) return;
    if (this.gitignoreEvent(uri)) return;
    // Open editors are linted from their buffer, which may differ from the disk.
    if (isOpen(uri)) return;
    void this.lintFileFromDisk(uri);
  }

  private onDiskDelete(uri: vscode.Uri): void {
    this.gitignoreEvent(uri);
    this.forget(uri);
  }

  /**
   * True when `uri` is a .gitignore. One made, changed or deleted where the scan walks scans again, once per
   * burst (a checkout); one where it never goes (`npm install` writes hundreds in node_modules) changes nothing.
   */
  private gitignoreEvent(uri: vscode.Uri): boolean {
    if (path.basename(uri.fsPath) !== '.gitignore') return false;
    const engine = this.engine;
    if (!engine || !isScannedFolder(engine, path.dirname(uri.fsPath))) return true;
    clearTimeout(this.gitignoreTimer);
    this.gitignoreTimer = setTimeout(() => void this.scanWorkspace(), GITIGNORE_SETTLE_MS);
    return true;
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const prefix = key.endsWith('/') ? key : `${key}/`;
    for (const k of [...this.published.keys()]) if (k === key || k.startsWith(prefix)) this.published.drop(k);
    this.fireChanged();
  }

  private schedule(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (doc.isClosed) return;
        // Already linted at this version (a code action or hover asked first): nothing new to publish.
        const rec = this.published.get(key);
        if (rec && rec.version === doc.version && rec.engine === this.engine) return;
        this.lintDocument(doc);
      }, this.settings.current.lint.debounceMs),
    );
  }

  /**
   * Publishes a file's diagnostics and keeps its record. `at` converts offsets of exactly `text`
   * (a snapshot), or is the live document when TextPositions could not stand in for it — then the
   * references are converted now, while the document still matches `text`. Otherwise they are
   * converted when first asked for, from line starts found again then (kept per file meanwhile,
   * they would cost more memory than they save time).
   */
  private store(uri: vscode.Uri, version: number | undefined, text: string, result: LintResult, at: OffsetConverter, engine: Engine): FileRecord {
    const previous = this.published.get(uri.toString());
    const diagnostics = toDiagnostics(result.violations, at, previous && { violations: previous.violations, diagnostics: previous.diagnostics });
    const t0 = performance.now();
    const snapshot = at instanceof TextPositions;
    const rec = new LintRecord(uri, version, text, result, engine, diagnostics, snapshot ? positionsOf(text, version !== undefined) : () => at);
    if (!snapshot) void rec.references;
    this.published.publish(rec);
    this.fireChanged();
    this.lastPublishMs = performance.now() - t0;
    return rec;
  }

  private rebuildEngine(): void {
    const loaded = this.manifest.loaded;
    try {
      this.engine = loaded ? new Engine(loaded, this.settings.current) : undefined;
    } catch (err) {
      this.log.error(`cannot build the linter: ${(err as Error).message}`);
      this.engine = undefined;
    }
  }

  /**
   * Fires onDidChange 50 ms after the first call, coalesced, and only when the counts its listeners
   * show (status bar, tree and its badge, dashboard) differ from the last time: a keystroke that
   * leaves them as they were does not redraw the tree or the status bar.
   */
  private fireChanged(): void {
    if (this.changeTimer) return;
    this.changeTimer = setTimeout(() => {
      this.changeTimer = undefined;
      const key = totalsKey(this.totals());
      if (key === this.lastChangeKey) return;
      this.lastChangeKey = key;
      this.changed.fire();
    }, 50);
  }

  /** How long the last store() spent publishing (collection.set, the record), for the stats. */
  private lastPublishMs = 0;

  dispose(): void {
    this.scanGeneration++;
    clearTimeout(this.changeTimer);
    clearTimeout(this.gitignoreTimer);
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
    void this.keptWorkers.close();
  }
}

function totalsKey(t: ReferenceTotals): string {
  const byMapping = [...t.byMapping].sort((a, b) => a[0] - b[0]);
  const byDataset = Object.entries(t.byDataset).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const columns = [...t.columnsByMapping].sort((a, b) => a[0] - b[0]);
  return JSON.stringify([t.total, t.files, byMapping, byDataset, columns]);
}

/** Whether an editor has the file open (it is linted from its buffer, which may differ from the disk). */
function isOpen(uri: vscode.Uri): boolean {
  const key = uri.toString();
  return vscode.workspace.textDocuments.some((d) => d.uri.toString() === key);
}

async function isFolder(file: string): Promise<boolean> {
  try {
    return (await fs.promises.stat(file)).isDirectory();
  } catch {
    return false;
  }
}
