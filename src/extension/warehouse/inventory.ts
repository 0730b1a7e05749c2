/**
 * "Refresh Inventory from Warehouse": lists the warehouse's tables (the inventory module's
 * runInventory) under a cancellable progress notification, and merges the
 * unmapped ones into bqmigrate.json through the editor (undoable, comments kept).
 */
import * as vscode from 'vscode';
import { formatProblem, importInventory } from '../../core/index';
import { inventoryCsv, runInventory } from '../../core/inventory/index';
import type { ExtensionCtx } from '../context';
import { replaceManifestText } from '../manifest/write';

export interface InventoryRefresh {
  objects: number;
  added: number;
  covered: number;
  missing: number;
}

export async function refreshInventory(ctx: ExtensionCtx): Promise<InventoryRefresh | undefined> {
  const loaded = ctx.manifest.loaded;
  if (!loaded) throw new Error('no valid bqmigrate.json is loaded');
  const backend = ctx.settings.current.bigquery.backend;
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `bqmigrate: inventory of the ${backend} warehouse`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      const wh = await ctx.openWarehouse();
      try {
        const result = await runInventory(wh, { loaded, signal: abort.signal, onProgress: (message) => progress.report({ message }) });
        if (token.isCancellationRequested) return undefined;
        let merged: ReturnType<typeof importInventory> | undefined;
        await replaceManifestText(ctx, (text) => {
          merged = importInventory(text, inventoryCsv(result.objects), `${backend} warehouse inventory`, loaded.file);
          return merged.text;
        });
        const m = merged!;
        for (const p of m.problems) ctx.log.warn(`inventory: ${formatProblem(p)}`);
        for (const miss of result.missing) ctx.log.warn(`inventory: ${miss.name} (mapping ${miss.mappingIndex}) is not in the warehouse`);
        const missing = result.missing.length ? `; ${result.missing.length} mapped table(s) not found in the warehouse (see the bqmigrate output)` : '';
        void vscode.window.showInformationMessage(`bqmigrate: ${result.objects.length} objects in the warehouse; ${m.added} new mapping${m.added === 1 ? '' : 's'} added, ${m.covered} already covered${missing}.`);
        return { objects: result.objects.length, added: m.added, covered: m.covered, missing: result.missing.length };
      } finally {
        sub.dispose();
        await wh.close();
      }
    },
  );
}
