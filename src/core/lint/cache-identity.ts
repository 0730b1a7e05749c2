/**
 * What identifies a file's content in the lint cache: size, modification time and inode (the `metadata`
 * strategy, as ESLint's), and for `content` the SHA-1 of its bytes — taken before the file is read, so a
 * change after it gives the file another identity and its entry is never used for the new content.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type { ReadIdentity } from './read';

/** What identifies a file's content when it was looked up (taken before it is read). */
export interface Identity {
  size: number;
  /** ms, with the fraction a double holds (a quarter of a microsecond today). */
  mtimeMs: number;
  ino: number;
  hash: string;
}

/** What fstat said of a file before the lint read it: the identity a fresh lint is kept under. */
export type ReadStat = Omit<ReadIdentity, 'file'>;

/** Whether `id` is the file whose size, mtime (ms) and inode these are: the metadata strategy's sameness. */
export function sameFile(id: Pick<Identity, 'size' | 'mtimeMs' | 'ino'>, size: number, mtimeMs: number, ino: number): boolean {
  return id.size === size && id.mtimeMs === mtimeMs && id.ino === ino;
}

/** Size, mtime and inode (and with `hashContent` the SHA-1 of the bytes) of a file now; undefined when it cannot be read. */
export function identify(file: string, hashContent: boolean): Identity | undefined {
  try {
    // Numbers, not BigInts: a BigInt stat allocates some twenty objects per file, and a warm run stats every file.
    const st = fs.statSync(file);
    const id: Identity = { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, hash: '' };
    if (hashContent && st.isFile()) id.hash = createHash('sha1').update(fs.readFileSync(file)).digest('hex');
    return id;
  } catch {
    return undefined;
  }
}
