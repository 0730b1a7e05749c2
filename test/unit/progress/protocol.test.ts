import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { changedSections, parseHostMessage, parseWebviewMessage, SECTION_NAMES, type DashboardState } from '../../../src/protocol/messages';

function fixtureState(): DashboardState {
  let dir = __dirname;
  // out/ holds a copy of package.json (resolveJsonModule), so look for tsconfig.json too.
  while (!(fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'tsconfig.json')))) dir = path.dirname(dir);
  return JSON.parse(fs.readFileSync(path.join(dir, 'test', 'webview', 'fixtures', 'host-messages.json'), 'utf8')).state.state;
}

test('webview → host: the six messages parse; anything else is rejected with where and why', () => {
  for (const m of [
    { type: 'ready', version: 1 },
    { type: 'preview-phase', phaseId: 'cleanup' },
    { type: 'run-phase', phaseId: 'cleanup' },
    { type: 'reveal-mapping', index: 3, from: 'models_v4.a' },
    { type: 'open-problems' },
    { type: 'open-problems', dataset: 'models_v4' },
    { type: 'open-report' },
  ]) assert.deepEqual(parseWebviewMessage(m), { ok: true, message: m });
  const bad: [unknown, RegExp][] = [
    [null, /rejected webview→host message/],
    [{ type: 'run-phase', phaseId: '../../etc' }, /"run-phase" at phaseId/],
    [{ type: 'reveal-mapping', index: -1, from: 'x' }, /at index/],
    [{ type: 'ready', version: 2 }, /at version/],
    [{ type: 'drop-table', table: 'x' }, /"drop-table"/],
  ];
  for (const [m, why] of bad) {
    const r = parseWebviewMessage(m);
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.error : '', why);
  }
});

test('host → webview: a full state and each section parse; a wrong one is rejected', () => {
  const state = fixtureState();
  assert.ok(parseHostMessage({ type: 'state', state }).ok);
  for (const name of SECTION_NAMES) assert.ok(parseHostMessage({ type: name, [name]: state[name] }).ok, name);
  assert.equal(parseHostMessage({ type: 'shims', shims: state.phases }).ok, false);
  assert.equal(parseHostMessage({ type: 'state', state: { ...state, phases: undefined } }).ok, false);
});

test('changedSections names only what differs, and everything for a first state', () => {
  const a = fixtureState();
  assert.deepEqual(changedSections(undefined, a), [...SECTION_NAMES]);
  assert.deepEqual(changedSections(a, structuredClone(a)), []);
  const b = structuredClone(a);
  b.references.total = 1;
  b.shims.today = '2030-01-01';
  assert.deepEqual(changedSections(a, b), ['references', 'shims']);
});
