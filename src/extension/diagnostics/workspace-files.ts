/**
 * Which files the workspace scan reads: every file of the manifest's folder the engine lints, found by
 * the core's walk (the CLI's: every .gitignore on the way down, the manifest's include / exclude
 * globs) less the folders the editor never scans (ALWAYS_EXCLUDED_FOLDERS) and the settings' excludes.
 * Walking the disk directly hands out the first files at once, where VS Code's file search answered
 * only with the whole list, and only after a round trip through the window. A file the watcher reports
 * goes through the same checks (`isWorkspaceFile`), and a folder it reports made is walked the same way
 * (`workspaceFilesIn`).
 */
import * as path from 'node:path';
import { createDirectoryExcluder, createGlobClassifier } from '../../core/lint/globs';
import { walkEnters, walkFiles, walkYields, type WalkOptions } from '../../core/lint/walk';
import type { FolderCache } from '../../core/lint/walk-cache';
import { ALWAYS_EXCLUDED_FOLDERS, type Engine } from './engine';

/**
 * The files (absolute paths) as the walk finds them, folder by folder, in name order. With `folders` (the
 * lint cache's walk cache, walk-cache.ts) a folder whose mtime and .gitignore rules are as recorded is
 * stat'ed instead of listed and judged again. Its records hold only what the walk decides, which is
 * the manifest's and the build's: both are in the cache's key.
 */
export async function* workspaceFiles(engine: Engine, folders?: FolderCache): AsyncGenerator<string> {
  for await (const file of walkFiles([engine.root], { ...walkOptions(engine), folders })) if (engine.wantsFound(file)) yield file;
}

/**
 * Whether `file` is one of the files `workspaceFiles` yields, decided for that file alone: for a file the
 * file watcher reports created or changed, which is linted only when the scan would lint it (not in an
 * ignored, excluded or never-scanned folder).
 */
export function isWorkspaceFile(engine: Engine, file: string): boolean {
  return walkYields(engine.root, file, walkOptions(engine)) && engine.wantsFound(file);
}

/**
 * The files `workspaceFiles` yields inside `dir`, a folder the file watcher reports made: it reports a
 * folder made with files already in it (a copy, a checkout, a rename) as that folder only. None when the
 * scan never enters the folder.
 */
export async function* workspaceFilesIn(engine: Engine, dir: string): AsyncGenerator<string> {
  if (!walkEnters(engine.root, dir, walkOptions(engine))) return;
  for await (const file of walkFiles([dir], walkOptions(engine))) if (engine.wantsFound(file)) yield file;
}

/** Whether the workspace scan walks `dir`: the manifest's folder, or a folder inside it that the walk enters. */
export function isScannedFolder(engine: Engine, dir: string): boolean {
  return path.resolve(dir) === path.resolve(engine.root) || walkEnters(engine.root, dir, walkOptions(engine));
}

/** The walk's checks for an engine's manifest, built once per engine (the globs compile to matchers). */
const optionsOf = new WeakMap<Engine, Pick<WalkOptions, 'classify' | 'excludedDirectory'>>();

function walkOptions(engine: Engine): Pick<WalkOptions, 'classify' | 'excludedDirectory'> {
  let opts = optionsOf.get(engine);
  if (opts === undefined) {
    const loaded = engine.loaded;
    const excludedByManifest = createDirectoryExcluder(loaded);
    opts = {
      classify: createGlobClassifier(loaded),
      excludedDirectory: (dir) => (ALWAYS_EXCLUDED_FOLDERS.has(path.basename(dir)) ? 'never scanned' : excludedByManifest(dir)),
    };
    optionsOf.set(engine, opts);
  }
  return opts;
}
