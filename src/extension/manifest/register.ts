/**
 * The manifest in the editor: its problems as diagnostics at their exact position
 * (JSON syntax and zod schema errors), and the Open / Create / Import Inventory
 * commands. Completion and hover inside bqmigrate.json come from the JSON Schema
 * contributed in package.json (jsonValidation).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { writeFileAtomic } from '../../core/fix/write';
import { MANIFEST_FILE, type ManifestProblem } from '../../core/manifest/load';
import { formatProblem, importInventory } from '../../core/index';
import type { CommandSpec, ExtensionCtx } from '../context';
import { TextPositions } from '../positions';
import { replaceManifestText } from './write';

export const MANIFEST_DIAGNOSTIC_CODE = 'manifest';

export function registerManifestEditing(ctx: ExtensionCtx): void {
  const collection = ctx.track(vscode.languages.createDiagnosticCollection('bqmigrate-manifest'));
  let shown: vscode.Uri | undefined;
  ctx.track(
    ctx.manifest.onDidChangeProblems((state) => {
      if (shown && shown.toString() !== state.file?.toString()) collection.delete(shown);
      shown = state.file;
      if (!state.file) return;
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === state.file!.toString());
      const text = doc?.isDirty ? doc.getText() : readOr(state.file.fsPath, doc?.getText() ?? '');
      collection.set(state.file, problemsToDiagnostics(state.problems, text, state.stale));
    }),
  );
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

export function problemsToDiagnostics(problems: ManifestProblem[], text: string, stale: boolean): vscode.Diagnostic[] {
  const at = new TextPositions(text);
  return problems.map((p) => {
    const range = new vscode.Range(at.positionAt(p.start), at.positionAt(Math.max(p.end, p.start)));
    const message = `${p.message}${p.hint ? ` (${p.hint})` : ''}${stale ? ' — the last good manifest is still in use' : ''}`;
    const d = new vscode.Diagnostic(range, message, vscode.DiagnosticSeverity.Error);
    d.source = 'bqmigrate';
    d.code = MANIFEST_DIAGNOSTIC_CODE;
    return d;
  });
}

const STARTER = (project: string) => `{
  // The GCP project that holds the warehouse.
  "project": "${project}",
  "location": "US",
  // Approved datasets of the new layout, each with a description.
  "datasets": {},
  // Legacy datasets: known, not approved.
  "legacyDatasets": {},
  // Naming conventions per dataset, e.g. "{asset}_{function}_{scope}_{regime}_{horizon}".
  "naming": {},
  // legacy → new: { "from": "dataset.table", "to": "dataset.table", "status": "planned" }
  "mappings": []
}
`;

export const manifestCommands: CommandSpec[] = [
  {
    id: 'bqmigrate.openManifest',
    title: 'Open Manifest',
    category: 'bqmigrate',
    when: 'bqmigrate.hasManifest',
    run: async (ctx) => {
      const file = ctx.manifest.current.file;
      if (!file) throw new Error('there is no bqmigrate.json in this workspace; run "bqmigrate: Create Manifest"');
      await vscode.window.showTextDocument(file);
      return file;
    },
  },
  {
    id: 'bqmigrate.createManifest',
    title: 'Create Manifest',
    category: 'bqmigrate',
    when: '!bqmigrate.hasManifest && workspaceFolderCount > 0',
    run: async (ctx, project?: string) => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      if (!folder) throw new Error('open a folder first: the manifest lives at its root');
      const file = path.join(folder.uri.fsPath, MANIFEST_FILE);
      if (!fs.existsSync(file)) {
        const id =
          project ??
          (await vscode.window.showInputBox({
            title: 'GCP project id of the warehouse',
            value: 'my-gcp-project',
            validateInput: (v) => (/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(v) ? undefined : 'a project id is 6–30 lowercase letters, digits and hyphens, starting with a letter'),
          }));
        if (!id) return undefined;
        writeFileAtomic(file, STARTER(id));
      }
      await ctx.manifest.reload();
      await vscode.window.showTextDocument(vscode.Uri.file(file));
      return vscode.Uri.file(file);
    },
  },
  {
    id: 'bqmigrate.importInventory',
    title: 'Import Inventory…',
    category: 'bqmigrate',
    when: 'workspaceFolderCount > 0',
    run: async (ctx, csv?: vscode.Uri) => {
      if (!ctx.manifest.current.file) await vscode.commands.executeCommand('bqmigrate.createManifest');
      if (!ctx.manifest.current.file) return undefined;
      const picked =
        csv ??
        (await vscode.window.showOpenDialog({ title: 'Import a table inventory (CSV)', filters: { CSV: ['csv'] }, canSelectMany: false, openLabel: 'Import' }))?.[0];
      if (!picked) return undefined;
      const csvText = fs.readFileSync(picked.fsPath, 'utf8');
      let summary: ReturnType<typeof importInventory> | undefined;
      await replaceManifestText(ctx, (text) => {
        summary = importInventory(text, csvText, picked.fsPath);
        return summary.text;
      });
      const s = summary!;
      const covered = s.covered ? `, ${s.covered} already covered` : '';
      const problems = s.problems.length ? `; ${s.problems.length} problem(s), first: ${formatProblem(s.problems[0]!)}` : '';
      void vscode.window.showInformationMessage(`bqmigrate: imported ${s.added} mapping${s.added === 1 ? '' : 's'} from ${path.basename(picked.fsPath)}${covered}${problems}.`);
      for (const p of s.problems) ctx.log.warn(`import-inventory: ${formatProblem(p)}`);
      for (const d of s.duplicates) ctx.log.info(`import-inventory: ${d.table} is in ${d.datasets.join(', ')} (lines ${d.lines.join(', ')})`);
      return { added: s.added, covered: s.covered, duplicates: s.duplicates.length, empty: s.empty.length, problems: s.problems.length };
    },
  },
];
