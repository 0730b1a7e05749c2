/** Shared by the phase tests: a temp workspace with the init manifest and the seeded local warehouse. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { loadManifestOrThrow, type LoadedManifest } from '../../../src/core/manifest/load';
import { initialManifestText } from '../../../src/core/phases/init';
import { openWarehouse, seedSampleWarehouse, type LocalWarehouse } from '../../../src/core/warehouse/index';
import type { Warehouse } from '../../../src/core/warehouse/types';

/** The repo root (the folder holding package.json), from .ts under tsx and from out/ alike. */
export function repoRoot(): string {
  let dir = __dirname;
  // out/ gets a copy of package.json from tsc (resolveJsonModule): skip it.
  while (!fs.existsSync(path.join(dir, 'package.json')) || path.basename(dir) === 'out') {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + __dirname);
    dir = parent;
  }
  return dir;
}

export interface Workspace {
  dir: string;
  file: string;
  load(): LoadedManifest;
  open(): Promise<Warehouse>;
  cleanup(): void;
}

/** A fresh workspace; `edit` adjusts the manifest text before it is written. */
export async function makeWorkspace(edit: (text: string) => string = (t) => t, opts: { seed?: boolean } = { seed: true }): Promise<Workspace> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bqm-ph-'));
  const file = path.join(dir, 'bqmigrate.json');
  fs.writeFileSync(file, edit(initialManifestText()));
  const ws: Workspace = {
    dir,
    file,
    load: () => loadManifestOrThrow(file),
    open: () => openWarehouse({ backend: 'local', loaded: loadManifestOrThrow(file) }),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
  if (opts.seed !== false) {
    const wh = await ws.open();
    try {
      await seedSampleWarehouse(wh as LocalWarehouse);
    } finally {
      await wh.close();
    }
  }
  return ws;
}

/** Every object outside bqmigrate's own schemas: type and row count, for end-state comparisons; `unreadable` records a view over a dropped table instead of throwing. */
export async function warehouseState(wh: Warehouse, opts: { unreadable?: boolean } = {}): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const d of await wh.listDatasets()) {
    for (const t of await wh.listTables(d.dataset)) {
      const counted = wh.query(`SELECT COUNT(*) AS n FROM ${wh.dialect.table(t)}`).then((r) => r.rows[0]?.n);
      const n = opts.unreadable ? await counted.catch(() => 'unreadable') : await counted;
      // A view that cannot be read has no reliable column list (DuckDB reports a placeholder): its definition stands for it.
      out[`${t.dataset}.${t.table}`] = n === 'unreadable' ? `${t.type}:unreadable:${t.viewQuery ?? ''}` : `${t.type}:${String(n)}:${t.schema.map((c) => c.name).join(',')}`;
    }
  }
  return out;
}

export const HORIZONS = ['1w', '1m', '3m', '6m', '12m'];
export const legacy = (h: string) => ({ dataset: 'models_v4', table: `production_training_data_${h}` });
export const archived = (h: string) => ({ dataset: 'archive', table: `legacy_20251114__models_v4__production_training_data_${h}` });
export const target = (h: string) => ({ dataset: 'training', table: `zl_training_prod_allhistory_${h}` });

export async function count(wh: Warehouse, id: { dataset: string; table: string }): Promise<number> {
  return Number((await wh.query(`SELECT COUNT(*) AS n FROM ${wh.dialect.table(id)}`)).rows[0]?.n);
}

export const quiet = { log: () => undefined };

/** Runs the CLI's main() in this process in `cwd`, with its output captured. */
export async function cli(cwd: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { stdout: { write: (s: string) => ((out += s), true) } as never, stderr: { write: (s: string) => ((err += s), true) } as never, cwd, env: {} };
  const code = await main(args, io);
  return { code, out, err };
}
