/**
 * Reads a source file for linting or fixing: refuses binary (NUL bytes),
 * non-UTF-8 and oversized files with a note instead of failing the run, and
 * remembers the BOM so a fix can write it back. The checks run natively on the
 * bytes (`readSourceBytes`), so the linter can look at them before paying for
 * decoding, and decode only the files its prefilter lets through.
 */
import { isUtf8 } from 'node:buffer';
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

/** The text of bytes `refuseBytes` accepted, without its BOM (valid UTF-8: the plain decoder gives what the fatal one would). */
export function decodeChecked(buf: Uint8Array): { text: string; bom: boolean } {
  const bom = startsWithBom(buf);
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  return { text: view.toString('utf8', bom ? 3 : 0), bom };
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

export function readSourceBytes(file: string, maxBytes = DEFAULT_MAX_FILE_BYTES): SourceBytes {
  let buf: Buffer;
  let mode = 0o644;
  try {
    const st = fs.statSync(file);
    mode = st.mode & 0o7777;
    if (st.size > maxBytes) return { ok: false, note: `file is ${(st.size / 1048576).toFixed(1)} MB, over the ${(maxBytes / 1048576).toFixed(0)} MB limit, skipped (raise it with --max-file-size)`, reason: 'too-large' };
    if (!st.isFile()) return { ok: false, note: 'not a regular file, skipped', reason: 'not-a-file' };
    buf = fs.readFileSync(file);
  } catch (err) {
    return { ok: false, note: `cannot read: ${describeFsError(err)}`, reason: 'unreadable' };
  }
  return refuseBytes(buf) ?? { ok: true, bytes: buf, mode };
}

export function readSourceFile(file: string, maxBytes = DEFAULT_MAX_FILE_BYTES): SourceFile {
  const src = readSourceBytes(file, maxBytes);
  return src.ok ? { ok: true, ...decodeChecked(src.bytes), mode: src.mode } : src;
}
