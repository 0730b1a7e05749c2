/**
 * `lintFiles`: walks the paths and lints every file, on a worker_threads pool
 * with one worker per core once there are enough files to pay for starting
 * them; small runs stay in-process. Results arrive as files finish.
 * `lintFilesAsEslintJson` does the same but has the workers write ESLint's JSON
 * text, so the caller only copies bytes to its output.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LoadedManifest } from '../manifest/load';
import type { LintCache } from './cache';
import { claimedEnd, newClaim, stealBack, unclaimed, type Claim } from './claims';
import { lintFile, type FileLintResult } from './file-lint';
import { createDirectoryExcluder, createGlobClassifier, createIncludeMatcher } from './globs';
import { createLinter, type LinterOptions } from './linter';
import { asEslintJson, asResults, cachedOf, Deferred, deferred, throughCache, type EslintJsonFileResult, type Output } from './pool-output';
import type { Unscanned } from './unscanned';
import type { FolderCache } from './walk-cache';
import type { KeptWorkers, LintWorkerSetup } from './kept-workers';
import { walkFilesSync, withTurns } from './walk';
import type { WalkRecord } from './walk-record';
import type { LintWorkerData, LintWorkerReply, LintWorkerRequest } from './worker';

export type { EslintJsonFileResult } from './pool-output';

export interface LintFilesOptions extends LinterOptions {
  /** Worker threads; default: one per core. 0 lints in-process. */
  workers?: number;
  maxFileBytes?: number;
  /** Notes about the run (a lint worker that stopped); files that could not be read come back as results with `note`. */
  onNote?(file: string, note: string): void;
  /** A file or folder the walk did not read, and why (globs, .gitignore, binary formats, the manifest itself). */
  onSkip?(skip: Unscanned): void;
  /** A path named in `paths` that cannot be linted at all (missing, a FIFO, a symlink loop). */
  onError?(file: string, message: string): void;
  /** Called as files finish: done so far and files found so far. */
  onProgress?(done: number, found: number): void;
  /** Script the workers run; defaults to this module's worker (or the bundle that contains it). */
  workerScript?: string;
  /** Results of unchanged files come from here, and fresh results go into it (the caller saves it). */
  cache?: LintCache;
  /**
   * The walk of `paths`, taken already (the run memo's check, walk-record.ts): its files, skips and errors
   * are replayed instead of walking again, and `cache` takes each file's identity from it instead of a stat.
   */
  walked?: WalkRecord;
  /** The caller looked every file up in `cache` already and hands over the misses: results are stored, nothing is looked up again. */
  lookedUp?: boolean;
  /**
   * Files to lint below which a run stays in-process (default 48). The editor passes 1: its files come
   * as its walk finds them, and the workers then start with the first one, beside the walk.
   */
  inProcessLimit?: number;
  /** Files of one worker's batch were handed to another that had run out of work: how many (how the run balanced, for tests and benchmarks). */
  onRebalance?(files: number): void;
  /** Results carry their resolved references (FileLintResult.references): the editor's workspace scan. */
  references?: boolean;
  /**
   * The calling thread must stay responsive (the editor's extension host): the workers run at a lower
   * priority, and what a worker sends back is turned into results as the caller takes them, not all at
   * once when the message arrives.
   */
  background?: boolean;
  /**
   * Workers kept from run to run (a process that stays: the lint server), their code optimised by the
   * runs before: the pool takes its workers from here and gives them back at the end instead of starting
   * and stopping its own. They run at the set's priority (KeptWorkersOptions.background), whatever `background` says.
   */
  keptWorkers?: KeptWorkers;
}

const BATCH = 24;
/** Batch ids are unique in the process: a kept worker's replies can never be taken for another run's. */
let nextBatchId = 0;
const MIN_BATCH = 2;
const IN_PROCESS_LIMIT = 48;
/**
 * With a cache (and no --workers), files left to lint below this many bytes are linted in-process
 * whatever their number: starting the workers (each compiles its bundle and builds a linter) costs more.
 */
export const IN_PROCESS_BYTES = 4 << 20;

let slimWorker: string | undefined;
function defaultWorkerScript(): string {
  // Unbundled (tsc output, tsx): the worker module beside this one.
  if (/[\\/]pool\.(js|ts)$/.test(__filename)) return __filename.replace(/pool\.(js|ts)$/, 'worker.$1');
  // In a bundle: the slim worker bundle next to it, which loads far faster; else the bundle itself.
  slimWorker ??= path.join(__dirname, 'lint-worker.js');
  return fs.existsSync(slimWorker) ? slimWorker : __filename;
}

/** The manifest names legacy tables on purpose: it is never linted, let alone fixed (and says so). */
function* withoutManifest(files: Iterator<string>, loaded: LoadedManifest, onSkip?: (skip: Unscanned) => void): Generator<string> {
  const manifest = path.resolve(loaded.file);
  for (let n = files.next(); !n.done; n = files.next()) {
    // the walk yields absolute, normalised paths
    if (n.value === manifest) onSkip?.({ path: n.value, folder: false, reason: 'manifest', detail: 'the manifest names legacy tables on purpose; it is never linted' });
    else yield n.value;
  }
}

/** The files a lint of `paths` reads, in walk order (the manifest left out and said through `onSkip`); `folders`: the walk cache. */
export function walkLintFiles(paths: readonly string[], loaded: LoadedManifest, opts: Pick<LintFilesOptions, 'onSkip' | 'onError'> & { folders?: FolderCache }): Generator<string> {
  return withoutManifest(walkFilesSync(paths, { classify: createGlobClassifier(loaded), excludedDirectory: createDirectoryExcluder(loaded), onSkip: opts.onSkip, onError: opts.onError, folders: opts.folders }), loaded, opts.onSkip);
}

export function lintFiles(paths: readonly string[], loaded: LoadedManifest, opts: LintFilesOptions = {}): AsyncGenerator<FileLintResult> {
  return lintFilesAs(paths, loaded, opts, asResults);
}

/**
 * Like `lintFiles`, but each file comes back as its object of ESLint's JSON output, already
 * written as UTF-8 text by the workers, plus its counts: the JSON formatter's fast path.
 */
export function lintFilesAsEslintJson(paths: readonly string[], loaded: LoadedManifest, opts: LintFilesOptions = {}): AsyncGenerator<EslintJsonFileResult> {
  return lintFilesAs(paths, loaded, opts, asEslintJson);
}

/**
 * Lints exactly these files (absolute paths, no walk: the caller chose them, as the editor does from its
 * workspace), on the pool like `lintFiles`, with results in the order the files come.
 */
export function lintFileList(files: AsyncIterable<string> | Iterable<string>, loaded: LoadedManifest, opts: LintFilesOptions = {}): AsyncGenerator<FileLintResult> {
  return lintFilesAs([], loaded, opts, asResults, fromList(files));
}

async function* fromList(files: AsyncIterable<string> | Iterable<string>): AsyncGenerator<string> {
  yield* files;
}

async function* lintFilesAs<T>(paths: readonly string[], loaded: LoadedManifest, opts: LintFilesOptions, direct: Output<T>, files?: AsyncGenerator<string>): AsyncGenerator<T> {
  const cache = opts.cache;
  const output = cache ? throughCache(direct, cache) : direct;
  const lookup = opts.lookedUp ? undefined : cache;
  const isIncluded = createIncludeMatcher(loaded);
  // The walk, taken file by file without a promise each until a pool needs the event loop (a warm run looks every file up here).
  const listed = files !== undefined ? undefined : opts.walked ? opts.walked.replay(opts) : walkLintFiles(paths, loaded, { onSkip: opts.onSkip, onError: opts.onError, folders: cache?.folders });
  if (lookup !== undefined && files === undefined && opts.walked) lookup.walked = opts.walked.identities;
  const walk = files ?? withTurns(listed!);
  // Files come with their cached lint when the cache has it; only the others count towards starting workers.
  // Hits before the first miss wait for nothing: they are handed out at once, not kept (a warm run's every file).
  const first: Walked<T>[] = [];
  let early = 0;
  let misses = 0;
  let walkDone = false;
  // A number of workers asked for (--workers N) is a pool as soon as there are enough files; by default, a cached
  // walk counts bytes too (not a list the editor hands in: its extension host thread must stay free).
  const byBytes = cache !== undefined && opts.workers === undefined && files === undefined;
  if (lookup !== undefined) {
    // Every lint this pool stores comes with its read's identity (pool-output.ts throughCache).
    lookup.readsIdentify = true;
    if (byBytes) lookup.countMissedBytesUpTo = IN_PROCESS_BYTES;
  }
  const limit = opts.inProcessLimit ?? IN_PROCESS_LIMIT;
  while (misses < limit || (byBytes && cache.missedBytes < IN_PROCESS_BYTES)) {
    const n = listed ? listed.next() : await walk.next();
    if (n.done) {
      walkDone = true;
      break;
    }
    const hit = cachedOf(n.value, lookup, output, opts.onNote);
    if (hit !== undefined && misses === 0) {
      yield hit;
      opts.onProgress?.(++early, early);
      continue;
    }
    first.push({ file: n.value, hit });
    if (hit === undefined) misses++;
  }
  const workers = opts.workers ?? Math.max(1, (os.availableParallelism?.() ?? os.cpus().length) - 0);
  if (walkDone || workers === 0) {
    let linter: ReturnType<typeof createLinter> | undefined; // not built when every file comes from the cache
    let done = early;
    const found = () => first.length + done;
    const one = (f: string, hit: T | undefined): T[] => {
      if (hit !== undefined) return [hit];
      linter ??= createLinter(loaded, opts, isIncluded);
      return output.local([lintFile(linter, f, opts.maxFileBytes, opts.references)]);
    };
    for (const w of first) {
      yield* one(w.file, w.hit);
      opts.onProgress?.(++done, early + first.length);
    }
    if (!walkDone) {
      for await (const f of walk) {
        yield* one(f, cachedOf(f, lookup, output, opts.onNote));
        opts.onProgress?.(++done, found());
      }
    }
    return;
  }
  yield* runPool(first, walk, loaded, opts, lookup, workers, output, early);
}

/** A walked file, with its result when the cache had it. */
interface Walked<T> {
  file: string;
  hit: T | undefined;
}

/**
 * `lookup`: the cache the walk's files are looked up in (lintFilesAs decides: none when the caller looked
 * them up); `before`: files handed out already (for the progress counts).
 */
async function* runPool<T>(first: Walked<T>[], walk: AsyncGenerator<string>, loaded: LoadedManifest, opts: LintFilesOptions, lookup: LintCache | undefined, count: number, output: Output<T>, before: number): AsyncGenerator<T> {
  const setup: LintWorkerSetup['setup'] = {
    loaded: { file: loaded.file, root: loaded.root, text: loaded.text, manifest: loaded.manifest },
    rules: opts.rules,
    today: opts.today?.toISOString(),
    maxFileBytes: opts.maxFileBytes,
    render: output.render,
    references: opts.references,
  };
  // A kept worker's priority is its set's: only a worker of this run is told to run in the background.
  const data: LintWorkerData = { bqmigrateLintWorker: true, ...setup, background: opts.background };
  // Files carry their walk order; results are handed out in that order, so output is deterministic and streamable.
  const pending: { seq: number; file: string }[] = [];
  let walking = true;
  let found = first.length;
  let done = 0;
  let nextSeq = 0;
  const finished = new Map<number, T | Deferred<T>>();
  const ready: (T | Deferred<T>)[] = [];
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const settle = (items: { seq: number }[], results: readonly (T | Deferred<T>)[]) => {
    items.forEach((it, k) => finished.set(it.seq, results[k]!));
    done += items.length;
    while (finished.has(nextSeq)) {
      ready.push(finished.get(nextSeq)!);
      finished.delete(nextSeq++);
    }
    notify();
  };
  first.forEach((w, seq) => {
    if (w.hit !== undefined) settle([{ seq }], [w.hit]);
    else pending.push({ seq, file: w.file });
  });
  let fallback: ReturnType<typeof createLinter> | undefined;
  const inProcess = (items: { seq: number; file: string }[]) => {
    fallback ??= createLinter(loaded, opts, createIncludeMatcher(loaded));
    // One file at a time: the cache keeps each lint under the identity its read saw (the thread's last read).
    settle(items, items.flatMap((it) => output.local([lintFile(fallback!, it.file, opts.maxFileBytes, opts.references)])));
  };

  /** A batch sent to a worker: its files, and the claim word that says how many of them it lints (claims.ts). */
  interface Sent { items: { seq: number; file: string }[]; claim: Claim }
  /** `detach`: removes the run's listeners; `drained`: called once the ended run's last batch has its reply. */
  interface Slot { worker: Worker; busy: number; alive: boolean; inflight: Map<number, Sent>; detach(): void; drained?: () => void }
  const slots: Slot[] = [];
  const send = (s: Slot, items: { seq: number; file: string }[]) => {
    const id = nextBatchId++;
    const claim = newClaim(items.length);
    s.inflight.set(id, { items, claim });
    s.busy++;
    s.worker.postMessage({ id, files: items.map((it) => it.file), claim } satisfies LintWorkerRequest);
  };
  /** The files of a sent batch its worker lints: all but the ones taken back (the rest, once it has replied or stopped). */
  const kept = (sent: Sent) => sent.items.slice(0, claimedEnd(sent.claim));
  /**
   * Once every file is handed out, a worker without work takes the back half of the files another worker has
   * not started on, from the batch with the most of them: a batch with a few large files no longer decides
   * when the run ends.
   */
  const steal = (idle: Slot) => {
    let victim: Sent | undefined;
    let most = 0;
    for (const s of slots) {
      if (s === idle || !s.alive) continue;
      for (const sent of s.inflight.values()) {
        const left = unclaimed(sent.claim);
        if (left > most) [victim, most] = [sent, left];
      }
    }
    const taken = victim && stealBack(victim.claim);
    if (!taken) return;
    send(idle, victim!.items.slice(taken.from, taken.to));
    opts.onRebalance?.(taken.to - taken.from);
  };
  const dispatch = () => {
    const alive = slots.filter((s) => s.alive).length;
    for (const s of slots) {
      while (s.alive && s.busy < 2 && pending.length > 0) {
        // Full batches while the walk goes on; once every file is known, smaller ones towards the end so the workers finish together.
        const size = walking ? BATCH : Math.min(BATCH, Math.max(MIN_BATCH, Math.ceil(pending.length / (2 * alive))));
        if (pending.length < size && walking) break;
        send(s, pending.splice(0, size));
      }
      if (s.alive && s.busy === 0 && !walking && pending.length === 0) steal(s);
    }
    if (pending.length > 0 && alive === 0) inProcess(pending.splice(0));
  };
  const keep = opts.keptWorkers;
  const script = opts.workerScript ?? defaultWorkerScript();
  /** Set once the run is over: replies still on the way only let their worker go back to `keep`. */
  let ending = false;
  for (let i = 0; i < count; i++) {
    const worker = keep ? keep.take(script) : new Worker(script, { workerData: data });
    if (keep) worker.postMessage({ setup } satisfies LintWorkerSetup);
    const slot: Slot = {
      worker,
      busy: 0,
      alive: true,
      inflight: new Map(),
      detach: () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      },
    };
    const die = (why: string) => {
      if (!slot.alive) return;
      slot.alive = false;
      opts.onNote?.('(lint worker)', `a lint worker stopped (${why}); its files are linted in-process`);
      const lost = [...slot.inflight.values()].flatMap(kept);
      slot.inflight.clear();
      if (keep) keep.drop(worker);
      else void worker.terminate();
      if (lost.length) inProcess(lost);
      dispatch();
    };
    const onMessage = (msg: LintWorkerReply) => {
      if ('fatal' in msg) return die(msg.fatal);
      if ('ready' in msg) return;
      const sent = slot.inflight.get(msg.id);
      // A batch of a worker that stopped, whose files were linted in-process.
      if (!sent) return;
      slot.inflight.delete(msg.id);
      slot.busy--;
      if (ending) return void (slot.inflight.size === 0 && slot.drained?.());
      const items = kept(sent);
      const files = items.map((it) => it.file);
      settle(items, opts.background ? deferred(() => output.fromWorker(msg, files), items.length) : output.fromWorker(msg, files));
      dispatch();
    };
    const onError = (err: Error) => die(err.message);
    const onExit = (code: number) => {
      if (slot.alive && slot.inflight.size > 0) die(`exit code ${code}`);
      slot.drained?.();
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    slots.push(slot);
  }

  /** A kept worker goes back once it has replied to every batch of the run (the files left in them taken back first). */
  const giveBack = async (s: Slot, keep: KeptWorkers) => {
    for (const sent of s.inflight.values()) while (stealBack(sent.claim));
    if (s.inflight.size > 0) await new Promise<void>((resolve) => (s.drained = resolve));
    s.detach();
    keep.giveBack(s.worker, script);
  };

  const feed = (async () => {
    for await (const f of walk) {
      const hit = cachedOf(f, lookup, output, opts.onNote);
      found++;
      if (hit !== undefined) settle([{ seq: found - 1 }], [hit]);
      else pending.push({ seq: found - 1, file: f });
      if (pending.length >= BATCH) dispatch();
    }
    walking = false;
    dispatch();
    notify();
  })();

  dispatch();
  try {
    while (walking || done < found || ready.length > 0) {
      if (ready.length === 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          if (ready.length > 0 || (!walking && done >= found)) notify();
        });
        continue;
      }
      const batch = ready.splice(0);
      opts.onProgress?.(before + done, before + found);
      for (const r of batch) yield r instanceof Deferred ? r.get() : r;
    }
    await feed;
  } finally {
    // Stopping them is not a worker stopping: a batch whose files were all taken by another worker may still
    // have its empty reply on the way, and a caller that stopped early leaves batches unfinished on purpose.
    ending = true;
    const living = slots.filter((s) => s.alive);
    for (const s of slots) s.alive = false;
    if (keep) await Promise.all(living.map((s) => giveBack(s, keep)));
    else await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
