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
  /** Timings for `bqmigrate.internal.stats` (HOST's benchmark). */
  readonly stats: ExtensionStats;
  /** Workspace Trust: warehouse commands check this at run time too, not only in when-clauses. */
  isTrusted(): boolean;
}

export interface ExtensionStats {
  activationMs?: number;
  lastScan?: { ms: number; files: number; references: number; at: string };
  /** Recent single-document lint times in ms (newest last, at most 200). */
  documentLintMs: number[];
}
