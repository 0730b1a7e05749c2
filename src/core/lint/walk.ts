/**
 * Walks the paths to lint: respects every .gitignore on the way down (the `ignore` package, each file
 * relative to its own folder) and the manifest's include / exclude globs; follows symlinks once, never
 * round a loop. What it leaves out is reported (`onSkip`), never dropped in silence:
 * - a path named on the command line is always linted, even when a glob or .gitignore excludes it or it
 *   lies outside the manifest's folder (the globs are relative to that folder and say nothing there);
 * - a named path that cannot be read — missing, a FIFO, a symlink loop — is an error (`onError`);
 * - inside named folders, files the globs or .gitignore leave out, dependency and VCS folders, bqmigrate's
 *   own temp files (fix/write.ts), binary formats and special files are skips with their reason.
 * Folders are listed synchronously (a warm `lint --cache` is mostly this walk; a thread-pool round trip per
 * folder cost more than the listing), handing the event loop back every few hundred files for a lint pool fed
 * from the walk. A folder the walk cache (walk-cache.ts) holds unchanged is replayed, not listed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { describeTempFile, parseTempName } from '../fix/write';
import { languageFor } from '../scan/index';
import type { GlobVerdict } from './globs';
import type { Unscanned } from './unscanned';
import { ignoreFingerprint, ignoreId, type FolderCache, type FolderItem, type FolderRecord } from './walk-cache';

export interface WalkOptions {
  /** Where the manifest's include / exclude globs put a file (files outside the manifest folder are `outside`). */
  classify(file: string): GlobVerdict;
  /** A folder the exclude globs name outright (so the walk need not enter it), with the glob. */
  excludedDirectory?(dir: string): string | undefined;
  /** A file or folder not read, and why. */
  onSkip?(skip: Unscanned): void;
  /** A named path that cannot be linted at all. */
  onError?(file: string, message: string): void;
  /** What earlier walks decided per folder, reused while the folder is unchanged (walk-cache.ts). */
  folders?: FolderCache;
}

interface IgnoreLayer {
  base: string;
  ig: Ignore;
  /** Its folder and the hash of its text (walk-cache.ts). */
  id: string;
}

/** Files handed out between two turns of the event loop. */
const FILES_PER_TURN = 256;

/** Folders never linted: version control, bqmigrate's own state, installed dependencies. */
const NEVER_LINTED = new Set(['.git', '.hg', '.svn', '.bqmigrate', 'node_modules']);

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
    return { base: dir, ig: ignore().add(text), id: ignoreId(dir, text) };
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

/** The .gitignore that ignores the path, or undefined. */
function ignoredBy(layers: readonly IgnoreLayer[], file: string, isDir: boolean): string | undefined {
  for (let k = 0; k < layers.length; k++) {
    const l = layers[k]!;
    const rel = relativeTo(l.base, file);
    if (!rel || rel.startsWith('..')) continue;
    if (l.ig.ignores(isDir ? `${rel}/` : rel)) return path.join(l.base, '.gitignore');
  }
  return undefined;
}

function readlinkOr(file: string): string {
  try {
    return fs.readlinkSync(file);
  } catch {
    return '?';
  }
}

/** What a stat error on a named path means to a user. */
function statError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOENT':
      return 'no such file or folder (check the path)';
    case 'ELOOP':
      return 'a symbolic link loop: a link that leads back to itself (fix or remove the link)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied (check who may read it)';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder (check the path)';
    case 'ENAMETOOLONG':
      return 'the path is too long';
    default:
      return err.code ? `cannot be read (${err.code})` : `cannot be read: ${err.message}`;
  }
}

/** A special file: what it is, for a message. */
function specialKind(st: fs.Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** The binary format of a file, by its name, or undefined when it is read as text. */
function binaryFormat(file: string): string | undefined {
  if (languageFor(file) !== undefined) return undefined;
  return path.extname(file).slice(1).toLowerCase() || 'binary';
}

/**
 * The walk as a plain generator, for a caller that takes files as fast as they come (a warm `lint --cache`
 * looks most files up in its cache and hands each out at once): no promise per file. walkFiles is the
 * same walk handing the event loop back every few hundred files.
 */
export function* walkFilesSync(paths: readonly string[], opts: WalkOptions): Generator<string> {
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();
  for (const p of paths) {
    const abs = path.resolve(p);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch (err) {
      let message = statError(err as NodeJS.ErrnoException);
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        let link: fs.Stats | undefined;
        try {
          link = fs.lstatSync(abs);
        } catch {
          link = undefined;
        }
        if (link?.isSymbolicLink()) message = `a broken symbolic link: its target ${readlinkOr(abs)} does not exist (fix or remove the link)`;
      }
      opts.onError?.(abs, message);
      continue;
    }
    if (st.isFile()) {
      const binary = binaryFormat(abs);
      if (binary !== undefined) {
        opts.onSkip?.({ path: abs, folder: false, reason: 'binary', detail: `a binary format (.${binary}), not read` });
        continue;
      }
      const real = fs.realpathSync(abs);
      if (!seenFiles.has(real)) {
        seenFiles.add(real);
        yield abs;
      }
      continue;
    }
    if (!st.isDirectory()) {
      opts.onError?.(abs, `${specialKind(st)}, not a file or folder: bqmigrate reads only files (name the files to lint instead)`);
      continue;
    }
    let real: string;
    try {
      real = fs.realpathSync(abs);
    } catch (err) {
      opts.onError?.(abs, statError(err as NodeJS.ErrnoException));
      continue;
    }
    yield* walkDir(abs, real, gitignoreLayers(abs), opts, seenDirs, seenFiles);
  }
}

export function walkFiles(paths: readonly string[], opts: WalkOptions): AsyncGenerator<string> {
  return withTurns(walkFilesSync(paths, opts));
}

/** The files of a walk, handing the event loop back every FILES_PER_TURN (so that a lint pool fed from it keeps receiving results). */
export async function* withTurns(files: Iterator<string>): AsyncGenerator<string> {
  let listed = 0;
  for (let n = files.next(); !n.done; n = files.next()) {
    yield n.value;
    if (++listed % FILES_PER_TURN === 0) await turn();
  }
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * `real` is the folder's real path. Only symbolic links need `realpath`: an entry that is not a link
 * has its folder's real path plus its own name, which keeps the loop and duplicate checks exact.
 */
function* walkDir(dir: string, real: string, layers: IgnoreLayer[], opts: WalkOptions, seenDirs: Set<string>, seenFiles: Set<string>): Generator<string> {
  if (seenDirs.has(real)) return; // a symlink loop or a folder reached twice
  seenDirs.add(real);
  const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
  // Both are absolute and normalised: a child's path is the folder's, a separator and its name (what path.join gives, without its cost).
  const realPrefix = real.endsWith(path.sep) ? real : real + path.sep;
  const realIsPath = realPrefix === prefix;
  const folders = opts.folders;
  let listedAt = 0;
  let mtimeMs = -1;
  if (folders) {
    listedAt = Date.now(); // before the stat: see RACY_MS
    try {
      mtimeMs = fs.statSync(dir).mtimeMs;
    } catch {
      mtimeMs = -1; // listed as usual, which says what is wrong
    }
    const record = mtimeMs >= 0 ? folders.get(dir, mtimeMs) : undefined;
    if (record) {
      const own = record.o === 1 ? readIgnore(dir) : undefined;
      const here = own && !layers.some((l) => l.base === dir) ? [...layers, own] : layers;
      if (record.g === ignoreFingerprint(here)) {
        folders.reused++;
        yield* replay(record, prefix, realIsPath ? prefix : realPrefix, here, opts, seenDirs, seenFiles);
        return;
      }
    }
  }
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    opts.onSkip?.({ path: dir, folder: true, reason: 'unreadable', detail: `the folder cannot be listed: ${statError(err as NodeJS.ErrnoException)}` });
    folders?.put(dir, listedAt, undefined);
    return;
  }
  // Only a folder that lists a .gitignore has one to read (a .gitignore that is a folder or unreadable counts as none, as before).
  const hasIgnore = entries.some((e) => e.name === '.gitignore');
  const own = hasIgnore ? readIgnore(dir) : undefined;
  const here = own && !layers.some((l) => l.base === dir) ? [...layers, own] : layers;
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // What is decided here, for the walk cache; a folder whose entries can change behind its mtime is not kept.
  const items: FolderItem[] = [];
  let keep = folders !== undefined && mtimeMs >= 0;
  const skip = (name: string, s: Unscanned) => {
    if (keep) items.push([name, s.reason, s.detail, s.folder ? 1 : 0]);
    opts.onSkip?.(s);
  };
  for (const e of entries) {
    const full = prefix + e.name;
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    const link = e.isSymbolicLink();
    if (link) {
      keep = false;
      try {
        const st = fs.statSync(full);
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        opts.onSkip?.({ path: full, folder: false, reason: 'unreadable', detail: code === 'ELOOP' ? 'a symbolic link loop: a link that leads back to itself' : `a broken symbolic link to ${readlinkOr(full)}` });
        continue;
      }
    }
    if (isDir) {
      if (NEVER_LINTED.has(e.name)) {
        skip(e.name, { path: full, folder: true, reason: 'never-linted', detail: e.name === 'node_modules' ? 'installed dependencies are never linted' : 'version-control and bqmigrate state folders are never linted' });
        continue;
      }
      const gitignore = ignoredBy(here, full, true);
      if (gitignore !== undefined) {
        skip(e.name, { path: full, folder: true, reason: 'ignored', detail: `ignored by ${gitignore}` });
        continue;
      }
      const glob = opts.excludedDirectory?.(full);
      if (glob !== undefined) {
        skip(e.name, { path: full, folder: true, reason: 'excluded', detail: `matches the manifest's exclude glob ${glob}` });
        continue;
      }
      let realDir = realPrefix + e.name;
      if (link) {
        try {
          realDir = fs.realpathSync(full);
        } catch {
          continue;
        }
      }
      if (keep) items.push([e.name]);
      yield* walkDir(full, realDir, here, opts, seenDirs, seenFiles);
    } else if (isFile) {
      const temp = parseTempName(full);
      if (temp !== undefined) {
        keep = false;
        opts.onSkip?.({ path: full, folder: false, reason: 'never-linted', detail: describeTempFile(temp) });
        continue;
      }
      const gitignore = ignoredBy(here, full, false);
      if (gitignore !== undefined) {
        skip(e.name, { path: full, folder: false, reason: 'ignored', detail: `ignored by ${gitignore}` });
        continue;
      }
      const verdict = opts.classify(full);
      if (verdict.kind === 'excluded' || verdict.kind === 'not-included') {
        skip(e.name, { path: full, folder: false, reason: verdict.kind, detail: verdict.detail });
        continue;
      }
      const binary = binaryFormat(full);
      if (binary !== undefined) {
        skip(e.name, { path: full, folder: false, reason: 'binary', detail: `a binary format (.${binary}), not read` });
        continue;
      }
      if (keep) items.push(e.name);
      // With no link on the way the real path is the path: one string, hashed once for this set and the lookups after.
      let realFile = realIsPath ? full : realPrefix + e.name;
      if (link) {
        try {
          realFile = fs.realpathSync(full);
        } catch {
          realFile = full; // keep the path as is
        }
      }
      if (seenFiles.has(realFile)) continue;
      seenFiles.add(realFile);
      yield full;
    } else {
      keep = false;
      let st: fs.Stats | undefined;
      try {
        st = fs.lstatSync(full);
      } catch {
        st = undefined;
      }
      opts.onSkip?.({ path: full, folder: false, reason: 'not-a-file', detail: st ? `${specialKind(st)}, not read` : 'not a regular file, not read' });
    }
  }
  if (folders && mtimeMs >= 0) folders.put(dir, listedAt, keep ? ({ m: mtimeMs, g: ignoreFingerprint(here), o: hasIgnore ? 1 : 0, i: items } satisfies FolderRecord) : undefined);
}

/**
 * The .gitignore layers in force inside `dir` (`root` or a folder in it) when a walk of `root` enters it — no
 * folder on the way never linted, .gitignored or excluded, as walkDir checks — else undefined.
 */
function layersInside(root: string, dir: string, opts: Pick<WalkOptions, 'excludedDirectory'>): IgnoreLayer[] | undefined {
  const rel = path.relative(root, dir);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  let layers = gitignoreLayers(root);
  let at = root;
  for (const name of rel === '' ? [] : rel.split(path.sep)) {
    const full = path.join(at, name);
    if (NEVER_LINTED.has(name) || ignoredBy(layers, full, true) !== undefined || opts.excludedDirectory?.(full) !== undefined) return undefined;
    const own = readIgnore(full);
    if (own) layers = [...layers, own];
    at = full;
  }
  return layers;
}

/**
 * Whether a walk of the folder `root` hands out `file`, a path inside it that the walk did not meet (the
 * editor's file watcher reports it): the folders on the way are entered (`layersInside`), and the file is
 * not a bqmigrate temp file, not ignored by a .gitignore in force, included by the globs, not a binary
 * format. False for a path outside `root`. Symbolic links on the way are taken as the folders they stand for.
 */
export function walkYields(root: string, file: string, opts: Pick<WalkOptions, 'classify' | 'excludedDirectory'>): boolean {
  const rel = path.relative(root, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return false;
  const full = path.join(root, rel);
  const layers = layersInside(root, path.dirname(full), opts);
  if (layers === undefined || parseTempName(full) !== undefined || ignoredBy(layers, full, false) !== undefined) return false;
  const verdict = opts.classify(full);
  return verdict.kind !== 'excluded' && verdict.kind !== 'not-included' && binaryFormat(full) === undefined;
}

/** Whether a walk of the folder `root` enters `dir`, a folder inside it (the editor's file watcher reports one made with files in it). */
export function walkEnters(root: string, dir: string, opts: Pick<WalkOptions, 'excludedDirectory'>): boolean {
  return path.relative(root, dir) !== '' && layersInside(root, dir, opts) !== undefined;
}

/** A folder as the walk cache kept it: the same files, skips and folders, in the same order, without listing it. */
function* replay(record: FolderRecord, prefix: string, realPrefix: string, here: IgnoreLayer[], opts: WalkOptions, seenDirs: Set<string>, seenFiles: Set<string>): Generator<string> {
  for (const item of record.i) {
    if (typeof item === 'string') {
      const full = prefix + item;
      const realFile = realPrefix === prefix ? full : realPrefix + item; // the same string when the caller found no link on the way
      if (seenFiles.has(realFile)) continue;
      seenFiles.add(realFile);
      yield full;
    } else if (item.length === 1) {
      yield* walkDir(prefix + item[0], realPrefix + item[0], here, opts, seenDirs, seenFiles);
    } else {
      opts.onSkip?.({ path: prefix + item[0], folder: item[3] === 1, reason: item[1], detail: item[2] });
    }
  }
}
