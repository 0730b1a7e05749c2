/**
 * "Nothing leaves the machine": runs the BigQuery tests again inside a network
 * namespace that has only loopback (`unshare -n` from util-linux, then `lo` brought
 * up with `ip` where iproute2 is installed, else with an ioctl from perl — both
 * util-linux and perl-base are Essential in Debian, so a bare machine has them):
 * there, a connect() to anything but loopback fails with ENETUNREACH, so the tests
 * passing proves they need nothing outside. Where strace is installed too, every
 * connect() is also traced and any to a non-loopback address fails the test.
 * Reported as skipped (never passed), saying why, only when neither can run.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from './helpers';

const CHILD = 'BQMIGRATE_NO_NETWORK_CHILD';
const fromTs = __filename.endsWith('.ts');

/** Sets IFF_UP on `lo` (SIOCGIFFLAGS 0x8913, SIOCSIFFLAGS 0x8914 on a struct ifreq of 40 bytes). */
export const LO_UP_PERL =
  'socket(my $s, 2, 2, 0) or die "socket: $!"; my $r = pack("a16 s x22", "lo", 0); ' +
  'ioctl($s, 0x8913, $r) or die "SIOCGIFFLAGS: $!"; my (undef, $f) = unpack("a16 s", $r); ' +
  'ioctl($s, 0x8914, pack("a16 s x22", "lo", $f | 1)) or die "SIOCSIFFLAGS: $!";';

function can(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 10_000 });
  return r.status === 0;
}

/** Non-loopback connect() calls in an strace log (AF_UNIX, AF_NETLINK and loopback are fine). */
export function foreignConnects(log: string): string[] {
  return log.split('\n').filter((line) => {
    if (!/\bconnect\(/.test(line)) return false;
    const v4 = /sin_addr=inet_addr\("([^"]+)"\)/.exec(line);
    if (v4) return !v4[1]!.startsWith('127.');
    const v6 = /inet_pton\(AF_INET6, "([^"]+)"/.exec(line);
    if (v6) return !(v6[1] === '::1' || /^::ffff:127\./.test(v6[1]!));
    return false;
  });
}

describe('nothing leaves the machine', () => {
  it('parses strace connect lines', () => {
    const log = [
      '123 connect(21, {sa_family=AF_INET, sin_port=htons(40123), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
      '124 connect(22, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("169.254.169.254")}, 16) = -1 ENETUNREACH',
      '125 connect(23, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2607:f8b0::200a", &sin6_addr), sin6_scope_id=0}, 28) = -1',
      '126 connect(24, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1 ENOENT',
    ].join('\n');
    assert.deepEqual(foreignConnects(log).map((l) => l.split(' ')[0]), ['124', '125']);
  });

  it('runs the BigQuery tests with only loopback and sees no other connect()', { skip: process.env[CHILD] === '1' ? 'inside the isolated run' : false }, (t) => {
    const loUp = can('unshare', ['-n', 'ip', 'link', 'set', 'lo', 'up'])
      ? 'ip link set lo up'
      : can('unshare', ['-n', 'perl', '-e', LO_UP_PERL])
        ? `perl -e '${LO_UP_PERL}'`
        : undefined;
    const unshare = process.getuid?.() === 0 && can('unshare', ['-n', 'true']) && loUp !== undefined;
    const strace = can('strace', ['-f', '-qq', '-e', 'trace=connect', '-o', '/dev/null', 'true']);
    if (!unshare && !strace) {
      t.skip('neither `unshare -n` (needs root; lo is brought up with ip or perl) nor `strace` can run here');
      return;
    }
    const dir = path.dirname(__filename);
    const ext = fromTs ? '.ts' : '.js';
    const files = ['bigquery.test', 'cli.test'].map((f) => path.join(dir, f + ext));
    const work = tempDir('bqm-nonet-');
    const log = path.join(work, 'connect.log');
    const node = [process.execPath, ...(fromTs ? ['--import', 'tsx'] : []), '--test', '--test-reporter=tap', ...files];
    const traced = strace ? ['strace', '-f', '-qq', '-e', 'trace=connect', '-o', log, ...node] : node;
    const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const cmd = unshare ? ['unshare', '-n', 'sh', '-c', `${loUp} && exec ${traced.map(quote).join(' ')}`] : traced;
    const env: NodeJS.ProcessEnv = { ...process.env, [CHILD]: '1', METADATA_SERVER_DETECTION: 'none' };
    delete env.GOOGLE_APPLICATION_CREDENTIALS;
    delete env.BIGQUERY_EMULATOR_HOST;
    delete env.NODE_TEST_CONTEXT; // else the inner `node --test` refuses to run files from inside a test
    const r = spawnSync(cmd[0]!, cmd.slice(1), { env, encoding: 'utf8', timeout: 600_000, maxBuffer: 64 * 1024 * 1024 });
    console.log(`# isolation: ${unshare ? `unshare -n (loopback only, lo up with ${loUp!.split(' ')[0]})` : 'none'}; connect() tracing: ${strace ? 'strace' : 'none'}`);
    assert.equal(r.status, 0, `the BigQuery tests failed in isolation:\n${r.stdout}\n${r.stderr}`);
    const passed = Number(/^# pass (\d+)/m.exec(r.stdout)?.[1] ?? 0);
    assert.ok(passed >= 20, `only ${passed} tests ran in isolation:\n${r.stdout.slice(-2000)}`);
    console.log(`# ${passed} BigQuery/CLI tests passed with only loopback`);
    if (strace) {
      const text = fs.readFileSync(log, 'utf8');
      const loopback = text.split('\n').filter((l) => /inet_addr\("127\./.test(l)).length;
      assert.ok(loopback > 0, 'strace saw the loopback connections (the trace works)');
      assert.deepEqual(foreignConnects(text), [], 'connect() to a non-loopback address');
      console.log(`# ${loopback} loopback connect() calls, 0 elsewhere`);
    }
    fs.rmSync(work, { recursive: true, force: true });
  });
});
