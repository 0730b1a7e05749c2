/**
 * bin/bqmigrate.js sets V8 flags for `lint` by Node's major version (Node 20 only takes its interrupt budget),
 * and V8 prints an error for a flag it does not know. On each Node this machine has — the one running the
 * tests and the VS Code hosts' Node 20 and 24, which `npm test` installs before this suite — `lint` of the
 * bundled sample prints the same report, the same stderr and the same exit code, and nothing from V8.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { findVsCodeHost, vsCodeHostNames } from '../../host/lib/paths';
import { repoRoot } from '../lint/repo-root';
import { buildOnce } from './cli-helpers';

function lintSample(node: string): { code: number | null; stdout: string; stderr: string } {
  const root = repoRoot();
  const r = spawnSync(node, [path.join(root, 'bin', 'bqmigrate.js'), 'lint', '--format', 'json', '.'], {
    cwd: path.join(root, 'examples', 'cbi-warehouse'),
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', METADATA_SERVER_DETECTION: 'none', BQMIGRATE_NO_COMPILE_CACHE: '1' },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('lint under each Node version this machine has', () => {
  buildOnce();
  const reference = lintSample(process.execPath);

  it(`Node ${process.versions.node} (the test runner's): a report, exit 1 for the sample's errors, no V8 error`, () => {
    assert.equal(reference.code, 1, reference.stderr);
    assert.ok(JSON.parse(reference.stdout).length > 0, 'the report lists the sample files');
    assert.doesNotMatch(reference.stderr, /unrecognized flag|Try --help/);
  });

  for (const name of vsCodeHostNames()) {
    it(`the "${name}" VS Code host's Node: the same report, stderr and exit code`, (t) => {
      let node: string;
      try {
        node = findVsCodeHost(name).node;
      } catch (err) {
        t.skip(`not installed here: ${(err as Error).message}`);
        return;
      }
      const r = lintSample(node);
      const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
      assert.doesNotMatch(r.stderr, /unrecognized flag|Try --help/, `Node ${version}`);
      assert.deepEqual(r, reference, `Node ${version} against Node ${process.versions.node}`);
    });
  }
});
