/**
 * Reads a source file for linting or fixing: refuses binary (NUL bytes),
 * non-UTF-8 and oversized files with a note instead of failing the run, and
 * remembers the BOM so a fix can write it back. The checks run natively on the
 * bytes (`readSourceBytes`), so the linter can look at them before paying for
 * decoding, and decode only the files its prefilter lets through.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';
import { describeFsError } from '../fs-errors';
import type { UnscannedReason } from './unscanned';

export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

type Refused = { ok: false; note: string; reason: UnscannedReason };
export type SourceFile = { ok: true; text: string; bom: boolean; mode: number } | Refused;
/** A file's bytes, checked: no NUL byte, valid UTF-8 (a BOM allowed). */
export type SourceBytes = { ok: true; bytes: Uint8Array; mode: number } | Refused;

/** Why `buf` is not text to lint (a NUL byte, not UTF-8), or undefined when it is. */
export function refuseBytes(buf: Uint8Array): Refused | undefined {
  const nul = buf.indexOf(0);
  if (nul >= 0) {
    const at = bytePosition(buf, nul);
    return { ok: false, note: `${at.line}:${at.column}: a NUL byte: a binary file, skipped (a text file has none; remove it to lint the file)`, reason: 'binary' };
  }
  if (!isUtf8(buf)) return { ok: false, note: 'not UTF-8 text, skipped (re-save it as UTF-8 to lint it)', reason: 'not-utf8' };
  return undefined;
}

/** Whether the bytes start with a UTF-8 BOM. */
export function startsWithBom(buf: Uint8Array): boolean {
  return buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
}

/**
 * The text of bytes `refuseBytes` accepted, without its BOM (valid UTF-8: the plain decoder gives what the
 * fatal one would). ASCII bytes are copied as Latin-1, the same text about four times faster.
 */
export function decodeChecked(buf: Uint8Array): { text: string; bom: boolean } {
  const bom = startsWithBom(buf);
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  return { text: !bom && isAscii(view) ? view.toString('latin1') : view.toString('utf8', bom ? 3 : 0), bom };
}

export function decodeSource(buf: Uint8Array): { ok: true; text: string; bom: boolean } | Refused {
  return refuseBytes(buf) ?? { ok: true, ...decodeChecked(buf) };
}

/** 1-based line and column (UTF-16 code units, as editors count) of a byte offset into UTF-8 text. */
function bytePosition(buf: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = buf.indexOf(10); i >= 0 && i < offset; i = buf.indexOf(10, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: Buffer.from(buf.buffer, buf.byteOffset + lineStart, offset - lineStart).toString('utf8').length + 1 };
}

/** A note that starts with `line:column: ` (a NUL byte) split into its position and text, so it can be printed as file:line:column. */
export function noteLocation(note: string): { line: number; column: number; text: string } | undefined {
  const m = /^(\d+):(\d+): (.*)$/s.exec(note);
  return m ? { line: Number(m[1]), column: Number(m[2]), text: m[3]! } : undefined;
}

/**
 * Where a thread reads files into: one buffer, grown as needed, so reading thousands of files allocates
 * (and collects) almost nothing. Bytes read into it are valid until the next read.
 */
export class ReadBuffer {
  buf = Buffer.allocUnsafeSlow(1 << 16);
  /**
   * The last file read into it (or refused after its fstat: too large, not a regular file) with what fstat
   * said of it before a byte was read; undefined when it could not be opened. The lint cache keeps a
   * fresh lint under this identity (cache.ts), so no second stat is needed to know what content was linted.
   */
  last: ReadIdentity | undefined;
}

/** A file's size, modification time (ms, with the fraction a double holds) and inode, as fstat gave them before it was read. */
export interface ReadIdentity {
  file: string;
  size: number;
  mtimeMs: number;
  ino: number;
}

/** Files above this size get a buffer of their own rather than growing the shared one for good. */
const KEEP_BYTES = 8 << 20;
/** Non-blocking, so that opening a FIFO returns (and fstat refuses it) instead of waiting for a writer. */
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/**
 * A file's bytes, checked (`refuseBytes`): one open, fstat and read. With `into`, the bytes are a view of its
 * buffer, valid until the next read into it.
 */
export function readSourceBytes(file: string, maxBytes = DEFAULT_MAX_FILE_BYTES, into?: ReadBuffer): SourceBytes {
  let fd: number | undefined;
  let bytes: Uint8Array;
  let mode = 0o644;
  if (into !== undefined) into.last = undefined;
  try {
    fd = fs.openSync(file, OPEN_FLAGS);
    const st = fs.fstatSync(fd);
    if (into !== undefined) into.last = { file, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino };
    mode = st.mode & 0o7777;
    if (st.size > maxBytes) return { ok: false, note: `file is ${(st.size / 1048576).toFixed(1)} MB, over the ${(maxBytes / 1048576).toFixed(0)} MB limit, skipped (raise it with --max-file-size)`, reason: 'too-large' };
    if (!st.isFile()) return { ok: false, note: 'not a regular file, skipped', reason: 'not-a-file' };
    bytes = readAll(fd, st.size, into);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EISDIR') return { ok: false, note: 'not a regular file, skipped', reason: 'not-a-file' };
    return { ok: false, note: `cannot read: ${describeFsError(err)}`, reason: 'unreadable' };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  return refuseBytes(bytes) ?? { ok: true, bytes, mode };
}

/** Reads an open file to its end (`size` is what fstat said; a file that changes meanwhile is read as it is). */
function readAll(fd: number, size: number, into: ReadBuffer | undefined): Uint8Array {
  let buf = into !== undefined && size <= KEEP_BYTES ? into.buf : Buffer.allocUnsafe(size + 1);
  let got = 0;
  for (;;) {
    if (got === buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(size + 1, buf.length * 2));
      buf.copy(grown, 0, 0, got);
      buf = grown;
    }
    // At least one byte more than fstat said is asked for: a read that fills it says the file grew.
    const asked = buf.length - got;
    const n = fs.readSync(fd, buf, got, asked, null);
    got += n;
    if (n === 0 || (n < asked && got >= size)) break;
  }
  if (into !== undefined && buf !== into.buf && buf.length <= KEEP_BYTES) into.buf = buf;
  return buf.subarray(0, got);
}

export function readSourceFile(file: string, maxBytes = DEFAULT_MAX_FILE_BYTES): SourceFile {
  const src = readSourceBytes(file, maxBytes);
  return src.ok ? { ok: true, ...decodeChecked(src.bytes), mode: src.mode } : src;
}
