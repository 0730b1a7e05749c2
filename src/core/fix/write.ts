/** Atomic file replacement: write a temp file in the same folder with the old mode, then rename over the target. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function writeFileAtomic(file: string, data: string | Uint8Array, mode?: number): void {
  let target = file;
  try {
    target = fs.realpathSync(file); // write through a symlink, never replace it
  } catch {
    /* a new file */
  }
  let keepMode = mode;
  if (keepMode === undefined) {
    try {
      keepMode = fs.statSync(target).mode & 0o7777;
    } catch {
      keepMode = 0o644;
    }
  }
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.bqmigrate-${process.pid}-${Math.random().toString(36).slice(2, 8)}.tmp`);
  const fd = fs.openSync(tmp, 'wx', keepMode);
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  try {
    fs.chmodSync(tmp, keepMode); // the umask may have narrowed it at open
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
