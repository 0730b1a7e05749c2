/**
 * What the lint pool hands out, and how each kind is made: results as they are (`asResults`), a file's
 * object of ESLint's JSON output already written as UTF-8 (`asEslintJson`), and either of them through
 * the lint cache (`throughCache`: workers write the cache entries, the main thread stores their bytes).
 */
import type { CachedLint, LintCache } from './cache';
import { COUNT_FIELDS } from './eslint-json';
import { readIdentityOf, type FileLintResult } from './file-lint';
import { decodeResults, isPacked } from './transfer';
import type { UnscannedReason } from './unscanned';
import { renderEslintJson, type LintRender, type LintWorkerReply, type RenderedBatch } from './worker';

/** One file's lint result as ESLint JSON (see `lintFilesAsEslintJson`). */
export interface EslintJsonFileResult {
  filePath: string;
  /** Set when the file was skipped, with `unscanned`; `json` is then empty. */
  note?: string;
  unscanned?: UnscannedReason;
  /** `,` followed by the file's object of ESLint's JSON output (what `JSON.stringify(toEslintResult(r))` gives), UTF-8. */
  json: Uint8Array;
  /** errors, warnings, infos, fixable errors, fixable warnings (as `countViolations` counts them). */
  counts: Int32Array | readonly number[];
}

/** What results turn into, in-process and when they come back from a worker. */
export interface Output<T> {
  render: LintRender;
  local(results: FileLintResult[]): T[];
  fromWorker(msg: LintWorkerReply & { id: number }, files: readonly string[]): T[];
  /** A cache hit as T; throws when the entry does not read back. */
  fromCache(hit: CachedLint): T;
}

export const asResults: Output<FileLintResult> = {
  render: 'results',
  local: (results) => results,
  fromWorker: (msg) => ('results' in msg ? (isPacked(msg.results) ? decodeResults(msg.results) : msg.results) : []),
  fromCache: (hit) => hit.result(),
};

/**
 * With a cache, workers write each file's cache entry (its ESLint JSON and packed result), which is
 * stored as bytes and then turned into T as a hit would be: the main thread neither renders nor keeps
 * result objects.
 */
export function throughCache<T>(output: Output<T>, cache: LintCache): Output<T> {
  return {
    render: 'cache',
    // Linted in this thread just now: each file's identity is what its read saw.
    local: (results) => results.map((r) => output.fromCache(cache.store(r, readIdentityOf(r.filePath)))),
    fromWorker: (msg, files) => {
      if (!('rendered' in msg) || !msg.packed) return asResults.fromWorker(msg, files).map((r) => output.fromCache(cache.store(r)));
      const packed = msg.packed;
      const ids = packed.identities;
      return splitRendered(msg.rendered, files).map((e, k) => {
        const read = Number.isNaN(ids[3 * k]) ? undefined : { size: ids[3 * k]!, mtimeMs: ids[3 * k + 1]!, ino: ids[3 * k + 2]! };
        return output.fromCache(cache.storeEncoded(e.filePath, e.json, packed.bytes.subarray(k > 0 ? packed.ends[k - 1]! : 0, packed.ends[k]!), e.counts, e.note, e.unscanned, read));
      });
    },
    fromCache: output.fromCache,
  };
}

/** The cached lint of a file, as T, or undefined when the file must be linted. */
export function cachedOf<T>(file: string, cache: LintCache | undefined, output: Output<T>, onNote?: (file: string, note: string) => void): T | undefined {
  const hit = cache?.lookup(file);
  if (!hit) return undefined;
  try {
    return output.fromCache(hit);
  } catch (err) {
    onNote?.(file, `its lint cache entry is damaged (${(err as Error).message}); linted again`);
    cache!.reject(file);
    return undefined;
  }
}

function splitRendered(b: RenderedBatch, files: readonly string[]): EslintJsonFileResult[] {
  const out: EslintJsonFileResult[] = [];
  let start = 0;
  for (let k = 0; k < files.length; k++) {
    const end = b.ends[k]!;
    const r: EslintJsonFileResult = { filePath: files[k]!, json: b.bytes.subarray(start, end), counts: b.counts.subarray(k * COUNT_FIELDS, (k + 1) * COUNT_FIELDS) };
    if (b.notes[k] !== undefined) {
      r.note = b.notes[k];
      r.unscanned = b.unscanned[k];
    }
    out.push(r);
    start = end;
  }
  return out;
}

export const asEslintJson: Output<EslintJsonFileResult> = {
  render: 'eslint-json',
  local: (results) => splitRendered(renderEslintJson(results), results.map((r) => r.filePath)),
  fromWorker: (msg, files) => ('rendered' in msg ? splitRendered(msg.rendered, files) : []),
  fromCache: (hit) => {
    const json = hit.json;
    if (json.length > 0 && (json[json.length - 1] !== 0x7d || !startsWith(json, `,{"filePath":${JSON.stringify(hit.filePath)}`))) throw new Error('its ESLint JSON is not this file\'s');
    const r: EslintJsonFileResult = { filePath: hit.filePath, json, counts: hit.counts };
    if (hit.note !== undefined) {
      r.note = hit.note;
      r.unscanned = hit.unscanned;
    }
    return r;
  },
};

/** Whether the UTF-8 bytes start with `prefix` (compared in place for ASCII, the usual path). */
function startsWith(bytes: Uint8Array, prefix: string): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    const c = prefix.charCodeAt(i);
    if (c >= 0x80) {
      const p = Buffer.from(prefix);
      return bytes.length >= p.length && p.equals(bytes.subarray(0, p.length));
    }
    if (bytes[i] !== c) return false;
  }
  return true;
}

/** One file's result in a worker's reply, made (with the rest of the reply) when it is first taken. */
export class Deferred<T> {
  constructor(
    private readonly reply: { results?: T[]; make(): T[] },
    private readonly k: number,
  ) {}

  get(): T {
    return (this.reply.results ??= this.reply.make())[this.k]!;
  }
}

/** A reply's results, each made (all of them, once) when the first is taken: the editor's thread turns a batch into results as it hands them out. */
export function deferred<T>(make: () => T[], n: number): Deferred<T>[] {
  const reply: { results?: T[]; make(): T[] } = { make };
  return Array.from({ length: n }, (_, k) => new Deferred(reply, k));
}
