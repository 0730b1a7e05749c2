import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { gatherDashboardState } from '../../../src/core/progress/gather';
import { DashboardState } from '../../../src/protocol/messages';
import { recordMessages } from '../../webview/fixtures/record';
import { REHEARSAL_NOW, writeRehearsal } from '../../webview/fixtures/rehearsal';

function repoRoot(): string {
  let dir = __dirname;
  // out/ holds a copy of package.json (resolveJsonModule), so look for tsconfig.json too.
  while (!(fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'tsconfig.json')))) dir = path.dirname(dir);
  return dir;
}

test('gathers a rehearsed migration from its files: journal, snapshots, validation, shim reads', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bqmigrate-gather-'));
  const r = gatherDashboardState(writeRehearsal(dir), REHEARSAL_NOW);
  assert.ok(r.ok);
  const s = r.state;
  assert.ok(DashboardState.safeParse(s).success);
  assert.deepEqual(s.problems, []);
  assert.deepEqual(s.phases.phases.map((p) => p.status), ['complete', 'complete', 'complete', 'complete', 'complete', 'complete', 'complete', 'in-progress', 'not-started']);
  assert.equal(s.phases.next?.phaseId, 'cleanup');
  assert.equal(s.references.total, 57);
  assert.equal(s.references.history.length, 9);
  // 17 + 1 + 1 counts, dates and checks; the five content checks add 3 passed, 1 failed (12m), 1 not validated (3m).
  assert.deepEqual([s.validation.passed, s.validation.failed, s.validation.skipped], [20, 2, 2]);
  assert.equal(s.shims.shims.find((x) => x.from.endsWith('_1m'))?.lastRead, '2026-11-22');
});

test('unreadable state files become problems with file:line, the rest still renders', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bqmigrate-gather-'));
  const manifest = writeRehearsal(dir);
  fs.writeFileSync(path.join(dir, '.bqmigrate', 'validation-latest.json'), '{"checks": [');
  fs.appendFileSync(path.join(dir, '.bqmigrate', 'reference-snapshots.jsonl'), 'garbage\n');
  const r = gatherDashboardState(manifest, REHEARSAL_NOW);
  assert.ok(r.ok);
  assert.equal(r.state.problems.length, 2);
  assert.match(r.state.problems[0]!, /reference-snapshots\.jsonl:10:1: not JSON/);
  assert.match(r.state.problems[1]!, /validation-latest\.json:1:1: the validation report is not valid JSON/);
  assert.equal(r.state.validation.reportAvailable, false);
  assert.equal(r.state.references.total, 57);
});

test('a broken manifest is reported with its position, not thrown', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bqmigrate-gather-'));
  fs.writeFileSync(path.join(dir, 'bqmigrate.json'), '{ "project": "X" }');
  const r = gatherDashboardState(path.join(dir, 'bqmigrate.json'));
  assert.equal(r.ok, false);
  assert.match(!r.ok ? r.problems.join('\n') : '', /bqmigrate\.json:1:\d+/);
});

test('the browser tests play exactly what the model records today (fixture not stale)', () => {
  const committed = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'test', 'webview', 'fixtures', 'host-messages.json'), 'utf8'));
  assert.deepEqual(committed, JSON.parse(JSON.stringify(recordMessages())), 'rerun: node --import tsx test/webview/fixtures/record.ts');
});
