/**
 * Resume after `kill -9` of the built CLI, between steps and inside steps: the CLI is
 * stalled right after it journals a chosen event (stall-on-journal.ts), killed with
 * SIGKILL, resumed with `run --resume`, and its end state compared with an uninterrupted run.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadManifestOrThrow } from '../../../src/core/manifest/load';
import { phaseStatuses, readJournal } from '../../../src/core/phases/index';
import { openWarehouse } from '../../../src/core/warehouse/index';
import { makeWorkspace, repoRoot, warehouseState, type Workspace } from './helpers';
import { stallEnv } from './stall-on-journal';

const CLI = path.join(repoRoot(), 'bin', 'bqmigrate.js');

function cli(dir: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env, METADATA_SERVER_DETECTION: 'none' } });
}

/** Starts `run --all --yes`, waits until it stalls at `stallOn`, then SIGKILLs it. */
function runAndKill(dir: string, stallOn: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'run', '--all', '--yes'], { cwd: dir, env: { ...process.env, ...stallEnv(stallOn), METADATA_SERVER_DETECTION: 'none' } });
    let err = '';
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`never stalled at ${stallOn}\n${out}\n${err}`));
    }, 120_000);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('stalled at')) child.kill('SIGKILL');
    });
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL' && err.includes('stalled at')) resolve(out);
      else reject(new Error(`the CLI ended without stalling (${signal ?? _code}) at ${stallOn}\n${out}\n${err}`));
    });
  });
}

async function endState(dir: string) {
  const loaded = loadManifestOrThrow(path.join(dir, 'bqmigrate.json'));
  const wh = await openWarehouse({ backend: 'local', loaded });
  try {
    const statuses = loaded.manifest.mappings.map((m) => `${m.status}:${m.kind === 'column' ? '' : (m.shimmedOn ?? '')}`);
    return { tables: await warehouseState(wh), statuses };
  } finally {
    await wh.close();
  }
}

function copyWorkspace(src: string): string {
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'bqm-resume-'));
  fs.cpSync(src, dest, { recursive: true });
  return dest;
}

describe('resume after kill -9 of the CLI', { skip: !fs.existsSync(path.join(repoRoot(), 'dist', 'cli.js')) && 'dist/cli.js is not built (npm run build)' }, () => {
  let seeded: Workspace;
  let reference: Awaited<ReturnType<typeof endState>>;
  const dirs: string[] = [];
  before(async () => {
    seeded = await makeWorkspace();
    const ref = copyWorkspace(seeded.dir);
    dirs.push(ref);
    const r = cli(ref, ['run', '--all', '--yes']);
    assert.equal(r.status, 0, r.stderr);
    reference = await endState(ref);
    assert.equal(reference.tables['models_v4.production_training_data_1m']?.split(':')[0], 'VIEW');
  });
  after(() => {
    seeded.cleanup();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  const points: [string, string][] = [
    ['between steps (after the archive step ended)', 'step-end:archive'],
    ['inside archive, after the copy to the temp name and before the rename', 'action-note:archive:models_v4.production_training_data_1m'],
    ['inside create-targets, right after an action started', 'action-start:target:training.zl_training_prod_allhistory_6m'],
    ['inside shim-views, after verifying the archive and before dropping the legacy table', 'action-note:shim:models_v4.production_training_data_3m'],
  ];
  for (const [label, stallOn] of points) {
    it(`${label}: --resume reaches the same end state`, async () => {
      const dir = copyWorkspace(seeded.dir);
      dirs.push(dir);
      await runAndKill(dir, stallOn);
      const loaded = loadManifestOrThrow(path.join(dir, 'bqmigrate.json'));
      assert.ok(!phaseStatuses(loaded, readJournal(dir)).every((p) => p.state === 'complete'), 'not every phase is complete after the kill');
      assert.match(cli(dir, ['status']).stdout, /was interrupted: `bqmigrate run --resume` continues it/);
      const fresh = cli(dir, ['run', '--all', '--yes']);
      assert.equal(fresh.status, 1);
      assert.match(fresh.stderr, /was interrupted; continue it with --resume/);
      const resumed = cli(dir, ['run', '--resume', '--yes']);
      assert.equal(resumed.status, 0, resumed.stdout + resumed.stderr);
      assert.deepEqual(await endState(dir), reference);
      const status = cli(dir, ['status', '--json']);
      assert.ok((JSON.parse(status.stdout) as { state: string }[]).every((p) => p.state === 'complete'));
    });
  }
});
