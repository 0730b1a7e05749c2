/**
 * Legacy references counted per file (per mapping, per legacy dataset, `legacy-column` findings per
 * column mapping) and summed over the workspace. The sum is kept up to date as files are linted
 * (`ReferenceTally`): the status bar, the tree and the dashboard read it after every change, and adding
 * up every file each time cost more than the scan itself on a large workspace. Imports no `vscode`.
 */
import type { Violation } from '../../core/rules/types';

/** One file's legacy references counted per mapping and per legacy dataset (no ranges needed). */
export interface ReferenceCounts {
  readonly total: number;
  readonly byMapping: ReadonlyMap<number, number>;
  readonly byDataset: ReadonlyMap<string, number>;
  /** `legacy-column` findings per column mapping (kept apart: `total` counts table references). */
  readonly columnsByMapping: ReadonlyMap<number, number>;
}

/** The counts of a file without legacy references or column findings (most files): one object shared by all of them. */
const NOTHING: ReferenceCounts = Object.freeze({ total: 0, byMapping: new Map(), byDataset: new Map(), columnsByMapping: new Map() });

export interface ReferenceTotals {
  total: number;
  /** Code and pulled warehouse definitions together. */
  byMapping: Map<number, number>;
  /** Of those, the ones in pulled warehouse definitions (files under the manifest's `definitions.dir`). */
  warehouseByMapping: Map<number, number>;
  byDataset: Record<string, number>;
  /** `legacy-column` findings per column mapping, code and pulled definitions together. */
  columnsByMapping: Map<number, number>;
  files: number;
}

/** Resolved references (mapping and legacy name) and `legacy-column` findings counted per mapping and dataset. */
export function countReferences(resolved: readonly { mappingIndex: number; from: string }[], violations: readonly Violation[]): ReferenceCounts {
  let columnsByMapping: Map<number, number> | undefined;
  for (const v of violations) {
    if (v.ruleId === 'legacy-column' && v.mappingIndex !== undefined) (columnsByMapping ??= new Map()).set(v.mappingIndex, (columnsByMapping.get(v.mappingIndex) ?? 0) + 1);
  }
  if (resolved.length === 0 && columnsByMapping === undefined) return NOTHING;
  const byMapping = new Map<number, number>();
  const byDataset = new Map<string, number>();
  for (const res of resolved) {
    byMapping.set(res.mappingIndex, (byMapping.get(res.mappingIndex) ?? 0) + 1);
    const ds = res.from.split('.')[0] ?? res.from;
    byDataset.set(ds, (byDataset.get(ds) ?? 0) + 1);
  }
  return { total: resolved.length, byMapping, byDataset, columnsByMapping: columnsByMapping ?? new Map() };
}

/** Adds `n` (negative to take away) to a count, dropping it at zero so a sum looks as if made afresh. */
function bump<K>(m: Map<K, number>, k: K, n: number): void {
  const v = (m.get(k) ?? 0) + n;
  if (v === 0) m.delete(k);
  else m.set(k, v);
}

/**
 * The workspace's totals, kept as files are added and removed: `add` a file's counts when its record
 * is kept, `remove` the same counts when the record is replaced or dropped. `pulled` says the file lies
 * in the pulled warehouse definitions (it counts in `warehouseByMapping` too).
 */
export class ReferenceTally {
  private total = 0;
  private files = 0;
  private readonly byMapping = new Map<number, number>();
  private readonly warehouseByMapping = new Map<number, number>();
  private readonly byDataset = new Map<string, number>();
  private readonly columnsByMapping = new Map<number, number>();

  add(counts: ReferenceCounts, pulled: boolean): void {
    this.apply(counts, pulled, 1);
  }

  remove(counts: ReferenceCounts, pulled: boolean): void {
    this.apply(counts, pulled, -1);
  }

  clear(): void {
    this.total = 0;
    this.files = 0;
    for (const m of [this.byMapping, this.warehouseByMapping, this.byDataset, this.columnsByMapping]) m.clear();
  }

  private apply(c: ReferenceCounts, pulled: boolean, sign: 1 | -1): void {
    this.files += sign;
    if (c === NOTHING) return;
    this.total += sign * c.total;
    for (const [index, n] of c.byMapping) {
      bump(this.byMapping, index, sign * n);
      if (pulled) bump(this.warehouseByMapping, index, sign * n);
    }
    for (const [ds, n] of c.byDataset) bump(this.byDataset, ds, sign * n);
    for (const [index, n] of c.columnsByMapping) bump(this.columnsByMapping, index, sign * n);
  }

  /** The totals now (copies: the caller may keep them while files change). */
  totals(): ReferenceTotals {
    const byDataset: Record<string, number> = {};
    for (const [ds, n] of this.byDataset) byDataset[ds] = n;
    return {
      total: this.total,
      byMapping: new Map(this.byMapping),
      warehouseByMapping: new Map(this.warehouseByMapping),
      byDataset,
      columnsByMapping: new Map(this.columnsByMapping),
      files: this.files,
    };
  }
}

/** Every file's counts summed at once (what the tally must always equal). */
export function sumCounts(files: Iterable<{ counts: ReferenceCounts; pulled: boolean }>): ReferenceTotals {
  const tally = new ReferenceTally();
  for (const f of files) tally.add(f.counts, f.pulled);
  return tally.totals();
}
