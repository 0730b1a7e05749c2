/**
 * Entry point. Activation stays light: it reads settings, finds the manifest and
 * registers providers and commands; the workspace scan starts after activate()
 * returns, under a progress indicator, and nothing here loads a BigQuery client.
 */
import * as vscode from 'vscode';
import type { CommandSpec, ExtensionCtx, ExtensionStats, ExtensionViews } from './context';
import { ManifestService } from './manifest/service';
import { SettingsService } from './settings';
import { WorkspaceLinter } from './diagnostics/workspace-linter';
import { commandSpecs, features, registerCommands } from './registry';
import { REPORT_SCHEME, ReportDocuments } from './reports';
import { MigrationStateService } from './migration-state';
import { openConfiguredWarehouse, requireTrust } from './warehouse-access';
import type { MappingTreeNode, MappingTreeProvider } from './mapping-tree/provider';
import type { PhasesTreeProvider } from './phases/tree';
import { handleDashboardAction } from './dashboard/actions';
import type { WebviewMessage } from '../protocol/messages';

let active: { dispose(): void } | undefined;

/** What activate() returns (extension.exports): used by the host tests and the host benchmark. */
export interface BqmigrateApi {
  ctx: ExtensionCtx;
  commandSpecs: readonly CommandSpec[];
  mappingTree(): MappingTreeProvider | undefined;
  mappingTreeView(): vscode.TreeView<MappingTreeNode> | undefined;
  /** The Phases view's provider with ctx.reports and ctx.phasesOutput (host tests read the tree through it). */
  phases(): { tree: PhasesTreeProvider; docs: ReportDocuments; output: vscode.OutputChannel } | undefined;
  /** Replaces VS Code's Workspace Trust answer (tests prove the refusal path with it); dispose to restore. */
  overrideTrust(isTrusted: () => boolean): vscode.Disposable;
  /** What a dashboard message does, as if the page had posted it. */
  dashboardAction(message: Exclude<WebviewMessage, { type: 'ready' }>): Promise<void>;
}

export async function activate(extension: vscode.ExtensionContext): Promise<BqmigrateApi> {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('bqmigrate', { log: true });
  extension.subscriptions.push(log);
  const track = <T extends vscode.Disposable>(d: T): T => {
    extension.subscriptions.push(d);
    return d;
  };
  const stats: ExtensionStats = { documentLintMs: [], documentLints: [], activationStartedAt: started };
  let trusted = (): boolean => vscode.workspace.isTrusted;
  const settings = track(new SettingsService(log));
  const manifest = track(new ManifestService(settings, log));
  // The lint cache lives in the workspace storage, which exists only with a folder or workspace open.
  const storageUri = extension.storageUri;
  const storage = storageUri?.scheme === 'file' ? { dir: storageUri.fsPath, tool: `bqmigrate-vscode ${String(extension.extension.packageJSON.version)}` } : undefined;
  const linter = track(new WorkspaceLinter(manifest, settings, stats, log, storage));
  const reports = track(new ReportDocuments());
  track(vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, reports));
  const phasesOutput = track(vscode.window.createOutputChannel('bqmigrate Phases'));
  const views: ExtensionViews = {};
  const openWarehouse = () => openConfiguredWarehouse(manifest.loaded, settings.current.bigquery);
  const migrationState = track(new MigrationStateService({ manifest, settings, isTrusted: () => trusted(), openWarehouse, log }));
  const ctx: ExtensionCtx = {
    extension,
    log,
    track,
    manifest,
    settings,
    linter,
    stats,
    isTrusted: () => trusted(),
    requireTrust: (what) => requireTrust(() => trusted(), what),
    openWarehouse,
    migrationState,
    reports,
    phasesOutput,
    views,
  };
  registerCommands(ctx);
  for (const register of features) {
    const t0 = performance.now();
    register(ctx);
    const ms = performance.now() - t0;
    if (ms > 20) log.info(`${register.name} took ${ms.toFixed(1)} ms at activation`);
  }
  await manifest.reload();
  stats.activationMs = performance.now() - started;
  log.info(`activated in ${stats.activationMs.toFixed(1)} ms; manifest: ${manifest.current.file?.fsPath ?? 'none'}`);
  // The full scan runs after activation returns so the host is never held up by it.
  const timer = setTimeout(() => void linter.start(), 0);
  active = { dispose: () => clearTimeout(timer) };
  const overrideTrust = (isTrusted: () => boolean): vscode.Disposable => {
    const previous = trusted;
    trusted = isTrusted;
    return new vscode.Disposable(() => void (trusted = previous));
  };
  const dashboardAction = (message: Exclude<WebviewMessage, { type: 'ready' }>) => handleDashboardAction(ctx, message, manifest.loaded);
  return {
    ctx,
    commandSpecs,
    mappingTree: () => views.mappings?.provider,
    mappingTreeView: () => views.mappings?.view,
    phases: () => views.phases && { tree: views.phases, docs: reports, output: phasesOutput },
    overrideTrust,
    dashboardAction,
  };
}

export function deactivate(): void {
  active?.dispose();
  active = undefined;
}
