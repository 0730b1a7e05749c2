/**
 * Writes to bqmigrate.json through the editor (a WorkspaceEdit, then save), so a
 * change from the tree is undoable and keeps comments: the text comes from the
 * core's comment-preserving jsonc edits.
 */
import * as vscode from 'vscode';
import { setMappingField } from '../../core/manifest/edit';
import type { ExtensionCtx } from '../context';

export async function replaceManifestText(ctx: ExtensionCtx, compute: (text: string) => string): Promise<void> {
  const file = ctx.manifest.current.file;
  if (!file) throw new Error('there is no bqmigrate.json in this workspace; run "bqmigrate: Create Manifest" first');
  const doc = await vscode.workspace.openTextDocument(file);
  const text = doc.getText();
  const next = compute(text);
  if (next === text) return;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(text.length)), next);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error('VS Code refused the edit to bqmigrate.json');
  await doc.save();
  await ctx.manifest.reload();
}

export function editMappingField(ctx: ExtensionCtx, index: number, field: 'to' | 'status' | 'note' | 'shimmedOn', value: string | undefined): Promise<void> {
  return replaceManifestText(ctx, (text) => setMappingField(text, index, field, value));
}
