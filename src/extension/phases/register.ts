/**
 * Phases in the editor: the Phases view (on `ctx.views.phases`, reading `ctx.migrationState`) and the run/preview/validate/rollback/resume
 * commands. The report documents and the "bqmigrate Phases" output channel live on the ctx (`ctx.reports`,
 * `ctx.phasesOutput`), shared with the warehouse commands.
 */
import * as vscode from 'vscode';
import type { CommandSpec, ExtensionCtx } from '../context';
import { previewPhase, runPhaseCommand, validateCommand } from './actions';
import { PhasesTreeProvider } from './tree';

export function registerPhases(ctx: ExtensionCtx): void {
  const tree = ctx.track(new PhasesTreeProvider(ctx));
  ctx.views.phases = tree;
  const view = ctx.track(vscode.window.createTreeView('bqmigrate.phases', { treeDataProvider: tree, showCollapseAll: true }));
  // Other people's runs show up while the view is visible: the shared history is polled then, not when it is hidden.
  ctx.track(view.onDidChangeVisibility((e) => ctx.migrationState.setVisible('phases', e.visible)));
  ctx.migrationState.setVisible('phases', view.visible);
  const watcher = ctx.track(vscode.workspace.createFileSystemWatcher('**/.bqmigrate/journal.jsonl'));
  const refresh = () => void tree.refresh();
  ctx.track(watcher.onDidChange(refresh));
  ctx.track(watcher.onDidCreate(refresh));
  ctx.track(watcher.onDidDelete(refresh));
  refresh();
}

const WHEN = 'bqmigrate.hasManifest && isWorkspaceTrusted';

export const phasesCommands: CommandSpec[] = [
  { id: 'bqmigrate.phases.run', title: 'Run Phase…', category: 'bqmigrate', when: WHEN, icon: '$(play)', run: (ctx, arg) => runPhaseCommand(ctx, 'run', arg) },
  { id: 'bqmigrate.phases.preview', title: 'Preview Phase…', category: 'bqmigrate', when: WHEN, icon: '$(eye)', run: (ctx, arg) => previewPhase(ctx, arg) },
  { id: 'bqmigrate.phases.validate', title: 'Validate Migration', category: 'bqmigrate', when: WHEN, icon: '$(checklist)', run: (ctx) => validateCommand(ctx) },
  { id: 'bqmigrate.phases.rollback', title: 'Roll Back Phase…', category: 'bqmigrate', when: WHEN, icon: '$(discard)', run: (ctx, arg) => runPhaseCommand(ctx, 'rollback', arg) },
  { id: 'bqmigrate.phases.resume', title: 'Resume Run', category: 'bqmigrate', when: WHEN, icon: '$(debug-continue)', run: (ctx) => runPhaseCommand(ctx, 'resume', undefined) },
  { id: 'bqmigrate.phases.refresh', title: 'Refresh Phases', category: 'bqmigrate', when: 'bqmigrate.hasManifest', icon: '$(refresh)', run: (ctx) => ctx.migrationState.refresh() },
];
