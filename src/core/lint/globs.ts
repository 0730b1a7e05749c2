/** The manifest's include / exclude globs, relative to the manifest folder (picomatch, dotfiles included). */
import * as path from 'node:path';
import picomatch from 'picomatch';
import type { LoadedManifest } from '../manifest/load';

/**
 * Where the globs put a file: `included`; `excluded` or `not-included` with the glob that decided (only
 * inside the manifest's folder); `outside` the manifest's folder, where the globs say nothing.
 */
export type GlobVerdict = { kind: 'included' } | { kind: 'outside' } | { kind: 'excluded' | 'not-included'; detail: string };

/** The path of a file relative to the manifest folder, with `/`; undefined when it lies outside the folder. */
function relativeToManifest(loaded: LoadedManifest, filePath: string): string | undefined {
  // The walk's paths are absolute and normalised: inside the folder, the path is the folder, a separator, the rest.
  const root = loaded.root;
  if (path.sep === '/' && filePath.length > root.length + 1 && filePath.startsWith(root) && (filePath.charCodeAt(root.length) === 0x2f || root.endsWith('/')) && path.isAbsolute(root) && !filePath.includes('/.', root.length) && !filePath.includes('//')) {
    return filePath.slice(root.endsWith('/') ? root.length : root.length + 1);
  }
  const rel = path.relative(loaded.root, path.resolve(loaded.root, filePath)).split(path.sep).join('/');
  if (rel === '' || rel.startsWith('../') || rel === '..' || path.isAbsolute(rel)) return undefined;
  return rel;
}

const INCLUDED: GlobVerdict = Object.freeze({ kind: 'included' });
const OUTSIDE: GlobVerdict = Object.freeze({ kind: 'outside' });

export function createGlobClassifier(loaded: LoadedManifest): (filePath: string) => GlobVerdict {
  const { include, exclude } = loaded.manifest;
  // No include globs means every file (`**/*` with dotfiles matches any relative path): no test to run.
  const inc = include.length ? picomatch(include, { dot: true }) : undefined;
  const excluders = exclude.map((g) => ({ glob: g, match: picomatch(g, { dot: true }) }));
  return (filePath) => {
    const rel = relativeToManifest(loaded, filePath);
    if (rel === undefined) return OUTSIDE;
    for (let k = 0; k < excluders.length; k++) {
      const ex = excluders[k]!;
      if (ex.match(rel)) return { kind: 'excluded', detail: `matches the manifest's exclude glob ${ex.glob}` };
    }
    if (inc && !inc(rel)) return { kind: 'not-included', detail: `matches none of the manifest's include globs (${include.join(', ')})` };
    return INCLUDED;
  };
}

/** Whether the globs include a file: inside the manifest's folder, included and not excluded. */
export function createIncludeMatcher(loaded: LoadedManifest): (filePath: string) => boolean {
  const classify = createGlobClassifier(loaded);
  return (filePath: string) => classify(filePath).kind === 'included';
}

/** The exclude glob that names a folder (relative path) outright, so the walk need not enter it; undefined when none does. */
export function createDirectoryExcluder(loaded: LoadedManifest): (dirPath: string) => string | undefined {
  const { exclude } = loaded.manifest;
  if (!exclude.length) return () => undefined;
  const excluders = exclude.map((g) => ({ glob: g, match: picomatch(g, { dot: true }) }));
  return (dirPath: string) => {
    const rel = path.relative(loaded.root, dirPath).split(path.sep).join('/');
    if (rel === '' || rel.startsWith('..')) return undefined;
    return excluders.find((x) => x.match(rel) || x.match(`${rel}/`))?.glob;
  };
}
