/**
 * `ctx.migrationState`: the migration's state as `bqmigrate status` reads it (core/history/team.ts)
 * — the warehouse history merged with the local journal, or the journal with a warning when the
 * warehouse cannot be read — for the Phases view and the dashboard, with the runs in progress and
 * the lock holder. The warehouse is read when a viewer asks (refresh) and, while the dashboard or
 * the Phases view is visible, by a backing-off poll (core/history/poll.ts); a journal change only
 * re-merges the journal with the last warehouse read. Reads go through `ctx.openWarehouse`, so the
 * local DuckDB file is opened through the process's one shared instance (local-share.ts) and
 * released after each read; a missing local file is never created by a read.
 * Imports no feature; core loads lazily.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { WarehouseHistory } from '../core/history/shared';
import type { MigrationState } from '../core/history/team';
import type { HistoryPoller, PollOutcome } from '../core/history/poll';
import type { LoadedManifest } from '../core/manifest/load';
import type { Warehouse } from '../core/warehouse/types';
import type { ManifestService } from './manifest/service';
import type { Settings, SettingsService } from './settings';

export interface MigrationStateDeps {
  manifest: ManifestService;
  settings: SettingsService;
  isTrusted(): boolean;
  openWarehouse(): Promise<Warehouse>;
  log: vscode.LogOutputChannel;
}

/** Viewers whose visibility turns the polling on: the dashboard panel and the Phases view. */
export type MigrationStateViewer = 'dashboard' | 'phases';

const schedule = (s: Settings) => ({ baseMs: s.history.pollSeconds * 1000, maxMs: s.history.maxPollSeconds * 1000 });

export class MigrationStateService implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<MigrationState | undefined>();
  /** Fires after every read (a poll, a refresh, a journal change) with the new state. */
  readonly onDidChange = this.emitter.event;
  private state: MigrationState | undefined;
  /** The last warehouse read, re-merged with the journal when only the journal changed. */
  private remote: { loaded: LoadedManifest; history?: WarehouseHistory; warning?: string; readAt: Date } | undefined;
  private poller: HistoryPoller | undefined;
  private readonly pending = new Map<MigrationStateViewer, boolean>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private fingerprint = '';
  private disposed = false;

  constructor(private readonly deps: MigrationStateDeps) {
    this.subscriptions.push(
      deps.settings.onDidChange((s) => {
        this.remote = undefined;
        this.poller?.setSchedule(schedule(s));
        void this.reread();
      }),
      deps.manifest.onDidChange(() => {
        this.remote = undefined;
        void this.reread();
      }),
    );
  }

  /** The latest state; undefined before the first read or without a manifest. */
  get current(): MigrationState | undefined {
    return this.state;
  }

  /** Polling status, for the host tests: on/off, reads started so far, the delay before the next. */
  get polling(): { active: boolean; reads: number; delayMs: number } {
    return { active: this.poller?.active ?? false, reads: this.poller?.reads ?? 0, delayMs: this.poller?.currentDelayMs ?? 0 };
  }

  /** A viewer was shown or hidden: polling runs while at least one is visible. */
  setVisible(viewer: MigrationStateViewer, visible: boolean): void {
    if (this.poller) this.poller.setVisible(viewer, visible);
    else {
      this.pending.set(viewer, visible);
      void this.ensurePoller();
    }
  }

  /** After a change of manifest or settings: the warehouse again while a viewer is visible, else the journal alone. */
  private reread(): Promise<void> {
    return this.poller?.active ? this.refresh() : this.journalChanged();
  }

  /** Reads the warehouse and the journal now. */
  async refresh(): Promise<void> {
    const poller = await this.ensurePoller();
    await poller?.readNow();
  }

  /**
   * The journal changed: merge it with the last warehouse read, without reading the warehouse.
   * Before any read (nothing visible yet, activation) that is the journal alone: the warehouse is
   * first read when a viewer shows or a command asks, never at activation.
   */
  async journalChanged(): Promise<void> {
    const loaded = this.deps.manifest.loaded;
    if (!loaded) {
      this.publish(undefined);
      return;
    }
    const remote = this.remote?.loaded === loaded ? this.remote : undefined;
    const { migrationState } = await import('../core/history/team.js');
    this.publish(remote ? migrationState(loaded, remote.history, remote.readAt, remote.warning) : migrationState(loaded, undefined, new Date()));
  }

  private async ensurePoller(): Promise<HistoryPoller | undefined> {
    if (this.disposed) return undefined;
    if (!this.poller) {
      const { HistoryPoller } = await import('../core/history/poll.js');
      if (this.disposed) return undefined;
      this.poller ??= new HistoryPoller(() => this.read(), schedule(this.deps.settings.current));
      for (const [viewer, visible] of this.pending) this.poller.setVisible(viewer, visible);
      this.pending.clear();
    }
    return this.poller;
  }

  /** One read of the warehouse (when it may and can be read) and the journal. */
  private async read(): Promise<PollOutcome> {
    const loaded = this.deps.manifest.loaded;
    if (!loaded) {
      this.remote = undefined;
      this.publish(undefined);
      return 'same';
    }
    const team = await import('../core/history/team.js');
    const backend = this.deps.settings.current.bigquery.backend;
    const now = new Date();
    let state: MigrationState;
    let history: WarehouseHistory | undefined;
    let failed = false;
    if (!this.deps.isTrusted()) {
      state = team.migrationState(loaded, undefined, now, 'this workspace is not trusted, so the warehouse history is not read: the status below is this machine\'s journal only (trust the folder to see every machine\'s runs)');
    } else if (backend === 'local' && !fs.existsSync((await import('../core/warehouse/local.js')).localWarehouseFile(loaded.root))) {
      // No local warehouse yet: the journal is the whole history, and a read must not create the file.
      state = team.migrationState(loaded, undefined, now);
    } else {
      const r = await team.readMigrationState(() => this.deps.openWarehouse(), loaded, backend, { now: () => now });
      await r.wh?.close();
      state = r.state;
      history = r.remote;
      failed = r.unreachable !== undefined;
      // Once per new reason, not on every backed-off retry.
      if (failed && state.warning !== this.remote?.warning) this.deps.log.warn(`migration state: ${state.warning}`);
    }
    this.remote = { loaded, readAt: now, ...(history ? { history } : {}), ...(state.warning ? { warning: state.warning } : {}) };
    const changed = this.publish(state);
    if (failed) return 'failed';
    if (state.runs.some((r) => r.state === 'running' && !r.mine)) return 'active';
    return changed ? 'changed' : 'same';
  }

  /** Sets the state and fires; says whether anything but the read time changed. */
  private publish(state: MigrationState | undefined): boolean {
    this.state = state;
    const fingerprint = state ? JSON.stringify([state.shared.events.length, state.shared.events.at(-1)?.id, state.lock, state.runs, state.warning, state.source]) : '';
    const changed = fingerprint !== this.fingerprint;
    this.fingerprint = fingerprint;
    this.emitter.fire(state);
    return changed;
  }

  dispose(): void {
    this.disposed = true;
    this.poller?.dispose();
    for (const s of this.subscriptions.splice(0)) s.dispose();
    this.emitter.dispose();
  }
}
