/**
 * The entry of dist/lint-client.js. bin/bqmigrate.js calls it for `bqmigrate lint …` before it loads the
 * lint bundle: when `bqmigrate lint-server start` left a server running for this installation, the run
 * goes to it, and this process only copies out what the server prints. The server runs the same lint
 * code on the same arguments, folder and environment, so the output and exit code are what this process
 * would have made; it has the lint bundle loaded and its code optimised already.
 */
import * as fs from 'node:fs';
import { exitQuietlyOnClosedStdout } from '../closed-stdout';
import { buildIdentity, FRAME, FrameReader, socketPath, type ServerReply, type ServerRequest } from './protocol';

// bin/bqmigrate.js keeps its V8 code cache in a private temp folder too.
export { userFolder } from './protocol';

/** node:net, loaded once a server's socket is there (~3.5 ms a lint without a server need not pay). */
const net = () => require('node:net') as typeof import('node:net');

/** Bytes read from the server at once: more than a Unix socket holds (Linux: ~208 KiB). */
const READ_BUFFER = 256 << 10;

export interface ClientIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Runs `lint <args>` on the server for the lint bundle `bundle` (its path), if one runs. Resolves to the
 * run's exit code, or to undefined when the run is this process's to make: no server, the server is of
 * another build, or it closed the connection before it printed anything (then stderr says so).
 */
export function lintThroughServer(bundle: string, args: string[], io: ClientIO, socket = socketPath(bundle, false)): Promise<number | undefined> {
  if (io.env.BQMIGRATE_NO_SERVER || socket === undefined || !fs.statSync(socket, { throwIfNoEntry: false })?.isSocket()) return Promise.resolve(undefined);
  const request: ServerRequest = { kind: 'lint', identity: buildIdentity(bundle), args, cwd: io.cwd, env: { ...io.env }, stdoutIsTTY: io.stdout.isTTY === true, stderrIsTTY: io.stderr.isTTY === true };
  exitQuietlyOnClosedStdout(io);
  return new Promise((resolve) => {
    // Reads go into one buffer used again and again (a fresh 64 KiB one per read costs a warm run's 3.7 MB
    // of JSON ~15 ms of page faults), unless a write left bytes of it queued: then the next read gets another.
    let buffer = Buffer.allocUnsafe(READ_BUFFER);
    let queued = false;
    const nextBuffer = () => {
      if (queued) buffer = Buffer.allocUnsafe(READ_BUFFER);
      queued = false;
      return buffer;
    };
    const conn = net().connect({ path: socket, onread: { buffer: nextBuffer, callback: (n: number, buf: Uint8Array) => (reader.push(Buffer.from(buf.buffer, buf.byteOffset, n)), true) } });
    let printed = false;
    let code: number | undefined;
    let reply: Buffer[] = [];
    let settled = false;
    const settle = (value: number | undefined) => {
      if (settled) return;
      settled = true;
      resolve(value);
    };
    const forward = (out: ClientIO['stdout'], piece: Buffer) => {
      printed = true;
      const drained = out.write(piece);
      if ((out as { writableLength?: number }).writableLength !== 0) queued = true;
      if (!drained) {
        conn.pause();
        out.once('drain', () => conn.resume());
      }
    };
    const reader = new FrameReader((kind, piece, last) => {
      if (kind === FRAME.stdout) forward(io.stdout, piece);
      else if (kind === FRAME.stderr) forward(io.stderr, piece);
      else if (kind === FRAME.exit || kind === FRAME.reply) {
        reply.push(Buffer.from(piece));
        if (!last) return;
        const whole = Buffer.concat(reply);
        reply = [];
        if (kind === FRAME.exit) code = whole.readInt32BE(0);
        else if ((JSON.parse(whole.toString('utf8')) as ServerReply).stopping === 'stale') {
          conn.destroy();
          settle(undefined);
        }
      }
    });
    conn.on('connect', () => conn.write(`${JSON.stringify(request)}\n`));
    conn.on('error', () => {
      // Handled at 'close', which follows: no server listening (a socket left by one that was killed) or a connection lost.
    });
    conn.on('close', () => {
      if (settled) return;
      if (code !== undefined) return settle(code);
      if (!printed) {
        if (conn.bytesWritten > 0) io.stderr.write('bqmigrate: the lint server closed the connection before it answered; linting in this process instead\n');
        return settle(undefined);
      }
      io.stderr.write('bqmigrate: the lint server stopped in the middle of this run: the output above is incomplete. Run the lint again (BQMIGRATE_NO_SERVER=1 runs it without the server; `bqmigrate lint-server status` says whether one runs).\n');
      settle(2);
    });
  });
}

/** Sends `status` or `stop` to the server at `socket`; undefined when none answers. */
export function ask(socket: string, kind: 'status' | 'stop'): Promise<ServerReply | undefined> {
  return new Promise((resolve) => {
    const conn = net().connect(socket);
    const parts: Buffer[] = [];
    const reader = new FrameReader((frameKind, piece, last) => {
      if (frameKind !== FRAME.reply) return;
      parts.push(piece);
      if (last) resolve(JSON.parse(Buffer.concat(parts).toString('utf8')) as ServerReply);
    });
    conn.on('connect', () => conn.write(`${JSON.stringify({ kind } satisfies ServerRequest)}\n`));
    conn.on('data', (chunk: Buffer) => reader.push(chunk));
    conn.on('error', () => resolve(undefined));
    conn.on('close', () => resolve(undefined));
  });
}
