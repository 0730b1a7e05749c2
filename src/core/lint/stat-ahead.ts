/**
 * Stats a list of files from its end on a second thread while the walk stats them from the start, each file
 * once, by whichever thread claims it first: a warm `lint --cache` is mostly the `stat` of every file, and a
 * process that stays (the lint server) has a core to spare and a thread already started for it. In a one-off
 * process the thread costs more to start (~22 ms, its code cold) than it saves (docs/bench.md).
 *
 * The threads share a claim word per file (compare-and-exchange, as the lint pool's batches): free, the
 * walk's, the stat thread's, or stated by the stat thread (found or not). The walk takes a file the stat
 * thread stated as that thread saw it, waits for one it is stating, and stats the rest itself; the stat
 * thread stops where it meets a file the walk claimed. Every `stat` is made after the run began, so a
 * result is as fresh as the walk's own.
 */
import { Worker } from 'node:worker_threads';
import { identify, type Identity } from './cache-identity';

const FREE = 0;
const WALK = 1;
const AHEAD = 2;
const FOUND = 3;
const MISSING = 4;

/** The stat thread's code (no module of ours: it only stats). */
const STAT_THREAD_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
parentPort.on('message', ({ list, bytes, count, claims, values }) => {
  const paths = Buffer.from(list, 0, bytes).toString('utf8').split('\\0', count);
  const claim = new Int32Array(claims);
  const out = new Float64Array(values);
  for (let k = count - 1; k >= 0; k--) {
    if (Atomics.compareExchange(claim, k, ${FREE}, ${AHEAD}) !== ${FREE}) break;
    let st;
    try {
      st = fs.statSync(paths[k]);
    } catch {}
    if (st) {
      out[3 * k] = st.size;
      out[3 * k + 1] = st.mtimeMs;
      out[3 * k + 2] = st.ino;
    }
    Atomics.store(claim, k, st ? ${FOUND} : ${MISSING});
    Atomics.notify(claim, k);
  }
});
`;

/** One list's stats, taken by the walk in order. */
export interface StatList {
  /** The k-th file's identity, as `identify(path, false)` gives it; `path` must be the list's k-th. */
  identify(k: number, path: string): Identity | undefined;
  /** No more files are taken: the stat thread stops at the next one. */
  end(): void;
  /** How many of the files taken the stat thread had stated. */
  readonly fromAhead: number;
  /** How many files the stat thread has stated so far. */
  stated(): number;
}

export class StatAhead {
  private readonly worker: Worker;

  constructor() {
    this.worker = new Worker(STAT_THREAD_SOURCE, { eval: true });
    // Waits for nothing: a process that is done exits with the stat thread idle.
    this.worker.unref();
  }

  /**
   * Starts stating `count` files, given as their paths' UTF-8 bytes separated by NUL bytes (the run memo's
   * list as it is stored), from the last.
   */
  begin(list: Uint8Array, count: number): StatList {
    const shared = new SharedArrayBuffer(list.length);
    new Uint8Array(shared).set(list);
    const claims = new SharedArrayBuffer(4 * count);
    const values = new SharedArrayBuffer(24 * count);
    const claim = new Int32Array(claims);
    const out = new Float64Array(values);
    this.worker.postMessage({ list: shared, bytes: list.length, count, claims, values });
    let fromAhead = 0;
    return {
      get fromAhead() {
        return fromAhead;
      },
      identify(k, path) {
        if (k >= count) return identify(path, false);
        let state = Atomics.compareExchange(claim, k, FREE, WALK);
        if (state === FREE || state === WALK) return identify(path, false);
        while (state === AHEAD) {
          Atomics.wait(claim, k, AHEAD);
          state = Atomics.load(claim, k);
        }
        fromAhead++;
        return state === FOUND ? { size: out[3 * k]!, mtimeMs: out[3 * k + 1]!, ino: out[3 * k + 2]!, hash: '' } : undefined;
      },
      stated() {
        let n = 0;
        for (let k = 0; k < count; k++) {
          const state = Atomics.load(claim, k);
          if (state === FOUND || state === MISSING) n++;
        }
        return n;
      },
      end() {
        // Claims every file still free, from the start: the stat thread meets one at once and stops.
        for (let k = 0; k < count; k++) {
          const state = Atomics.compareExchange(claim, k, FREE, WALK);
          if (state !== FREE && state !== WALK) break;
        }
      },
    };
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
