/**
 * Reads a source file for linting or fixing: refuses binary (NUL bytes),
 * non-UTF-8 and oversized files with a note instead of failing the run, and
 * remembers the BOM so a fix can write it back.
 */
import * as fs from 'node:fs';
import type { UnscannedReason } from './unscanned';

export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

export type SourceFile = { ok: true; text: string; bom: boolean; mode: number } | { ok: false; note: string; reason: UnscannedReason };

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function decodeSource(buf: Uint8Array): { ok: true; text: string; bom: boolean } | { ok: false; note: string; reason: UnscannedReason } {
  const nul = buf.indexOf(0);
  if (nul >= 0) return { ok: false, note: `binary file (NUL byte at offset ${nul}), skipped`, reason: 'binary' };
  let text: string;
  try {
    text = decoder.decode(buf);
  } catch {
    return { ok: false, note: 'not UTF-8 text, skipped (re-save it as UTF-8 to lint it)', reason: 'not-utf8' };
  }
  const bom = text.charCodeAt(0) === 0xfeff;
  return { ok: true, text: bom ? text.slice(1) : text, bom };
}

export function readSourceFile(file: string, maxBytes = DEFAULT_MAX_FILE_BYTES): SourceFile {
  let buf: Buffer;
  let mode = 0o644;
  try {
    const st = fs.statSync(file);
    mode = st.mode & 0o7777;
    if (st.size > maxBytes) return { ok: false, note: `file is ${(st.size / 1048576).toFixed(1)} MB, over the ${(maxBytes / 1048576).toFixed(0)} MB limit, skipped (raise it with --max-file-size)`, reason: 'too-large' };
    if (!st.isFile()) return { ok: false, note: 'not a regular file, skipped', reason: 'not-a-file' };
    buf = fs.readFileSync(file);
  } catch (err) {
    return { ok: false, note: `cannot read: ${(err as Error).message}`, reason: 'unreadable' };
  }
  const decoded = decodeSource(buf);
  return decoded.ok ? { ...decoded, mode } : decoded;
}
