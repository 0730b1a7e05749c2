/**
 * What the extension keeps of one linted file: the text and result it was linted from, the
 * diagnostics published for it, and — computed when first read, never per keystroke — its
 * MappingReferences (ranges of every resolved reference) and reference counts.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { LintResult } from '../../core/index';
import type { FileLintResult, ViolationPosition } from '../../core/lint/file-lint';
import { decodeSource } from '../../core/lint/read';
import type { Violation } from '../../core/rules/types';
import type { Engine } from './engine';
import { toRange } from './convert';
import { TextPositions, type OffsetConverter } from '../positions';
import { countReferences, type ReferenceCounts } from './reference-counts';

export type { ReferenceCounts, ReferenceTotals } from './reference-counts';

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
  /** The violations diagnostics were published for (without reading `text` or `result` of a scanned file). */
  readonly violations: readonly Violation[];
  readonly counts: ReferenceCounts;
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

  get violations(): readonly Violation[] {
    return this.result.violations;
  }

  get counts(): ReferenceCounts {
    this.countsMemo ??= countReferences(
      this.result.refs.flatMap((r) => (r.resolution ? [r.resolution] : [])),
      this.result.violations,
    );
    return this.countsMemo;
  }
}

/**
 * A file the workspace scan read from disk (on the worker pool, or from the lint cache): its violations
 * with their positions and its resolved references, without the text. The text and the full LintResult
 * (what a workspace fix or a rename needs) are read and linted again from disk when first asked for —
 * the file as it is then; a change on disk since is linted again through the file watcher anyway.
 */
export class ScannedRecord implements FileRecord {
  readonly version = undefined;
  private full: { text: string; result: LintResult } | undefined;
  private refs: MappingReference[] | undefined;
  private countsMemo: ReferenceCounts | undefined;

  constructor(
    readonly uri: vscode.Uri,
    private readonly lint: FileLintResult,
    readonly engine: Engine,
    readonly diagnostics: readonly vscode.Diagnostic[],
  ) {}

  get violations(): readonly Violation[] {
    return this.lint.violations;
  }

  get text(): string {
    return this.load().text;
  }

  get result(): LintResult {
    return this.load().result;
  }

  private load(): { text: string; result: LintResult } {
    if (!this.full) {
      let text = '';
      try {
        const decoded = decodeSource(fs.readFileSync(this.uri.fsPath));
        if (decoded.ok) text = decoded.text;
      } catch {
        // Gone or unreadable since the scan: nothing to fix or rename in it (the watcher drops the record).
      }
      this.full = { text, result: this.engine.lint(text, this.uri.fsPath) };
    }
    return this.full;
  }

  get references(): MappingReference[] {
    this.refs ??= (this.lint.references ?? []).map((r) => ({ uri: this.uri, range: rangeOf(r), mappingIndex: r.mappingIndex, from: r.from, to: r.to }));
    return this.refs;
  }

  get counts(): ReferenceCounts {
    this.countsMemo ??= countReferences(this.lint.references ?? [], this.lint.violations);
    return this.countsMemo;
  }
}

/** A 1-based position span (the core's FileLintResult) as a vscode.Range. */
export function rangeOf(p: ViolationPosition): vscode.Range {
  return new vscode.Range(p.line - 1, p.column - 1, p.endLine - 1, p.endColumn - 1);
}

/** A fresh converter for `text` (a closure that holds the text, not the line starts). */
export function positionsOf(text: string, clampToLineEnd: boolean): () => OffsetConverter {
  return () => new TextPositions(text, clampToLineEnd);
}
