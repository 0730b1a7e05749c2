/** The manifest's include / exclude globs, relative to the manifest folder (picomatch, dotfiles included). */
import * as path from 'node:path';
import picomatch from 'picomatch';
import type { LoadedManifest } from '../manifest/load';

export function createIncludeMatcher(loaded: LoadedManifest): (filePath: string) => boolean {
  const { include, exclude } = loaded.manifest;
  const inc = picomatch(include.length ? include : ['**/*'], { dot: true });
  const exc = exclude.length ? picomatch(exclude, { dot: true }) : () => false;
  return (filePath: string) => {
    const rel = path.relative(loaded.root, path.resolve(loaded.root, filePath)).split(path.sep).join('/');
    if (rel === '' || rel.startsWith('../') || rel === '..' || path.isAbsolute(rel)) return false;
    return inc(rel) && !exc(rel);
  };
}

/** True when a folder (relative path) is excluded outright, so the walk need not enter it. */
export function createDirectoryExcluder(loaded: LoadedManifest): (dirPath: string) => boolean {
  const { exclude } = loaded.manifest;
  if (!exclude.length) return () => false;
  const exc = picomatch(exclude, { dot: true });
  return (dirPath: string) => {
    const rel = path.relative(loaded.root, dirPath).split(path.sep).join('/');
    return rel !== '' && !rel.startsWith('..') && (exc(rel) || exc(`${rel}/`));
  };
}
