/**
 * Walks the paths to lint: respects every .gitignore on the way down (the
 * `ignore` package, each file relative to its own folder) and the manifest's
 * include / exclude globs; follows symlinks once, never round a loop.
 * Files named explicitly are linted even when a glob or .gitignore excludes them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

export interface WalkOptions {
  isIncluded(file: string): boolean;
  isExcludedDirectory?(dir: string): boolean;
  onNote?(file: string, note: string): void;
}

interface IgnoreLayer {
  base: string;
  ig: Ignore;
}

const ALWAYS_SKIPPED = new Set(['.git', '.hg', '.svn', '.bqmigrate']);

function gitignoreLayers(start: string): IgnoreLayer[] {
  // .gitignore files above the start folder, up to the repository root (the folder holding .git).
  const layers: IgnoreLayer[] = [];
  let dir = start;
  for (;;) {
    const layer = readIgnore(dir);
    if (layer) layers.unshift(layer);
    if (fs.existsSync(path.join(dir, '.git'))) break;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return layers;
}

function readIgnore(dir: string): IgnoreLayer | undefined {
  try {
    const text = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8');
    return { base: dir, ig: ignore().add(text) };
  } catch {
    return undefined;
  }
}

function relativeTo(base: string, file: string): string {
  // The walk's paths are absolute and normalised: a path inside base is base + separator + the rest.
  const prefix = base.endsWith(path.sep) ? base : base + path.sep;
  const rel = file.startsWith(prefix) ? file.slice(prefix.length) : path.relative(base, file);
  return path.sep === '/' ? rel : rel.split(path.sep).join('/');
}

function ignored(layers: readonly IgnoreLayer[], file: string, isDir: boolean): boolean {
  for (const l of layers) {
    const rel = relativeTo(l.base, file);
    if (!rel || rel.startsWith('..')) continue;
    if (l.ig.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}

export async function* walkFiles(paths: readonly string[], opts: WalkOptions): AsyncGenerator<string> {
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();
  for (const p of paths) {
    const abs = path.resolve(p);
    let st: fs.Stats;
    try {
      st = await fs.promises.stat(abs);
    } catch (err) {
      opts.onNote?.(abs, `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      continue;
    }
    if (st.isFile()) {
      const real = await fs.promises.realpath(abs);
      if (!seenFiles.has(real)) {
        seenFiles.add(real);
        yield abs;
      }
      continue;
    }
    if (!st.isDirectory()) continue;
    let real: string;
    try {
      real = await fs.promises.realpath(abs);
    } catch {
      continue;
    }
    yield* walkDir(abs, real, gitignoreLayers(abs), opts, seenDirs, seenFiles);
  }
}

/**
 * `real` is the folder's real path. Only symbolic links need `realpath`: an entry that is not a link
 * has its folder's real path plus its own name, which keeps the loop and duplicate checks exact.
 */
async function* walkDir(dir: string, real: string, layers: IgnoreLayer[], opts: WalkOptions, seenDirs: Set<string>, seenFiles: Set<string>): AsyncGenerator<string> {
  if (seenDirs.has(real)) return; // a symlink loop or a folder reached twice
  seenDirs.add(real);
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(dir, { withFileTypes: true });
  } catch (err) {
    opts.onNote?.(dir, `cannot read folder: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    return;
  }
  const own = readIgnore(dir);
  const here = own && !layers.some((l) => l.base === dir) ? [...layers, own] : layers;
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = path.join(dir, e.name);
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    const link = e.isSymbolicLink();
    if (link) {
      try {
        const st = await fs.promises.stat(full);
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch {
        opts.onNote?.(full, 'broken symbolic link, skipped');
        continue;
      }
    }
    if (isDir) {
      if (ALWAYS_SKIPPED.has(e.name) || e.name === 'node_modules' || ignored(here, full, true) || opts.isExcludedDirectory?.(full)) continue;
      let realDir = path.join(real, e.name);
      if (link) {
        try {
          realDir = await fs.promises.realpath(full);
        } catch {
          continue;
        }
      }
      yield* walkDir(full, realDir, here, opts, seenDirs, seenFiles);
    } else if (isFile) {
      if (ignored(here, full, false) || !opts.isIncluded(full)) continue;
      let realFile = path.join(real, e.name);
      if (link) {
        try {
          realFile = await fs.promises.realpath(full);
        } catch {
          realFile = full; // keep the path as is
        }
      }
      if (seenFiles.has(realFile)) continue;
      seenFiles.add(realFile);
      yield full;
    }
  }
}
