/**
 * The three fix scopes (house style rule 5) on top of the core's one edit routine
 * (applyEdits sorts and drops overlaps): one violation, all safe fixes of a file,
 * and a WorkspaceEdit over every file — optionally narrowed to one mapping.
 */
import * as vscode from 'vscode';
import { applyEdits, type LintResult } from '../../core/index';
import type { TextEdit } from '../../core/fix/types';
import type { Violation } from '../../core/rules/types';
import { TextPositions, type OffsetConverter } from '../positions';
import type { FileRecord } from '../diagnostics/file-record';
import type { WorkspaceLinter } from '../diagnostics/workspace-linter';

export interface FixFilter {
  /** Only fixes of this safety level or safer; fix-on-save and the workspace fix use 'safe'. */
  safety: 'safe' | 'unsafe';
  mappingIndex?: number;
}

function wanted(v: Violation, filter: FixFilter): boolean {
  if (!v.fix || v.fix.edits.length === 0) return false;
  if (v.fix.safety === 'display-only') return false;
  if (filter.safety === 'safe' && v.fix.safety !== 'safe') return false;
  if (filter.mappingIndex !== undefined && v.mappingIndex !== filter.mappingIndex) return false;
  return true;
}

/** The non-overlapping edits that fix a file's violations, in text order. */
export function fileEdits(text: string, result: LintResult, filter: FixFilter): TextEdit[] {
  const edits = result.violations.filter((v) => wanted(v, filter)).flatMap((v) => v.fix!.edits);
  if (edits.length === 0) return [];
  return applyEdits(text, edits).applied;
}

export function toVscodeEdits(edits: TextEdit[], at: OffsetConverter): vscode.TextEdit[] {
  return edits.map((e) => vscode.TextEdit.replace(new vscode.Range(at.positionAt(e.start), at.positionAt(e.end)), e.text));
}

export interface WorkspaceFix {
  edit: vscode.WorkspaceEdit;
  metadata: vscode.WorkspaceEditEntryMetadata;
  files: number;
  edits: number;
}

/**
 * Builds one WorkspaceEdit over every linted file, open or not. Closed files are
 * re-read from disk first so the edit matches what is there now.
 */
export async function buildWorkspaceFix(linter: WorkspaceLinter, filter: FixFilter, label: string): Promise<WorkspaceFix> {
  await linter.whenIdle();
  const edit = new vscode.WorkspaceEdit();
  let files = 0;
  let count = 0;
  const metadata: vscode.WorkspaceEditEntryMetadata = { needsConfirmation: true, label, description: filter.mappingIndex === undefined ? 'bqmigrate fix-all' : 'bqmigrate mapping fix' };
  const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
  for (const rec of [...linter.files.values()]) {
    const doc = open.get(rec.uri.toString());
    const current: FileRecord | undefined = doc ? linter.recordFor(doc) : rec;
    // Checked on the violations first: a scanned file's text and full result are read from disk only when it has a fix.
    if (!current || !current.violations.some((v) => wanted(v, filter))) continue;
    const edits = fileEdits(current.text, current.result, filter);
    if (edits.length === 0) continue;
    const at: OffsetConverter = doc ?? new TextPositions(current.text);
    for (const e of toVscodeEdits(edits, at)) edit.replace(rec.uri, e.range, e.newText, metadata);
    files++;
    count += edits.length;
  }
  return { edit, metadata, files, edits: count };
}

/** What a workspace fix changed: the user may untick files or single edits in the refactor preview. */
export interface AppliedFix {
  /** VS Code applied the edit (false: discarded or refused). */
  applied: boolean;
  /** Edits that landed, counted by re-linting the files afterwards. */
  edits: number;
  files: number;
}

/**
 * Applies a workspace fix. With `preview` VS Code shows the refactor preview first
 * (needsConfirmation: every change starts unticked there, the user ticks what to apply);
 * files that were not open are saved afterwards so the fix lands on disk, and Undo
 * (Ctrl+Z / "Undo" in the preview) reverts it. What landed is counted by linting each
 * touched file again: `applyEdit` says true as soon as anything at all was applied.
 */
export async function applyWorkspaceFix(fix: WorkspaceFix, preview: boolean, linter: WorkspaceLinter, filter: FixFilter): Promise<AppliedFix> {
  if (fix.edits === 0) return { applied: false, edits: 0, files: 0 };
  const dirtyBefore = new Set(vscode.workspace.textDocuments.filter((d) => d.isDirty).map((d) => d.uri.toString()));
  let edit = fix.edit;
  if (!preview) {
    // Same edits without the confirmation flag: used by tests and by "apply without preview".
    edit = new vscode.WorkspaceEdit();
    for (const [uri, edits] of fix.edit.entries()) for (const e of edits) edit.replace(uri, e.range, e.newText);
  }
  const ok = await vscode.workspace.applyEdit(edit, { isRefactoring: true });
  if (!ok) return { applied: false, edits: 0, files: 0 };
  let edits = 0;
  let files = 0;
  for (const [uri, offered] of edit.entries()) {
    // Asked for, not looked up in textDocuments: a file the edit opened reaches that list only later.
    let doc: vscode.TextDocument;
    try {
      doc = await vscode.workspace.openTextDocument(uri);
    } catch {
      continue;
    }
    const rec = linter.recordFor(doc);
    const left = rec ? fileEdits(rec.text, rec.result, filter).length : 0;
    const landed = Math.max(0, offered.length - left);
    if (landed === 0) continue;
    edits += landed;
    files++;
    if (!dirtyBefore.has(uri.toString()) && doc.isDirty) await doc.save();
  }
  return { applied: true, edits, files };
}
