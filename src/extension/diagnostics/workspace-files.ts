/**
 * Which files the workspace scan reads: every file of the manifest's folder the engine lints, found by
 * the core's walk (the CLI's: every .gitignore on the way down, the manifest's include / exclude
 * globs) less the folders the editor never scans (ALWAYS_EXCLUDED_FOLDERS) and the settings' excludes.
 * Walking the disk directly hands out the first files at once, where VS Code's file search answered
 * only with the whole list, and only after a round trip through the window.
 */
import * as path from 'node:path';
import { createDirectoryExcluder, createGlobClassifier } from '../../core/lint/globs';
import { walkFiles } from '../../core/lint/walk';
import { ALWAYS_EXCLUDED_FOLDERS, type Engine } from './engine';

/** The files (absolute paths) as the walk finds them, folder by folder, in name order. */
export async function* workspaceFiles(engine: Engine): AsyncGenerator<string> {
  const loaded = engine.loaded;
  const excludedByManifest = createDirectoryExcluder(loaded);
  const files = walkFiles([engine.root], {
    classify: createGlobClassifier(loaded),
    excludedDirectory: (dir) => (ALWAYS_EXCLUDED_FOLDERS.has(path.basename(dir)) ? 'never scanned' : excludedByManifest(dir)),
  });
  for await (const file of files) if (engine.wantsFound(file)) yield file;
}
