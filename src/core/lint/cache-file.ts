/**
 * The lint cache's file format: a log of batches after one magic line, so that a run which re-linted a
 * few files appends their entries instead of rewriting every other file's.
 *
 * A batch is a 52-byte head — `BQLB`, the index's length (u32 LE), the payload's length (f64 LE, a whole
 * number), the first 16 bytes of the SHA-256 of the cache key it belongs to, the SHA-1 of the payload —
 * then a JSON index (one row per file: identity, payload lengths, counts, note; a row of the path alone is
 * a file that is gone), then every row's ESLint JSON bytes, then every row's packed result
 * (cache-codec.ts), then a 24-byte trailer: `BQLE` and the first 20 bytes of the SHA-1 of the head and
 * the index.
 *
 * A batch counts only when its trailer is where the lengths say and matches: a run killed mid-append
 * leaves a torn tail, which the next reader finds (and drops with everything after it) however the torn
 * bytes and a later append interleave, since a torn batch's trailer cannot sit where its head says. A
 * tail that is merely short may be another run's append still being written: the reader looks again
 * before it calls it incomplete. The payload is read and checked against its SHA-1 when one of its
 * entries is first used (Payload), so a run that uses no entry of a batch never reads it, and a stored
 * result changed on disk is never used.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { COUNT_FIELDS } from './eslint-json';

export const MAGIC = Buffer.from('bqmigrate lint cache 5\n', 'latin1');
const HEAD = Buffer.from('BQLB', 'latin1');
const TAIL = Buffer.from('BQLE', 'latin1');
const KEY_AT = 16;
const DIGEST_AT = 32;
const DIGEST_BYTES = 20;
const HEAD_BYTES = DIGEST_AT + DIGEST_BYTES;
const TRAILER_BYTES = 24;
/** How long a reader waits, in turn, for a short last batch to be written whole by the run appending it (ms). */
const SHORT_TAIL_WAITS = [1, 4, 16];

/**
 * A row of a batch's index: path, size, mtime (ms), inode, content hash ('' unless hashed), the lengths of
 * its ESLint JSON and its packed result, its counts, and for a file not read its note and reason ('' else).
 */
export type Row = [string, number, number, number, string, number, number, number[], string, string];
/** A file that is gone: its entry is dropped. */
export type Tombstone = [string];

/**
 * A batch's payload (every entry's ESLint JSON, then every packed result), read whole and checked against
 * the SHA-1 in its head on first use.
 */
export class Payload {
  private bytes: Buffer | undefined;
  private checked: boolean | undefined;

  constructor(
    private readonly fd: number,
    private readonly offset: number,
    readonly length: number,
    private readonly digest: Buffer,
  ) {}

  /** Whether the bytes are those written (read and hashed the first time). */
  intact(): boolean {
    if (this.checked === undefined) {
      try {
        this.bytes = readAt(this.fd, this.offset, this.length);
        this.checked = createHash('sha1').update(this.bytes).digest().equals(this.digest);
      } catch {
        this.checked = false; // cut short or unreadable since it was opened: as damaged
      }
    }
    return this.checked;
  }

  /** A view of `length` bytes from `start` (a plain Uint8Array view: Buffer#subarray costs more per call). */
  slice(start: number, length: number): Uint8Array {
    if (!this.intact()) throw new Error('the stored results do not match their checksum');
    const bytes = this.bytes!;
    return new Uint8Array(bytes.buffer, bytes.byteOffset + start, length);
  }
}

/** One part of a payload: the ESLint JSON of every row, or their packed results. */
export class Region {
  constructor(
    readonly payload: Payload,
    private readonly offset: number,
    readonly length: number,
  ) {}

  slice(start: number, length: number): Uint8Array {
    return this.payload.slice(this.offset + start, length);
  }
}

export interface Batch {
  rows: (Row | Tombstone)[];
  payload: Payload;
  json: Region;
  results: Region;
  /** Bytes the batch takes in the file. */
  bytes: number;
  /** Its bytes besides the payload (head, index, trailer) per row: what a row left behind costs beyond its entry. */
  overheadPerRow: number;
}

export interface CacheFileContents {
  /** The batches of this key, oldest first (empty when the file belongs to another key). */
  batches: Batch[];
  /** The first batch belongs to another key: every entry is stale. */
  otherKey: boolean;
  /** Bytes of batches of other keys, which only a rewrite removes. */
  foreignBytes: number;
  /** What is wrong with the file: the whole of it when no batch could be read, else its tail from `tornAt`. */
  damage?: string;
  tornAt?: number;
  /** The tail from `tornAt` is a batch cut short, nothing else: a run stopped while appending, or one still appending. */
  incomplete?: boolean;
}

export function keyIdOf(key: string): Buffer {
  return createHash('sha256').update(key).digest().subarray(0, 16);
}

/** `length` bytes of the open file `fd` from `offset`; throws when the file ends before them. */
export function readAt(fd: number, offset: number, length: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, bytes, done, length - done, offset + done);
    if (n === 0) throw new Error('the cache file shrank while it was read');
    done += n;
  }
  return bytes;
}

function checksum(head: Uint8Array, index: Uint8Array): Buffer {
  return createHash('sha1').update(head).update(index).digest();
}

/** Reads the batches of the cache file open as `fd`; returns what it could read and what is wrong. */
export function readCacheFile(fd: number, keyId: Buffer): CacheFileContents {
  let size = fs.fstatSync(fd).size;
  const out: CacheFileContents = { batches: [], otherKey: false, foreignBytes: 0 };
  if (size === 0) return { ...out, damage: 'the cache file is empty' };
  if (size < MAGIC.length || !readAt(fd, 0, MAGIC.length).equals(MAGIC)) return { ...out, damage: 'not a bqmigrate lint cache (or one of another format)' };
  let at = MAGIC.length;
  let first = true;
  let waits = 0;
  while (at < size) {
    const read = readBatch(fd, at, size, keyId, first, out);
    if (typeof read === 'number') {
      at += read;
      first = false;
      if (out.otherKey) return out;
      continue;
    }
    if (!first && read.short && waits < SHORT_TAIL_WAITS.length) {
      // An append is one write, yet a reader can meet it half done: give the run writing it a moment.
      sleep(SHORT_TAIL_WAITS[waits++]!);
      size = fs.fstatSync(fd).size;
      continue;
    }
    out.damage = read.wrong;
    if (!first) {
      out.tornAt = at;
      if (read.short) out.incomplete = true;
    }
    return out;
  }
  return out;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Reads the batch at `at` into `out`; returns its length in bytes, or what is wrong with it (`short`: it ends past the file). */
function readBatch(fd: number, at: number, size: number, keyId: Buffer, first: boolean, out: CacheFileContents): number | { wrong: string; short?: boolean } {
  const wrong = (text: string, short = false) => ({ wrong: text, short });
  const left = size - at;
  if (left < 4) {
    const begun = !first && HEAD.subarray(0, left).equals(readAt(fd, at, left));
    return begun ? wrong(`its last update is incomplete (${size} bytes of at least ${at + HEAD_BYTES})`, true) : wrong(`it has ${left} bytes too many`);
  }
  if (!readAt(fd, at, 4).equals(HEAD)) return wrong(first ? 'its header is damaged' : `it has ${left} bytes too many (not an update)`);
  if (left < HEAD_BYTES) return first ? wrong(`it is truncated (${size} bytes of at least ${at + HEAD_BYTES})`) : wrong(`its last update is incomplete (${size} bytes of at least ${at + HEAD_BYTES})`, true);
  const head = readAt(fd, at, HEAD_BYTES);
  const indexLength = head.readUInt32LE(4);
  const payload = head.readDoubleLE(8);
  if (!Number.isSafeInteger(payload) || payload < 0) return wrong('its header is damaged');
  const end = at + HEAD_BYTES + indexLength + payload + TRAILER_BYTES;
  if (end > size) return first ? wrong(`it is truncated (${size} bytes of ${end})`) : wrong(`its last update is incomplete (${size} bytes of ${end})`, true);
  const index = readAt(fd, at + HEAD_BYTES, indexLength);
  const trailer = readAt(fd, end - TRAILER_BYTES, TRAILER_BYTES);
  if (!trailer.subarray(0, 4).equals(TAIL) || !trailer.subarray(4).equals(checksum(head, index).subarray(0, TRAILER_BYTES - 4))) return wrong('its header is damaged (its checksum does not match)');
  const bytes = end - at;
  if (!head.subarray(KEY_AT, DIGEST_AT).equals(keyId)) {
    // Another manifest, rule set, size limit, day or bqmigrate: stale, and dropped at the next write.
    if (first) out.otherKey = true;
    out.foreignBytes += bytes;
    return bytes;
  }
  let rows: unknown;
  try {
    rows = JSON.parse(index.toString('utf8'));
  } catch (err) {
    return wrong(`its header is not JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(rows)) return wrong('its header is damaged');
  let jsonTotal = 0;
  let resultTotal = 0;
  for (const row of rows as unknown[]) {
    if (isTombstone(row)) continue;
    if (!validRow(row)) return wrong('an entry of its header is damaged');
    jsonTotal += row[5];
    resultTotal += row[6];
  }
  if (jsonTotal + resultTotal !== payload) return wrong('its header is damaged (the entries do not add up)');
  const stored = new Payload(fd, at + HEAD_BYTES + indexLength, payload, head.subarray(DIGEST_AT, DIGEST_AT + DIGEST_BYTES));
  out.batches.push({ rows: rows as (Row | Tombstone)[], payload: stored, json: new Region(stored, 0, jsonTotal), results: new Region(stored, jsonTotal, resultTotal), bytes, overheadPerRow: (bytes - payload) / Math.max(1, rows.length) });
  return bytes;
}

export function isTombstone(row: unknown): row is Tombstone {
  return Array.isArray(row) && row.length === 1 && typeof row[0] === 'string';
}

function validRow(row: unknown): row is Row {
  if (!Array.isArray(row) || row.length !== 10) return false;
  const [file, size, mtimeMs, ino, hash, jsonLength, resultLength, counts, note, unscanned] = row as unknown[];
  const n = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x >= 0;
  const linted = note === '' && unscanned === '' && typeof jsonLength === 'number' && jsonLength > 0;
  const notRead = typeof note === 'string' && note !== '' && typeof unscanned === 'string' && unscanned !== '' && jsonLength === 0;
  return typeof file === 'string' && n(size) && typeof mtimeMs === 'number' && n(ino) && typeof hash === 'string' && n(jsonLength) && n(resultLength) && Array.isArray(counts) && counts.length === COUNT_FIELDS && counts.every(n) && (linted || notRead);
}

/** One batch's bytes: head, index, the ESLint JSON of each row in order, their packed results, trailer. */
export function encodeBatch(keyId: Buffer, rows: (Row | Tombstone)[], jsons: readonly Uint8Array[], results: readonly Uint8Array[]): Uint8Array[] {
  const index = Buffer.from(JSON.stringify(rows));
  let payload = 0;
  const digest = createHash('sha1');
  for (const b of jsons) {
    payload += b.length;
    digest.update(b);
  }
  for (const b of results) {
    payload += b.length;
    digest.update(b);
  }
  const head = Buffer.alloc(HEAD_BYTES);
  HEAD.copy(head, 0);
  head.writeUInt32LE(index.length, 4);
  head.writeDoubleLE(payload, 8);
  keyId.copy(head, KEY_AT);
  digest.digest().copy(head, DIGEST_AT);
  const trailer = Buffer.concat([TAIL, checksum(head, index).subarray(0, TRAILER_BYTES - 4)]);
  return [head, index, ...jsons, ...results, trailer];
}

const APPEND = fs.constants.O_WRONLY | fs.constants.O_APPEND;
const gone = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';
const checkAppended = (written: number, bytes: Buffer) => {
  if (written !== bytes.length) throw new Error(`only ${written} of ${bytes.length} bytes could be appended (is the disk full?)`);
};

/**
 * Appends a batch to the cache file at `file` in one write (O_APPEND: concurrent appends never interleave).
 * Returns false, writing nothing, when the file is not there any more (the caller writes it whole).
 */
export function appendBatch(file: string, parts: readonly Uint8Array[]): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, APPEND);
  } catch (err) {
    if (gone(err)) return false;
    throw err;
  }
  try {
    const bytes = Buffer.concat(parts);
    checkAppended(fs.writeSync(fd, bytes), bytes);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

/** `appendBatch` with the write on libuv's thread pool (still one write of the whole batch). */
export async function appendBatchAsync(file: string, parts: readonly Uint8Array[]): Promise<boolean> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, APPEND);
  } catch (err) {
    if (gone(err)) return false;
    throw err;
  }
  try {
    const bytes = Buffer.concat(parts);
    checkAppended((await handle.write(bytes)).bytesWritten, bytes);
  } finally {
    await handle.close();
  }
  return true;
}
