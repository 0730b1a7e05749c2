/**
 * `lintFiles`: walks the paths and lints every file, on a worker_threads pool
 * with one worker per core once there are enough files to pay for starting
 * them; small runs stay in-process. Results arrive as files finish.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LoadedManifest } from '../manifest/load';
import { lintFile, type FileLintResult } from './file-lint';
import { createDirectoryExcluder, createIncludeMatcher } from './globs';
import { createLinter, type LinterOptions } from './linter';
import { decodeResults, isPacked } from './transfer';
import { walkFiles } from './walk';
import './worker';
import type { LintWorkerData, LintWorkerReply } from './worker';

export interface LintFilesOptions extends LinterOptions {
  /** Worker threads; default: one per core. 0 lints in-process. */
  workers?: number;
  maxFileBytes?: number;
  /** Notes from the walk (unreadable folders, broken links); skipped files come back as results with `note`. */
  onNote?(file: string, note: string): void;
  /** Called as files finish: done so far and files found so far. */
  onProgress?(done: number, found: number): void;
  /** Script the workers run; defaults to this module's worker (or the bundle that contains it). */
  workerScript?: string;
}

const BATCH = 24;
const IN_PROCESS_LIMIT = 48;

function defaultWorkerScript(): string {
  return /[\\/]pool\.(js|ts)$/.test(__filename) ? __filename.replace(/pool\.(js|ts)$/, 'worker.$1') : __filename;
}

/** The manifest names legacy tables on purpose: it is never linted, let alone fixed. */
async function* withoutManifest(files: AsyncGenerator<string>, loaded: LoadedManifest): AsyncGenerator<string> {
  const manifest = path.resolve(loaded.file);
  for await (const f of files) if (path.resolve(f) !== manifest) yield f;
}

export async function* lintFiles(paths: readonly string[], loaded: LoadedManifest, opts: LintFilesOptions = {}): AsyncGenerator<FileLintResult> {
  const isIncluded = createIncludeMatcher(loaded);
  const walk = withoutManifest(walkFiles(paths, { isIncluded, isExcludedDirectory: createDirectoryExcluder(loaded), onNote: opts.onNote }), loaded);
  const first: string[] = [];
  let walkDone = false;
  while (first.length < IN_PROCESS_LIMIT) {
    const n = await walk.next();
    if (n.done) {
      walkDone = true;
      break;
    }
    first.push(n.value);
  }
  const workers = opts.workers ?? Math.max(1, (os.availableParallelism?.() ?? os.cpus().length) - 0);
  if (walkDone || workers === 0) {
    const linter = createLinter(loaded, opts, isIncluded);
    let done = 0;
    const found = () => first.length + done;
    for (const f of first) {
      yield lintFile(linter, f, opts.maxFileBytes);
      opts.onProgress?.(++done, first.length);
    }
    if (!walkDone) {
      for await (const f of walk) {
        yield lintFile(linter, f, opts.maxFileBytes);
        opts.onProgress?.(++done, found());
      }
    }
    return;
  }
  yield* runPool(first, walk, loaded, opts, workers);
}

async function* runPool(first: string[], walk: AsyncGenerator<string>, loaded: LoadedManifest, opts: LintFilesOptions, count: number): AsyncGenerator<FileLintResult> {
  const data: LintWorkerData = {
    bqmigrateLintWorker: true,
    manifestFile: loaded.file,
    manifestText: loaded.text,
    rules: opts.rules,
    today: opts.today?.toISOString(),
    maxFileBytes: opts.maxFileBytes,
  };
  // Files carry their walk order; results are handed out in that order, so output is deterministic and streamable.
  const queue: { seq: number; file: string }[][] = [];
  const pending: { seq: number; file: string }[] = first.map((file, seq) => ({ seq, file }));
  let walking = true;
  let found = first.length;
  let done = 0;
  let nextSeq = 0;
  const finished = new Map<number, FileLintResult>();
  const ready: FileLintResult[] = [];
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const settle = (items: { seq: number }[], results: FileLintResult[]) => {
    items.forEach((it, k) => finished.set(it.seq, results[k]!));
    done += items.length;
    while (finished.has(nextSeq)) {
      ready.push(finished.get(nextSeq)!);
      finished.delete(nextSeq++);
    }
    notify();
  };
  let fallback: ReturnType<typeof createLinter> | undefined;
  const inProcess = (items: { seq: number; file: string }[]) => {
    fallback ??= createLinter(loaded, opts, createIncludeMatcher(loaded));
    settle(items, items.map((it) => lintFile(fallback!, it.file, opts.maxFileBytes)));
  };

  interface Slot { worker: Worker; busy: number; alive: boolean; inflight: Map<number, { seq: number; file: string }[]> }
  let nextId = 0;
  const slots: Slot[] = [];
  const dispatch = () => {
    while (pending.length >= BATCH || (!walking && pending.length > 0)) queue.push(pending.splice(0, BATCH));
    for (const s of slots) {
      while (s.alive && s.busy < 2 && queue.length > 0) {
        const items = queue.shift()!;
        const id = nextId++;
        s.inflight.set(id, items);
        s.busy++;
        s.worker.postMessage({ id, files: items.map((it) => it.file) });
      }
    }
    if (queue.length > 0 && slots.every((s) => !s.alive)) inProcess(queue.splice(0).flat());
  };
  for (let i = 0; i < count; i++) {
    const worker = new Worker(opts.workerScript ?? defaultWorkerScript(), { workerData: data });
    const slot: Slot = { worker, busy: 0, alive: true, inflight: new Map() };
    const die = (why: string) => {
      if (!slot.alive) return;
      slot.alive = false;
      opts.onNote?.('(lint worker)', `a lint worker stopped (${why}); its files are linted in-process`);
      const lost = [...slot.inflight.values()].flat();
      slot.inflight.clear();
      void worker.terminate();
      if (lost.length) inProcess(lost);
      dispatch();
    };
    worker.on('message', (msg: LintWorkerReply) => {
      if ('fatal' in msg) return die(msg.fatal);
      if ('ready' in msg) return;
      const items = slot.inflight.get(msg.id) ?? [];
      slot.inflight.delete(msg.id);
      slot.busy--;
      settle(items, isPacked(msg.results) ? decodeResults(msg.results) : msg.results);
      dispatch();
    });
    worker.on('error', (err) => die(err.message));
    worker.on('exit', (code) => {
      if (slot.alive && slot.inflight.size > 0) die(`exit code ${code}`);
    });
    slots.push(slot);
  }

  const feed = (async () => {
    for await (const f of walk) {
      pending.push({ seq: found, file: f });
      found++;
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
      opts.onProgress?.(done, found);
      yield* batch;
    }
    await feed;
  } finally {
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
