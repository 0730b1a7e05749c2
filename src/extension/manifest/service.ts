/**
 * Finds and loads the workspace's bqmigrate.json and keeps serving the last good
 * one while the file on disk is broken (the extension never stops because of a
 * bad manifest). Problems are published on the manifest file at their exact
 * position; a warning says that the last good manifest is still in use.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseManifest, MANIFEST_FILE, type LoadedManifest, type ManifestProblem } from '../../core/manifest/load';
import type { SettingsService } from '../settings';
import { folderCoverage, type FolderCoverage } from './coverage';

export interface ManifestState {
  /** The manifest in use: the current file when it is valid, else the last good one. */
  loaded: LoadedManifest | undefined;
  /** Problems of the manifest file as it is now (empty when it is valid). */
  problems: ManifestProblem[];
  /** True when `loaded` is an older version because the file is broken now. */
  stale: boolean;
  file: vscode.Uri | undefined;
}

export class ManifestService implements vscode.Disposable {
  private state: ManifestState = { loaded: undefined, problems: [], stale: false, file: undefined };
  private readonly changed = new vscode.EventEmitter<ManifestState>();
  /** Fires when the manifest in use changes (a new good version, or another file). */
  readonly onDidChange = this.changed.event;
  private readonly problemsChanged = new vscode.EventEmitter<ManifestState>();
  /** Fires whenever the problems of the file change, good or bad. */
  readonly onDidChangeProblems = this.problemsChanged.event;
  private readonly disposables: vscode.Disposable[] = [this.changed, this.problemsChanged];
  private watcher: vscode.FileSystemWatcher | undefined;
  private typingTimer: NodeJS.Timeout | undefined;
  private lastWarnedText: string | undefined;

  constructor(
    private readonly settings: SettingsService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      settings.onDidChange(() => {
        void this.locate().then((file) => {
          if (file?.toString() !== this.state.file?.toString()) void this.reload();
        });
      }),
      // As you type in the manifest: problems update live; the manifest in use changes on save.
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!this.isManifest(e.document.uri)) return;
        clearTimeout(this.typingTimer);
        this.typingTimer = setTimeout(() => this.publishProblemsOnly(e.document.getText()), 250);
      }),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (this.isManifest(d.uri)) void this.reload();
      }),
    );
    // A manifest created later (by a tool, git checkout or Create Manifest) is picked up without a reload.
    const created = vscode.workspace.createFileSystemWatcher(`**/${MANIFEST_FILE}`, false, true, true);
    this.disposables.push(
      created,
      created.onDidCreate(() => {
        if (!this.state.file) void this.reload();
      }),
    );
  }

  get current(): ManifestState {
    return this.state;
  }

  get loaded(): LoadedManifest | undefined {
    return this.state.loaded;
  }

  /** The workspace folders and what the manifest in use governs of each. */
  coverage(): FolderCoverage[] {
    return folderCoverage((vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => ({ name: f.name, fsPath: f.uri.fsPath })), this.state.file?.fsPath);
  }

  isManifest(uri: vscode.Uri): boolean {
    return this.state.file !== undefined && uri.scheme === 'file' && path.resolve(uri.fsPath) === path.resolve(this.state.file.fsPath);
  }

  /** The manifest file: the setting when given, else the shallowest bqmigrate.json in the workspace. */
  async locate(): Promise<vscode.Uri | undefined> {
    const setting = this.settings.current.manifest.trim();
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (setting) {
      const abs = path.isAbsolute(setting) ? setting : folder ? path.join(folder.uri.fsPath, setting) : undefined;
      if (abs) return vscode.Uri.file(abs);
    }
    // The usual place first: a folder root. Searching the workspace costs a file search.
    for (const f of vscode.workspace.workspaceFolders ?? []) {
      const atRoot = path.join(f.uri.fsPath, MANIFEST_FILE);
      if (f.uri.scheme === 'file' && fs.existsSync(atRoot)) return vscode.Uri.file(atRoot);
    }
    const found = await vscode.workspace.findFiles(`**/${MANIFEST_FILE}`, '**/{node_modules,.git,out,dist}/**', 20);
    found.sort((a, b) => a.fsPath.split(path.sep).length - b.fsPath.split(path.sep).length || a.fsPath.localeCompare(b.fsPath));
    return found[0];
  }

  /** (Re)reads the manifest: from the open editor if it is open, else from disk. */
  async reload(): Promise<ManifestState> {
    const file = await this.locate();
    if (!file) {
      this.setFileWatcher(undefined);
      const had = this.state.loaded !== undefined;
      this.state = { loaded: undefined, problems: [], stale: false, file: undefined };
      await this.setContext();
      this.problemsChanged.fire(this.state);
      if (had) this.changed.fire(this.state);
      return this.state;
    }
    if (file.toString() !== this.state.file?.toString()) {
      this.setFileWatcher(file);
      this.state = { loaded: undefined, problems: [], stale: false, file };
    }
    const text = this.readText(file);
    if (text === undefined) {
      const problem: ManifestProblem = { file: file.fsPath, start: 0, end: 0, line: 1, column: 1, path: [], message: 'cannot read the manifest', hint: 'check the bqmigrate.manifest setting' };
      this.adopt(file, undefined, [problem]);
      return this.state;
    }
    const result = parseManifest(text, file.fsPath);
    this.adopt(file, result.ok ? result.loaded : undefined, result.problems);
    return this.state;
  }

  private readText(file: vscode.Uri): string | undefined {
    // A dirty editor is what the person is working on; otherwise the disk is the truth.
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === file.toString());
    if (open?.isDirty) return open.getText();
    try {
      return fs.readFileSync(file.fsPath, 'utf8');
    } catch {
      return undefined;
    }
  }

  private adopt(file: vscode.Uri, loaded: LoadedManifest | undefined, problems: ManifestProblem[]): void {
    const previous = this.state.loaded;
    if (loaded) {
      this.state = { loaded, problems, stale: false, file };
      this.lastWarnedText = undefined;
    } else {
      this.state = { loaded: previous, problems, stale: previous !== undefined, file };
      this.warnBroken(problems);
    }
    void this.setContext();
    this.problemsChanged.fire(this.state);
    if (loaded && loaded.text !== previous?.text) this.changed.fire(this.state);
    else if (!loaded && previous === undefined) this.changed.fire(this.state);
  }

  private publishProblemsOnly(text: string): void {
    if (!this.state.file) return;
    const result = parseManifest(text, this.state.file.fsPath);
    this.state = { ...this.state, problems: result.problems, stale: !result.ok && this.state.loaded !== undefined };
    this.problemsChanged.fire(this.state);
  }

  private warnBroken(problems: ManifestProblem[]): void {
    const first = problems[0];
    if (!first) return;
    const key = problems.map((p) => `${p.start}:${p.message}`).join('|');
    if (key === this.lastWarnedText) return;
    this.lastWarnedText = key;
    const where = `${path.basename(first.file)}:${first.line}:${first.column}`;
    const serving = this.state.loaded ? 'the last good manifest keeps serving until it is fixed' : 'linting is off until it is fixed';
    const message = `bqmigrate: ${MANIFEST_FILE} has ${problems.length} problem${problems.length === 1 ? '' : 's'} (first at ${where}: ${first.message}); ${serving}.`;
    this.log.warn(message);
    void vscode.window.showWarningMessage(message, 'Open Manifest').then((pick) => {
      if (pick && this.state.file) void vscode.window.showTextDocument(this.state.file, { selection: new vscode.Range(first.line - 1, first.column - 1, first.line - 1, first.column - 1) });
    });
  }

  private setFileWatcher(file: vscode.Uri | undefined): void {
    this.watcher?.dispose();
    this.watcher = undefined;
    if (!file) return;
    const pattern = new vscode.RelativePattern(vscode.Uri.file(path.dirname(file.fsPath)), path.basename(file.fsPath));
    this.watcher = vscode.workspace.createFileSystemWatcher(pattern);
    const onDisk = () => {
      // An open, dirty editor is the truth while it is being edited; saving re-reads it.
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === file.toString());
      if (open?.isDirty) return;
      void this.reload();
    };
    this.watcher.onDidChange(onDisk);
    this.watcher.onDidCreate(onDisk);
    this.watcher.onDidDelete(() => void this.reload());
  }

  private async setContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'bqmigrate.hasManifest', this.state.file !== undefined);
    await vscode.commands.executeCommand('setContext', 'bqmigrate.manifestStale', this.state.stale);
  }

  dispose(): void {
    clearTimeout(this.typingTimer);
    this.watcher?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
