/**
 * kill -9 in the middle of repoint-definitions: the built CLI is stalled right after it journals
 * the backup of a view (before the view changes) and killed; `run --resume` reaches the same end
 * state as an uninterrupted run, the backup it keeps is the first one, and rollback restores the
 * pulled files byte for byte.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pullDefinitions } from '../../../src/core/definitions/pull';
import { readJournal } from '../../../src/core/phases/index';
import { bqmigrate, buildOnce } from '../cli/cli-helpers';
import { repoRoot, type Workspace } from '../phases/helpers';
import { stallEnv } from '../phases/stall-on-journal';
import { filesOf, migratedWorkspace, rowsOf, VIEWS } from './helpers';

const CLI = path.join(repoRoot(), 'bin', 'bqmigrate.js');

function runAndKill(dir: string, stallOn: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'run', '--phase', 'definitions', '--yes'], { cwd: dir, env: { ...process.env, ...stallEnv(stallOn), METADATA_SERVER_DETECTION: 'none' } });
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`never stalled at ${stallOn}: ${err}`));
    }, 600_000);
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('stalled at')) child.kill('SIGKILL');
    });
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL' && err.includes('stalled at')) resolve();
      else reject(new Error(`the CLI ended without stalling at ${stallOn} (${signal ?? _code}): ${err}`));
    });
  });
}

describe('repoint-definitions resumes after kill -9', () => {
  let ws: Workspace;
  before(async () => {
    buildOnce();
    ws = await migratedWorkspace();
  });
  after(() => ws.cleanup());

  it('killed after the backup of a view and before its change: --resume reaches the end state, rollback restores the original files', async () => {
    let wh = await ws.open();
    const rows = new Map<string, string>();
    try {
      await pullDefinitions(wh, ws.load());
      for (const v of VIEWS) rows.set(v, await rowsOf(wh, 'models_v4', v));
    } finally {
      await wh.close();
    }
    const original = filesOf(path.join(ws.dir, 'warehouse'));
    assert.equal(bqmigrate(['fix', 'warehouse'], ws.dir).code, 0);
    const fixed = filesOf(path.join(ws.dir, 'warehouse'));

    await runAndKill(ws.dir, 'action-note:repoint:view:models_v4.v_regimes');
    const killed = readJournal(ws.dir);
    // The killed run is the journal's last (the workspace's set-up ran the phases before it).
    const runId = killed.filter((e) => e.event === 'run-start').at(-1)!.runId;
    const ofKilled = killed.filter((e) => e.runId === runId);
    assert.ok(ofKilled.some((e) => e.action === 'repoint:view:models_v4.v_base' && e.event === 'action-end'), 'v_base was done before the kill');
    assert.ok(ofKilled.some((e) => e.action === 'repoint:view:models_v4.v_regimes' && e.event === 'action-note'), 'v_regimes journaled its backup before the kill');
    assert.ok(!ofKilled.some((e) => e.action === 'repoint:view:models_v4.v_regimes' && e.event === 'action-end'));
    const refused = bqmigrate(['run', '--phase', 'definitions', '--yes'], ws.dir);
    assert.notEqual(refused.code, 0, 'a new run refuses while the killed one is pending');

    const resumed = bqmigrate(['run', '--resume', '--yes'], ws.dir);
    assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
    // Planned again against the warehouse as the kill left it: only v_regimes still differs from its file.
    assert.match(resumed.stdout, /\(1 action\)/);
    assert.match(resumed.stdout, /✓ repoint view models_v4\.v_regimes to warehouse\/models_v4\/v_regimes\.sql — applied, read back, \d+ rows as before, same rows \(fingerprint\)/);

    const events = readJournal(ws.dir).filter((e) => e.runId === runId);
    const backups = events.filter((e) => e.event === 'action-note' && e.details && 'backup' in e.details);
    assert.equal(backups.filter((e) => e.action === 'repoint:view:models_v4.v_regimes').length, 1, 'the resumed action reused the backup journaled before the kill');
    assert.match(JSON.stringify(backups.find((e) => e.action === 'repoint:view:models_v4.v_regimes')!.details), /production_training_data_1w/);

    wh = await ws.open();
    try {
      for (const v of VIEWS) {
        assert.doesNotMatch((await wh.getDefinition('VIEW', { dataset: 'models_v4', table: v }))!.body, /production_training_data/);
        assert.equal(await rowsOf(wh, 'models_v4', v), rows.get(v));
      }
      assert.equal((await pullDefinitions(wh, ws.load(), { check: true })).differs, false, 'the warehouse now holds the fixed files');
    } finally {
      await wh.close();
    }
    assert.deepEqual(filesOf(path.join(ws.dir, 'warehouse')), fixed);

    const rb = bqmigrate(['rollback', '--phase', 'definitions', '--yes'], ws.dir);
    assert.equal(rb.code, 0, rb.stdout + rb.stderr);
    const pull = bqmigrate(['definitions', 'pull', '--out', 'after-rollback'], ws.dir);
    assert.equal(pull.code, 0, pull.stderr);
    assert.deepEqual(filesOf(path.join(ws.dir, 'after-rollback')), original);
    fs.rmSync(path.join(ws.dir, 'after-rollback'), { recursive: true });
  });
});
