/**
 * "Pull Warehouse Definitions": core pullDefinitions under a progress notification, the report in
 * the bqmigrate output channel, the pulled files linted at once (their problems in the Problems
 * panel) and a summary with the way to them. Called with `{ check: true }` it writes nothing.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatPullReport, pullDefinitions, type PullReport } from '../../core/definitions/pull';
import type { ExtensionCtx } from '../context';

export interface PullSummary {
  dir: string;
  written: number;
  unchanged: number;
  stale: number;
  refused: number;
  errors: string[];
  counts: PullReport['counts'];
  /** Absolute paths of every pulled file. */
  files: string[];
}

export async function pullWarehouseDefinitions(ctx: ExtensionCtx, arg?: unknown): Promise<PullSummary> {
  const loaded = ctx.manifest.loaded;
  if (!loaded) throw new Error('no valid bqmigrate.json is loaded');
  const check = typeof arg === 'object' && arg !== null && (arg as { check?: unknown }).check === true;
  const backend = ctx.settings.current.bigquery.backend;
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `bqmigrate: pulling definitions from the ${backend} warehouse` },
    async (progress) => {
      const wh = await ctx.openWarehouse();
      try {
        return await pullDefinitions(wh, loaded, { check, onProgress: (message) => progress.report({ message }) });
      } finally {
        await wh.close();
      }
    },
  );
  ctx.log.info(`definitions pull${check ? ' --check' : ''}:\n${formatPullReport(report, { check, root: loaded.root })}`);
  const files = report.entries.filter((e) => e.state !== 'removed' && e.state !== 'stale').map((e) => path.join(report.dir, e.file));
  // Lint the pulled files now, not when the file watcher gets to them: the Problems panel is current when this returns.
  await ctx.linter.refreshFiles(files.map((f) => vscode.Uri.file(f)));
  const n = (s: string) => report.entries.filter((e) => e.state === s).length;
  const summary: PullSummary = { dir: report.dir, written: n('written'), unchanged: n('unchanged'), stale: n('stale'), refused: report.refused.length, errors: report.errors, counts: report.counts, files };
  const c = report.counts;
  const what = `${c.views + c.materializedViews} view(s), ${c.routines} routine(s), ${c.scheduled} scheduled quer${c.scheduled === 1 ? 'y' : 'ies'}`;
  const rel = path.relative(loaded.root, report.dir) || '.';
  if (report.refused.length || report.errors.length) {
    void vscode.window.showErrorMessage(`bqmigrate: pulled ${what} into ${rel}/, but ${report.refused.length + report.errors.length} could not be pulled: ${[...report.refused.map((r) => `${r.object}: ${r.problem}`), ...report.errors].join('; ')}`, 'Show Output').then((a) => a && ctx.log.show());
  } else {
    const stale = summary.stale ? `; ${summary.stale} file(s) of objects no longer in the warehouse (see the output)` : '';
    const msg = check
      ? `bqmigrate: ${n('would-write')} of ${files.length} definition file(s) in ${rel}/ differ from the warehouse${stale}.`
      : `bqmigrate: pulled ${what} into ${rel}/ — ${summary.written} written, ${summary.unchanged} unchanged${stale}.`;
    void vscode.window.showInformationMessage(msg, 'Show Problems', 'Reveal Folder').then((a) => {
      if (a === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
      if (a === 'Reveal Folder') void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(report.dir));
    });
  }
  return summary;
}
