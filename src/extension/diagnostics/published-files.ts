/**
 * What the extension shows for the workspace: each linted file's record (file-record.ts), the
 * diagnostics published for it, and the reference totals kept up to date as records come and go
 * (reference-counts.ts). A file edited in an editor is published at once; the workspace scan's files
 * are published in batches, one `DiagnosticCollection.set` per turn of the event loop, because VS Code
 * sends each call to the window as a message of its own, and of a bounded size, because it serialises
 * each on the host's thread.
 */
import * as vscode from 'vscode';
import type { LintRecord, ScannedRecord } from './file-record';
import { ReferenceTally, type ReferenceTotals } from './reference-counts';

/** Diagnostics sent to the window in one batch of the workspace scan (more: the rest wait a turn). */
const BATCH_DIAGNOSTICS = 500;

/** A kept record: linted from text (an editor, a file read after a change) or read by the workspace scan. */
export type KeptRecord = LintRecord | ScannedRecord;

export class PublishedFiles implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('bqmigrate');
  private readonly records = new Map<string, KeptRecord>();
  private readonly tally = new ReferenceTally();
  /** The definitions folder the tally's `warehouseByMapping` was counted for. */
  private tallyDefinitions: string | undefined;
  /** Scan records waiting for the next batch, by URI; one is published only if it is still the file's record then. */
  private readonly queued = new Map<string, KeptRecord>();
  private flushTimer: NodeJS.Immediate | undefined;
  /** Diagnostics published per file (files with none are left out). */
  private readonly shownCounts = new Map<string, number>();
  private shownDiagnostics = 0;

  get(key: string): KeptRecord | undefined {
    return this.records.get(key);
  }

  has(key: string): boolean {
    return this.records.has(key);
  }

  keys(): IterableIterator<string> {
    return this.records.keys();
  }

  values(): IterableIterator<KeptRecord> {
    return this.records.values();
  }

  get size(): number {
    return this.records.size;
  }

  /** The records by URI, as a map to read. */
  get map(): ReadonlyMap<string, KeptRecord> {
    return this.records;
  }

  /** Keeps a file's record and publishes its diagnostics now. */
  publish(rec: KeptRecord): void {
    const key = rec.uri.toString();
    this.replace(key, rec);
    this.queued.delete(key);
    this.show(key, rec.diagnostics);
    this.collection.set(rec.uri, rec.diagnostics as vscode.Diagnostic[]);
  }

  /**
   * Keeps a file's record from the workspace scan and publishes its diagnostics with the next batch
   * (nothing is sent for a file that had none and still has none: most files of a workspace).
   */
  publishBatched(rec: KeptRecord): void {
    const key = rec.uri.toString();
    this.replace(key, rec);
    if (rec.diagnostics.length === 0 && !this.shownCounts.has(key)) {
      this.queued.delete(key);
      return;
    }
    this.queued.set(key, rec);
    this.flushTimer ??= setImmediate(() => this.flushBatch());
  }

  /**
   * Publishes queued records, about BATCH_DIAGNOSTICS diagnostics' worth (VS Code serialises a batch on the
   * host's thread); the rest go with the next turn of the event loop.
   */
  private flushBatch(): void {
    this.flushTimer = undefined;
    const entries: [vscode.Uri, vscode.Diagnostic[]][] = [];
    let diagnostics = 0;
    for (const [key, rec] of this.queued) {
      if (diagnostics >= BATCH_DIAGNOSTICS) break;
      this.queued.delete(key);
      if (this.records.get(key) !== rec) continue; // replaced meanwhile (the file was opened, changed or deleted)
      this.show(key, rec.diagnostics);
      entries.push([rec.uri, rec.diagnostics as vscode.Diagnostic[]]);
      diagnostics += rec.diagnostics.length;
    }
    if (entries.length > 0) this.collection.set(entries);
    if (this.queued.size > 0) this.flushTimer = setImmediate(() => this.flushBatch());
  }

  /** Publishes every queued record, a batch per turn of the event loop; resolves when none is left. */
  async flush(): Promise<void> {
    if (this.flushTimer) clearImmediate(this.flushTimer);
    this.flushTimer = undefined;
    while (this.queued.size > 0) {
      this.flushBatch();
      if (this.flushTimer) clearImmediate(this.flushTimer);
      this.flushTimer = undefined;
      if (this.queued.size > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Drops a file's record and diagnostics. */
  drop(key: string, uri: vscode.Uri = vscode.Uri.parse(key)): boolean {
    const rec = this.records.get(key);
    this.queued.delete(key);
    this.show(key, []);
    this.collection.delete(uri);
    if (!rec) return false;
    this.records.delete(key);
    this.count(rec, -1);
    return true;
  }

  clear(): void {
    this.records.clear();
    this.queued.clear();
    this.tally.clear();
    this.shownCounts.clear();
    this.shownDiagnostics = 0;
    this.collection.clear();
  }

  /** The reference totals of every record; `definitions` is the pulled definitions folder (with a trailing separator). */
  totals(definitions: string | undefined): ReferenceTotals {
    if (definitions !== this.tallyDefinitions) {
      // The definitions folder moved (another manifest): count every record again for it.
      this.tallyDefinitions = definitions;
      this.tally.clear();
      for (const rec of this.records.values()) this.count(rec, 1);
    }
    return this.tally.totals();
  }

  /** Files with bqmigrate diagnostics published, and how many diagnostics they have. */
  shown(): { files: number; diagnostics: number } {
    return { files: this.shownCounts.size, diagnostics: this.shownDiagnostics };
  }

  private replace(key: string, rec: KeptRecord): void {
    const old = this.records.get(key);
    if (old) this.count(old, -1);
    this.records.set(key, rec);
    this.count(rec, 1);
  }

  private count(rec: KeptRecord, sign: 1 | -1): void {
    const pulled = this.tallyDefinitions !== undefined && rec.uri.fsPath.startsWith(this.tallyDefinitions);
    if (sign > 0) this.tally.add(rec.counts, pulled);
    else this.tally.remove(rec.counts, pulled);
  }

  private show(key: string, diagnostics: readonly vscode.Diagnostic[]): void {
    this.shownDiagnostics -= this.shownCounts.get(key) ?? 0;
    if (diagnostics.length > 0) {
      this.shownCounts.set(key, diagnostics.length);
      this.shownDiagnostics += diagnostics.length;
    } else this.shownCounts.delete(key);
  }

  dispose(): void {
    if (this.flushTimer) clearImmediate(this.flushTimer);
    this.flushTimer = undefined;
    this.collection.dispose();
  }
}
