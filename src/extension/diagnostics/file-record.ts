/**
 * What the extension keeps of one linted file: the text and result it was linted from, the
 * diagnostics published for it, and — computed when first read, never per keystroke — its
 * MappingReferences (ranges of every resolved reference) and reference counts.
 */
import type * as vscode from 'vscode';
import type { LintResult } from '../../core/index';
import type { Engine } from './engine';
import { toRange } from './convert';
import { TextPositions, type OffsetConverter } from '../positions';

/** One legacy reference and the mapping it resolves to. */
export interface MappingReference {
  uri: vscode.Uri;
  range: vscode.Range;
  mappingIndex: number;
  from: string;
  to?: string;
}

export interface FileRecord {
  readonly uri: vscode.Uri;
  /** Document version when linted from an open editor; undefined when read from disk. */
  readonly version: number | undefined;
  readonly text: string;
  readonly result: LintResult;
  /** Built on first use (the tree's reveal, Find All References ask for it), not per keystroke. */
  readonly references: MappingReference[];
}

/** One file's legacy references counted per mapping and per legacy dataset (no ranges needed). */
export interface ReferenceCounts {
  total: number;
  byMapping: Map<number, number>;
  byDataset: Map<string, number>;
  /** `legacy-column` findings per column mapping (kept apart: `total` counts table references). */
  columnsByMapping: Map<number, number>;
}

/**
 * A linted file. Diagnostics are published from it at once; its MappingReferences (ranges for
 * every resolved reference) and its counts are computed when first read, from the text it was
 * linted from, so a keystroke pays for neither.
 */
export class LintRecord implements FileRecord {
  private refs: MappingReference[] | undefined;
  private countsMemo: ReferenceCounts | undefined;

  constructor(
    readonly uri: vscode.Uri,
    readonly version: number | undefined,
    readonly text: string,
    readonly result: LintResult,
    /** The engine that linted it: a record from an older manifest or settings is stale. */
    readonly engine: Engine,
    /** What was published for it (one per violation, in order). */
    readonly diagnostics: readonly vscode.Diagnostic[],
    /** Converts offsets of `text` for the lazy references: a snapshot, never a live document. */
    private readonly positions: () => OffsetConverter,
  ) {}

  get references(): MappingReference[] {
    if (!this.refs) {
      const at = this.positions();
      const uri = this.uri;
      const refs: MappingReference[] = [];
      for (const r of this.result.refs) {
        if (!r.resolution) continue;
        refs.push({ uri, range: toRange(r.ref.range, at), mappingIndex: r.resolution.mappingIndex, from: r.resolution.from, to: r.resolution.to });
      }
      this.refs = refs;
    }
    return this.refs;
  }

  get counts(): ReferenceCounts {
    if (!this.countsMemo) {
      const byMapping = new Map<number, number>();
      const byDataset = new Map<string, number>();
      let total = 0;
      for (const r of this.result.refs) {
        const res = r.resolution;
        if (!res) continue;
        total++;
        byMapping.set(res.mappingIndex, (byMapping.get(res.mappingIndex) ?? 0) + 1);
        const ds = res.from.split('.')[0] ?? res.from;
        byDataset.set(ds, (byDataset.get(ds) ?? 0) + 1);
      }
      const columnsByMapping = new Map<number, number>();
      for (const v of this.result.violations) {
        if (v.ruleId === 'legacy-column' && v.mappingIndex !== undefined) columnsByMapping.set(v.mappingIndex, (columnsByMapping.get(v.mappingIndex) ?? 0) + 1);
      }
      this.countsMemo = { total, byMapping, byDataset, columnsByMapping };
    }
    return this.countsMemo;
  }
}

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

/** A fresh converter for `text` (a closure that holds the text, not the line starts). */
export function positionsOf(text: string, clampToLineEnd: boolean): () => OffsetConverter {
  return () => new TextPositions(text, clampToLineEnd);
}
