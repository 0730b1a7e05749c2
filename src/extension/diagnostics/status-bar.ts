/** The status bar item: legacy references left in the workspace; a click opens the Problems panel filtered to bqmigrate. */
import * as vscode from 'vscode';
import type { ExtensionCtx } from '../context';

export function registerStatusBar(ctx: ExtensionCtx): void {
  const item = ctx.track(vscode.window.createStatusBarItem('bqmigrate.references', vscode.StatusBarAlignment.Left, 50));
  item.name = 'bqmigrate: legacy references';
  item.command = 'bqmigrate.showProblems';
  let logged = '';
  const update = () => {
    const state = ctx.manifest.current;
    const partial = ctx.manifest.coverage().filter((f) => f.governed !== 'all');
    const said = partial.map((f) => f.message).join('\n');
    if (said !== logged && state.file) {
      for (const f of partial) ctx.log.warn(f.message);
      logged = said;
    }
    if (!state.file) {
      item.hide();
      return;
    }
    const { total, files } = ctx.linter.totals();
    const stale = state.stale || !state.loaded;
    item.text = `${stale ? '$(warning)' : '$(database)'} ${total} legacy ref${total === 1 ? '' : 's'}`;
    const tooltip = new vscode.MarkdownString(
      `**bqmigrate**: ${total} legacy reference${total === 1 ? '' : 's'} left in ${files} linted file${files === 1 ? '' : 's'}.\n\nClick to show them in the Problems panel.`,
    );
    for (const f of partial) tooltip.appendMarkdown(`\n\n$(info) ${f.message.replace(/[\\`*_[\]]/g, '\\$&')}`);
    if (stale) tooltip.appendMarkdown(`\n\n$(warning) \`bqmigrate.json\` has ${state.problems.length} problem(s); ${state.loaded ? 'the last good manifest is still in use' : 'linting is off'}.`);
    tooltip.supportThemeIcons = true;
    item.tooltip = tooltip;
    item.backgroundColor = stale ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.show();
  };
  ctx.track(ctx.linter.onDidChange(update));
  ctx.track(ctx.manifest.onDidChangeProblems(update));
  ctx.track(vscode.workspace.onDidChangeWorkspaceFolders(update));
  update();
}

/**
 * Opens the Problems panel and puts the cursor in its filter box. VS Code has no
 * command that sets the filter text (checked against 1.139: only focusFilter and
 * clearFilterText exist), so typing "bqmigrate" there narrows it to this source.
 */
export async function showProblems(): Promise<void> {
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  try {
    await vscode.commands.executeCommand('problems.action.focusFilter');
  } catch {
    // Older VS Code: the panel is open, the filter just is not focused.
  }
}
