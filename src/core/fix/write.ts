/**
 * The one file writer for rewritten sources, the manifest and generated files. A file is replaced so that
 * only its content changes: same mode, owner and group, symbolic links written through (never replaced),
 * hard links kept.
 *
 * - Normally: a temp file in the target's folder gets the new content, the old mode, owner and group
 *   (fchown, so a root run keeps `nobody:nogroup`), is fsynced and renamed over the target. A reader sees
 *   the old or the new file, never half of one.
 * - When a new file cannot be the same file: the target has more than one hard link (a rename would split
 *   them: one name new, the others old), or its owner or group cannot be given to a new file (not root,
 *   someone else's file). Then the target is rewritten in place, as vim's `backupcopy` does: first a full
 *   copy is written and fsynced next to it, then the target is overwritten, truncated and fsynced, then the
 *   copy is removed. In-place writing is not atomic; the copy is what makes it recoverable: a run killed
 *   mid-write leaves the copy, and the next lint or fix says where it is (see `describeTempFile`).
 *
 * Temp files and copies are named `.<name>.bqmigrate-<pid>-<random>.tmp|.bak`: the walk never lints them,
 * and a `.tmp` whose process has died is removed by the next `fix`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export type WriteMethod = 'replaced' | 'in-place' | 'created';

const TEMP_NAME = /^\.(.+)\.bqmigrate-(\d+)-[a-z0-9]+\.(tmp|bak)$/;

function tempPath(target: string, kind: 'tmp' | 'bak'): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.bqmigrate-${process.pid}-${Math.random().toString(36).slice(2, 8)}.${kind}`);
}

/** A temp file or in-place copy left by a writer: whose file it is, the writer's pid, and whether that process still runs. */
export function parseTempName(file: string): { of: string; pid: number; kind: 'tmp' | 'bak'; alive: boolean } | undefined {
  const m = TEMP_NAME.exec(path.basename(file));
  if (!m) return undefined;
  const pid = Number(m[2]);
  return { of: path.join(path.dirname(file), m[1]!), pid, kind: m[3] as 'tmp' | 'bak', alive: processAlive(pid) };
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}

/** Why a writer's file is not linted, for the "not read" list. */
export function describeTempFile(t: NonNullable<ReturnType<typeof parseTempName>>): string {
  const of = path.basename(t.of);
  if (t.kind === 'bak') {
    return t.alive
      ? `a copy of ${of} kept while bqmigrate (pid ${t.pid}) rewrites it in place`
      : `a copy of ${of} from before an in-place rewrite that was interrupted (pid ${t.pid} is gone): if ${of} is damaged, restore it from this copy; then delete the copy`;
  }
  return t.alive ? `a temp file of bqmigrate (pid ${t.pid}) writing ${of}` : `a temp file left by an interrupted bqmigrate (pid ${t.pid} is gone); \`bqmigrate fix\` removes it`;
}

/**
 * Writes `data` to `file` (see the header for how). `mode` is the mode for a new file, or the mode to keep
 * when the caller read it before; returns how the file was written.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array | readonly Uint8Array[], mode?: number, opts: WriteOptions = {}): WriteMethod {
  let target = file;
  try {
    target = fs.realpathSync(file); // write through a symlink, never replace it
  } catch {
    /* a new file */
  }
  // Pieces (the lint cache's regions) are written one after another rather than joined into one copy.
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data instanceof Uint8Array ? data : undefined;
  const pieces = bytes ? [bytes] : (data as readonly Uint8Array[]);
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(target);
  } catch {
    /* a new file */
  }
  const keepMode = mode ?? (st ? st.mode & 0o7777 : 0o644);
  if (st && st.nlink > 1) {
    writeInPlace(target, bytes ?? Buffer.concat(pieces));
    return 'in-place';
  }
  const tmp = tempPath(target, 'tmp');
  const fd = fs.openSync(tmp, 'wx', keepMode);
  let sameOwner = true;
  try {
    if (st && (st.uid !== process.getuid?.() || st.gid !== process.getgid?.())) {
      try {
        fs.fchownSync(fd, st.uid, st.gid);
      } catch {
        sameOwner = false; // EPERM: only root may give a file away
      }
    }
    if (sameOwner) {
      writePieces(fd, pieces);
      fs.fchmodSync(fd, keepMode); // after fchown, which clears setuid bits; the umask may have narrowed it at open
      if (opts.durable !== false) fs.fsyncSync(fd);
    }
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  if (!sameOwner) {
    fs.rmSync(tmp, { force: true });
    writeInPlace(target, bytes ?? Buffer.concat(pieces));
    return 'in-place';
  }
  try {
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  return st ? 'replaced' : 'created';
}

export interface WriteOptions {
  /**
   * false: no fsync before the rename, for files that can be rebuilt (the lint cache). A crash may then
   * leave an empty or short file, never a mix of two: its reader must notice and discard it.
   */
  durable?: boolean;
}

/** Writes a generated file (a report, a CSV, a starter manifest, the lint cache) with writeFileAtomic, creating its folder first. */
export function writeGeneratedFile(file: string, data: string | Uint8Array | readonly Uint8Array[], opts: WriteOptions = {}): WriteMethod {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return writeFileAtomic(file, data, undefined, opts);
}

/**
 * `writeGeneratedFile` with the writing done on libuv's thread pool, for a caller whose thread must stay
 * free (the editor's extension host): the same temp file and rename, the pieces written with one `writev`.
 * A target that writeFileAtomic would rewrite in place (hard-linked, or someone else's) is handed to it.
 */
export async function writeGeneratedFileAsync(file: string, pieces: readonly Uint8Array[], opts: WriteOptions = {}): Promise<WriteMethod> {
  await fs.promises.mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const target = await fs.promises.realpath(file).catch(() => file); // write through a symlink, never replace it
  const st = await fs.promises.stat(target).catch(() => undefined);
  if (st && (st.nlink > 1 || st.uid !== process.getuid?.() || st.gid !== process.getgid?.())) return writeFileAtomic(file, pieces, undefined, opts);
  const mode = st ? st.mode & 0o7777 : 0o644;
  const tmp = tempPath(target, 'tmp');
  try {
    const handle = await fs.promises.open(tmp, 'wx', mode);
    try {
      const total = pieces.reduce((n, p) => n + p.length, 0);
      const { bytesWritten } = await handle.writev(pieces as Uint8Array[]);
      if (bytesWritten !== total) throw new Error(`only ${bytesWritten} of ${total} bytes could be written (is the disk full?)`);
      await handle.chmod(mode); // the umask may have narrowed it at open
      if (opts.durable !== false) await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(tmp, target);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
  return st ? 'replaced' : 'created';
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done);
}

/** Up to this many bytes of small pieces are gathered into one write. */
const GATHER_BYTES = 1 << 20;

/**
 * Writes the pieces in order, runs of small ones copied into one buffer first: the lint cache holds two
 * pieces a file, and a system call for each (~15,000 on the bench corpus) cost ~90 ms of a 6.9 MB write.
 */
function writePieces(fd: number, pieces: readonly Uint8Array[]): void {
  let gathered: Buffer | undefined;
  let used = 0;
  const flush = () => {
    if (used > 0) writeAll(fd, gathered!.subarray(0, used));
    used = 0;
  };
  for (const piece of pieces) {
    if (piece.length >= GATHER_BYTES / 4) {
      flush();
      writeAll(fd, piece);
      continue;
    }
    if (used + piece.length > GATHER_BYTES) flush();
    gathered ??= Buffer.allocUnsafe(GATHER_BYTES);
    gathered.set(piece, used);
    used += piece.length;
  }
  flush();
}

/**
 * A file another writer produces (DuckDB's `COPY … TO`): `produce` writes the temp path it is given, in the
 * target's folder and named as the writer's temp files are, which then is renamed over `file`, so a reader
 * sees the old file or the whole new one. The temp is removed when `produce` or the rename fails.
 */
export async function publishFileAtomic<T>(file: string, produce: (tmp: string) => Promise<T>): Promise<T> {
  const target = path.resolve(file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = tempPath(target, 'tmp');
  try {
    const result = await produce(tmp);
    fs.renameSync(tmp, target);
    return result;
  } catch (err) {
    fs.rmSync(tmp, { force: true, recursive: true });
    throw err;
  }
}

/** Overwrites the file itself (same inode: hard links, owner and mode stay), with a synced copy of the old content until done. */
function writeInPlace(target: string, bytes: Uint8Array): void {
  const backup = tempPath(target, 'bak');
  fs.copyFileSync(target, backup, fs.constants.COPYFILE_EXCL);
  const bfd = fs.openSync(backup, 'r');
  try {
    fs.fsyncSync(bfd);
  } finally {
    fs.closeSync(bfd);
  }
  let fd: number;
  try {
    fd = fs.openSync(target, 'r+');
  } catch (err) {
    fs.rmSync(backup, { force: true }); // nothing was written
    throw err;
  }
  try {
    let done = 0;
    while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done, done);
    fs.ftruncateSync(fd, bytes.length);
    fs.fsyncSync(fd);
  } catch (err) {
    (err as Error).message += ` (rewriting in place; the old content is kept in ${backup})`;
    throw err;
  } finally {
    fs.closeSync(fd);
  }
  fs.rmSync(backup);
}
