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
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { writeGeneratedFile } from '../fix/write';
import type { Manifest } from '../manifest/schema';

const MAGIC = Buffer.from('bqmigrate manifest memo 1\n', 'latin1');
const KEY_BYTES = 32;
const DIGEST_BYTES = 20;

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
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') warn(`${path.basename(file)}: cannot be read (${code ?? (err as Error).message}): the manifest is checked again`);
    return undefined;
  }
  const head = MAGIC.length + KEY_BYTES + DIGEST_BYTES;
  const damaged = (why: string) => {
    warn(`${path.basename(file)}: ${why}: discarded, the manifest is checked again and it is written anew`);
    return undefined;
  };
  if (bytes.length < head || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return damaged('not a bqmigrate manifest memo (or one of another format)');
  if (!bytes.subarray(MAGIC.length, MAGIC.length + KEY_BYTES).equals(key)) return undefined; // another text, manifest or build
  const body = bytes.subarray(head);
  if (!createHash('sha1').update(body).digest().equals(bytes.subarray(MAGIC.length + KEY_BYTES, head))) return damaged('its checksum does not match');
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
  writeGeneratedFile(file, [MAGIC, key, createHash('sha1').update(body).digest(), body], { durable: false });
}
