/** The phase commands through the CLI's main(): init, plan --json, run without --yes, status --json, usage errors. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli, makeWorkspace, type Workspace } from './helpers';

describe('bqmigrate init', () => {
  it('writes the manifest from the plan and refuses to overwrite it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bqm-init-'));
    try {
      const first = await cli(dir, ['init']);
      assert.equal(first.code, 0, first.err);
      const text = fs.readFileSync(path.join(dir, 'bqmigrate.json'), 'utf8');
      assert.match(text, /"date": "20251114"/);
      assert.match(text, /"graceDays": 30/);
      fs.appendFileSync(path.join(dir, 'bqmigrate.json'), '\n// mine\n');
      const second = await cli(dir, ['init']);
      assert.equal(second.code, 1);
      assert.match(second.err, /already exists; not overwriting/);
      assert.match(fs.readFileSync(path.join(dir, 'bqmigrate.json'), 'utf8'), /\/\/ mine/);
      assert.equal((await cli(dir, ['init', '--project', 'Bad Project'])).code, 2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('plan, run, status through the CLI', () => {
  let ws: Workspace;
  before(async () => {
    ws = await makeWorkspace();
  });
  after(() => ws.cleanup());

  it('plan --json lists every phase with its actions and SQL', async () => {
    const r = await cli(ws.dir, ['plan', '--json']);
    assert.equal(r.code, 0, r.err);
    const plans = JSON.parse(r.out) as { phase: string; steps: { id: string; destructive: boolean; actions: { sql: string[] }[] }[] }[];
    assert.deepEqual(plans.map((p) => p.phase), ['datasets', 'archive', 'targets', 'shims', 'validate', 'cleanup']);
    assert.equal(plans[1]!.steps[0]!.actions.length, 5);
    assert.equal(plans[3]!.steps[0]!.destructive, true);
  });

  it('run without --yes refuses destructive phases before doing anything; usage errors exit 2', async () => {
    const r = await cli(ws.dir, ['run', '--all']);
    assert.equal(r.code, 1);
    assert.match(r.err, /need confirmation \(--yes\): shims\/shim-views/);
    assert.equal(fs.existsSync(path.join(ws.dir, '.bqmigrate', 'journal.jsonl')), false);
    assert.equal((await cli(ws.dir, ['run'])).code, 2);
    assert.equal((await cli(ws.dir, ['run', '--phase', 'x', '--all'])).code, 2);
    assert.equal((await cli(ws.dir, ['run', '--phase', 'datasets', '--backend', 'oracle'])).code, 2);
    const unknown = await cli(ws.dir, ['run', '--phase', 'nope']);
    assert.equal(unknown.code, 2, 'an unknown phase is a usage error');
    assert.match(unknown.err, /no phase "nope".*phases: datasets, archive/);
  });

  it('run --phase then status --json', async () => {
    const r = await cli(ws.dir, ['run', '--phase', 'datasets']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /run run-\S+: ok/);
    const s = await cli(ws.dir, ['status', '--json']);
    const statuses = JSON.parse(s.out) as { id: string; state: string }[];
    assert.equal(statuses.find((p) => p.id === 'datasets')!.state, 'complete');
    assert.equal(statuses.find((p) => p.id === 'archive')!.state, 'not-started');
  });
});
