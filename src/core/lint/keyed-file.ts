/**
 * The framing the lint cache's side files share (the folder cache, the manifest memo): a magic line naming
 * the format, the key the contents were made under, the SHA-1 of the body, then the body. A reader learns
 * whether the file is missing, another key's (stale, not damaged), damaged, or intact.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';

const DIGEST_BYTES = 20;

export type KeyedRead = { state: 'missing' } | { state: 'unreadable'; why: string } | { state: 'stale' } | { state: 'damaged'; why: string } | { state: 'intact'; body: Buffer };

/** Reads `file` framed with `magic` and expects `key`; `format` names it in a damage message. */
export function readKeyedFile(file: string, magic: Buffer, key: Buffer, format: string): KeyedRead {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? { state: 'missing' } : { state: 'unreadable', why: code ?? (err as Error).message };
  }
  const head = magic.length + key.length + DIGEST_BYTES;
  if (bytes.length < head || !bytes.subarray(0, magic.length).equals(magic)) return { state: 'damaged', why: `not a ${format} (or one of another format)` };
  if (!bytes.subarray(magic.length, magic.length + key.length).equals(key)) return { state: 'stale' };
  const body = bytes.subarray(head);
  if (!createHash('sha1').update(body).digest().equals(bytes.subarray(magic.length + key.length, head))) return { state: 'damaged', why: 'its checksum does not match' };
  return { state: 'intact', body };
}

/** The pieces of a keyed file holding `body`, for the atomic writer. */
export function keyedFileParts(magic: Buffer, key: Buffer, body: Uint8Array): Uint8Array[] {
  return [magic, key, createHash('sha1').update(body).digest(), body];
}
