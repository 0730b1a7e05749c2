/**
 * The run memo (`<cache file>.run`): what the last `lint --cache` printed — stdout, stderr, exit code — with
 * what it read: every file the walk yielded, in order, with the identity its result was made from (size,
 * mtime, inode: the cache entry's), every file or folder the walk left out, and the identity of the lint
 * cache file it left. A run with the same key (the lint cache's key, plus the command's arguments, working
 * folder and output options), beside the same lint cache, whose walk yields the same files with the same
 * identities and leaves out the same ones would print the same bytes: it prints the memo's, without opening
 * the lint cache or copying its entries one by one. Anything else — a file changed, added or removed,
 * another folder left out, other arguments, the lint cache deleted or rewritten — and the run goes on as
 * usual and writes the memo anew (or, for a few files changed, added, removed or left out, splices:
 * lint-run-memo.ts).
 *
 * Only for the `metadata` strategy, the walk cache's (walk-cache.ts) convention: a file's result holds
 * while its size, mtime and inode do, and a folder's listing while its mtime and .gitignore rules do. A
 * run that read a file it could not keep in the cache (unreadable, changed while read), or left a
 * bqmigrate temp file in a folder (whether its writer lives changes), writes no memo.
 *
 * Format: a magic line, the key (32 bytes), the SHA-1s of the front, the pieces and the output (20 bytes
 * each); the front — a u32 LE header length, the header (JSON: exit code, the lint cache's identity, file
 * count, byte lengths, the skips, what RunPieces holds besides its arrays), the paths (UTF-8, each ended
 * by a NUL), the identities (3 doubles LE per file) — then the pieces (RunPieces: 2 doubles LE per file,
 * then COUNT_FIELDS int32 LE per file; none when the run did not place its files' parts), then the output,
 * stdout and stderr. A run reads and checks the front; the pieces only when it splices, the output only
 * when it prints it. A damaged memo is said (`warn`) and replaced; another version's is replaced without a
 * word.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeGeneratedFile } from '../fix/write';
import { readAt } from './cache-file';
import { COUNT_FIELDS } from './eslint-json';
import { sameFile, type Identity } from './cache-identity';
import type { Unscanned, UnscannedReason } from './unscanned';

const FAMILY = 'bqmigrate lint run memo ';
const MAGIC = Buffer.from(`${FAMILY}3\n`, 'latin1');
const KEY_BYTES = 32;
const DIGEST_BYTES = 20;
const HEAD_BYTES = MAGIC.length + KEY_BYTES + 3 * DIGEST_BYTES + 4;

/** What a run printed. */
export interface RunOutput {
  stdout: Uint8Array;
  stderr: Uint8Array;
}

/**
 * Where each file's part of stdout is, so a run whose files changed can print the rest as it was
 * (run-splice.ts): per file in walk order, the start and end of its bytes (start -1: a file not read,
 * with a note and no part) and its counts; `parts`, where the files' parts start and end (what comes
 * after them — the summary, what was not read — is written anew); `unread`, the files not read.
 */
export interface RunPieces {
  ranges: Float64Array;
  counts: Int32Array;
  parts: [number, number];
  /** Each file not read: its position in the walk, why (as LintRun keeps it) and the note said on stderr. */
  unread: [number, UnscannedReason, string][];
  /** The exit code the run's bookkeeping gave before its findings were counted (lint-run.ts `finish`). */
  runCode: number;
  /** How much of stderr was said before the exit code was decided (what --max-warnings adds comes after). */
  stderrBeforeExit: number;
}

export interface RunMemo {
  /** How many files the walk yielded. */
  count: number;
  /** The k-th file the walk yielded (undefined past the last). */
  file(k: number): string | undefined;
  /** The first n files the walk yielded (n at most `count`). */
  paths(n: number): string[];
  /** Every file's path as stored: UTF-8, separated by NUL bytes. */
  pathBytes(): Uint8Array;
  /** Size, mtime (ms) or inode (`field` 0, 1, 2) of the k-th file's result. */
  identity(k: number, field: 0 | 1 | 2): number;
  /** Every file's size, mtime and inode, 3 per file in walk order (a copy). */
  identities(): Float64Array;
  /** What the walk left out, in order. */
  skips: Unscanned[];
  exit: number;
  /** Size, mtime (ms) and inode of the lint cache file the run left: the memo holds only beside that cache. */
  cache: [number, number, number];
  /** Whether the files, identities and skips read back as written (a damaged memo is said through the reader's `warn`). */
  verify(): boolean;
  /** Where each file's output is (checked; read when first asked); undefined when the memo has none or it is damaged (said). */
  pieces(): RunPieces | undefined;
  /** Reads what the run printed (checked); undefined, said through the reader's `warn`, when it is damaged. Closes the memo. */
  output(): RunOutput | undefined;
  /** Closes the memo without reading the output. */
  close(): void;
}

interface Header {
  exit: number;
  cache: [number, number, number];
  files: number;
  paths: number;
  stdout: number;
  stderr: number;
  skips: [string, UnscannedReason, string, 0 | 1][];
  /** Bytes of the pieces section (0: none), and what else RunPieces holds. */
  pieces: number;
  runCode: number;
  stderrBeforeExit: number;
  parts: [number, number];
  unread: [number, UnscannedReason, string][];
}

/** The memo's key: the lint cache's key and everything else the printed bytes depend on. */
export function runMemoKey(cacheKey: string, parts: unknown): Buffer {
  return createHash('sha256').update(JSON.stringify([MAGIC.toString('latin1'), cacheKey, parts])).digest();
}

const sha1 = (pieces: readonly Uint8Array[]) => {
  const h = createHash('sha1');
  for (const p of pieces) h.update(p);
  return h.digest();
};

/** The memo at `file` kept under `key`; undefined when there is none or another run's (a damaged one is said through `warn`). */
export function readRunMemo(file: string, key: Buffer, warn: (message: string) => void): RunMemo | undefined {
  const damaged = (why: string) => warn(`${path.basename(file)}: ${why}: discarded, the files are looked up in the cache and it is written anew`);
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') warn(`${path.basename(file)}: cannot be read (${code ?? (err as Error).message}): the files are looked up in the cache`);
    return undefined;
  }
  let kept = false;
  try {
    const size = fs.fstatSync(fd).size;
    const head = readAt(fd, 0, Math.min(size, HEAD_BYTES));
    // Another version's memo is another run's: replaced without a word.
    if (!head.subarray(0, MAGIC.length).equals(MAGIC)) return head.toString('latin1', 0, FAMILY.length) === FAMILY ? undefined : void damaged('not a bqmigrate run memo');
    if (size < HEAD_BYTES) return void damaged('it is cut short');
    if (!head.subarray(MAGIC.length, MAGIC.length + KEY_BYTES).equals(key)) return undefined; // another run's
    const frontDigest = head.subarray(MAGIC.length + KEY_BYTES, MAGIC.length + KEY_BYTES + DIGEST_BYTES);
    const piecesDigest = head.subarray(MAGIC.length + KEY_BYTES + DIGEST_BYTES, MAGIC.length + KEY_BYTES + 2 * DIGEST_BYTES);
    const outputDigest = head.subarray(MAGIC.length + KEY_BYTES + 2 * DIGEST_BYTES, HEAD_BYTES - 4);
    const headerLength = head.readUInt32LE(HEAD_BYTES - 4);
    if (HEAD_BYTES + headerLength > size) return void damaged('it is cut short');
    const headerBytes = readAt(fd, HEAD_BYTES, headerLength);
    const h = JSON.parse(headerBytes.toString('utf8')) as Header;
    if (typeof h !== 'object' || h === null || !Array.isArray(h.skips) || !Array.isArray(h.unread) || !Array.isArray(h.parts) || h.parts.length !== 2 || !Array.isArray(h.cache) || h.cache.length !== 3 || ![h.exit, h.files, h.paths, h.stdout, h.stderr, h.pieces, h.runCode, h.stderrBeforeExit].every(Number.isSafeInteger) || (h.pieces !== 0 && h.pieces !== (16 + 4 * COUNT_FIELDS) * h.files)) return void damaged('its header is not a run memo\'s');
    const pathsAt = HEAD_BYTES + headerLength;
    const piecesAt = pathsAt + h.paths + 24 * h.files;
    const outputAt = piecesAt + h.pieces;
    if (outputAt + h.stdout + h.stderr !== size) return void damaged('its lengths do not add up');
    // Read whole, checked only once the walk matched it.
    const rest = readAt(fd, pathsAt, piecesAt - pathsAt);
    // Decoded once, in one piece: the walk compares every path in turn, and the walk record takes them all
    // (decoding each path for the walk as well decoded the list twice).
    let all: string[] | undefined;
    const decoded = (): string[] => (all ??= h.files === 0 ? [] : rest.toString('utf8', 0, h.paths - 1).split('\0', h.files));
    const file = (k: number): string | undefined => decoded()[k];
    const paths = (n: number): string[] => decoded().slice(0, n);
    const verify = (): boolean => {
      if (sha1([head.subarray(HEAD_BYTES - 4), headerBytes, rest]).equals(frontDigest)) return true;
      damaged('its checksum does not match');
      return false;
    };
    let open = true;
    const close = () => {
      if (open) fs.closeSync(fd);
      open = false;
    };
    const pieces = (): RunPieces | undefined => {
      if (h.pieces === 0) return undefined;
      try {
        const bytes = readAt(fd, piecesAt, h.pieces);
        if (!sha1([bytes]).equals(piecesDigest)) return void damaged('its checksum does not match');
        // Copied out of the read buffer, whose offset need not suit a Float64Array.
        const ranges = new Float64Array(2 * h.files);
        const counts = new Int32Array(COUNT_FIELDS * h.files);
        new Uint8Array(ranges.buffer).set(bytes.subarray(0, ranges.byteLength));
        new Uint8Array(counts.buffer).set(bytes.subarray(ranges.byteLength));
        return { ranges, counts, parts: h.parts, unread: h.unread, runCode: h.runCode, stderrBeforeExit: h.stderrBeforeExit };
      } catch (err) {
        return void damaged((err as Error).message);
      }
    };
    const output = (): RunOutput | undefined => {
      try {
        const bytes = readAt(fd, outputAt, h.stdout + h.stderr);
        if (!sha1([bytes]).equals(outputDigest)) return void damaged('its checksum does not match');
        return { stdout: bytes.subarray(0, h.stdout), stderr: bytes.subarray(h.stdout) };
      } catch (err) {
        return void damaged((err as Error).message);
      } finally {
        close();
      }
    };
    const skips = h.skips.map(([p, reason, detail, folder]): Unscanned => ({ path: p, reason, detail, folder: folder === 1 }));
    kept = true;
    const identities = () => {
      // Copied out of the read buffer, whose offset need not suit a Float64Array.
      const ids = new Float64Array(3 * h.files);
      new Uint8Array(ids.buffer).set(rest.subarray(h.paths, h.paths + ids.byteLength));
      return ids;
    };
    return { count: h.files, file, paths, pathBytes: () => rest.subarray(0, Math.max(0, h.paths - 1)), identity: (k, field) => rest.readDoubleLE(h.paths + 8 * (3 * k + field)), identities, skips, exit: h.exit, cache: h.cache, verify, pieces, output, close };
  } catch (err) {
    return void damaged(err instanceof SyntaxError ? 'its header does not parse' : (err as Error).message);
  } finally {
    if (!kept) fs.closeSync(fd);
  }
}

/**
 * Keeps `memo` at `file` under `key` (written whole through the atomic writer, not fsynced: it can be
 * rebuilt); `output`: what the run printed, in pieces; `pieces`: where each file's part of it is, when the
 * format has such parts.
 */
export function writeRunMemo(file: string, key: Buffer, memo: { files: readonly string[]; identities: Float64Array; skips: readonly Unscanned[]; exit: number; cache: [number, number, number]; pieces?: RunPieces }, output: { stdout: readonly Uint8Array[]; stderr: readonly Uint8Array[] }): void {
  const paths = Buffer.from(memo.files.length === 0 ? '' : `${memo.files.join('\0')}\0`, 'utf8');
  const length = (pieces: readonly Uint8Array[]) => pieces.reduce((n, p) => n + p.length, 0);
  const header: Header = {
    exit: memo.exit,
    cache: memo.cache,
    files: memo.files.length,
    paths: paths.length,
    stdout: length(output.stdout),
    stderr: length(output.stderr),
    skips: memo.skips.map((s) => [s.path, s.reason, s.detail, s.folder ? 1 : 0]),
    pieces: 0,
    runCode: memo.pieces?.runCode ?? 0,
    stderrBeforeExit: memo.pieces?.stderrBeforeExit ?? 0,
    parts: memo.pieces?.parts ?? [0, 0],
    unread: memo.pieces?.unread ?? [],
  };
  const p = memo.pieces;
  const pieces = p === undefined || p.ranges.length !== 2 * memo.files.length || p.counts.length !== COUNT_FIELDS * memo.files.length ? [] : [new Uint8Array(p.ranges.buffer, p.ranges.byteOffset, p.ranges.byteLength), new Uint8Array(p.counts.buffer, p.counts.byteOffset, p.counts.byteLength)];
  header.pieces = pieces.reduce((n, b) => n + b.length, 0);
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const headerLength = Buffer.alloc(4);
  headerLength.writeUInt32LE(headerBytes.length, 0);
  const front = [headerLength, headerBytes, paths, new Uint8Array(memo.identities.buffer, memo.identities.byteOffset, memo.identities.byteLength)];
  const printed = [...output.stdout, ...output.stderr];
  writeGeneratedFile(file, [MAGIC, key, sha1(front), sha1(pieces), sha1(printed), ...front, ...pieces, ...printed], { durable: false });
}

/**
 * How the walk now stands to the memo's: `from` gives, for each file it yielded, the memo's position of
 * the same file (-1: a file new to it); `lint`, the walk's positions of the files to lint again (new, or
 * not of the identity the memo's result was made from); `gone`, how many of the memo's files it did not
 * yield; `sameSkips`, whether it left out exactly what the memo's did.
 */
export interface MemoPlan {
  from: Int32Array;
  lint: number[];
  gone: number;
  sameSkips: boolean;
}

/**
 * Follows a walk against the memo: `next` is each file the walk yields with its identity now, `skipped`
 * each file or folder it leaves out. While the walk yields the memo's files in the memo's order it keeps
 * nothing per file but the positions of those that changed; from the first file where it departs (one new
 * or gone) it keeps the memo's position of each. A walk that yields the files the two share in the same
 * order has a `plan`; one that does not, none.
 */
export class MemoCheck {
  private k = 0;
  /** The memo's position after the last file the walk and the memo share so far. */
  private m = 0;
  private s = 0;
  private sameSkips = true;
  /** From the first file where the walk departs: the memo's files from there on, by path, and each file's memo position. */
  private at: Map<string, number> | undefined;
  private departed = -1;
  private readonly tail: number[] = [];
  private inOrder = true;
  private gone = 0;
  private readonly lint: number[] = [];

  constructor(private readonly memo: RunMemo) {}

  /** Whether the walk is still on the memo's list, file for file, with this file. */
  next(file: string, id: Identity | undefined): boolean {
    const m = this.memo;
    const k = this.k++;
    if (this.departed < 0) {
      if (m.file(k) === file) {
        this.same(k, k, id);
        return true;
      }
      this.departed = k;
      const paths = m.paths(m.count);
      this.at = new Map();
      for (let j = k; j < paths.length; j++) this.at.set(paths[j]!, j);
      if (this.at.size !== paths.length - k) this.inOrder = false; // a path twice: no order to follow
    }
    if (!this.inOrder) return false;
    const j = this.at!.get(file);
    if (j === undefined) {
      this.tail.push(-1);
      this.lint.push(k);
    } else if (j < this.m) this.inOrder = false;
    else {
      this.gone += j - this.m;
      this.tail.push(j);
      this.same(k, j, id);
    }
    return false;
  }

  /** The walk's k-th file is the memo's j-th. */
  private same(k: number, j: number, id: Identity | undefined): void {
    const m = this.memo;
    if (id === undefined || !sameFile(id, m.identity(j, 0), m.identity(j, 1), m.identity(j, 2))) this.lint.push(k);
    this.m = j + 1;
  }

  readonly skipped = (u: Unscanned): void => {
    const want = this.memo.skips[this.s++];
    if (want === undefined || want.path !== u.path || want.reason !== u.reason || want.detail !== u.detail || want.folder !== u.folder) this.sameSkips = false;
  };

  /** Once the walk has ended: how it stands to the memo's, when it kept the order of the files they share. */
  get plan(): MemoPlan | undefined {
    if (!this.inOrder) return undefined;
    const from = new Int32Array(this.k);
    const lockstep = this.departed < 0 ? this.k : this.departed;
    for (let k = 0; k < lockstep; k++) from[k] = k;
    from.set(this.tail, lockstep);
    return { from, lint: this.lint, gone: this.gone + this.memo.count - this.m, sameSkips: this.sameSkips && this.s === this.memo.skips.length };
  }
}
