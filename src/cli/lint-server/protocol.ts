/**
 * What the lint server and its clients share: where the server listens, what identifies the build it runs,
 * and the frames of a reply. A client sends one request as a line of JSON; the server answers in frames of
 * [kind: 1 byte][length: 4 bytes, big-endian][payload], so stdout and stderr keep their order and bytes.
 * This file is bundled into dist/lint-client.js, which bin/bqmigrate.js loads before anything else: it
 * imports nothing but node's own modules.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const FRAME = { stdout: 1, stderr: 2, exit: 3, reply: 4 } as const;
export type FrameKind = (typeof FRAME)[keyof typeof FRAME];

/** A client's request. `identity` is the client's own build: a server of another build does not run it. */
export type ServerRequest =
  | { kind: 'lint'; identity: string; args: string[]; cwd: string; env: Record<string, string | undefined>; stdoutIsTTY: boolean; stderrIsTTY: boolean }
  | { kind: 'status' }
  | { kind: 'stop' };

/** The server's answer to `status` and `stop`, and to a lint it will not run. */
export interface ServerReply {
  pid: number;
  identity: string;
  node: string;
  startedAt: string;
  runs: number;
  idleMinutes: number;
  /** Resident memory, MiB. */
  rssMiB: number;
  /** Lint workers kept warm between runs, and how many were started in all (more than are kept when some stopped). */
  workers?: { kept: number; started: number };
  /** Set when the server is stopping: asked to, or its build is not the client's. */
  stopping?: 'asked' | 'stale';
}

/**
 * A folder under the OS temp dir that only this user can write, made if missing; undefined when it is
 * someone else's or open to others (never trusted then). `create: false` only looks.
 */
export function userFolder(name: string, create = true): string | undefined {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const dir = path.join(os.tmpdir(), `bqmigrate-${name}${uid === undefined ? '' : `-${uid}`}`);
  try {
    if (create) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(dir);
    if (!st.isDirectory() || (uid !== undefined && (st.uid !== uid || (st.mode & 0o022) !== 0))) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

/** 64 bits of FNV-1a over a string's UTF-16 units, as 16 hex digits: a short, stable file name for a path (not a security check). */
function nameHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x9e3779b9;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (a >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/**
 * Where the server for the lint bundle at `bundle` listens: one socket per installed bqmigrate, so two
 * checkouts never share a server. Undefined on Windows (the server is not offered there) or without a
 * private temp folder.
 */
export function socketPath(bundle: string, create = true): string | undefined {
  if (process.platform === 'win32') return undefined;
  const dir = userFolder('server', create);
  return dir && path.join(dir, `lint-${nameHash(bundle)}.sock`);
}

/** The build a process runs: the lint bundle's path, size and mtime, and Node's version and architecture. */
export function buildIdentity(bundle: string): string {
  const st = fs.statSync(bundle);
  return [bundle, st.size, st.mtimeMs, process.version, process.arch].join('\0');
}

/** A frame's five bytes of head; its payload follows as it is. */
export function frameHead(kind: FrameKind, length: number): Buffer {
  const head = Buffer.allocUnsafe(5);
  head[0] = kind;
  head.writeUInt32BE(length, 1);
  return head;
}

/**
 * Reads frames from a byte stream as it arrives. A frame's payload is handed on in the pieces it came in
 * (`onPiece`), so a client copies a large stdout out as it streams, never holding or re-joining it.
 */
export class FrameReader {
  private head = Buffer.alloc(5);
  private headBytes = 0;
  private kind = 0;
  private left = 0;

  constructor(private readonly onPiece: (kind: number, piece: Buffer, last: boolean) => void) {}

  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.headBytes < 5) {
        const n = Math.min(5 - this.headBytes, chunk.length - at);
        chunk.copy(this.head, this.headBytes, at, at + n);
        this.headBytes += n;
        at += n;
        if (this.headBytes < 5) return;
        this.kind = this.head[0]!;
        this.left = this.head.readUInt32BE(1);
        if (this.left === 0) {
          this.headBytes = 0;
          this.onPiece(this.kind, Buffer.alloc(0), true);
        }
        continue;
      }
      const n = Math.min(this.left, chunk.length - at);
      this.left -= n;
      const piece = chunk.subarray(at, at + n);
      at += n;
      if (this.left === 0) this.headBytes = 0;
      this.onPiece(this.kind, piece, this.left === 0);
    }
  }
}
