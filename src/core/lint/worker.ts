/**
 * Worker-thread side of the lint pool. Loaded either as its own file (tsc output, tsx, or the slim
 * dist/lint-worker.js bundle esbuild builds from this file) or as part of a bundle that contains the
 * pool, where the pool starts that bundle itself as the worker; the `bqmigrateLintWorker` flag tells
 * them apart. The main thread has already validated the manifest and sends it as data, so this file
 * needs neither the manifest parser nor zod.
 */
import * as os from 'node:os';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { LoadedManifest } from '../manifest/load';
import type { Severity } from '../manifest/schema';
import type { RuleId } from '../rules/types';
import { COUNT_FIELDS, countInto, eslintJsonPieces } from './eslint-json';
import { lintFile, readIdentityOf, type FileLintResult } from './file-lint';
import { createIncludeMatcher } from './globs';
import { createLinter } from './linter';
import { encodeResults, type PackedResults } from './transfer';
import { encodeCachedResult } from './cache-codec';
import { claimNext, type Claim } from './claims';
import type { UnscannedReason } from './unscanned';
import type { KeptWorkerData, LintWorkerSetup } from './kept-workers';

/**
 * How results come back: as results (`results`), as ESLint JSON text plus counts (`eslint-json`), or as
 * that plus each file's packed result (`cache`: the lint cache's entries, written here, not on the main thread).
 */
export type LintRender = 'results' | 'eslint-json' | 'cache';

export interface LintWorkerData {
  bqmigrateLintWorker: true;
  /** The validated manifest (its JSONC tree is not needed for linting and is not sent). */
  loaded: Omit<LoadedManifest, 'tree'>;
  rules?: Partial<Record<RuleId, Severity>>;
  today?: string;
  maxFileBytes?: number;
  render?: LintRender;
  /** Results carry their resolved references (FileLintResult.references). */
  references?: boolean;
  /** The thread that started the pool must stay responsive (the editor's extension host): run at a lower priority. */
  background?: boolean;
}

/**
 * Lowers this worker thread's priority (nice 10): on Linux a nice value belongs to the thread, so the
 * thread that started the pool, which still has to answer (the extension host's), wins the cores it
 * shares with its workers. Elsewhere the call would lower the whole process: nothing is done.
 */
function runInBackground(): void {
  if (process.platform !== 'linux') return;
  try {
    os.setPriority(BACKGROUND_NICE);
  } catch {
    /* not allowed: the worker runs at the usual priority */
  }
}

const BACKGROUND_NICE = 10;

/**
 * A batch rendered as ESLint JSON: for each file, `,` + its JSON object, UTF-8, one after another in
 * `bytes` (nothing for skipped files) ending at `ends[k]`; `counts` holds COUNT_FIELDS numbers per file.
 */
export interface RenderedBatch {
  bytes: Uint8Array;
  ends: Int32Array;
  counts: Int32Array;
  notes: (string | undefined)[];
  /** Why each skipped file was not read (with its note). */
  unscanned: (UnscannedReason | undefined)[];
}

/** A batch to lint: the worker lints the files it claims (claims.ts), from the first, until none is left for it. */
export type LintWorkerRequest = { id: number; files: string[]; claim: Claim };

/** The request's files this worker lints, in order, each claimed as the worker starts on it. */
function* claimedFiles(req: LintWorkerRequest): Generator<string> {
  for (let k = claimNext(req.claim); k >= 0; k = claimNext(req.claim)) yield req.files[k]!;
}
/** Each file's packed result (cache-codec.ts), one after another in `bytes`, the k-th ending at `ends[k]`. */
export interface PackedBatch {
  bytes: Uint8Array;
  ends: Int32Array;
  /** Per file, what fstat said before the worker read it — size, mtime (ms), inode — or NaN three times (not opened). */
  identities: Float64Array;
}

export type LintWorkerReply = { id: number; results: FileLintResult[] | PackedResults } | { id: number; rendered: RenderedBatch; packed?: PackedBatch } | { ready: true } | { fatal: string };

const encoder = new TextEncoder();
/**
 * Where a worker writes its batches, one after another: each is copied out at its size when it is sent. A
 * buffer of at least 64 KiB made afresh for every batch and handed over cost its page faults each time.
 * A batch that grows it keeps the larger buffer for the next, up to `WORK_BYTES_KEPT`.
 */
let workBytes = new Uint8Array(1 << 16);
const WORK_BYTES_KEPT = 4 << 20;
/**
 * Where a one-off render (`renderEslintJson`) starts. Those are made a file at a time (a small run linted
 * in-process, a lint cache entry, a spliced run memo) and live on in what views them, so each buffer fits
 * what it holds: a fresh 64 KiB buffer a file cost ~0.15 ms of page faults and 64 KiB kept per entry.
 */
const ONE_OFF_BYTES = 1024;

/**
 * Builds a RenderedBatch file by file, so a worker can drop each file's violations as soon as they are
 * written: only bytes stay alive across the batch, which keeps the young-generation collections cheap.
 */
export class EslintJsonBatch {
  private bytes: Uint8Array;
  private length = 0;
  private readonly ends: number[] = [];
  private readonly counts: number[] = [];
  private readonly notes: (string | undefined)[] = [];
  private readonly unscanned: (UnscannedReason | undefined)[] = [];

  /** `reused`: a worker's batch, written into the worker's one buffer and copied out; else a one-off render. */
  constructor(private readonly reused = true) {
    this.bytes = reused ? workBytes : new Uint8Array(ONE_OFF_BYTES);
  }

  add(r: FileLintResult): void {
    const k = this.ends.length;
    for (let i = 0; i < COUNT_FIELDS; i++) this.counts.push(0);
    countInto(r, this.counts, k * COUNT_FIELDS);
    this.notes.push(r.note);
    this.unscanned.push(r.unscanned);
    if (!r.note) {
      // JSON.stringify writes flat strings fastest; encodeInto copies each piece out as UTF-8 (lone surrogates are escaped already).
      this.reserve(1);
      this.bytes[this.length++] = 0x2c; // ,
      for (const piece of eslintJsonPieces(r)) {
        this.reserve(piece.length * 3);
        this.length += encoder.encodeInto(piece, this.bytes.subarray(this.length)).written;
      }
    }
    this.ends.push(this.length);
  }

  private reserve(most: number): void {
    if (this.length + most <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + most));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    if (this.reused && grown.length <= WORK_BYTES_KEPT) workBytes = grown;
  }

  finish(): RenderedBatch {
    // A one-off's buffer grew for the worst case of UTF-8 (3 bytes a UTF-16 unit): copied out when it holds far less.
    const copied = this.reused || this.bytes.length > Math.max(ONE_OFF_BYTES, 2 * this.length);
    return { bytes: copied ? this.bytes.slice(0, this.length) : this.bytes.subarray(0, this.length), ends: Int32Array.from(this.ends), counts: Int32Array.from(this.counts), notes: this.notes, unscanned: this.unscanned };
  }
}

/** Renders lint results as in RenderedBatch, in a buffer of at most 1 KiB or twice what it holds (small runs in-process, cache entries, tests). */
export function renderEslintJson(results: readonly FileLintResult[]): RenderedBatch {
  const batch = new EslintJsonBatch(false);
  for (const r of results) batch.add(r);
  return batch.finish();
}

/** A linter for the run's settings; undefined (and the reason sent as `fatal`) when they cannot make one. */
function linterFor(data: Omit<LintWorkerData, 'bqmigrateLintWorker'>): ReturnType<typeof createLinter> | undefined {
  const loaded: LoadedManifest = { ...data.loaded, tree: undefined };
  try {
    return createLinter(loaded, { rules: data.rules, today: data.today ? new Date(data.today) : undefined }, createIncludeMatcher(loaded));
  } catch (err) {
    parentPort!.postMessage({ fatal: (err as Error).message } satisfies LintWorkerReply);
    return undefined;
  }
}

/** Lints a batch's claimed files with `data`'s settings and posts the reply. */
function lintBatch(req: LintWorkerRequest, data: Omit<LintWorkerData, 'bqmigrateLintWorker'>, linter: ReturnType<typeof createLinter>): void {
  if (data.render === 'eslint-json' || data.render === 'cache') {
    const batch = new EslintJsonBatch();
    const packed: Uint8Array[] | undefined = data.render === 'cache' ? [] : undefined;
    const all = packed ? new Float64Array(3 * req.files.length).fill(NaN) : undefined;
    let k = 0;
    for (const f of claimedFiles(req)) {
      const r = lintFile(linter, f, data.maxFileBytes, data.references);
      batch.add(r);
      if (packed) {
        packed.push(encodeCachedResult(r));
        const id = readIdentityOf(f);
        if (id) all!.set([id.size, id.mtimeMs, id.ino], 3 * k);
      }
      k++;
    }
    const identities = all?.slice(0, 3 * k);
    const rendered = batch.finish();
    const transfer = [rendered.bytes.buffer as ArrayBuffer, rendered.ends.buffer as ArrayBuffer, rendered.counts.buffer as ArrayBuffer];
    if (!packed) return parentPort!.postMessage({ id: req.id, rendered } satisfies LintWorkerReply, transfer);
    const ends = new Int32Array(packed.length);
    for (let k = 0, end = 0; k < packed.length; k++) ends[k] = end += packed[k]!.length;
    const bytes = new Uint8Array(ends.length > 0 ? ends[ends.length - 1]! : 0);
    for (let k = 0; k < packed.length; k++) bytes.set(packed[k]!, k > 0 ? ends[k - 1]! : 0);
    parentPort!.postMessage({ id: req.id, rendered, packed: { bytes, ends, identities: identities! } } satisfies LintWorkerReply, [...transfer, ends.buffer, bytes.buffer, identities!.buffer]);
    return;
  }
  const results = Array.from(claimedFiles(req), (f) => lintFile(linter, f, data.maxFileBytes, data.references));
  const packed = encodeResults(results);
  if (packed) parentPort!.postMessage({ id: req.id, results: packed } satisfies LintWorkerReply, [packed.ints.buffer as ArrayBuffer]);
  else parentPort!.postMessage({ id: req.id, results } satisfies LintWorkerReply);
}

/** A worker of one run: its settings came with it. */
function startWorker(data: LintWorkerData): void {
  if (data.background) runInBackground();
  const linter = linterFor(data);
  if (!linter) return;
  parentPort!.on('message', (req: LintWorkerRequest) => lintBatch(req, data, linter));
  parentPort!.postMessage({ ready: true } satisfies LintWorkerReply);
}

/**
 * A kept worker (kept-workers.ts): each run's settings come before its batches, and the linter is built
 * again only when they, or the day, differ from the last run's. A batch that comes without settings that made a linter
 * is answered empty: the pool lints those files itself once the `fatal` it was sent stops this worker.
 */
function startKeptWorker(background: boolean): void {
  if (background) runInBackground();
  let data: LintWorkerSetup['setup'] | undefined;
  let key = '';
  let linter: ReturnType<typeof createLinter> | undefined;
  parentPort!.on('message', (msg: LintWorkerRequest | LintWorkerSetup) => {
    if ('setup' in msg) {
      // A linter without a set day takes today's when it is made (the shims' grace periods count in UTC days):
      // one kept from yesterday is made again.
      const next = JSON.stringify(msg.setup) + (msg.setup.today === undefined ? new Date().toISOString().slice(0, 10) : '');
      if (next === key && linter) return void (data = msg.setup);
      [data, key] = [msg.setup, next];
      linter = linterFor(msg.setup);
      return;
    }
    if (data && linter) return lintBatch(msg, data, linter);
    parentPort!.postMessage({ id: msg.id, results: [] } satisfies LintWorkerReply);
  });
}

if (!isMainThread) {
  const data = workerData as Partial<LintWorkerData & KeptWorkerData> | undefined;
  if (data?.bqmigrateLintWorker) {
    if (data.kept) startKeptWorker(data.background === true);
    else startWorker(data as LintWorkerData);
  }
}
