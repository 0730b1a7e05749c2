import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ask } from '../lint-server/client';
import { buildIdentity, socketPath, type ServerReply } from '../lint-server/protocol';
import { startServer } from '../lint-server/server';
import { runCommand } from '../run-command';
import { lintCommand } from './lint';
import { UsageError, type CliCommand, type CliIO } from './types';

const usage = `usage: bqmigrate lint-server start|stop|status|run [--idle-minutes N]

Keeps a lint process running in the background, so \`bqmigrate lint\` — a pre-commit hook, a script run
again and again — skips Node loading and warming up the linter: while it runs, every \`bqmigrate lint\`
of this installation is sent to it and prints exactly what it would have printed on its own (same
arguments, folder and environment). BQMIGRATE_NO_SERVER=1 lints without it. Not on Windows.

  start               start the server in the background (says so when one already runs)
  stop                stop it; runs it has begun finish first
  status              whether one runs: its process, start, runs served, memory, lint workers, idle limit
  run                 run the server in this terminal (its log on stderr) until stopped
  --idle-minutes N    with start or run: stop after N minutes without a lint (default 30)

Exit codes: 0 done (status: a server runs), 1 nothing to stop (status: none runs, or one of another
build), 2 usage error or the server could not start.`;

/** dist/lint-cli.js: the bundle a server runs and a client names its socket after, whichever bundle this code is in. */
const lintBundle = () => path.join(__dirname, 'lint-cli.js');

export const lintServerCommand: CliCommand = {
  name: 'lint-server',
  summary: 'keep a lint process running so repeated `bqmigrate lint` runs start warm',
  usage,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({ args, options: { 'idle-minutes': { type: 'string' } }, strict: true, allowPositionals: true });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const [action, ...more] = parsed.positionals;
    if (!action || more.length || !['start', 'stop', 'status', 'run'].includes(action)) throw new UsageError('give one of start, stop, status, run');
    const idleText = parsed.values['idle-minutes'];
    const idleMinutes = idleText === undefined ? 30 : Number(idleText);
    if (!(idleMinutes > 0) || !Number.isFinite(idleMinutes)) throw new UsageError(`--idle-minutes takes a number of minutes above 0, got "${idleText}"`);
    if (idleText !== undefined && action !== 'start' && action !== 'run') throw new UsageError('--idle-minutes goes with start or run');
    const bundle = lintBundle();
    const socket = socketPath(bundle);
    if (socket === undefined) {
      io.stderr.write(process.platform === 'win32' ? 'bqmigrate lint-server: not available on Windows: `bqmigrate lint` runs in its own process there\n' : 'bqmigrate lint-server: no private folder for the server\'s socket under the temp dir (it must belong to you and be closed to others); set TMPDIR to one\n');
      return 2;
    }
    // A Unix socket's path holds at most 103 bytes on Linux (and 104 on macOS).
    if (Buffer.byteLength(socket) > 103) {
      io.stderr.write(`bqmigrate lint-server: the server's socket would be ${socket}, ${Buffer.byteLength(socket)} bytes, over the 103 a socket's path may have; set TMPDIR to a shorter folder\n`);
      return 2;
    }
    const identity = buildIdentity(bundle);
    if (action === 'run') return serveHere(socket, identity, idleMinutes, io);
    const running = await ask(socket, 'status');
    if (action === 'status') {
      if (!running) {
        io.stdout.write('bqmigrate lint-server: none runs; `bqmigrate lint` runs in its own process\n');
        return 1;
      }
      io.stdout.write(describe(running, socket, identity));
      return running.identity === identity && !running.stopping ? 0 : 1;
    }
    if (action === 'stop') {
      if (!running) {
        io.stderr.write('bqmigrate lint-server: none runs: nothing to stop\n');
        return 1;
      }
      await stopAndWait(socket);
      io.stdout.write(`bqmigrate lint-server: stopped the server (pid ${running.pid}) after ${runsText(running.runs)}\n`);
      return 0;
    }
    if (running && running.identity === identity && !running.stopping) {
      io.stdout.write(`bqmigrate lint-server: already running (pid ${running.pid}, since ${running.startedAt}); nothing started\n`);
      return 0;
    }
    if (running) {
      await stopAndWait(socket);
      io.stdout.write(`bqmigrate lint-server: stopped a server of another build (pid ${running.pid})\n`);
    }
    return startDetached(socket, identity, idleMinutes, io);
  },
};

/** `run`: the server in this process until it stops. */
async function serveHere(socket: string, identity: string, idleMinutes: number, io: CliIO): Promise<number> {
  const log = (line: string) => io.stderr.write(`${new Date().toISOString()} ${line}\n`);
  let server;
  try {
    server = await startServer({ socket, identity, idleMinutes, log, run: (args, runIO) => runCommand(lintCommand, args, runIO) });
  } catch (err) {
    io.stderr.write(`bqmigrate lint-server: ${(err as Error).message}\n`);
    return 2;
  }
  const onSignal = () => server.stop('a signal');
  process.once('SIGTERM', onSignal).once('SIGINT', onSignal).once('SIGHUP', onSignal);
  await server.stopped;
  process.off('SIGTERM', onSignal).off('SIGINT', onSignal).off('SIGHUP', onSignal);
  return 0;
}

/** `start`: `run` in a detached process logging to a file beside the socket, once it answers. */
async function startDetached(socket: string, identity: string, idleMinutes: number, io: CliIO): Promise<number> {
  const logFile = socket.replace(/\.sock$/, '.log');
  const fd = fs.openSync(logFile, 'w', 0o600);
  const bin = path.join(__dirname, '..', 'bin', 'bqmigrate.js');
  const child = spawn(process.execPath, [bin, 'lint-server', 'run', '--idle-minutes', String(idleMinutes)], { detached: true, stdio: ['ignore', fd, fd], cwd: path.dirname(socket), env: process.env });
  fs.closeSync(fd);
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));
  let reply: ServerReply | undefined;
  await until(async () => exited !== undefined || (reply = await ask(socket, 'status'))?.identity === identity, 15_000);
  if (!reply || reply.identity !== identity) {
    if (exited === undefined) child.kill();
    const said = fs.readFileSync(logFile, 'utf8').trim();
    io.stderr.write(`bqmigrate lint-server: the server did not start${exited === undefined ? ' within 15 s' : ` (exit ${exited})`}${said ? `:\n${said}` : ''}\n`);
    return 2;
  }
  child.unref();
  io.stdout.write(`bqmigrate lint-server: started (pid ${reply.pid}); \`bqmigrate lint\` runs on it until it has been idle ${idleMinutes} min or \`bqmigrate lint-server stop\`\n  socket ${socket}\n  log    ${logFile}\n`);
  return 0;
}

function describe(s: ServerReply, socket: string, identity: string): string {
  const state = s.identity !== identity ? 'of another build (bqmigrate was rebuilt or upgraded, or this is another Node): it stops at the next lint, which runs in its own process' : s.stopping ? 'stopping' : 'running';
  return `bqmigrate lint-server: ${state}\n  pid    ${s.pid} (Node ${s.node})\n  since  ${s.startedAt}\n  runs   ${s.runs}\n  memory ${s.rssMiB} MiB resident\n${poolLine(s)}  stops  after ${s.idleMinutes} min idle\n  socket ${socket}\n`;
}

/** The pool's line (a server of an older build does not report it). */
function poolLine(s: ServerReply): string {
  if (!s.workers) return '';
  const { kept, started } = s.workers;
  if (started === 0) return '  pool   not started yet (the first lint that needs lint workers starts them)\n';
  return `  pool   ${kept} lint worker${kept === 1 ? '' : 's'} kept warm${started > kept ? ` (${started} started, ${started - kept} of them stopped)` : ''}\n`;
}

const runsText = (n: number) => `${n} lint run${n === 1 ? '' : 's'}`;

/** Asks the server at `socket` to stop and waits (up to 10 s) until its socket is gone. */
async function stopAndWait(socket: string): Promise<void> {
  await ask(socket, 'stop');
  await until(() => !fs.existsSync(socket), 10_000);
}

/** Waits until `done` holds, checking every 50 ms, for at most `ms`. */
async function until(done: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await done()) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}
