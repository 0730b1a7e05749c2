/**
 * The lint server (`bqmigrate lint-server run`): one process that keeps the lint bundle loaded and its code
 * optimised, and runs each `bqmigrate lint …` a client sends it, one at a time, in the client's folder and
 * with its environment, sending back stdout, stderr and the exit code as they come (protocol.ts). It
 * listens on a socket in a folder only its user can open, and stops when asked, when a client of another
 * build reaches it, or after `idleMinutes` without a lint (`status` and `stop` do not count: a script that
 * polls the status does not keep it running).
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import type { CliIO } from '../commands/types';
import { KeptWorkers } from '../../core/lint/kept-workers';
import { StatAhead } from '../../core/lint/stat-ahead';
import { FRAME, frameHead, type FrameKind, type ServerReply, type ServerRequest } from './protocol';

export interface ServerOptions {
  socket: string;
  identity: string;
  idleMinutes: number;
  /** Runs `lint <args>`; resolves to its exit code. */
  run(args: string[], io: CliIO): Promise<number>;
  /** A line for the server's log. */
  log(line: string): void;
}

/** A request line longer than this is not a client's. */
const MAX_REQUEST = 8 << 20;

export interface RunningServer {
  /** Resolves once the server has stopped listening and its socket is gone. */
  readonly stopped: Promise<void>;
  stop(why: string): void;
}

/** Listens on `opts.socket`; fails when a server already answers there (a socket left by a dead one is replaced). */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  if (fs.statSync(opts.socket, { throwIfNoEntry: false })) {
    if (await answers(opts.socket)) throw new Error(`a lint server already listens on ${opts.socket}; stop it first (bqmigrate lint-server stop)`);
    fs.rmSync(opts.socket, { force: true });
  }
  const startedAt = new Date().toISOString();
  // Started once: a warm run's stats are split between it and the walk (stat-ahead.ts).
  const statAhead = new StatAhead();
  // Started by the first run that needs a pool, then kept: each later run's workers have their code optimised.
  const keptWorkers = new KeptWorkers();
  let runs = 0;
  let queue = Promise.resolve();
  let stopping: ServerReply['stopping'];
  let idle: NodeJS.Timeout | undefined;
  let stopped!: () => void;
  const done = new Promise<void>((resolve) => (stopped = resolve));
  const info = (): ServerReply => ({ pid: process.pid, identity: opts.identity, node: process.version, startedAt, runs, idleMinutes: opts.idleMinutes, rssMiB: Math.round(process.memoryUsage.rss() / 1048576), workers: { kept: keptWorkers.size, started: keptWorkers.started }, ...(stopping ? { stopping } : {}) });

  const server = net.createServer((conn) => {
    conn.on('error', () => {
      // A client that went away (Ctrl-C, `| head`): its run finishes and what it prints goes nowhere.
    });
    let head: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      const nl = chunk.indexOf(10);
      head.push(nl < 0 ? chunk : chunk.subarray(0, nl));
      size += nl < 0 ? chunk.length : nl;
      if (size > MAX_REQUEST) return void conn.destroy();
      if (nl < 0) return;
      conn.off('data', onData);
      let request: ServerRequest;
      try {
        request = parseRequest(Buffer.concat(head).toString('utf8'));
      } catch (err) {
        opts.log(`a request that is not a client's: ${(err as Error).message}`);
        return void conn.destroy();
      }
      head = [];
      handle(conn, request);
    };
    conn.on('data', onData);
  });

  const send = (conn: net.Socket, kind: FrameKind, payload: Uint8Array) => {
    if (conn.destroyed) return;
    conn.cork();
    conn.write(frameHead(kind, payload.length));
    if (payload.length) conn.write(payload);
    conn.uncork();
  };
  const reply = (conn: net.Socket) => {
    send(conn, FRAME.reply, Buffer.from(JSON.stringify(info())));
    conn.end();
  };

  function handle(conn: net.Socket, request: ServerRequest): void {
    if (request.kind === 'status') return reply(conn);
    if (request.kind === 'stop') {
      stop('asked to stop');
      return reply(conn);
    }
    if (request.identity !== opts.identity) {
      stopping = 'stale';
      reply(conn);
      return stop('a client of another build reached it (bqmigrate was rebuilt or upgraded, or runs on another Node)');
    }
    if (stopping) return reply(conn);
    armIdle();
    // A run that failed outside its own try (none should) must not stop the queue for the runs after it.
    queue = queue.then(() => runOne(conn, request)).catch((err: unknown) => {
      opts.log(`a run failed: ${err instanceof Error && err.stack ? err.stack : String(err)}`);
      conn.destroy();
    });
  }

  async function runOne(conn: net.Socket, request: Extract<ServerRequest, { kind: 'lint' }>): Promise<void> {
    const began = performance.now();
    const stream = (kind: FrameKind, isTTY: boolean) =>
      ({ isTTY, write: (b: Uint8Array | string) => (send(conn, kind, typeof b === 'string' ? Buffer.from(b) : b), true) }) as unknown as CliIO['stdout'];
    const io: CliIO = { stdout: stream(FRAME.stdout, request.stdoutIsTTY), stderr: stream(FRAME.stderr, request.stderrIsTTY), cwd: request.cwd, env: request.env, statAhead, keptWorkers };
    let code: number;
    const home = process.cwd();
    try {
      // Whatever resolves a relative path against the process's folder must see the client's.
      process.chdir(request.cwd);
      code = await opts.run(request.args, io);
    } catch (err) {
      io.stderr.write(`bqmigrate: internal error: ${err instanceof Error && err.stack ? err.stack : String(err)}\n`);
      code = 2;
    } finally {
      process.chdir(home);
    }
    runs++;
    const exit = Buffer.alloc(4);
    exit.writeInt32BE(code, 0);
    send(conn, FRAME.exit, exit);
    conn.end();
    opts.log(`lint ${request.args.join(' ')} in ${request.cwd}: exit ${code}, ${Math.round(performance.now() - began)} ms`);
    armIdle();
  }

  function armIdle(): void {
    if (idle) clearTimeout(idle);
    idle = setTimeout(() => stop(`idle for ${opts.idleMinutes} min`), opts.idleMinutes * 60_000);
  }

  let closed = false;
  function stop(why: string): void {
    if (closed) return;
    closed = true;
    if (stopping === undefined) stopping = 'asked';
    if (idle) clearTimeout(idle);
    opts.log(`stopping: ${why}`);
    server.close();
    // Runs already queued finish and reach their clients; the socket goes at once, so new clients lint on their own.
    fs.rmSync(opts.socket, { force: true });
    void queue.then(() => Promise.all([statAhead.close(), keptWorkers.close()])).then(() => stopped());
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.socket, () => {
      server.off('error', reject);
      resolve();
    });
  });
  armIdle();
  opts.log(`listening on ${opts.socket} (pid ${process.pid}, Node ${process.version})`);
  return { stopped: done, stop };
}

/** True when something accepts a connection on `socket`. */
function answers(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const conn = net.connect(socket);
    conn.on('connect', () => {
      conn.destroy();
      resolve(true);
    });
    conn.on('error', () => resolve(false));
  });
}

/** A request line parsed and checked field by field. */
function parseRequest(line: string): ServerRequest {
  const r = JSON.parse(line) as Record<string, unknown>;
  if (r.kind === 'status' || r.kind === 'stop') return { kind: r.kind };
  const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
  if (r.kind !== 'lint' || typeof r.identity !== 'string' || !strings(r.args) || typeof r.cwd !== 'string' || typeof r.env !== 'object' || r.env === null) throw new Error(`expected a lint, status or stop request, got ${line.slice(0, 80)}`);
  return { kind: 'lint', identity: r.identity, args: r.args, cwd: r.cwd, env: r.env as Record<string, string>, stdoutIsTTY: r.stdoutIsTTY === true, stderrIsTTY: r.stderrIsTTY === true };
}
