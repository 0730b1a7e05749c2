/**
 * Lint workers a process that stays (the lint server) keeps from one run to the next, so their code stays
 * optimised: a worker's first pass over the files costs 2–6× its later ones (docs/bench.md), and a pool
 * started afresh pays that on every run. A kept worker is started without a manifest; each run sends it
 * the run's settings first (`LintWorkerSetup`), and the worker builds its linter again only when they
 * differ from the last run's.
 *
 * Between runs the set holds the workers idle, unreferenced (they never keep the process alive), and
 * listens for their errors and exits itself: a worker that stops while idle is dropped, and the next run
 * starts a new one.
 */
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { LintWorkerData } from './worker';

/** What a kept worker is started with: the flag that makes it a lint worker, its priority, and no settings yet. */
export interface KeptWorkerData {
  bqmigrateLintWorker: true;
  kept: true;
  /** Runs at a lower priority (the editor's: its extension host must stay responsive). */
  background?: boolean;
}

export interface KeptWorkersOptions {
  /** The workers run at a lower priority, as a pool's with `background` do (worker.ts). */
  background?: boolean;
  /** Idle workers stop after this long without a run (ms), to give back their memory; by default they stay until `close`. */
  idleMs?: number;
  /** The most idle workers kept (default: one per core); one more is stopped when it is given back. */
  most?: number;
}

/** A run's settings, sent to a kept worker before the run's first batch. */
export interface LintWorkerSetup {
  setup: Omit<LintWorkerData, 'bqmigrateLintWorker'>;
}

interface Idle {
  worker: Worker;
  script: string;
}

export class KeptWorkers {
  private readonly idle: Idle[] = [];
  private readonly all = new Set<Worker>();
  private closed = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly most: number;
  /** Workers started so far (the first run's, and any that replaced one that stopped). */
  started = 0;

  constructor(private readonly opts: KeptWorkersOptions = {}) {
    this.most = opts.most ?? Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  }

  /** A worker running `script`, idle from an earlier run or new; it is the caller's until it gives it back or drops it. */
  take(script: string): Worker {
    clearTimeout(this.idleTimer);
    // Closed (the editor going away while a scan starts): a worker for this run only, stopped when given back.
    if (this.closed) return this.start(script);
    const k = this.idle.findIndex((w) => w.script === script);
    if (k >= 0) {
      const { worker } = this.idle.splice(k, 1)[0]!;
      worker.ref();
      return worker;
    }
    const worker = this.start(script);
    this.started++;
    this.all.add(worker);
    // Always listened to: an 'error' event nobody listens for would end the process.
    worker.on('error', () => this.drop(worker));
    worker.on('exit', () => this.drop(worker));
    return worker;
  }

  private start(script: string): Worker {
    return new Worker(script, { workerData: { bqmigrateLintWorker: true, kept: true, background: this.opts.background } satisfies KeptWorkerData });
  }

  /**
   * A worker the run is done with, and that has no batch of that run left to reply to. Beyond `most` idle
   * ones (two runs at once each started their own) it is stopped.
   */
  giveBack(worker: Worker, script: string): void {
    if (this.closed || !this.all.has(worker)) return void worker.terminate();
    if (this.idle.length >= this.most) return this.drop(worker);
    worker.unref();
    this.idle.push({ worker, script });
    if (this.opts.idleMs !== undefined && this.idle.length === this.all.size) {
      clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => {
        for (const { worker } of [...this.idle]) this.drop(worker);
      }, this.opts.idleMs).unref();
    }
  }

  /** A worker that must not be used again (it stopped, or it may still be busy with a run that ended early). */
  drop(worker: Worker): void {
    if (!this.all.delete(worker)) return;
    const k = this.idle.findIndex((w) => w.worker === worker);
    if (k >= 0) this.idle.splice(k, 1);
    void worker.terminate();
  }

  /** Workers held now, idle or in a run. */
  get size(): number {
    return this.all.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    const all = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    await Promise.all(all.map((w) => w.terminate()));
  }
}
