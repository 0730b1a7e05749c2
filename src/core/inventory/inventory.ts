/**
 * `bqmigrate inventory`: every dataset and object of the warehouse with type,
 * rows, size, created/modified, partitioning and clustering (BigQuery: the
 * tables API, paginated, across all datasets), written in the team's CSV shape
 * (inventory_340_objects.csv); reports empty tables, table names found in
 * several datasets, and legacy objects the manifest maps that the warehouse no
 * longer has. `mergeInventory` adds unmapped objects to the manifest through
 * the manifest module's importInventory (comments kept).
 */
import { isHistoryDataset } from '../history/table';
import * as fs from 'node:fs';
import { writeFileAtomic } from '../fix/write';
import type { LoadedManifest } from '../manifest/load';
import { importInventory, INVENTORY_COLUMNS, type InventoryImport } from '../manifest/inventory';
import type { TableInfo, Warehouse } from '../warehouse/types';
import { expandTemplate } from './expand';
import type { OperationOptions } from './types';

export interface InventoryObject {
  dataset: string;
  table: string;
  type: TableInfo['type'];
  rows: number | null;
  sizeBytes: number | null;
  created?: string;
  modified?: string;
  location?: string;
  partitioning?: string;
  clustering?: string[];
}

export interface InventoryResult {
  datasets: { dataset: string; location?: string; objects: number }[];
  objects: InventoryObject[];
  /** Tables with zero rows. */
  empty: InventoryObject[];
  /** Table names present in more than one dataset. */
  duplicates: { table: string; datasets: string[] }[];
  /** Concrete legacy names the manifest maps (status planned/migrated/shimmed) that the warehouse does not have. */
  missing: { name: string; mappingIndex: number }[];
}

export interface InventoryOptions extends OperationOptions {
  loaded?: LoadedManifest;
  /** Only these datasets (default: all of the project). */
  datasets?: string[];
}

export async function runInventory(wh: Warehouse, opts: InventoryOptions = {}): Promise<InventoryResult> {
  opts.onEvent?.({ event: 'action-start', action: 'inventory' });
  try {
    // bqmigrate's own history dataset is neither legacy nor unknown: it is never inventoried.
    const all = (await wh.listDatasets()).filter((d) => !isHistoryDataset(opts.loaded, d.dataset));
    const wanted = opts.datasets ? all.filter((d) => opts.datasets!.includes(d.dataset)) : all;
    const objects: InventoryObject[] = [];
    const datasets: InventoryResult['datasets'] = [];
    for (const d of wanted) {
      if (opts.signal?.aborted) throw new Error('inventory cancelled');
      opts.onProgress?.(`inventory: ${d.dataset}…`);
      const tables = await wh.listTables(d.dataset);
      datasets.push({ dataset: d.dataset, location: d.location, objects: tables.length });
      for (const t of tables) {
        objects.push({
          dataset: d.dataset,
          table: t.table,
          type: t.type,
          rows: t.rowCount,
          sizeBytes: t.sizeBytes,
          created: t.created,
          modified: t.modified,
          location: d.location,
          partitioning: t.partitioning,
          clustering: t.clustering,
        });
      }
    }
    objects.sort((a, b) => a.dataset.localeCompare(b.dataset) || a.table.localeCompare(b.table));
    const byName = new Map<string, string[]>();
    for (const o of objects) byName.set(o.table, [...(byName.get(o.table) ?? []), o.dataset]);
    const result: InventoryResult = {
      datasets,
      objects,
      empty: objects.filter((o) => o.type === 'TABLE' && o.rows === 0),
      duplicates: [...byName.entries()].filter(([, ds]) => ds.length > 1).map(([table, ds]) => ({ table, datasets: ds })),
      missing: opts.loaded ? missingLegacyObjects(opts.loaded, objects) : [],
    };
    opts.onEvent?.({
      event: 'action-end',
      action: 'inventory',
      rows: objects.length,
      details: { datasets: datasets.length, empty: result.empty.length, duplicates: result.duplicates.length, missing: result.missing.length },
    });
    return result;
  } catch (err) {
    opts.onEvent?.({ event: 'action-error', action: 'inventory', error: (err as Error).message });
    throw err;
  }
}

function missingLegacyObjects(loaded: LoadedManifest, objects: InventoryObject[]): InventoryResult['missing'] {
  const present = new Set(objects.map((o) => `${o.dataset}.${o.table}`.toLowerCase()));
  const out: InventoryResult['missing'] = [];
  loaded.manifest.mappings.forEach((m, mappingIndex) => {
    if (m.kind !== 'table' || m.status === 'archived' || m.status === 'dropped') return;
    let names: string[];
    try {
      names = expandTemplate(m.from, loaded.manifest.variables).map((e) => e.text);
    } catch {
      return; // a placeholder without values is the linter's finding, not an inventory one
    }
    for (const name of names) if (!present.has(name.toLowerCase())) out.push({ name, mappingIndex });
  });
  return out;
}

function csvField(v: string | number | null | undefined): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The team's CSV: dataset_name,table_name,table_type,row_count,created,modified,location,partitioning,clustering. */
export function inventoryCsv(objects: InventoryObject[]): string {
  const lines = [INVENTORY_COLUMNS.join(',')];
  for (const o of objects) {
    lines.push(
      [o.dataset, o.table, o.type, o.rows, o.created, o.modified, o.location, o.partitioning, o.clustering?.join(',')].map(csvField).join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}


/** `--merge`: unmapped objects become manifest entries (import-inventory's rules), comments kept; the manifest is rewritten atomically. */
export function mergeInventory(loaded: LoadedManifest, objects: InventoryObject[], opts: { write?: boolean } = {}): InventoryImport {
  const current = fs.existsSync(loaded.file) ? fs.readFileSync(loaded.file, 'utf8') : loaded.text;
  const result = importInventory(current, inventoryCsv(objects), 'warehouse inventory', loaded.file);
  if (opts.write !== false && result.added > 0 && result.text !== current) writeFileAtomic(loaded.file, result.text);
  return result;
}
