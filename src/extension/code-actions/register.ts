/** Code actions feature: the provider, and the file / workspace / mapping fix commands. */
import * as vscode from 'vscode';
import type { CommandSpec, ExtensionCtx } from '../context';
import { mappingIndexArg } from '../args';
import { BqmigrateCodeActions, FIX_ALL_KIND } from './provider';
import { applyWorkspaceFix, buildWorkspaceFix } from './fixes';

let provider: BqmigrateCodeActions | undefined;

const SELECTOR: vscode.DocumentSelector = [{ scheme: 'file' }];

export function registerCodeActions(ctx: ExtensionCtx): void {
  provider = new BqmigrateCodeActions(ctx);
  ctx.track(vscode.languages.registerCodeActionsProvider(SELECTOR, provider, BqmigrateCodeActions.metadata));
}

export interface WorkspaceFixOptions {
  /** false applies at once without the refactor preview (tests, scripted use). Default true. */
  preview?: boolean;
  /** Build the edit and report it without applying anything. */
  dryRun?: boolean;
}

async function fixWorkspace(ctx: ExtensionCtx, mappingIndex: number | undefined, options: WorkspaceFixOptions = {}): Promise<{ files: number; edits: number; applied: boolean; needsConfirmation?: boolean }> {
  if (!ctx.linter.currentEngine) throw new Error('no valid bqmigrate.json is loaded; create one or fix its problems first');
  const label = mappingIndex === undefined ? 'Fix all legacy references' : `Fix references of ${ctx.manifest.loaded?.manifest.mappings[mappingIndex]?.from ?? `mapping ${mappingIndex}`}`;
  const fix = await buildWorkspaceFix(ctx.linter, { safety: 'safe', mappingIndex }, label);
  if (fix.edits === 0) {
    void vscode.window.showInformationMessage('bqmigrate: nothing to fix — no safe fixes left.');
    return { files: 0, edits: 0, applied: false };
  }
  if (options.dryRun) return { files: fix.files, edits: fix.edits, applied: false, needsConfirmation: fix.metadata.needsConfirmation };
  const done = await applyWorkspaceFix(fix, options.preview !== false, ctx.linter, { safety: 'safe', mappingIndex });
  if (done.applied && done.edits > 0) {
    const of = done.edits < fix.edits ? ` of ${fix.edits} offered` : '';
    void vscode.window.showInformationMessage(`bqmigrate: fixed ${done.edits}${of} reference${done.edits === 1 ? '' : 's'} in ${done.files} file${done.files === 1 ? '' : 's'}. Undo with Ctrl+Z in an edited file.`);
  } else if (done.applied) {
    void vscode.window.showInformationMessage('bqmigrate: nothing was changed. In the Refactor Preview every change starts unticked: tick the files (or single changes) to fix, then Apply.');
  }
  return { files: done.files, edits: done.edits, applied: done.applied };
}

export const codeActionCommands: CommandSpec[] = [
  {
    id: 'bqmigrate.fixAllInFile',
    title: 'Fix All bqmigrate Problems in This File',
    category: 'bqmigrate',
    when: 'bqmigrate.hasManifest && editorIsOpen',
    run: async (_ctx, uri?: vscode.Uri) => {
      const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
      if (!doc || !provider) return false;
      const action = provider.fixAllInFile(doc, 'unsafe', FIX_ALL_KIND);
      if (!action?.edit) {
        void vscode.window.showInformationMessage('bqmigrate: no fixable problems in this file.');
        return false;
      }
      return vscode.workspace.applyEdit(action.edit);
    },
  },
  {
    id: 'bqmigrate.fixAllInWorkspace',
    title: 'Fix All Legacy References in Workspace…',
    category: 'bqmigrate',
    when: 'bqmigrate.hasManifest',
    run: (ctx, options?: WorkspaceFixOptions) => fixWorkspace(ctx, undefined, options),
  },
  {
    id: 'bqmigrate.mapping.fixAll',
    title: 'Fix All References of This Mapping',
    category: 'bqmigrate',
    when: 'false',
    run: (ctx, item: unknown, options?: WorkspaceFixOptions) => {
      const index = mappingIndexArg(item);
      if (index === undefined) throw new Error('pick a mapping in the Mappings view');
      return fixWorkspace(ctx, index, options);
    },
  },
];
