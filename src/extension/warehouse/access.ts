/**
 * "Check Warehouse Access": core checkAccess for every approved dataset under a cancellable
 * progress notification; the results go to the output channel, the journal and a markdown table.
 */
import * as vscode from 'vscode';
import { approvedDatasets, checkAccess, formatAccessTable, type AccessCheck } from '../../core/inventory/index';
import type { ExtensionCtx } from '../context';
import { openCommandJournal } from '../../core/phases/command-journal';

const cell = (s: string) => s.replace(/\|/g, '\\|');

export function accessMarkdown(checks: AccessCheck[], backend: string, ts: string): string {
  const rows = checks.map((c) =>
    [
      `\`${c.dataset}\``,
      c.exists ? 'yes' : '**no**',
      c.exists ? `${c.location ?? '?'}${c.locationOk ? '' : ` (expected ${c.expectedLocation})`}` : '—',
      c.create,
      c.read,
      c.drop,
      c.ok ? '✅ ok' : `❌ failed${c.permission ? `: missing \`${c.permission}\`` : ''}`,
    ].map(cell).join(' | '),
  );
  const notes = checks.filter((c) => !c.ok && c.error).map((c) => `- \`${c.dataset}\`: ${c.error}${c.leftover ? ` — remove \`${c.leftover}\` by hand` : ''}`);
  return [
    '# Warehouse access check',
    '',
    `${ts} · ${backend} warehouse · ${checks.filter((c) => c.ok).length}/${checks.length} datasets ok. Each check creates, reads and drops a \`_bqmigrate_probe_*\` table.`,
    '',
    '| dataset | exists | location | create | read | drop | result |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r} |`),
    ...(notes.length ? ['', '## Failures', '', ...notes] : []),
    '',
  ].join('\n');
}

export async function checkWarehouseAccess(ctx: ExtensionCtx): Promise<AccessCheck[] | undefined> {
  const loaded = ctx.manifest.loaded;
  if (!loaded) throw new Error('no valid bqmigrate.json is loaded');
  const datasets = approvedDatasets(loaded);
  if (!datasets.length) throw new Error('bqmigrate.json has no approved "datasets" to check');
  const backend = ctx.settings.current.bigquery.backend;
  const checks = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `bqmigrate: checking access to ${datasets.length} dataset(s) on the ${backend} warehouse`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      const wh = await ctx.openWarehouse();
      const journal = await openCommandJournal(loaded.root, 'check-access');
      try {
        return await checkAccess(wh, datasets, { signal: abort.signal, labels: { run: journal.runId, phase: 'editor', step: 'check-access' }, onEvent: journal.record, onProgress: (message) => progress.report({ message }) });
      } catch (err) {
        if (token.isCancellationRequested) return undefined;
        throw err;
      } finally {
        sub.dispose();
        journal.close();
        await wh.close();
      }
    },
  );
  if (!checks) {
    ctx.log.warn('check-access: cancelled');
    return undefined;
  }
  ctx.log.info(`check-access (${backend}):\n${formatAccessTable(checks)}`);
  await ctx.reports.show('check-access', accessMarkdown(checks, backend, new Date().toISOString()));
  const failed = checks.filter((c) => !c.ok);
  if (failed.length) void vscode.window.showErrorMessage(`bqmigrate: access check failed for ${failed.map((c) => c.dataset).join(', ')} (see the table)`);
  else void vscode.window.showInformationMessage(`bqmigrate: all ${checks.length} approved datasets are reachable and writable on the ${backend} warehouse.`);
  return checks;
}
