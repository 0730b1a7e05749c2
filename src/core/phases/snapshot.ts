/** Reads what the plan needs from the warehouse, once: datasets and the objects of the datasets the manifest touches. */
import type { LoadedManifest } from '../manifest/load';
import type { TableInfo, Warehouse } from '../warehouse/types';
import { placeholders } from './expand';
import type { WarehouseSnapshot } from './types';

export async function takeSnapshot(wh: Warehouse, loaded: LoadedManifest): Promise<WarehouseSnapshot> {
  const m = loaded.manifest;
  const datasets = (await wh.listDatasets()).map((d) => d.dataset).sort();
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
  const lists = await Promise.all(datasets.filter((d) => anyDataset || wanted.has(d)).map((d) => wh.listTables(d)));
  for (const list of lists) {
    for (const t of list) {
      objects[`${t.dataset}.${t.table}`] = t.type;
      tables[`${t.dataset}.${t.table}`] = t;
    }
  }
  return { datasets, objects, tables };
}
