/**
 * The lint cache (`lint --cache`, and the editor's first scan): each file's lint result, kept under the
 * file's absolute path with what identifies its content — size, modification time (ns) and inode for the
 * `metadata` strategy, a SHA-1 of the bytes for `content` — as ESLint keeps its cache. The whole cache
 * belongs to one key (cacheKeyOf: the manifest's path and text, rule overrides, the size limit, today's
 * date for shim grace periods, bqmigrate's version and build); a cache with another key is dropped.
 *
 * One file: a magic line, the header length, a JSON header (key and one row per file: identity, counts,
 * note), then two regions: every file's ESLint JSON bytes (what `--format json` copies out unchanged),
 * then every file's packed result (cache-codec.ts; for the other formats and the editor). A region is
 * read only when a run needs it, from the file as it was opened. A file that is not a whole cache — wrong
 * magic, a header that does not parse, lengths that do not add up (truncated), an entry that does not
 * read back — is discarded with a warning and rebuilt: a damaged cache costs time, never a result.
 * It is written whole, through the one atomic writer (temp file + rename): two runs at once each leave
 * a whole cache, the last one wins.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type { LoadedManifest } from '../manifest/load';
import type { Severity } from '../manifest/schema';
import type { RuleId } from '../rules/types';
import { writeGeneratedFile } from '../fix/write';
import { decodeCachedResult, encodeCachedResult } from './cache-codec';
import { COUNT_FIELDS } from './eslint-json';
import type { FileLintResult } from './file-lint';
import type { UnscannedReason } from './unscanned';
import { renderEslintJson } from './worker';

export type CacheStrategy = 'metadata' | 'content';
export const CACHE_STRATEGIES: readonly CacheStrategy[] = ['metadata', 'content'];

const MAGIC = 'bqmigrate lint cache 2\n';
const MAGIC_BYTES = Buffer.from(MAGIC, 'latin1');
/** The header's length, as 10 decimal digits and a newline, follows the magic line. */
const LENGTH_DIGITS = 10;

/** Everything besides a file's own content that its lint result depends on. */
export function cacheKeyOf(loaded: Pick<LoadedManifest, 'file' | 'text'>, opts: { rules?: Partial<Record<RuleId, Severity>>; maxFileBytes?: number; today?: Date; tool: string }): string {
  const rules = Object.entries(opts.rules ?? {}).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const today = (opts.today ?? new Date()).toISOString().slice(0, 10); // shim grace periods count in UTC days
  return createHash('sha256').update(JSON.stringify([MAGIC, opts.tool, buildStamp(), loaded.file, loaded.text, rules, opts.maxFileBytes ?? null, today])).digest('hex');
}

/** The running bundle's size and mtime: a rebuild of the same version still starts a fresh cache. */
function buildStamp(): string {
  try {
    const st = fs.statSync(__filename);
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return '';
  }
}

/** What identifies a file's content when it was looked up (taken before it is read). */
interface Identity {
  size: number;
  mtimeNs: string;
  ino: string;
  hash: string;
}

/**
 * A row of the header: path, size, mtime ns, inode, content hash ('' unless hashed), the lengths of its
 * ESLint JSON and its packed result, its counts, and for a file not read its note and reason ('' else).
 */
type Row = [string, number, string, string, string, number, number, number[], string, string];

/** A region of the cache file as opened, read whole on first use. */
class Region {
  private bytes: Buffer | undefined;

  constructor(
    private readonly fd: number,
    private readonly offset: number,
    private readonly length: number,
  ) {}

  slice(start: number, length: number): Buffer {
    if (!this.bytes) {
      const bytes = Buffer.allocUnsafe(this.length);
      let done = 0;
      while (done < this.length) {
        const n = fs.readSync(this.fd, bytes, done, this.length - done, this.offset + done);
        if (n === 0) throw new Error('the cache file shrank while it was read');
        done += n;
      }
      this.bytes = bytes;
    }
    return this.bytes.subarray(start, start + length);
  }
}

/** Where an entry's bytes are: a region of the file opened, or fresh bytes of this run. */
type Bytes = Uint8Array | { region: Region; start: number; length: number };
const bytesOf = (b: Bytes): Uint8Array => (b instanceof Uint8Array ? b : b.region.slice(b.start, b.length));

/** One file's cached lint: its counts and note at once, its ESLint JSON and full result when asked for. */
export class CachedLint {
  private decoded: FileLintResult | undefined;

  constructor(
    readonly filePath: string,
    readonly counts: Int32Array,
    /** Why the file was not read (with `unscanned`), or undefined for a linted file. */
    readonly note: string | undefined,
    readonly unscanned: UnscannedReason | undefined,
    private readonly jsonBytes: Bytes,
    private readonly resultBytes: Bytes,
    result?: FileLintResult,
  ) {
    this.decoded = result;
  }

  /** `,` + the file's ESLint JSON object (empty for a file not read), as the lint workers write it. */
  get json(): Uint8Array {
    return bytesOf(this.jsonBytes);
  }

  /** The file's FileLintResult; throws when the stored bytes do not read back as one. */
  result(): FileLintResult {
    this.decoded ??= decodeCachedResult(bytesOf(this.resultBytes), this.filePath);
    return this.decoded;
  }

  /** Bytes of the stored result, for writing the cache again. */
  get resultData(): Uint8Array {
    return bytesOf(this.resultBytes);
  }
}

interface Entry {
  id: Identity;
  lint: CachedLint;
}

/** Results that say nothing lasting about the file: it may be readable next time with the same size and mtime. */
const TRANSIENT = new Set(['unreadable', 'not-a-file']);

export class LintCache {
  private readonly entries = new Map<string, Entry>();
  /** Files looked up and missed, with their identity then: stored under it once linted. */
  private readonly probes = new Map<string, Identity>();
  private readonly visited = new Set<string>();
  private dirty = false;
  private fd: number | undefined;

  private constructor(
    readonly file: string,
    readonly key: string,
    readonly strategy: CacheStrategy,
  ) {}

  /** Reads the cache at `file` for `key`; a damaged one is reported through `warn` and starts empty. */
  static open(file: string, key: string, strategy: CacheStrategy, warn: (message: string) => void): LintCache {
    const cache = new LintCache(file, key, strategy);
    let damage: string | undefined;
    try {
      cache.fd = fs.openSync(file, 'r');
      damage = cache.load(cache.fd);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') damage = `cannot be read (${code ?? (err as Error).message})`;
    }
    if (damage) {
      warn(`${damage}: discarded, the files are linted again and the cache is written anew`);
      cache.entries.clear();
    }
    cache.dirty ||= cache.entries.size === 0;
    return cache;
  }

  /** Fills the entries from the header of a cache file; returns what is wrong with it, if anything. */
  private load(fd: number): string | undefined {
    const size = fs.fstatSync(fd).size;
    if (size === 0) return 'the cache file is empty';
    const headerStart = MAGIC_BYTES.length + LENGTH_DIGITS + 1;
    const head = Buffer.alloc(headerStart);
    if (fs.readSync(fd, head, 0, headerStart, 0) < headerStart || !head.subarray(0, MAGIC_BYTES.length).equals(MAGIC_BYTES)) return 'not a bqmigrate lint cache (or one of another format)';
    const lengthText = head.toString('latin1', MAGIC_BYTES.length, MAGIC_BYTES.length + LENGTH_DIGITS);
    if (!/^\d+$/.test(lengthText) || head[headerStart - 1] !== 0x0a) return 'its header length is damaged';
    const headerEnd = headerStart + Number(lengthText);
    if (headerEnd > size) return `it is truncated (${size} bytes, the header alone needs ${headerEnd})`;
    const headerBytes = Buffer.allocUnsafe(headerEnd - headerStart);
    if (fs.readSync(fd, headerBytes, 0, headerBytes.length, headerStart) < headerBytes.length) return 'it is truncated';
    let header: { key?: unknown; rows?: unknown };
    try {
      header = JSON.parse(headerBytes.toString('utf8')) as typeof header;
    } catch (err) {
      return `its header is not JSON (${(err as Error).message})`;
    }
    if (typeof header.key !== 'string' || !Array.isArray(header.rows)) return 'its header is damaged';
    const rows = header.rows as unknown[];
    let jsonTotal = 0;
    let resultTotal = 0;
    for (const row of rows) {
      if (!validRow(row)) return 'an entry of its header is damaged';
      jsonTotal += row[5];
      resultTotal += row[6];
    }
    const end = headerEnd + jsonTotal + resultTotal;
    if (end !== size) return end > size ? `it is truncated (${size} bytes of ${end})` : `it has ${size - end} bytes too many`;
    if (header.key !== this.key) return undefined; // another manifest, rule set, size limit, day or bqmigrate: every entry is stale
    const jsonRegion = new Region(fd, headerEnd, jsonTotal);
    const resultRegion = new Region(fd, headerEnd + jsonTotal, resultTotal);
    let j = 0;
    let r = 0;
    for (const row of rows as Row[]) {
      const [file, size, mtimeNs, ino, hash, jsonLength, resultLength, counts, note, unscanned] = row;
      const lint = new CachedLint(file, Int32Array.from(counts), note || undefined, (unscanned || undefined) as UnscannedReason | undefined, { region: jsonRegion, start: j, length: jsonLength }, { region: resultRegion, start: r, length: resultLength });
      this.entries.set(file, { id: { size, mtimeNs, ino, hash }, lint });
      j += jsonLength;
      r += resultLength;
    }
    return undefined;
  }

  /** The cached lint of a file whose content has not changed since, or undefined (then `store` keeps its lint). */
  lookup(file: string): CachedLint | undefined {
    this.visited.add(file);
    const id = identify(file, this.strategy);
    const entry = this.entries.get(file);
    if (id && entry && sameContent(entry.id, id, this.strategy)) return entry.lint;
    if (id) this.probes.set(file, id);
    else this.probes.delete(file);
    return undefined;
  }

  /**
   * Keeps a file's fresh lint (when it was looked up first, and its size and mtime did not move while it
   * was linted) and returns it as a CachedLint with its ESLint JSON written.
   */
  store(r: FileLintResult): CachedLint {
    const rendered = renderEslintJson([r]);
    const lint = new CachedLint(r.filePath, rendered.counts.subarray(0, COUNT_FIELDS), r.note, r.unscanned, rendered.bytes, encodeCachedResult(r), r);
    const before = this.probes.get(r.filePath);
    this.probes.delete(r.filePath);
    if (before && !(r.unscanned && TRANSIENT.has(r.unscanned))) {
      const after = identify(r.filePath, 'metadata');
      if (after && after.size === before.size && after.mtimeNs === before.mtimeNs && after.ino === before.ino) {
        this.entries.set(r.filePath, { id: before, lint });
        this.dirty = true;
        return lint;
      }
    }
    if (this.entries.delete(r.filePath)) this.dirty = true;
    return lint;
  }

  /** Drops a file's entry (a file `fix` rewrote). */
  forget(file: string): void {
    if (this.entries.delete(file)) this.dirty = true;
  }

  /** A hit whose entry did not read back: dropped, and the file looked up again so that its fresh lint is kept. */
  reject(file: string): void {
    this.forget(file);
    this.lookup(file);
  }

  /**
   * Writes the cache when anything changed. Entries of files this run did not reach are kept while the
   * file exists (a lint of one folder leaves the others' entries); entries of deleted files are dropped.
   */
  save(): void {
    for (const file of [...this.entries.keys()]) {
      if (this.visited.has(file)) continue;
      if (!fs.existsSync(file)) {
        this.entries.delete(file);
        this.dirty = true;
      }
    }
    if (this.dirty) {
      const rows: Row[] = [];
      const jsons: Uint8Array[] = [];
      const results: Uint8Array[] = [];
      for (const [file, { id, lint }] of this.entries) {
        const json = lint.json;
        const result = lint.resultData;
        rows.push([file, id.size, id.mtimeNs, id.ino, id.hash, json.length, result.length, Array.from(lint.counts), lint.note ?? '', lint.unscanned ?? '']);
        jsons.push(json);
        results.push(result);
      }
      const header = Buffer.from(JSON.stringify({ key: this.key, rows }));
      const head = Buffer.from(`${MAGIC}${String(header.length).padStart(LENGTH_DIGITS, '0')}\n`, 'latin1');
      writeGeneratedFile(this.file, [head, header, ...jsons, ...results], { durable: false });
      this.dirty = false;
    }
    this.close();
  }

  /** Lets go of the cache file as opened (entries still read from it cannot be used afterwards). */
  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

function validRow(row: unknown): row is Row {
  if (!Array.isArray(row) || row.length !== 10) return false;
  const [file, size, mtimeNs, ino, hash, jsonLength, resultLength, counts, note, unscanned] = row as unknown[];
  const n = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x >= 0;
  const linted = note === '' && unscanned === '' && typeof jsonLength === 'number' && jsonLength > 0;
  const notRead = typeof note === 'string' && note !== '' && typeof unscanned === 'string' && unscanned !== '' && jsonLength === 0;
  return typeof file === 'string' && n(size) && typeof mtimeNs === 'string' && typeof ino === 'string' && typeof hash === 'string' && n(jsonLength) && n(resultLength) && Array.isArray(counts) && counts.length === COUNT_FIELDS && counts.every(n) && (linted || notRead);
}

/** Size, mtime and inode (and, for `content`, the SHA-1 of the bytes) of a file now; undefined when it cannot be read. */
function identify(file: string, strategy: CacheStrategy): Identity | undefined {
  try {
    const st = fs.statSync(file, { bigint: true });
    const id: Identity = { size: Number(st.size), mtimeNs: String(st.mtimeNs), ino: String(st.ino), hash: '' };
    if (strategy === 'content' && st.isFile()) id.hash = createHash('sha1').update(fs.readFileSync(file)).digest('hex');
    return id;
  } catch {
    return undefined;
  }
}

function sameContent(stored: Identity, now: Identity, strategy: CacheStrategy): boolean {
  if (strategy === 'content') return stored.hash !== '' && stored.hash === now.hash && stored.size === now.size;
  return stored.size === now.size && stored.mtimeNs === now.mtimeNs && stored.ino === now.ino;
}
