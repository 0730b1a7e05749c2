/**
 * The inventory, access check and exports (src/core/inventory) as phase steps, so a phase can
 * run the seeds' "Generate Complete Manifest", "Test write access for each dataset" and the
 * parquet exports. Their own events are journaled as notes of the step's action.
 */
import * as path from 'node:path';
import { approvedDatasets, checkAccess, EXPORT_COMPRESSIONS, exportTables, expandExportSpec, inventoryCsv, mergeInventory, runInventory } from '../../inventory/index';
import { writeGeneratedFile } from '../../fix/write';
import type { ActionContext, PlannedAction } from '../types';
import * as z from 'zod';
import { stepOptions, type BuiltinStep } from './common';

/** inventory: `out` writes the CSV there, `merge` adds unmapped objects to the manifest, `datasets` limits the listing. */
const InventoryOptions = z.object({ out: z.string().min(1).optional(), merge: z.boolean().optional(), datasets: z.array(z.string()).optional() });
/** export: `tables` a dataset.table template, `to` a file or gs:// template, `force` overwrites newer files, `compression` of the Parquet files. */
const ExportOptions = z.object({ tables: z.string().optional(), to: z.string().optional(), force: z.boolean().optional(), compression: z.enum(EXPORT_COMPRESSIONS).optional() });

const forward = (a: ActionContext) => (e: { event: string; action?: string; rows?: number; error?: string; details?: Record<string, unknown> }) =>
  a.note({ tool: e.event, toolAction: e.action, ...(e.rows !== undefined ? { rows: e.rows } : {}), ...(e.error ? { error: e.error } : {}) });

export const inventoryStep: BuiltinStep = {
  name: 'inventory',
  title: 'Inventory of the warehouse',
  destructive: false,
  options: InventoryOptions,
  plan(ctx) {
    const { out, merge = false, datasets } = stepOptions(InventoryOptions, ctx);
    const action: PlannedAction = {
      id: 'inventory',
      title: `list every dataset and object${out ? `, write ${out}` : ''}${merge ? ', add unmapped objects to bqmigrate.json' : ''}`,
      sql: [`-- warehouse API: list datasets${datasets ? ` (${datasets.join(', ')})` : ''}, list tables with type, rows, size, partitioning`],
      destructive: false,
      async execute(a) {
        const r = await runInventory(a.wh, { loaded: a.loaded, datasets, signal: a.signal, onProgress: a.log });
        if (out) writeGeneratedFile(path.resolve(a.loaded.root, out), inventoryCsv(r.objects));
        let added = 0;
        if (merge) added = mergeInventory(a.loaded, r.objects, { write: true }).added;
        a.note({ objects: r.objects.length, empty: r.empty.length, duplicates: r.duplicates.length, missing: r.missing.map((m) => m.name), added });
        return { rows: r.objects.length, detail: `${r.objects.length} objects in ${r.datasets.length} datasets; ${r.empty.length} empty, ${r.duplicates.length} duplicate names, ${r.missing.length} mapped but missing${merge ? `; ${added} added to the manifest` : ''}` };
      },
    };
    return { actions: [action], notes: [] };
  },
};

export const checkAccessStep: BuiltinStep = {
  name: 'check-access',
  title: 'Check access to the approved datasets',
  destructive: false,
  plan(ctx) {
    const actions: PlannedAction[] = approvedDatasets(ctx.loaded).map((d) => ({
      id: `check-access:${d.dataset}`,
      title: `create, read and drop a _bqmigrate_probe_ table in ${d.dataset} (${d.location})`,
      sql: [`-- warehouse API: get dataset ${d.dataset}; create, read, drop ${d.dataset}._bqmigrate_probe_*`],
      destructive: false,
      async execute(a) {
        const [check] = await checkAccess(a.wh, [d], { signal: a.signal, labels: { run: a.runId, phase: a.phase, step: a.step } });
        if (!check?.ok) throw new Error(`${d.dataset}: ${check?.error ?? 'access check failed'}${check?.permission ? ` (missing permission ${check.permission})` : ''}`);
        return { detail: `create ${check.create}, read ${check.read}, drop ${check.drop}` };
      },
    }));
    return { actions, notes: [] };
  },
};

export const exportStep: BuiltinStep = {
  name: 'export',
  title: 'Export tables to Parquet',
  destructive: false,
  options: ExportOptions,
  plan(ctx) {
    const options = stepOptions(ExportOptions, ctx);
    const spec = { tables: options.tables ?? '', to: options.to ?? '' };
    let pairs: ReturnType<typeof expandExportSpec>;
    try {
      pairs = expandExportSpec(spec, ctx.loaded);
    } catch (err) {
      return { actions: [], notes: [(err as Error).message] };
    }
    const actions: PlannedAction[] = pairs.map((p) => ({
      id: `export:${p.name}`,
      title: `export ${p.name} → ${p.destination.startsWith('gs://') ? p.destination : path.relative(ctx.loaded.root, p.destination)}`,
      sql: [`-- ${p.destination.startsWith('gs://') ? 'extract job' : 'read the table'} to PARQUET; verify the written row count`],
      destructive: false,
      async execute(a) {
        const [o] = await exportTables(a.wh, { tables: p.name, to: p.destination, ...(options.compression ? { compression: options.compression } : {}) }, { loaded: a.loaded, force: options.force === true, signal: a.signal, labels: { run: a.runId, phase: a.phase, step: a.step }, onEvent: forward(a) });
        if (!o || o.status === 'failed') throw new Error(o?.error ?? `export of ${p.name} failed`);
        if (o.status === 'skipped-newer') return { skipped: true, detail: `${o.destination} is newer than the table; kept (force: true overwrites)` };
        return { rows: o.rows, bytes: o.bytes, jobIds: o.jobId ? [o.jobId] : undefined, detail: `${o.rows ?? '?'} rows, verified from the ${o.verified ?? 'file'}` };
      },
    }));
    return { actions, notes: [] };
  },
};

export const warehouseToolSteps: BuiltinStep[] = [inventoryStep, checkAccessStep, exportStep];
