/**
 * The object every feature and command receives: the VS Code extension context,
 * the log, the manifest service, the typed settings snapshot and a `track` that
 * registers a disposable the moment it is created (house style rule 7).
 */
import type * as vscode from 'vscode';
import type { ManifestService } from './manifest/service';
import type { SettingsService } from './settings';
import type { WorkspaceLinter } from './diagnostics/workspace-linter';

export interface ExtensionCtx {
  readonly extension: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  /** Registers a disposable for the extension's lifetime and returns it. */
  track<T extends vscode.Disposable>(disposable: T): T;
  /** The manifest: the last good one keeps serving while the file is broken. */
  readonly manifest: ManifestService;
  readonly settings: SettingsService;
  /** Diagnostics, counts and scans of the whole workspace. */
  readonly linter: WorkspaceLinter;
  /** Timings for `bqmigrate.internal.stats` (the host benchmark, bench/host.bench.mjs). */
  readonly stats: ExtensionStats;
  /** Workspace Trust: warehouse commands check this at run time too, not only in when-clauses. */
  isTrusted(): boolean;
}

export interface ExtensionStats {
  activationMs?: number;
  lastScan?: { ms: number; files: number; references: number; at: string };
  /** Recent single-document lint times in ms (newest last, at most 200): `documentLints[i].totalMs`. */
  documentLintMs: number[];
  /** The same lints with their split and the document version they linted (newest last, at most 200). */
  documentLints: DocumentLintTiming[];
}

/**
 * One re-lint of an open document, as `WorkspaceLinter.lintDocument` times it: from reading the
 * document's text to `DiagnosticCollection.set` returning (the debounce before it is not included).
 */
export interface DocumentLintTiming {
  uri: string;
  version: number;
  totalMs: number;
  /** Reading the text and the core linter (`Linter.lintText`). */
  coreMs: number;
  /** Violations → vscode.Diagnostic (line starts, positions, code, tags). */
  convertMs: number;
  /** `collection.set` and keeping the record. */
  publishMs: number;
  violations: number;
  /** performance.now() when it finished (the extension host's clock). */
  endAt: number;
}
