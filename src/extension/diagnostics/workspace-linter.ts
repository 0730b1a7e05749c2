/**
 * Keeps the bqmigrate diagnostics of the whole workspace current: open documents
 * as you type (debounced) or on save, every other file through a scan after
 * activation and after each manifest change (with a progress indicator), and file
 * watchers in between. It also keeps, per file, which mapping each legacy reference
 * resolves to — the mapping tree, the status bar, Find All References and the
 * workspace fix read that.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import ignore from 'ignore';
import type { LintResult } from '../../core/index';
import { LineIndex } from '../../core/text/positions';
import { decodeSource, DEFAULT_MAX_FILE_BYTES } from '../../core/lint/read';
import { recordSnapshot } from '../../core/progress/snapshots';
import type { ExtensionStats } from '../context';
import { ALWAYS_EXCLUDED, Engine } from '../engine';
import type { ManifestService } from '../manifest/service';
import type { SettingsService } from '../settings';
import { toDiagnostic, toRange, type OffsetConverter } from './convert';

/** One legacy reference and the mapping it resolves to. */
export interface MappingReference {
  uri: vscode.Uri;
  range: vscode.Range;
  mappingIndex: number;
  from: string;
  to?: string;
}

export interface FileRecord {
  uri: vscode.Uri;
  /** Document version when linted from an open editor; undefined when read from disk. */
  version: number | undefined;
  text: string;
  result: LintResult;
  references: MappingReference[];
}

export interface ReferenceTotals {
  total: number;
  byMapping: Map<number, number>;
  byDataset: Record<string, number>;
  files: number;
}

const YIELD_EVERY_MS = 12;

export class WorkspaceLinter implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('bqmigrate');
  private engine: Engine | undefined;
  private readonly records = new Map<string, FileRecord>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [this.collection];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires (coalesced) when diagnostics or reference counts change. */
  readonly onDidChange = this.changed.event;
  private readonly scanned = new vscode.EventEmitter<ReferenceTotals>();
  /** Fires after each complete workspace scan. */
  readonly onDidScan = this.scanned.event;
  private changeTimer: NodeJS.Timeout | undefined;
  private scanGeneration = 0;
  private scanRunning: Promise<void> | undefined;
  private started = false;
  /** bqmigrate.lint.workspaceScan, read once at start (it is in RELOAD_KEYS). */
  private scanAll = true;

  constructor(
    private readonly manifest: ManifestService,
    private readonly settings: SettingsService,
    private readonly stats: ExtensionStats,
    private readonly log: vscode.LogOutputChannel,
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
      watcher.onDidDelete((uri) => this.forget(uri)),
    );
    await this.scanWorkspace();
  }

  get currentEngine(): Engine | undefined {
    return this.engine;
  }

  /** Files linted so far with their results (open editors and the last scan). */
  get files(): ReadonlyMap<string, FileRecord> {
    return this.records;
  }

  /** The record of an open document at its current version, linting it now if it is stale. */
  recordFor(doc: vscode.TextDocument): FileRecord | undefined {
    const rec = this.records.get(doc.uri.toString());
    if (rec && rec.version === doc.version) return rec;
    return this.lintDocument(doc);
  }

  totals(): ReferenceTotals {
    const byMapping = new Map<number, number>();
    const byDataset: Record<string, number> = {};
    let total = 0;
    for (const rec of this.records.values()) {
      for (const r of rec.references) {
        total++;
        byMapping.set(r.mappingIndex, (byMapping.get(r.mappingIndex) ?? 0) + 1);
        const ds = r.from.split('.')[0] ?? r.from;
        byDataset[ds] = (byDataset[ds] ?? 0) + 1;
      }
    }
    return { total, byMapping, byDataset, files: this.records.size };
  }

  referencesOf(mappingIndex: number): MappingReference[] {
    const out: MappingReference[] = [];
    for (const rec of this.records.values()) for (const r of rec.references) if (r.mappingIndex === mappingIndex) out.push(r);
    return out.sort((a, b) => a.uri.fsPath.localeCompare(b.uri.fsPath) || a.range.start.compareTo(b.range.start));
  }

  /** Lints an open document now (no debounce) and publishes its diagnostics. */
  lintDocument(doc: vscode.TextDocument): FileRecord | undefined {
    const engine = this.engine;
    if (!engine || doc.uri.scheme !== 'file' || !engine.wants(doc.uri.fsPath, doc.languageId)) return undefined;
    const t0 = performance.now();
    const text = doc.getText();
    const result = engine.lint(text, doc.uri.fsPath, doc.languageId);
    const rec = this.store(doc.uri, doc.version, text, result, doc);
    const ms = performance.now() - t0;
    this.stats.documentLintMs.push(ms);
    if (this.stats.documentLintMs.length > 200) this.stats.documentLintMs.shift();
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
      this.records.clear();
      this.collection.clear();
      this.fireChanged();
      return;
    }
    const t0 = performance.now();
    // With the workspace scan off only open documents are linted.
    const files = this.scanAll ? await this.listFiles(engine) : [];
    if (generation !== this.scanGeneration) return;
    const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
    const seen = new Set<string>();
    let lastYield = performance.now();
    let done = 0;
    for (const uri of files) {
      const key = uri.toString();
      seen.add(key);
      const doc = open.get(key);
      if (doc) this.lintDocument(doc);
      else await this.lintFileFromDisk(uri, engine);
      done++;
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        progress.report({ message: `${done}/${files.length} files` });
        await new Promise((r) => setImmediate(r));
        lastYield = performance.now();
        if (generation !== this.scanGeneration || engine !== this.engine) return;
      }
    }
    for (const doc of open.values()) if (!seen.has(doc.uri.toString()) && this.lintDocument(doc)) seen.add(doc.uri.toString());
    for (const key of [...this.records.keys()]) {
      if (!seen.has(key)) {
        this.records.delete(key);
        this.collection.delete(vscode.Uri.parse(key));
      }
    }
    const ms = performance.now() - t0;
    const totals = this.totals();
    this.stats.lastScan = { ms, files: files.length, references: totals.total, at: new Date().toISOString() };
    this.log.info(`scanned ${files.length} files in ${ms.toFixed(0)} ms: ${totals.total} legacy references`);
    try {
      recordSnapshot(engine.root, { total: totals.total, byDataset: totals.byDataset, files: files.length });
    } catch (err) {
      this.log.warn(`could not record the reference snapshot: ${(err as Error).message}`);
    }
    this.fireChanged();
    this.scanned.fire(totals);
  }

  private async listFiles(engine: Engine): Promise<vscode.Uri[]> {
    const found = await vscode.workspace.findFiles(new vscode.RelativePattern(vscode.Uri.file(engine.root), '**/*'), ALWAYS_EXCLUDED);
    const gitignore = ignore();
    try {
      gitignore.add(fs.readFileSync(path.join(engine.root, '.gitignore'), 'utf8'));
    } catch {
      // No .gitignore at the manifest folder: nothing more to skip.
    }
    return found
      .filter((uri) => {
        const rel = path.relative(engine.root, uri.fsPath).split(path.sep).join('/');
        return !gitignore.ignores(rel) && engine.wants(uri.fsPath);
      })
      .sort((a, b) => a.fsPath.localeCompare(b.fsPath));
  }

  private async lintFileFromDisk(uri: vscode.Uri, engine = this.engine): Promise<void> {
    if (!engine || !engine.wants(uri.fsPath)) return;
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
    this.store(uri, undefined, text, engine.lint(text, uri.fsPath), new LineConverter(text));
  }

  private onDiskChange(uri: vscode.Uri): void {
    if (this.manifest.isManifest(uri)) return;
    // Open editors are linted from their buffer, which may differ from the disk.
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) return;
    void this.lintFileFromDisk(uri);
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const prefix = key.endsWith('/') ? key : `${key}/`;
    for (const k of [...this.records.keys()]) {
      if (k === key || k.startsWith(prefix)) {
        this.records.delete(k);
        this.collection.delete(vscode.Uri.parse(k));
      }
    }
    this.fireChanged();
  }

  private schedule(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (!doc.isClosed) this.lintDocument(doc);
      }, this.settings.current.lint.debounceMs),
    );
  }

  private store(uri: vscode.Uri, version: number | undefined, text: string, result: LintResult, at: OffsetConverter): FileRecord {
    const references: MappingReference[] = [];
    for (const r of result.refs) {
      if (!r.resolution) continue;
      references.push({ uri, range: toRange(r.ref.range, at), mappingIndex: r.resolution.mappingIndex, from: r.resolution.from, to: r.resolution.to });
    }
    const rec: FileRecord = { uri, version, text, result, references };
    this.records.set(uri.toString(), rec);
    this.collection.set(uri, result.violations.map((v) => toDiagnostic(v, at)));
    this.fireChanged();
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

  private fireChanged(): void {
    if (this.changeTimer) return;
    this.changeTimer = setTimeout(() => {
      this.changeTimer = undefined;
      this.changed.fire();
    }, 50);
  }

  dispose(): void {
    this.scanGeneration++;
    clearTimeout(this.changeTimer);
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}

/** Offsets → positions for a file read from disk. */
export class LineConverter implements OffsetConverter {
  private readonly index: LineIndex;
  constructor(text: string) {
    this.index = new LineIndex(text);
  }
  positionAt(offset: number): vscode.Position {
    const p = this.index.positionAt(offset);
    return new vscode.Position(p.line, p.character);
  }
}
