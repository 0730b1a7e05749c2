/** Reads what the plan needs from the warehouse, once: datasets and the objects of the datasets the manifest touches. */
import { isHistoryDataset } from '../history/table';
import type { LoadedManifest } from '../manifest/load';
import type { TableInfo, Warehouse } from '../warehouse/types';
import { placeholders } from './expand';
import * as path from 'node:path';
import { definitionsDir, listDefinitionFiles, SCHEDULED_DIR } from '../definitions/files';
import type { DefinitionsSnapshot, WarehouseSnapshot } from './types';

export interface SnapshotOptions {
  /** Also read every dataset's objects, every definition and (when files name them) scheduled queries: for repoint-definitions. */
  definitions?: boolean;
}

/** Whether planning `phases` needs the definitions in the snapshot (a repoint-definitions step). */
export function needsDefinitions(loaded: LoadedManifest, phases: readonly string[]): boolean {
  return loaded.manifest.phases.some((p) => phases.includes(p.id) && p.steps.some((s) => s.run === 'repoint-definitions'));
}

export async function takeSnapshot(wh: Warehouse, loaded: LoadedManifest, opts: SnapshotOptions = {}): Promise<WarehouseSnapshot> {
  const m = loaded.manifest;
  const datasets = (await wh.listDatasets()).map((d) => d.dataset).filter((d) => !isHistoryDataset(loaded, d)).sort();
  const wanted = new Set<string>([m.archive.dataset, ...Object.keys(m.datasets)]);
  let anyDataset = false;
  for (const map of m.mappings) {
    if (map.kind !== 'table') continue;
    for (const name of [map.from, map.to]) {
      if (!name) continue;
      const ds = name.split('.')[0]!;
      if (placeholders(ds).length) anyDataset = true;
      else wanted.add(ds);
    }
  }
  const objects: Record<string, string> = {};
  const tables: Record<string, TableInfo> = {};
  // Definitions may read any dataset: then every dataset's objects are listed (a reference to a missing one is refused at plan time).
  const lists = await Promise.all(datasets.filter((d) => anyDataset || opts.definitions || wanted.has(d)).map((d) => wh.listTables(d)));
  for (const list of lists) {
    for (const t of list) {
      objects[`${t.dataset}.${t.table}`] = t.type;
      tables[`${t.dataset}.${t.table}`] = t;
    }
  }
  if (!opts.definitions) return { datasets, objects, tables };
  const definitions: DefinitionsSnapshot = { objects: await wh.listDefinitions(datasets), scheduled: [] };
  if (listDefinitionFiles(definitionsDir(loaded)).some((f) => f.startsWith(`${SCHEDULED_DIR}${path.sep}`))) {
    try {
      definitions.scheduled = await wh.listScheduledQueries();
    } catch (err) {
      definitions.scheduledError = (err as Error).message;
    }
  }
  return { datasets, objects, tables, definitions };
}
