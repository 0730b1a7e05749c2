/**
 * The manifest as a lint cache remembers it (`<cache file>.manifest`): the validated manifest and the
 * warnings its check printed, kept under a hash of the manifest's path and text, bqmigrate's build and
 * Node's version. A warm `lint --cache` whose manifest text is the one remembered neither parses nor
 * validates it (the zod schema is not even loaded) and prints the same warnings; any other text or build
 * is checked as usual and remembered anew. A damaged memo is said (`warn`) and replaced.
 *
 * Format: a magic line, the key (SHA-256, 32 bytes), the SHA-1 of the body (20 bytes), the body:
 * `v8.serialize({ manifest, warnings })` — the structured clone the lint workers receive the manifest as.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { writeGeneratedFile } from '../fix/write';
import { keyedFileParts, readKeyedFile } from './keyed-file';
import type { Manifest } from '../manifest/schema';

const MAGIC = Buffer.from('bqmigrate manifest memo 1\n', 'latin1');

export interface ManifestMemo {
  manifest: Manifest;
  /** The manifest check's warnings, as printed (one line each, without the newline). */
  warnings: string[];
}

/** What the memo of `file` with this `text` is kept under; `build` says which bqmigrate checked it. */
export function manifestMemoKey(file: string, text: string, build: string): Buffer {
  return createHash('sha256').update(JSON.stringify([MAGIC.toString('latin1'), build, process.version, path.resolve(file), text])).digest();
}

/** The memo at `file` when it was kept under `key`; undefined when there is none or it is another's (a damaged one is said through `warn`). */
export function readManifestMemo(file: string, key: Buffer, warn: (message: string) => void): ManifestMemo | undefined {
  const damaged = (why: string) => {
    warn(`${path.basename(file)}: ${why}: discarded, the manifest is checked again and it is written anew`);
    return undefined;
  };
  const read = readKeyedFile(file, MAGIC, key, 'bqmigrate manifest memo');
  if (read.state === 'unreadable') warn(`${path.basename(file)}: cannot be read (${read.why}): the manifest is checked again`);
  if (read.state === 'damaged') return damaged(read.why);
  if (read.state !== 'intact') return undefined; // none, or another text, manifest or build
  const body = read.body;
  let memo: unknown;
  try {
    memo = v8.deserialize(body);
  } catch (err) {
    return damaged(`it does not read back (${(err as Error).message})`);
  }
  const m = memo as Partial<ManifestMemo> | null;
  if (typeof m !== 'object' || m === null || typeof m.manifest !== 'object' || m.manifest === null || !Array.isArray(m.warnings) || !m.warnings.every((w) => typeof w === 'string')) return damaged('it is not a manifest memo');
  return m as ManifestMemo;
}

/** Keeps `memo` at `file` under `key` (written whole through the atomic writer). */
export function writeManifestMemo(file: string, key: Buffer, memo: ManifestMemo): void {
  const body = v8.serialize({ manifest: memo.manifest, warnings: memo.warnings });
  writeGeneratedFile(file, keyedFileParts(MAGIC, key, body), { durable: false });
}
