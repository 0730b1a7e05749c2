/**
 * The object every feature and command receives (rust-analyzer `Ctx`): the VS Code extension
 * context, the log, the manifest service, the typed settings snapshot, a `track` that registers a
 * disposable the moment it is created (house style rule 7), and what features share — the report
 * documents, the "bqmigrate Phases" output channel, the trust check, the warehouse connection and
 * the views. Features import this file, never each other; `CommandSpec` lives here so no feature
 * imports registry.ts (only extension.ts does). test/unit/extension/feature-imports.test.ts checks it.
 */
import type * as vscode from 'vscode';
import type { Warehouse } from '../core/warehouse/index';
import type { ManifestService } from './manifest/service';
import type { SettingsService } from './settings';
import type { WorkspaceLinter } from './diagnostics/workspace-linter';
import type { ReportDocuments } from './reports';
import type { MigrationStateService } from './migration-state';
import type { PhasesTreeProvider } from './phases/tree';
import type { MappingTreeNode, MappingTreeProvider } from './mapping-tree/provider';

/** One command: its palette title, category and when-clause, and its handler. registry.ts lists them all. */
export interface CommandSpec {
  id: string;
  title: string;
  category: 'bqmigrate';
  /** When-clause for the command palette; `false` hides it there (tree-item and internal commands). */
  when?: string;
  /** Codicon for view title / inline menus, e.g. "$(refresh)". */
  icon?: string;
  run(ctx: ExtensionCtx, ...args: any[]): unknown;
}

/** A feature folder's entry point: registers providers, views and listeners through ctx.track. */
export type FeatureRegistration = (ctx: ExtensionCtx) => void;

/** The views features own, set by each feature's register(ctx); undefined until it has run. */
export interface ExtensionViews {
  /** The `bqmigrate.phases` view's provider (phases/). */
  phases?: PhasesTreeProvider;
  /** The `bqmigrate.mappings` view and its provider (mapping-tree/). */
  mappings?: { provider: MappingTreeProvider; view: vscode.TreeView<MappingTreeNode> };
}

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
  /** Throws, saying what to do, when `what` would reach a warehouse in an untrusted workspace (warehouse-access.ts). */
  requireTrust(what: string): void;
  /** The warehouse the settings and the loaded manifest name (loaded lazily); the caller closes it. */
  openWarehouse(): Promise<Warehouse>;
  /** The migration's state as `bqmigrate status` reads it (warehouse history + journal, runs in progress, the lock), polled while a viewer is visible. */
  readonly migrationState: MigrationStateService;
  /** `bqmigrate-report:` markdown documents: plans, validation, access checks, export plans. */
  readonly reports: ReportDocuments;
  /** The "bqmigrate Phases" output channel: phase runs and validation tables. */
  readonly phasesOutput: vscode.OutputChannel;
  readonly views: ExtensionViews;
}

export interface ExtensionStats {
  activationMs?: number;
  /** performance.now() when activate() started (the extension host's clock). */
  activationStartedAt?: number;
  /** The last complete workspace scan: files read from the lint cache (`fromCache`) and linted (`linted`, on the worker pool). */
  lastScan?: ScanStats;
  /** The first complete workspace scan after activation (what a window opening or a restart waits for). */
  firstScan?: ScanStats;
  /** Recent single-document lint times in ms (newest last, at most 200): `documentLints[i].totalMs`. */
  documentLintMs: number[];
  /** The same lints with their split and the document version they linted (newest last, at most 200). */
  documentLints: DocumentLintTiming[];
}

export interface ScanStats {
  ms: number;
  files: number;
  fromCache: number;
  linted: number;
  /** Folders the walk took from the lint cache's walk cache instead of listing them. */
  foldersFromCache: number;
  references: number;
  at: string;
  /** performance.now() when the scan started and when its last file's diagnostics were published. */
  startedAt: number;
  publishedAt: number;
  /**
   * performance.now() when every file with findings showed its diagnostics (only cached files without
   * findings were left to read), and what was shown then: files with bqmigrate diagnostics, and how many.
   */
  findingsAt: number;
  findingsShown: { files: number; diagnostics: number };
  /**
   * With a lint cache: performance.now() when the files that had findings when it was written, and have
   * not changed since, showed their diagnostics — before the walk — and what was shown then.
   */
  cachedFindings?: { at: number; shown: { files: number; diagnostics: number } };
  /** The longest the extension host's event loop was held up during the scan (what typing could have waited). */
  maxEventLoopDelayMs: number;
  /** Lint workers the scans have started since activation, this one's included: a scan on workers kept from the last adds none. */
  workersStarted: number;
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
