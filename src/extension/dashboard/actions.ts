/**
 * What the dashboard's buttons and links do. Phase actions call the phase palette
 * commands so they pass the same confirmations (trust, destructive-step prompts).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { definitionsDir } from '../../core/definitions/files';
import { writeGeneratedFile } from '../../core/fix/write';
import { locate, type LoadedManifest } from '../../core/manifest/load';
import { formatValidationTable, readValidationReport } from '../../core/phases/validate';
import { validationReportPath } from '../../core/progress/gather';
import type { WebviewMessage } from '../../protocol/messages';
import type { ExtensionCtx } from '../context';

/** The phase commands (src/extension/phases); they take the phase id and ask before anything destructive. */
export const PHASE_COMMANDS = { preview: 'bqmigrate.phases.preview', run: 'bqmigrate.phases.run' } as const;
/** Selects the mapping in the Mappings view (src/extension/mapping-tree). */
const REVEAL_MAPPING_COMMAND = 'bqmigrate.mapping.reveal';

async function commandExists(id: string): Promise<boolean> {
  return (await vscode.commands.getCommands(true)).includes(id);
}

async function runPhaseCommand(id: string, phaseId: string): Promise<void> {
  if (!(await commandExists(id))) {
    throw new Error(`the phase command ${id} is not available in this window; run "bqmigrate plan ${phaseId}" from a terminal instead`);
  }
  await vscode.commands.executeCommand(id, phaseId);
}

async function showMappingInManifest(loaded: LoadedManifest, index: number): Promise<void> {
  const { start, end } = locate(loaded.tree, ['mappings', index]);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(loaded.file));
  const range = new vscode.Range(doc.positionAt(start), doc.positionAt(end));
  const editor = await vscode.window.showTextDocument(doc, { selection: new vscode.Range(range.start, range.start), preview: true, viewColumn: vscode.ViewColumn.Beside });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

async function openProblems(filter: string | undefined): Promise<void> {
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  // The filter box has no API; these command ids exist in some VS Code versions.
  for (const id of ['workbench.actions.problems.setFilter', 'problems.action.setFilter']) {
    try {
      await vscode.commands.executeCommand(id, filter ?? 'bqmigrate');
      return;
    } catch {
      // Not in this version: the panel stays open unfiltered.
    }
  }
}

/** The report as the markdown table "Validate Migration" shows, written next to the JSON it comes from. */
async function openValidationReport(manifestDir: string): Promise<void> {
  const json = validationReportPath(manifestDir);
  const report = readValidationReport(manifestDir);
  if (!report) throw new Error(`no readable validation report at ${json}; run "bqmigrate: Validate Migration" first`);
  const md = path.join(path.dirname(json), 'validation-latest.md');
  writeGeneratedFile(md, `# Migration validation\n\n${report.ts} · ${report.backend} warehouse · from \`${path.basename(json)}\`\n\n${formatValidationTable(report, true)}\n`);
  try {
    await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(md));
  } catch {
    await vscode.window.showTextDocument(vscode.Uri.file(md), { preview: true });
  }
}

export async function handleDashboardAction(ctx: ExtensionCtx, message: Exclude<WebviewMessage, { type: 'ready' }>, loaded: LoadedManifest | undefined): Promise<void> {
  switch (message.type) {
    case 'preview-phase':
      return runPhaseCommand(PHASE_COMMANDS.preview, message.phaseId);
    case 'run-phase':
      ctx.requireTrust('Running a phase from the dashboard');
      return runPhaseCommand(PHASE_COMMANDS.run, message.phaseId);
    case 'reveal-mapping': {
      if (!loaded) throw new Error('no manifest is loaded');
      const mapping = loaded.manifest.mappings[message.index];
      // The page may show an older state: only reveal the mapping it meant.
      if (!mapping || mapping.from !== message.from) throw new Error(`mapping ${message.from} is no longer at position ${message.index}; the dashboard will refresh`);
      await vscode.commands.executeCommand(REVEAL_MAPPING_COMMAND, message.index);
      return showMappingInManifest(loaded, message.index);
    }
    case 'open-problems':
      return openProblems(message.dataset);
    case 'open-report':
      if (!loaded) throw new Error('no manifest is loaded');
      return openValidationReport(loaded.root);
    case 'pull-definitions':
      ctx.requireTrust('Pulling warehouse definitions from the dashboard');
      await vscode.commands.executeCommand('bqmigrate.definitions.pull');
      return;
    case 'open-definition': {
      if (!loaded) throw new Error('no manifest is loaded');
      // Only a file inside the definitions folder: the page's text is not trusted as a path.
      const dir = definitionsDir(loaded);
      const file = path.resolve(dir, message.file);
      if (!file.startsWith(dir + path.sep) || !file.endsWith('.sql')) throw new Error(`${message.file} is not a pulled definition file`);
      await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
      return;
    }
  }
}
