/**
 * The walk cache (`lint --cache` with the metadata strategy): what the walk decided in each folder — the
 * files to lint, the folders to enter, every skip with its reason — kept while the folder's mtime and the
 * .gitignore files in force there are unchanged, so that a warm run stats each folder instead of listing
 * it and judging every entry again.
 *
 * Why that is enough: creating, removing or renaming an entry changes its folder's mtime; a .gitignore
 * edited in place changes the fingerprint of the rules in force (each is read again); the manifest's
 * globs and location are in the lint cache's key, whose change starts this cache afresh too. Folders with
 * a symbolic link (its target can change), a bqmigrate temp file (whether its writer is alive changes) or
 * a special file are listed every time. A listing is kept only when the folder's mtime is more than
 * RACY_MS older than the moment it was listed: an entry added within the filesystem's timestamp step of
 * the listing could leave the mtime as it was (the racy case git and ESLint know), and is then seen by
 * the next run, which lists the folder again. An mtime set back on purpose (`touch -d`, an archive
 * restoring old times) hides a new entry from this cache, as it hides an edit from the metadata strategy;
 * `--cache-strategy content` never uses it.
 *
 * Kept beside the lint cache as `<cache file>.folders`: a magic line, the cache key's id (16 bytes), the
 * SHA-1 of the body (20 bytes), the body (JSON: folder path → record). Written whole through the atomic
 * writer when a record changed; a damaged one is discarded with a warning.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeGeneratedFile, writeGeneratedFileAsync } from '../fix/write';
import { keyedFileParts, readKeyedFile } from './keyed-file';
import type { UnscannedReason } from './unscanned';

const MAGIC = Buffer.from('bqmigrate folder cache 1\n', 'latin1');
/** A folder whose mtime is within this of its listing is listed again next time (coarse filesystem clocks step up to 2 s). */
export const RACY_MS = 3000;

/** One entry of a folder as the walk decided it: a file to lint (its name), a folder to enter ([name]), or a skip. */
export type FolderItem = string | [name: string] | [name: string, reason: UnscannedReason, detail: string, folder: 0 | 1];

export interface FolderRecord {
  /** The folder's mtime (ms) when listed. */
  m: number;
  /** The fingerprint of the .gitignore rules in force in it (its own included). */
  g: string;
  /** 1 when it has its own .gitignore. */
  o: 0 | 1;
  i: FolderItem[];
}

export class FolderCache {
  /** By folder path (a Map: the walk's fresh path strings hash once, and keep their hash for the lookups after). */
  private records = new Map<string, FolderRecord>();
  /** Folders reached this run (records of the others are kept while the folder exists). */
  private readonly visited = new Set<FolderRecord>();
  private dirty = false;
  /** Folders the walk took from a record this run instead of listing them (for the editor's scan statistics). */
  reused = 0;

  private constructor(
    readonly file: string,
    private readonly keyId: Buffer,
  ) {}

  /** Reads the folder cache at `file` for the lint cache key `keyId`; another key's is stale, a damaged one said through `warn`. */
  static open(file: string, keyId: Buffer, warn: (message: string) => void): FolderCache {
    const cache = new FolderCache(file, keyId);
    const damaged = (why: string) => {
      warn(`${path.basename(file)}: ${why}: discarded, the folders are listed again and it is written anew`);
      cache.dirty = true;
      return cache;
    };
    const read = readKeyedFile(file, MAGIC, keyId, 'bqmigrate folder cache');
    if (read.state === 'missing') return cache;
    if (read.state === 'unreadable') {
      warn(`${path.basename(file)}: cannot be read (${read.why}): the folders are listed again`);
      return cache;
    }
    if (read.state === 'damaged') return damaged(read.why);
    if (read.state === 'stale') {
      cache.dirty = true; // another manifest, rule set, day or bqmigrate: stale
      return cache;
    }
    const body = read.body;
    try {
      const parsed = JSON.parse(body.toString('utf8')) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return damaged('it is not a folder cache');
      cache.records = new Map(Object.entries(parsed as Record<string, FolderRecord>));
    } catch (err) {
      return damaged(`it is not JSON (${(err as Error).message})`);
    }
    return cache;
  }

  /**
   * The record of `dir` when its mtime is still `mtimeMs`, else undefined (list it). The caller then checks
   * the .gitignore rules in force (`g`, with the folder's own when `o` says it has one).
   */
  get(dir: string, mtimeMs: number): FolderRecord | undefined {
    const r = this.records.get(dir);
    if (r === undefined) return undefined;
    this.visited.add(r);
    return r.m === mtimeMs && Array.isArray(r.i) ? r : undefined;
  }

  /** Keeps what the walk decided in `dir` (listed at `listedAt`, ms), or forgets it (`record` undefined: not cacheable). */
  put(dir: string, listedAt: number, record: FolderRecord | undefined): void {
    const keep = record !== undefined && record.m < listedAt - RACY_MS ? record : undefined;
    if (keep === undefined) {
      if (this.records.delete(dir)) this.dirty = true;
      return;
    }
    this.visited.add(keep);
    this.records.set(dir, keep);
    this.dirty = true;
  }

  /** Writes the records when one changed; records of folders not reached this run are kept while the folder exists. */
  save(): void {
    if (!this.dirty) return;
    for (const [dir, r] of this.records) {
      if (!this.visited.has(r) && !fs.existsSync(dir)) this.records.delete(dir);
    }
    writeGeneratedFile(this.file, this.encode(), { durable: false });
    this.dirty = false;
  }

  /** `save` with the checks and the write on libuv's thread pool. */
  async saveAsync(): Promise<void> {
    if (!this.dirty) return;
    const unvisited = [...this.records].filter(([, r]) => !this.visited.has(r)).map(([dir]) => dir);
    const exists = await Promise.all(unvisited.map((dir) => fs.promises.access(dir).then(() => true, () => false)));
    unvisited.forEach((dir, k) => {
      if (!exists[k]) this.records.delete(dir);
    });
    await writeGeneratedFileAsync(this.file, this.encode(), { durable: false });
    this.dirty = false;
  }

  private encode(): Uint8Array[] {
    return keyedFileParts(MAGIC, this.keyId, Buffer.from(JSON.stringify(Object.fromEntries(this.records))));
  }
}

/** The fingerprint of a list of .gitignore files in force: each one's folder and the SHA-1 of its text. */
export function ignoreFingerprint(layers: readonly { id: string }[]): string {
  let s = '';
  for (let k = 0; k < layers.length; k++) s += (k ? '\n' : '') + layers[k]!.id;
  return s;
}

export function ignoreId(base: string, text: string): string {
  return `${base}\0${createHash('sha1').update(text).digest('hex')}`;
}
