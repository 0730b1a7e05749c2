/** Phases in the editor: the Phases view, its output channel, and the run/preview/validate/rollback/resume commands. */
import * as vscode from 'vscode';
import type { ExtensionCtx } from '../context';
import type { CommandSpec } from '../registry';
import { previewPhase, runPhaseCommand, validateCommand, type PhasesEnv } from './actions';
import { REPORT_SCHEME, ReportDocuments } from './documents';
import { PhasesTreeProvider } from './tree';

let env: PhasesEnv | undefined;

export function registerPhases(ctx: ExtensionCtx): void {
  const tree = ctx.track(new PhasesTreeProvider(ctx));
  const docs = ctx.track(new ReportDocuments());
  const output = ctx.track(vscode.window.createOutputChannel('bqmigrate Phases'));
  env = { tree, docs, output };
  ctx.track(vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, docs));
  ctx.track(vscode.window.createTreeView('bqmigrate.phases', { treeDataProvider: tree, showCollapseAll: true }));
  const watcher = ctx.track(vscode.workspace.createFileSystemWatcher('**/.bqmigrate/journal.jsonl'));
  const refresh = () => void tree.refresh();
  ctx.track(watcher.onDidChange(refresh));
  ctx.track(watcher.onDidCreate(refresh));
  ctx.track(watcher.onDidDelete(refresh));
  ctx.track(ctx.manifest.onDidChange(refresh));
  refresh();
}

/** The Phases feature's report documents and output channel (the warehouse commands show their tables there too). */
export function phasesEnv(): PhasesEnv {
  if (!env) throw new Error('the Phases feature is not registered');
  return env;
}

const WHEN = 'bqmigrate.hasManifest && isWorkspaceTrusted';

export const phasesCommands: CommandSpec[] = [
  { id: 'bqmigrate.phases.run', title: 'Run Phase…', category: 'bqmigrate', when: WHEN, icon: '$(play)', run: (ctx, arg) => runPhaseCommand(ctx, phasesEnv(), 'run', arg) },
  { id: 'bqmigrate.phases.preview', title: 'Preview Phase…', category: 'bqmigrate', when: WHEN, icon: '$(eye)', run: (ctx, arg) => previewPhase(ctx, phasesEnv(), arg) },
  { id: 'bqmigrate.phases.validate', title: 'Validate Migration', category: 'bqmigrate', when: WHEN, icon: '$(checklist)', run: (ctx) => validateCommand(ctx, phasesEnv()) },
  { id: 'bqmigrate.phases.rollback', title: 'Roll Back Phase…', category: 'bqmigrate', when: WHEN, icon: '$(discard)', run: (ctx, arg) => runPhaseCommand(ctx, phasesEnv(), 'rollback', arg) },
  { id: 'bqmigrate.phases.resume', title: 'Resume Run', category: 'bqmigrate', when: WHEN, icon: '$(debug-continue)', run: (ctx) => runPhaseCommand(ctx, phasesEnv(), 'resume', undefined) },
  { id: 'bqmigrate.phases.refresh', title: 'Refresh Phases', category: 'bqmigrate', when: 'bqmigrate.hasManifest', icon: '$(refresh)', run: () => phasesEnv().tree.refresh() },
];

/** For host tests: the provider and the report documents. */
export function phasesForTests(): PhasesEnv | undefined {
  return env;
}
