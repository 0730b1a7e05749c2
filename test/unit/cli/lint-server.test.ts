/**
 * `bqmigrate lint-server` on the built binary, each test with a temp dir of its own (TMPDIR), so its socket
 * is nobody else's: a lint sent to the server prints byte for byte what a lint in its own process prints,
 * in every format, cached and not, before and after edits, from a subfolder with relative paths; the server
 * says what it does and stops when asked, when idle, and when a client of another build reaches it; a
 * client whose server dies mid-run says the output is incomplete and fails.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { bqmigrate, buildOnce, copyFixture } from './cli-helpers';
import { repoRoot } from '../lint/repo-root';
import { lintThroughServer, type ClientIO } from '../../../src/cli/lint-server/client';
import { buildIdentity, FRAME, frameHead, socketPath } from '../../../src/cli/lint-server/protocol';
import { startServer } from '../../../src/cli/lint-server/server';

before(() => buildOnce());

const started: NodeJS.ProcessEnv[] = [];
const scratch: string[] = [];
after(() => {
  for (const env of started) bqmigrate(['lint-server', 'stop'], os.tmpdir(), env);
  for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
});

/** A folder of this file's under the temp dir, removed at the end. */
function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

/** An environment whose temp dir (and so the server's socket) is this test's alone; lints may use a server. */
function ownTemp(): NodeJS.ProcessEnv {
  const env = { TMPDIR: tempDir('bqm-srv-'), BQMIGRATE_NO_SERVER: '' };
  started.push(env);
  return env;
}

/** A workspace big enough for the lint's worker pool, with findings, clean files and a file not read. */
function workspace(): string {
  const dir = copyFixture('basic');
  const gen = path.join(dir, 'gen');
  fs.mkdirSync(gen);
  for (let i = 0; i < 70; i++) fs.writeFileSync(path.join(gen, `q${String(i).padStart(3, '0')}.sql`), i % 4 === 0 ? `SELECT * FROM models_v4.production_training_data_1m WHERE id = ${i};\n` : `SELECT ${i} FROM training.zl_training_prod_allhistory_1m;\n`);
  fs.writeFileSync(path.join(gen, 'nul.sql'), 'SELECT 1\n\0\n');
  fs.mkdirSync(path.join(dir, '.bqmigrate'));
  return dir;
}

const runs = (env: NodeJS.ProcessEnv) => Number(/runs\s+(\d+)/.exec(bqmigrate(['lint-server', 'status'], os.tmpdir(), env).stdout)?.[1]);

test('a lint sent to the server prints what a lint in its own process prints, in every format, cached and not, before and after edits', () => {
  const env = ownTemp();
  const none = bqmigrate(['lint-server', 'status'], os.tmpdir(), env);
  assert.equal(none.code, 1);
  assert.match(none.stdout, /none runs/);
  const start = bqmigrate(['lint-server', 'start', '--idle-minutes', '5'], os.tmpdir(), env);
  assert.equal(start.code, 0, start.stderr);
  assert.match(start.stdout, /started \(pid \d+\)/);
  assert.match(bqmigrate(['lint-server', 'start'], os.tmpdir(), env).stdout, /already running .*nothing started/);
  assert.equal(runs(env), 0);
  assert.match(bqmigrate(['lint-server', 'status'], os.tmpdir(), env).stdout, /^bqmigrate lint-server: running\n {2}pid {4}\d+ \(Node v[\d.]+\)\n.*\n {2}memory \d+ MiB resident\n/s);
  assert.match(bqmigrate(['lint-server', 'status'], os.tmpdir(), env).stdout, /\n {2}pool {3}not started yet/);

  const dir = workspace();
  const compare = (label: string) => {
    let sent = 0;
    for (const args of [['--format', 'stylish', '--report-unscanned'], ['--format', 'json'], ['--format', 'sarif'], ['--format', 'json', '--cache'], ['--format', 'json', '--cache'], ['--workers', '2', '--format', 'json']]) {
      const alone = bqmigrate(['lint', ...args], dir, { ...env, BQMIGRATE_NO_SERVER: '1' });
      const before = runs(env);
      const served = bqmigrate(['lint', ...args], dir, env);
      assert.equal(runs(env), before + 1, `${label} ${args.join(' ')}: the run went to the server`);
      sent++;
      assert.equal(served.stdout, alone.stdout, `${label} ${args.join(' ')}: stdout`);
      assert.equal(served.stderr, alone.stderr, `${label} ${args.join(' ')}: stderr`);
      assert.equal(served.code, alone.code, `${label} ${args.join(' ')}: exit code`);
    }
    return sent;
  };
  compare('first');
  fs.writeFileSync(path.join(dir, 'gen', 'q001.sql'), 'SELECT * FROM models_v4.trump_rich_2023_2025;\n');
  fs.rmSync(path.join(dir, 'gen', 'q000.sql'));
  compare('after edits');
  // Every run that needed a pool (70 files and more) took the same workers, their code optimised by the runs
  // before: one per core, none started again (a machine of one core keeps one, and stops the --workers 2 run's second).
  const pool = /\n {2}pool {3}(\d+) lint workers? kept warm(.*)\n/.exec(bqmigrate(['lint-server', 'status'], os.tmpdir(), env).stdout);
  assert.ok(pool, 'the status names the kept workers');
  if (os.availableParallelism() >= 2) assert.deepEqual([Number(pool[1]), pool[2]], [os.availableParallelism(), '']);
  // Relative paths are the client's: a run from a subfolder names files from there.
  const sub = path.join(dir, 'gen');
  const alone = bqmigrate(['lint', '.', '../docs', '--format', 'json'], sub, { ...env, BQMIGRATE_NO_SERVER: '1' });
  const served = bqmigrate(['lint', '.', '../docs', '--format', 'json'], sub, env);
  assert.equal(served.stdout, alone.stdout);
  assert.match(served.stdout, /q001\.sql/);
  // A usage error comes back as it is, exit 2.
  const bad = bqmigrate(['lint', '--format', 'nope'], dir, env);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, bqmigrate(['lint', '--format', 'nope'], dir, { ...env, BQMIGRATE_NO_SERVER: '1' }).stderr);

  const stop = bqmigrate(['lint-server', 'stop'], os.tmpdir(), env);
  assert.equal(stop.code, 0, stop.stderr);
  assert.match(stop.stdout, /stopped the server \(pid \d+\) after \d+ lint runs/);
  assert.equal(bqmigrate(['lint-server', 'status'], os.tmpdir(), env).code, 1);
  const again = bqmigrate(['lint-server', 'stop'], os.tmpdir(), env);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /none runs: nothing to stop/);
  assert.equal(bqmigrate(['lint', '--format', 'json'], dir, env).stdout, bqmigrate(['lint', '--format', 'json'], dir, { ...env, BQMIGRATE_NO_SERVER: '1' }).stdout, 'without a server the lint runs in its own process');
});

test('BQMIGRATE_NO_SERVER=1 lints in its own process while a server runs', () => {
  const env = ownTemp();
  assert.equal(bqmigrate(['lint-server', 'start'], os.tmpdir(), env).code, 0);
  const dir = workspace();
  assert.equal(bqmigrate(['lint', '--format', 'json'], dir, { ...env, BQMIGRATE_NO_SERVER: '1' }).code, 1);
  assert.equal(runs(env), 0);
  assert.equal(bqmigrate(['lint-server', 'stop'], os.tmpdir(), env).code, 0);
});

test('an idle server stops by itself and says why in its log', async () => {
  const env = ownTemp();
  assert.equal(bqmigrate(['lint-server', 'start', '--idle-minutes', '0.01'], os.tmpdir(), env).code, 0);
  // 0.6 s without a lint; a loaded machine may take longer to run the checks below, never less.
  let status = bqmigrate(['lint-server', 'status'], os.tmpdir(), env);
  for (let waited = 0; status.code === 0 && waited < 30_000; waited += 200) {
    await new Promise((r) => setTimeout(r, 200));
    status = bqmigrate(['lint-server', 'status'], os.tmpdir(), env);
  }
  assert.equal(status.code, 1, status.stdout);
  assert.match(status.stdout, /none runs/);
  assert.match(fs.readFileSync(socketFor(env).replace(/\.sock$/, '.log'), 'utf8'), /stopping: idle for 0\.01 min/);
});

test('lint-server rejects what it cannot do: a second server on the same socket, bad arguments', () => {
  const env = ownTemp();
  assert.equal(bqmigrate(['lint-server', 'start'], os.tmpdir(), env).code, 0);
  const second = bqmigrate(['lint-server', 'run'], os.tmpdir(), env);
  assert.equal(second.code, 2);
  assert.match(second.stderr, /already listens on .*stop it first/);
  assert.equal(runs(env), 0, 'the first server still answers');
  for (const args of [[], ['restart'], ['start', '--idle-minutes', '0'], ['start', '--idle-minutes', 'x'], ['stop', '--idle-minutes', '5'], ['status', 'extra']]) {
    const r = bqmigrate(['lint-server', ...args], os.tmpdir(), env);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, /usage: bqmigrate lint-server/);
  }
  assert.equal(bqmigrate(['lint-server', 'stop'], os.tmpdir(), env).code, 0);
});

/** The socket the built lint bundle's server uses under `env`'s temp dir. */
function socketFor(env: NodeJS.ProcessEnv): string {
  const tmp = process.env.TMPDIR;
  process.env.TMPDIR = env.TMPDIR;
  try {
    return socketPath(path.join(repoRoot(), 'dist', 'lint-cli.js'))!;
  } finally {
    if (tmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmp;
  }
}

/**
 * Client streams that keep what they are given. `slow`: they keep each chunk as it is, uncopied, and finish
 * a write only on a later turn, with a small buffer (writes queue up, and the client must pause): a client
 * that read the next bytes into memory a queued write still holds would show here as changed output.
 */
function captured(slow = false): ClientIO & { out(): string; err(): string } {
  const parts = { out: [] as Buffer[], err: [] as Buffer[] };
  const sink = (into: Buffer[]) =>
    slow
      ? new Writable({ highWaterMark: 1024, write: (c: Buffer, _e, cb) => (into.push(c), setImmediate(cb)) })
      : new Writable({ write: (c: Buffer, _e, cb) => (into.push(Buffer.from(c)), cb()) });
  return { stdout: sink(parts.out), stderr: sink(parts.err), cwd: os.tmpdir(), env: {}, out: () => Buffer.concat(parts.out).toString(), err: () => Buffer.concat(parts.err).toString() };
}

const bundle = () => path.join(repoRoot(), 'dist', 'lint-cli.js');
const privateSocket = () => path.join(tempDir('bqm-sock-'), 's.sock');

test('a server of another build sends its client back to lint on its own, and stops', async () => {
  const socket = privateSocket();
  let ran = 0;
  const lines: string[] = [];
  const server = await startServer({ socket, identity: 'another build', idleMinutes: 5, log: (l) => lines.push(l), run: async () => ++ran });
  const io = captured();
  assert.equal(await lintThroughServer(bundle(), ['--format', 'json'], io, socket), undefined);
  await server.stopped;
  assert.equal(ran, 0);
  assert.equal(io.out() + io.err(), '');
  assert.equal(fs.existsSync(socket), false, 'its socket is gone');
  assert.match(lines.join('\n'), /stopping: a client of another build reached it/);
});

test('the server keeps the order and bytes of stdout and stderr, survives a request that is not a client\'s, and a failing run comes back as exit 2', async () => {
  const socket = privateSocket();
  const identity = buildIdentity(bundle());
  // 3 MiB of the alphabet over and over, 23 letters to a line: any byte moved or overwritten shows.
  const big = Buffer.alloc(3 << 20);
  for (let i = 0; i < big.length; i++) big[i] = i % 24 === 23 ? 10 : 97 + (i % 24);
  const server = await startServer({
    socket, identity, idleMinutes: 5, log: () => {},
    run: async (args, io) => {
      if (args[0] === 'throw') throw new Error('the lint broke');
      io.stdout.write('out 1\n');
      io.stderr.write(`err in ${io.cwd} with ${io.env.ONLY_HERE}\n`);
      io.stdout.write(big);
      return 1;
    },
  });
  const junk = net.connect(socket);
  junk.on('error', () => {});
  junk.write('not json\n');
  await new Promise((r) => junk.on('close', r));
  for (const slow of [false, true]) {
    const io = { ...captured(slow), env: { ONLY_HERE: 'yes' }, cwd: path.dirname(socket) };
    assert.equal(await lintThroughServer(bundle(), [], io, socket), 1);
    assert.ok(io.out() === `out 1\n${big.toString()}`, `stdout arrived whole and unchanged (${slow ? 'slow' : 'quick'} stdout)`);
    assert.equal(io.err(), `err in ${path.dirname(socket)} with yes\n`);
  }
  const failing = captured();
  assert.equal(await lintThroughServer(bundle(), ['throw'], failing, socket), 2);
  assert.match(failing.err(), /bqmigrate: internal error: Error: the lint broke/);
  server.stop('the test is done');
  await server.stopped;
});

test('a client whose server dies mid-run says its output is incomplete and exits 2; one that dies before answering leaves the run to the client', async () => {
  for (const [partial, expected] of [[true, 2], [false, undefined]] as const) {
    const socket = privateSocket();
    const fake = net.createServer((conn) =>
      conn.once('data', () => {
        if (partial) conn.write(Buffer.concat([frameHead(FRAME.stdout, 4), Buffer.from('[{"f')]));
        setTimeout(() => conn.destroy(), 20);
      }),
    );
    await new Promise<void>((r) => fake.listen(socket, r));
    const io = captured();
    assert.equal(await lintThroughServer(bundle(), [], io, socket), expected);
    if (partial) {
      assert.equal(io.out(), '[{"f');
      assert.match(io.err(), /stopped in the middle of this run: the output above is incomplete/);
    } else assert.match(io.err(), /closed the connection before it answered; linting in this process instead/);
    fake.close();
  }
  // A socket left by a server that was killed: nothing listens, and the client lints on its own without a word.
  const socket = privateSocket();
  const orphan = net.createServer();
  await new Promise<void>((r) => orphan.listen(socket, r));
  // Closing a server removes its socket file: moved aside and back, the file outlives its listener.
  fs.renameSync(socket, `${socket}.kept`);
  await new Promise((r) => orphan.close(r));
  fs.renameSync(`${socket}.kept`, socket);
  const io = captured();
  assert.equal(await lintThroughServer(bundle(), [], io, socket), undefined);
  assert.equal(io.err(), '');
});
