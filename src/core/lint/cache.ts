/**
 * The lint cache (`lint --cache`, and the editor's first scan): each file's lint result, kept under the
 * file's absolute path with what identifies its content — size, modification time (ns) and inode for the
 * `metadata` strategy, a SHA-1 of the bytes for `content` — as ESLint keeps its cache. The whole cache
 * belongs to one key (cacheKeyOf: the manifest's path and text, rule overrides, the size limit, today's
 * date for shim grace periods, bqmigrate's version and build); entries of another key are dropped.
 *
 * The file is a log of batches (cache-file.ts): a run that changed a few entries appends them (and drops
 * gone files with a tombstone) in one atomic append; a run that finds the file stale, damaged, or more
 * than half garbage writes it whole through the one atomic writer (temp file + rename); the editor saves
 * the same way without holding its thread (`saveAsync`). Each entry keeps
 * its ESLint JSON bytes (what `--format json` copies out unchanged) and its packed result
 * (cache-codec.ts; for the other formats and the editor), read only when a run needs them. A file that is
 * not a whole cache — wrong magic, a head or index that does not parse, lengths that do not add up
 * (truncated) — is discarded with a warning; a torn last update (a run killed while appending, or one
 * still appending) is dropped with a warning and the batches before it kept; a batch whose stored results
 * do not match their checksum is not used (its files are linted again): a damaged cache costs time,
 * never a result.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type { LoadedManifest } from '../manifest/load';
import type { Severity } from '../manifest/schema';
import type { RuleId } from '../rules/types';
import { writeGeneratedFile, writeGeneratedFileAsync } from '../fix/write';
import { appendBatch, appendBatchAsync, encodeBatch, isTombstone, keyIdOf, MAGIC, readCacheFile, type Batch, type Row, type Tombstone } from './cache-file';
import { encodeCachedResult } from './cache-codec';
import { CachedLint, hasFindings } from './cache-entry';
import { COUNT_FIELDS } from './eslint-json';
import type { FileLintResult } from './file-lint';
import { identify, sameFile, type Identity, type ReadStat } from './cache-identity';
import type { UnscannedReason } from './unscanned';
import { runNow, runSliced } from './turns';
import { FolderCache } from './walk-cache';

export { CachedLint };
export type { ReadStat };
import { renderEslintJson } from './worker';

export type CacheStrategy = 'metadata' | 'content';
export const CACHE_STRATEGIES: readonly CacheStrategy[] = ['metadata', 'content'];

/** Garbage (entries replaced or dropped, other keys) beyond this share of the file makes the next write a rewrite. */
const MAX_GARBAGE = 0.5;
/** Appended batches beyond this many make the next write a rewrite (each costs a read at open). */
const MAX_BATCHES = 64;
/** Entries a save handles between two chances to give the event loop a turn (`saveAsync`). */
const STEP = 256;
/** Saves of each cache file under way in this process (`saveAsync`), the newest last. */
const savesInFlight = new Map<string, Promise<void>>();

/** Everything besides a file's own content that its lint result depends on. */
export function cacheKeyOf(loaded: Pick<LoadedManifest, 'file' | 'text'>, opts: { rules?: Partial<Record<RuleId, Severity>>; maxFileBytes?: number; today?: Date; tool: string }): string {
  const rules = Object.entries(opts.rules ?? {}).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const today = (opts.today ?? new Date()).toISOString().slice(0, 10); // shim grace periods count in UTC days
  return createHash('sha256').update(JSON.stringify([MAGIC.toString('latin1'), opts.tool, buildStamp(), loaded.file, loaded.text, rules, opts.maxFileBytes ?? null, today])).digest('hex');
}

/** The running bundle's size and mtime: a rebuild of the same version still starts a fresh cache. */
export function buildStamp(): string {
  try {
    const st = fs.statSync(__filename);
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return '';
  }
}

interface Entry {
  id: Identity;
  lint: CachedLint;
  /** The batch its bytes are in, for an entry read from the file. */
  batch?: Batch;
  /** Looked up this run (an entry not looked up is kept while its file exists). */
  seen?: boolean;
}

/**
 * An entry as read from the file, left as it is when used: a hit hands out a CachedLint over its bytes
 * and keeps nothing (a warm run uses each entry once, and every object it keeps is work for the collector).
 */
interface StoredEntry {
  row: Row;
  batch: Batch;
  /** Where its ESLint JSON and packed result start in the batch's regions. */
  json: number;
  result: number;
  seen?: boolean;
}

const isStored = (e: Entry | StoredEntry): e is StoredEntry => 'row' in e;
/** Bytes an entry takes in the file (its payload and its share of its batch's head, index and trailer). */
const sizeOf = (e: Entry | StoredEntry): number => (isStored(e) ? e.row[5] + e.row[6] : e.lint.size) + (e.batch?.overheadPerRow ?? 0);

function lintOf(s: StoredEntry): CachedLint {
  const [file, , , , , jsonLength, resultLength, counts, note, unscanned] = s.row;
  return new CachedLint(file, counts, note || undefined, (unscanned || undefined) as UnscannedReason | undefined, { region: s.batch.json, start: s.json, length: jsonLength }, { region: s.batch.results, start: s.result, length: resultLength });
}

function entryOf(s: StoredEntry): Entry {
  const [, size, mtimeMs, ino, hash] = s.row;
  return { id: { size, mtimeMs, ino, hash }, lint: lintOf(s), batch: s.batch };
}

/** Whether an entry was made for the content `now` identifies. */
function sameContent(e: Entry | StoredEntry, now: Identity, strategy: CacheStrategy): boolean {
  let size: number, mtimeMs: number, ino: number, hash: string;
  if (isStored(e)) [, size, mtimeMs, ino, hash] = e.row;
  else ({ size, mtimeMs, ino, hash } = e.id);
  if (strategy === 'content') return hash !== '' && hash === now.hash && size === now.size;
  return sameFile(now, size, mtimeMs, ino);
}

/** Results that say nothing lasting about the file: it may be readable next time with the same size and mtime. */
const TRANSIENT = new Set(['unreadable', 'not-a-file']);

export class LintCache {
  private readonly entries = new Map<string, Entry | StoredEntry>();
  /**
   * Files looked up and missed, with their identity then (null: not stat'ed — no entry to compare with; the
   * read that lints it gives its identity): stored once linted.
   */
  private readonly probes = new Map<string, Identity | null>();
  /** Entries stored or dropped since the file was read: what an append writes (null: dropped). */
  private readonly changed = new Map<string, Entry | null>();
  /** The next write rewrites the file whole (none yet, stale, damaged, or too much garbage). */
  private rewrite = false;
  /** Bytes of the file as read, and of entries in it that later ones replaced or dropped (or another key's). */
  private fileBytes = 0;
  private garbage = 0;
  private batches = 0;
  private fd: number | undefined;
  private readonly keyId: Buffer;
  private warn: (message: string) => void = () => {};
  /** Batches whose payload did not match its checksum (said once each). */
  private readonly damaged = new Set<Batch>();
  /** Bytes of the files looked up and missed: what is left to lint (counted up to `countMissedBytesUpTo`). */
  missedBytes = 0;
  /**
   * Set by a caller whose fresh lints come back with what their read saw (`store`/`storeEncoded` with
   * `read`, as the lint pool's do): a file without an entry is then not stat'ed at lookup (metadata
   * strategy) — there is nothing to compare, and the lint's own fstat before its read gives the identity it
   * is kept under: one system call per new file instead of three. Files whose lint comes back without
   * `read` are then not kept (linted again next time, never wrong).
   */
  readsIdentify = false;
  /** With `readsIdentify`: files without an entry are still stat'ed until this many missed bytes are counted (the pool decides by them whether to start workers). */
  countMissedBytesUpTo = 0;
  /** Identities a walk already took (walk-record.ts: the run memo's check): the metadata strategy does not stat these files again. */
  walked: ReadonlyMap<string, Identity | undefined> | undefined;
  /**
   * What the walk decided per folder, kept beside the cache as `<file>.folders` (walk-cache.ts); only with
   * the metadata strategy, which trusts folder mtimes as it trusts file mtimes.
   */
  folders: FolderCache | undefined;

  private constructor(
    readonly file: string,
    readonly key: string,
    readonly strategy: CacheStrategy,
  ) {
    this.keyId = keyIdOf(key);
  }

  /**
   * Reads the cache at `file` for `key`; a damaged one is reported through `warn` and starts empty. `folders`:
   * its walk cache, when the caller opened it already (`openFolders`).
   */
  static open(file: string, key: string, strategy: CacheStrategy, warn: (message: string) => void, folders?: FolderCache): LintCache {
    const cache = new LintCache(file, key, strategy);
    cache.warn = warn;
    if (strategy === 'metadata') cache.folders = folders ?? LintCache.openFolders(file, key, warn);
    try {
      cache.fd = fs.openSync(file, 'r');
      cache.load(cache.fd, warn);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') warn(`cannot be read (${code ?? (err as Error).message}): discarded, the files are linted again and the cache is written anew`);
      cache.entries.clear();
      cache.rewrite = true;
    }
    return cache;
  }

  /** The walk cache kept beside the cache at `file` for `key` (the metadata strategy's). */
  static openFolders(file: string, key: string, warn: (message: string) => void): FolderCache {
    return FolderCache.open(`${file}.folders`, keyIdOf(key), warn);
  }

  /**
   * The identities the files' entries are kept under — after a run looked the files up and stored their lints,
   * what the results it printed were made from — as size, mtime and inode, three per file; undefined when a
   * file has no entry (its lint was not kept).
   */
  identitiesOf(files: readonly string[]): Float64Array | undefined {
    const out = new Float64Array(3 * files.length);
    for (let k = 0; k < files.length; k++) {
      const e = this.entries.get(files[k]!);
      if (e === undefined) return undefined;
      if (isStored(e)) {
        out[3 * k] = e.row[1];
        out[3 * k + 1] = e.row[2];
        out[3 * k + 2] = e.row[3];
      } else {
        out[3 * k] = e.id.size;
        out[3 * k + 1] = e.id.mtimeMs;
        out[3 * k + 2] = e.id.ino;
      }
    }
    return out;
  }

  /** Fills the entries from the batches of a cache file, later batches over earlier ones. */
  private load(fd: number, warn: (message: string) => void): void {
    const read = readCacheFile(fd, this.keyId);
    if (read.damage !== undefined && read.tornAt === undefined) {
      warn(`${read.damage}: discarded, the files are linted again and the cache is written anew`);
      this.rewrite = true;
      return;
    }
    if (read.tornAt !== undefined) {
      if (read.incomplete) warn(`${read.damage}: another run is still adding to it, or one was stopped while adding to it; that part is not used and the cache is written anew`);
      else warn(`${read.damage}, after a whole cache (a run was stopped while adding to it, or the file was damaged): that part is dropped and the cache is written anew`);
      this.rewrite = true;
    }
    if (read.otherKey || read.batches.length === 0) this.rewrite = true;
    for (const batch of read.batches) {
      let j = 0;
      let r = 0;
      for (const row of batch.rows) {
        const old = this.entries.get(row[0]);
        if (old) this.garbage += sizeOf(old);
        if (isTombstone(row)) {
          this.entries.delete(row[0]);
          continue;
        }
        this.entries.set(row[0], { row, batch, json: j, result: r });
        j += row[5];
        r += row[6];
      }
      this.fileBytes += batch.bytes;
    }
    this.fileBytes += read.foreignBytes;
    this.garbage += read.foreignBytes;
    this.batches = read.batches.length;
  }

  /** A file's entry, or undefined (also when its stored bytes are damaged: then it is linted again). */
  private entry(file: string): Entry | undefined {
    const e = this.entries.get(file);
    if (e === undefined || !this.intact(e)) return undefined;
    return isStored(e) ? entryOf(e) : e;
  }

  /** Whether the entry's bytes read back as written; the first damaged batch met is said once and makes the next write a rewrite. */
  private intact(e: Entry | StoredEntry): boolean {
    const batch = e.batch;
    if (batch === undefined || batch.payload.intact()) return true;
    if (!this.damaged.has(batch)) {
      if (this.damaged.size === 0) this.warn('the stored results of an update do not match their checksum (the file was damaged): their files are linted again and the cache is written anew');
      this.damaged.add(batch);
      this.rewrite = true;
    }
    return false;
  }

  /** The cached lint of a file whose content has not changed since, or undefined (then `store` keeps its lint). */
  lookup(file: string): CachedLint | undefined {
    const e = this.entries.get(file);
    if (e === undefined && this.readsIdentify && this.strategy === 'metadata' && this.missedBytes >= this.countMissedBytesUpTo) {
      this.probes.set(file, null);
      return undefined;
    }
    const walked = this.strategy === 'metadata' ? this.walked : undefined;
    const id = walked?.has(file) ? walked.get(file) : identify(file, this.strategy === 'content');
    // A file that cannot be stat'ed (deleted since) is left unseen: saving then checks it and drops its entry.
    if (e !== undefined && id) e.seen = true;
    if (id && e && sameContent(e, id, this.strategy) && this.intact(e)) return isStored(e) ? lintOf(e) : e.lint;
    if (id) {
      this.probes.set(file, id);
      this.missedBytes += id.size;
    } else this.probes.delete(file);
    return undefined;
  }

  /**
   * Keeps a file's fresh lint, when it was looked up first, under the identity its read saw (`read`: what
   * fstat said before the lint read it; a change after that gives the file another identity, so the entry
   * is never used for other content) — or, without one, when its size and mtime did not move between the
   * lookup and now — and returns it as a CachedLint with its ESLint JSON written.
   */
  store(r: FileLintResult, read?: ReadStat): CachedLint {
    const rendered = renderEslintJson([r]);
    return this.keep(new CachedLint(r.filePath, rendered.counts.subarray(0, COUNT_FIELDS), r.note, r.unscanned, rendered.bytes, encodeCachedResult(r), r), read);
  }

  /** As `store`, for a lint the workers already wrote out: its ESLint JSON, packed result and counts. */
  storeEncoded(filePath: string, json: Uint8Array, result: Uint8Array, counts: Int32Array | readonly number[], note?: string, unscanned?: UnscannedReason, read?: ReadStat): CachedLint {
    return this.keep(new CachedLint(filePath, counts, note, unscanned, json, result), read);
  }

  private keep(lint: CachedLint, read: ReadStat | undefined): CachedLint {
    const file = lint.filePath;
    const lookedUp = this.probes.has(file);
    const before = this.probes.get(file);
    this.probes.delete(file);
    const lasting = lookedUp && !(lint.unscanned && TRANSIENT.has(lint.unscanned));
    if (lasting && read !== undefined && this.strategy === 'metadata') {
      this.set(file, { id: { size: read.size, mtimeMs: read.mtimeMs, ino: read.ino, hash: '' }, lint });
      return lint;
    }
    if (lasting && before) {
      const after = identify(file, false);
      if (after && sameFile(after, before.size, before.mtimeMs, before.ino)) {
        this.set(file, { id: before, lint });
        return lint;
      }
    }
    this.forget(file);
    return lint;
  }

  private set(file: string, entry: Entry): void {
    const old = this.entries.get(file);
    if (old) this.garbage += sizeOf(old);
    entry.seen = true;
    this.entries.set(file, entry);
    this.changed.set(file, entry);
  }

  /** Whether the last lookup of `file` missed a file that is there (changed since, new, or its entry damaged): its lint is to be stored. */
  missed(file: string): boolean {
    return this.probes.has(file);
  }

  /** The files whose entries hold findings, in the cache's order (the last run's walk): what a restart can show before its walk reaches them. */
  filesWithFindings(): string[] {
    const out: string[] = [];
    for (const [file, e] of this.entries) {
      if (hasFindings(isStored(e) ? e.row[7] : e.lint.counts)) out.push(file);
    }
    return out;
  }

  /** Drops a file's entry (a file `fix` rewrote). */
  forget(file: string): void {
    const old = this.entries.get(file);
    if (!old) return;
    this.garbage += sizeOf(old);
    this.entries.delete(file);
    this.changed.set(file, null);
  }

  /** A hit whose entry did not read back: dropped, and the file looked up again so that its fresh lint is kept. */
  reject(file: string): void {
    this.forget(file);
    this.lookup(file);
  }

  /**
   * Writes what changed: appended, or the whole cache when it must be rewritten. Entries of files this run
   * did not reach are kept while the file exists (a lint of one folder leaves the others' entries);
   * entries of deleted files are dropped.
   */
  save(): void {
    for (const [file, e] of this.entries) {
      if (!e.seen && !fs.existsSync(file)) this.forget(file);
    }
    if (this.changed.size > 0 || this.rewrite) {
      if (this.mustRewrite() || !appendBatch(this.file, runNow(this.batchOf([...this.changed])))) writeGeneratedFile(this.file, runNow(this.whole()), { durable: false });
      this.changed.clear();
      this.rewrite = false;
    }
    this.folders?.save();
    this.close();
  }

  /**
   * `save` without holding up the event loop (the editor's workspace scan): the files are checked and
   * written on libuv's thread pool, and the batch is built in slices (turns.ts). Still atomic (an append in
   * one write, or a temp file renamed over the cache). Saves of one cache file in this process run one after
   * another in the order they were asked for, so an older save never lands after a newer one.
   */
  saveAsync(): Promise<void> {
    const before = savesInFlight.get(this.file);
    const saved = (async () => {
      await before?.catch(() => undefined);
      try {
        await this.writeAsync();
      } finally {
        this.close();
      }
    })();
    savesInFlight.set(this.file, saved);
    const forget = () => {
      if (savesInFlight.get(this.file) === saved) savesInFlight.delete(this.file);
    };
    saved.then(forget, forget);
    return saved;
  }

  /** Resolves once every save of `file` asked for in this process so far has ended (open the cache after it to read what they wrote). */
  static async settled(file: string): Promise<void> {
    await savesInFlight.get(file)?.catch(() => undefined);
  }

  private async writeAsync(): Promise<void> {
    const unseen = [...this.entries].filter(([, e]) => !e.seen).map(([file]) => file);
    const exists = await Promise.all(unseen.map((file) => fs.promises.access(file).then(() => true, () => false)));
    unseen.forEach((file, k) => {
      if (!exists[k]) this.forget(file);
    });
    if (this.changed.size > 0 || this.rewrite) {
      if (this.mustRewrite() || !(await appendBatchAsync(this.file, await runSliced(this.batchOf([...this.changed]))))) await writeGeneratedFileAsync(this.file, await runSliced(this.whole()), { durable: false });
      this.changed.clear();
      this.rewrite = false;
    }
    await this.folders?.saveAsync();
  }

  /** Whether a save must write the whole cache rather than append the changes: asked for, too many batches, or too much garbage. */
  private mustRewrite(): boolean {
    let appended = 0;
    for (const entry of this.changed.values()) if (entry) appended += entry.lint.size;
    return this.rewrite || this.batches >= MAX_BATCHES || this.garbage > MAX_GARBAGE * (this.fileBytes + appended);
  }

  /** The whole cache file's bytes: the magic line and one batch of every entry that reads back. */
  private *whole(): Generator<void, Uint8Array[]> {
    const kept: [string, Entry][] = [];
    let k = 0;
    for (const file of this.entries.keys()) {
      const e = this.entry(file);
      if (e) kept.push([file, e]);
      if (++k % STEP === 0) yield;
    }
    return [MAGIC, ...(yield* this.batchOf(kept))];
  }

  private *batchOf(items: [string, Entry | null][]): Generator<void, Uint8Array[]> {
    const rows: (Row | Tombstone)[] = [];
    const jsons: Uint8Array[] = [];
    const results: Uint8Array[] = [];
    let k = 0;
    for (const [file, entry] of items) {
      if (++k % STEP === 0) yield;
      if (!entry) {
        rows.push([file]);
        continue;
      }
      const { id, lint } = entry;
      const json = lint.json;
      const result = lint.resultData;
      rows.push([file, id.size, id.mtimeMs, id.ino, id.hash, json.length, result.length, Array.from(lint.counts), lint.note ?? '', lint.unscanned ?? '']);
      jsons.push(json);
      results.push(result);
    }
    yield;
    return encodeBatch(this.keyId, rows, jsons, results);
  }

  /** Lets go of the cache file as opened (entries still read from it cannot be used afterwards). */
  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
