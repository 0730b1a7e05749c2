/**
 * The dashboard webview panel (vscode-pull-request-github `common/webview.ts`
 * pattern): nonce CSP, localResourceRoots limited to dist/ and media/, a ready
 * handshake before anything is posted, every incoming message parsed with the
 * shared zod schema, and only the sections that changed sent on updates.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { definitionsDir } from '../../core/definitions/files';
import { buildDefinitionsSection } from '../../core/definitions/summary';
import { LEGACY_NAME_RULES } from '../../core/rules/index';
import type { LoadedManifest } from '../../core/manifest/load';
import { gatherFromLoaded } from '../../core/progress/gather';
import { changedSections, parseWebviewMessage, type DashboardState, type DefinitionsSection, type HistoryView, type HostMessage } from '../../protocol/messages';
import type { ExtensionCtx } from '../context';
import { handleDashboardAction } from './actions';
import { dashboardHtml, makeNonce } from './html';

export const DASHBOARD_VIEW_TYPE = 'bqmigrate.dashboard';
const REFRESH_DEBOUNCE_MS = 200;

export interface DashboardOpenResult {
  ready: boolean;
  /** Messages posted to the page so far. */
  posted: number;
  sections: string[];
  /** The shared history's view in the last state sent (host tests read who is running what). */
  history?: HistoryView;
}

export class DashboardPanel implements vscode.Disposable {
  static current: DashboardPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private state: DashboardState | undefined;
  private ready = false;
  private readyWaiters: (() => void)[] = [];
  private posted = 0;
  private refreshTimer: NodeJS.Timeout | undefined;
  /** The state-dir watcher and its listeners, replaced when the manifest moves. */
  private readonly watching: vscode.Disposable[] = [];
  private watchedDir: string | undefined;

  /** Opens the dashboard (or reveals it) and waits up to `timeoutMs` for the page's ready handshake. */
  static async show(ctx: ExtensionCtx, timeoutMs = 20_000): Promise<DashboardOpenResult> {
    if (DashboardPanel.current) {
      DashboardPanel.current.panel.reveal();
    } else {
      const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, 'bqmigrate Dashboard', vscode.ViewColumn.Active, DashboardPanel.options(ctx));
      DashboardPanel.current = new DashboardPanel(ctx, panel);
    }
    return DashboardPanel.current.whenReady(timeoutMs);
  }

  /** After a window reload (WebviewPanelSerializer): the page restores its saved state, then says ready. */
  static revive(ctx: ExtensionCtx, panel: vscode.WebviewPanel): void {
    panel.webview.options = DashboardPanel.options(ctx);
    DashboardPanel.current?.dispose();
    DashboardPanel.current = new DashboardPanel(ctx, panel);
  }

  static options(ctx: ExtensionCtx): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    const root = ctx.extension.extensionUri;
    return {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(root, 'dist'), vscode.Uri.joinPath(root, 'media')],
    };
  }

  private constructor(
    private readonly ctx: ExtensionCtx,
    readonly panel: vscode.WebviewPanel,
  ) {
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((data: unknown) => this.receive(data)),
      ctx.manifest.onDidChange(() => this.scheduleRefresh()),
      // Live reference counts between full scans, and each full scan's new snapshot.
      ctx.linter.onDidChange(() => this.scheduleRefresh()),
      ctx.linter.onDidScan(() => this.scheduleRefresh()),
      // Other people's runs: the shared history is polled while the panel is visible, and each read refreshes the page.
      ctx.migrationState.onDidChange(() => this.scheduleRefresh()),
      panel.onDidChangeViewState((e) => ctx.migrationState.setVisible('dashboard', e.webviewPanel.visible)),
    );
    ctx.migrationState.setVisible('dashboard', panel.visible);
    this.watchStateDir();
  }

  private html(): string {
    const webview = this.panel.webview;
    const dist = vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'dist');
    return dashboardHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
    });
  }

  /** Journal, snapshots, validation report and readers report all live in `<manifest dir>/.bqmigrate/`. */
  private watchStateDir(): void {
    const dir = this.ctx.manifest.loaded?.root;
    if (dir === this.watchedDir) return;
    for (const d of this.watching.splice(0)) d.dispose();
    this.watchedDir = dir;
    if (!dir) return;
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dir), '.bqmigrate/*.{jsonl,json}'));
    const refresh = () => this.scheduleRefresh();
    this.watching.push(watcher, watcher.onDidChange(refresh), watcher.onDidCreate(refresh), watcher.onDidDelete(refresh));
  }

  whenReady(timeoutMs: number): Promise<DashboardOpenResult> {
    const result = (): DashboardOpenResult => ({ ready: this.ready, posted: this.posted, sections: this.state ? Object.keys(this.state) : [], ...(this.state?.phases.history ? { history: this.state.phases.history } : {}) });
    if (this.ready) return Promise.resolve(result());
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(result()), timeoutMs);
      this.readyWaiters.push(() => {
        clearTimeout(timer);
        resolve(result());
      });
    });
  }

  private receive(data: unknown): void {
    const parsed = parseWebviewMessage(data);
    if (!parsed.ok) {
      this.ctx.log.warn(`dashboard: ${parsed.error}`);
      return;
    }
    const message = parsed.message;
    if (message.type === 'ready') {
      this.ready = true;
      // A (re)loaded page has only what it saved: always answer with the whole state.
      this.state = undefined;
      this.refresh();
      for (const w of this.readyWaiters.splice(0)) w();
      return;
    }
    void handleDashboardAction(this.ctx, message, this.ctx.manifest.loaded).catch((err: unknown) => {
      this.ctx.log.error(`dashboard ${message.type}: ${(err as Error).message}`);
      void vscode.window.showErrorMessage(`bqmigrate dashboard: ${(err as Error).message}`);
    });
  }

  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.refresh(), REFRESH_DEBOUNCE_MS);
  }

  private gather(): DashboardState | undefined {
    const loaded = this.ctx.manifest.loaded;
    if (!loaded) return undefined;
    const stale = this.ctx.manifest.current.stale ? [`${loaded.file}: the manifest on disk has problems; showing the last good version`] : [];
    const migration = this.ctx.migrationState.current;
    const state = gatherFromLoaded(loaded, new Date(), stale, { definitions: this.definitions(loaded), ...(migration ? { migration } : {}) });
    // Between full scans the editor's live counts are newer than the last snapshot.
    const live = this.ctx.linter.totals();
    if (this.ctx.stats.lastScan) {
      state.references.total = live.total;
      state.references.byDataset = Object.entries(live.byDataset)
        .filter(([, n]) => n > 0)
        .map(([dataset, count]) => ({ dataset, count }))
        .sort((a, b) => b.count - a.count || a.dataset.localeCompare(b.dataset));
    }
    return state;
  }

  /** Pulled definitions as the editor's lint sees them now (open, unsaved edits included). */
  private definitions(loaded: LoadedManifest): DefinitionsSection {
    const dir = path.relative(loaded.root, definitionsDir(loaded)) || '.';
    const entries = this.ctx.linter.definitionRecords().map(({ rel, record }) => ({ rel, text: record.text, legacy: record.violations.filter((v) => LEGACY_NAME_RULES.has(v.ruleId)).length }));
    return buildDefinitionsSection(dir, entries);
  }

  private refresh(): void {
    this.watchStateDir();
    if (!this.ready) return;
    let next: DashboardState | undefined;
    try {
      next = this.gather();
    } catch (err) {
      this.ctx.log.error(`dashboard: cannot gather the migration state: ${(err as Error).message}`);
      return;
    }
    if (!next) {
      this.panel.title = 'bqmigrate Dashboard (no manifest)';
      return;
    }
    const changed = changedSections(this.state, next);
    if (!this.state) this.post({ type: 'state', state: next });
    else for (const name of changed) this.post({ type: name, [name]: next[name] } as HostMessage);
    this.state = next;
  }

  private post(message: HostMessage): void {
    this.posted++;
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (DashboardPanel.current === this) DashboardPanel.current = undefined;
    this.ctx.migrationState.setVisible('dashboard', false);
    clearTimeout(this.refreshTimer);
    for (const d of [...this.watching.splice(0), ...this.disposables.splice(0)]) d.dispose();
    this.panel.dispose();
    for (const w of this.readyWaiters.splice(0)) w();
  }
}
