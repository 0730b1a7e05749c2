/**
 * Where the manifest is, and a manifest as loaded: its file, folder, text, syntax tree and validated
 * content. Imports no schema code (zod) at run time, so a lint that takes the validated manifest from its
 * cache (lint/manifest-memo.ts) does not load it; load.ts parses and checks.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as jsonc from 'jsonc-parser';
import type { Manifest } from './schema';

export const MANIFEST_FILE = 'bqmigrate.json';

export interface LoadedManifest {
  file: string;
  /** Folder the manifest lives in: relative paths inside it resolve from here. */
  root: string;
  text: string;
  /** The JSONC syntax tree, for positions; undefined when the manifest came from a lint cache's memo. */
  tree: jsonc.Node | undefined;
  manifest: Manifest;
}

export function loadedManifest(file: string, text: string, tree: jsonc.Node | undefined, manifest: Manifest): LoadedManifest {
  return { file, root: path.dirname(path.resolve(file)), text, tree, manifest };
}

/** Walks up from `start` (a file or folder) to the nearest bqmigrate.json. */
export function findManifest(start: string): string | undefined {
  let dir = path.resolve(start);
  try {
    if (!fs.statSync(dir).isDirectory()) dir = path.dirname(dir);
  } catch {
    dir = path.dirname(dir);
  }
  for (;;) {
    const candidate = path.join(dir, MANIFEST_FILE);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
