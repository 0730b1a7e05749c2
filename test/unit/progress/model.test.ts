import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseManifest, type LoadedManifest } from '../../../src/core/manifest/load';
import type { PhaseStatus } from '../../../src/core/phases/types';
import { buildDashboardState, buildReferencesSection, buildShimsSection, buildValidationSection } from '../../../src/core/progress/model';
import { DashboardState, ShimsSection } from '../../../src/protocol/messages';
import type { ReadersReport } from '../../../src/core/readers/types';

function load(extra: Record<string, unknown>): LoadedManifest {
  const r = parseManifest(JSON.stringify({ project: 'cbi-v14', datasets: { training: { description: 't' } }, ...extra }), '/w/bqmigrate.json');
  assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
  return r.loaded;
}

const phases = [
  { id: 'datasets', title: 'Create new datasets', steps: [{ run: 'create-datasets' }, { run: 'verify-datasets' }] },
  { id: 'shims', title: 'Shim views', steps: [{ run: 'shim-views' }], dependsOn: ['datasets'] },
  { id: 'cleanup', title: 'Cleanup', steps: [{ run: 'drop-shims' }], dependsOn: ['shims'] },
];

const status = (id: string, state: PhaseStatus['state'], steps: PhaseStatus['steps'], start?: string, end?: string): PhaseStatus => ({ id, title: id, state, steps, ...(start ? { start } : {}), ...(end ? { end } : {}) });

test('phase timeline: durations from the statuses, running phases measured to now, next = first startable', () => {
  const loaded = load({ phases });
  const now = new Date('2026-11-10T12:00:00Z');
  const state = buildDashboardState({
    loaded,
    now,
    journalEvents: 7,
    snapshots: [],
    statuses: [
      status('datasets', 'complete', [{ id: 'create-datasets', state: 'complete' }, { id: 'verify-datasets', state: 'complete' }], '2026-11-01T08:00:00Z', '2026-11-01T09:30:00Z'),
      status('shims', 'in-progress', [{ id: 'shim-views', state: 'in-progress' }], '2026-11-10T10:00:00Z'),
      status('cleanup', 'not-started', [{ id: 'drop-shims', state: 'not-started' }]),
    ],
  });
  assert.ok(DashboardState.safeParse(state).success, 'the model produces what the protocol accepts');
  const [datasets, shims, cleanup] = state.phases.phases;
  assert.equal(datasets!.durationMs, 90 * 60_000);
  assert.equal(datasets!.stepsDone, 2);
  assert.equal(shims!.durationMs, 2 * 3_600_000);
  assert.equal(shims!.end, undefined);
  assert.equal(cleanup!.start, undefined);
  assert.deepEqual(state.phases.next, { phaseId: 'shims', title: 'Shim views', retry: false, step: 'run shim-views' });
  assert.equal(state.phases.journalEvents, 7);
});

test('a failed phase is next, as a retry, with its error shown', () => {
  const loaded = load({ phases });
  const state = buildDashboardState({
    loaded,
    now: new Date('2026-11-02T00:00:00Z'),
    journalEvents: 3,
    snapshots: [],
    statuses: [status('datasets', 'failed', [{ id: 'create-datasets', state: 'complete' }, { id: 'verify-datasets', state: 'failed', error: 'dataset training missing' }], '2026-11-01T08:00:00Z', '2026-11-01T08:05:00Z')],
  });
  assert.equal(state.phases.phases[0]!.error, 'dataset training missing');
  assert.deepEqual(state.phases.next, { phaseId: 'datasets', title: 'Create new datasets', retry: true, step: 'run verify-datasets' });
});

test('no next step when every phase is complete', () => {
  const loaded = load({ phases: phases.slice(0, 1) });
  const state = buildDashboardState({ loaded, now: new Date(), journalEvents: 2, snapshots: [], statuses: [status('datasets', 'complete', [], '2026-11-01T08:00:00Z', '2026-11-01T09:00:00Z')] });
  assert.equal(state.phases.next, undefined);
});

test('mapping counts by status and the unmapped inventory objects', () => {
  const loaded = load({
    mappings: [
      { from: 'models_v4.a', to: 'training.a', status: 'migrated' },
      { from: 'models_v4.b', to: 'training.b' },
      { from: 'staging.c', inventory: { type: 'TABLE', rows: 3 } },
      { from: 'staging.d', status: 'dropped' },
    ],
  });
  const state = buildDashboardState({ loaded, now: new Date(), journalEvents: 0, snapshots: [], statuses: [] });
  assert.equal(state.mappings.total, 4);
  assert.deepEqual(state.mappings.byStatus, { planned: 2, migrated: 1, shimmed: 0, archived: 0, dropped: 1 });
  assert.deepEqual(state.mappings.unmapped, [{ index: 2, from: 'staging.c' }]);
  assert.equal(state.mappings.columns, undefined, 'no column mappings: no column counts');
});

test('column mappings are counted apart from the tables, by status', () => {
  const loaded = load({
    mappings: [
      { from: 'models_v4.a', to: 'training.a', status: 'migrated' },
      { kind: 'column', table: 'models_v4.a', from: 'x', to: 'y' },
      { kind: 'column', table: 'models_v4.a', from: ['p', 'q'], to: 'r', combine: 'coalesce', status: 'migrated' },
    ],
  });
  const state = buildDashboardState({ loaded, now: new Date(), journalEvents: 0, snapshots: [], statuses: [] });
  assert.equal(state.mappings.total, 1);
  assert.deepEqual(state.mappings.columns, { total: 2, byStatus: { planned: 1, migrated: 1, shimmed: 0, archived: 0, dropped: 0 } });
});

test('references: the last snapshot by dataset (zeros left out), history for the burn-down', () => {
  const r = buildReferencesSection([
    { ts: '2026-11-01T00:00:00Z', total: 10, byDataset: { a: 6, b: 4 } },
    { ts: '2026-11-02T00:00:00Z', total: 5, byDataset: { a: 1, b: 4, c: 0 } },
  ]);
  assert.equal(r.total, 5);
  assert.equal(r.lastScan, '2026-11-02T00:00:00Z');
  assert.deepEqual(r.byDataset, [{ dataset: 'b', count: 4 }, { dataset: 'a', count: 1 }]);
  assert.deepEqual(r.history.map((h) => h.total), [10, 5]);
  assert.deepEqual(buildReferencesSection([]), { byDataset: [], history: [] });
});

test('validation: failures first, skipped last and counted apart, values kept as numbers or strings', () => {
  const v = buildValidationSection({
    ts: '2026-11-13T00:00:00Z',
    checks: [
      { id: 'rows', description: 'Row count', legacy: 10, new: 10, pass: true, detail: 'equal' },
      { id: 'jobs', description: 'No recent reads', pass: true, skipped: true, detail: 'BigQuery only' },
      { id: 'range', description: 'Date range', legacy: 'a', new: { odd: true }, pass: false },
    ],
  });
  assert.deepEqual(v.checks.map((c) => c.id), ['range', 'rows', 'jobs']);
  assert.equal(v.checks[0]!.new, '{"odd":true}');
  assert.equal(v.checks[1]!.legacy, 10);
  assert.deepEqual([v.passed, v.failed, v.skipped, v.reportAvailable], [1, 1, 1, true]);
  assert.deepEqual(buildValidationSection(undefined), { checks: [], passed: 0, failed: 0, skipped: 0, reportAvailable: false });
});

test('shims: days left of the grace period (negative once over), soonest first, last read when known', () => {
  const loaded = load({
    shims: { graceDays: 30 },
    mappings: [
      { from: 'models_v4.a', to: 'training.a', status: 'shimmed', shimmedOn: '2026-11-12' },
      { from: 'models_v4.b', to: 'training.b', status: 'shimmed', shimmedOn: '2026-10-20' },
      { from: 'models_v4.c', to: 'training.c', status: 'shimmed' },
      { from: 'models_v4.d', to: 'training.d', status: 'migrated', shimmedOn: '2026-10-01' },
    ],
  });
  const name = (n: string, mappingIndex: number, readers: ReadersReport['names'][number]['readers']): ReadersReport['names'][number] => {
    const jobs = readers.reduce((k, r) => k + r.jobs, 0);
    return { name: n, mappingIndex, to: n.replace('models_v4', 'training'), shim: true, exists: true, readers, jobs, ...(readers[0] ? { lastRead: readers[0].lastRead } : {}), otherProjects: 'not verified', quiet: false };
  };
  const report: ReadersReport = {
    version: 1,
    generatedAt: '2026-11-23T10:00:00.000Z',
    backend: 'bigquery',
    project: 'cbi-v14',
    days: 30,
    since: '2026-10-24T10:00:00.000Z',
    jobsScanned: 3,
    cacheHitJobs: 1,
    coverage: { ownProject: 'INFORMATION_SCHEMA.JOBS', otherProjects: 'not verified', otherProjectsReason: 'JOBS_BY_ORGANIZATION: access denied' },
    names: [
      name('models_v4.a', 0, []),
      name('models_v4.b', 1, [
        { principal: 'alice@example.com', project: 'cbi-v14', jobs: 2, lastRead: '2026-11-02T08:00:00.000Z', sampleJobId: 'j2', cacheHits: 1, via: ['query text'] },
        { principal: 'bob@example.com', project: 'other', jobs: 1, lastRead: '2026-10-30T08:00:00.000Z', sampleJobId: 'j1', cacheHits: 0, via: ['referenced_tables'] },
      ]),
    ],
    notes: ['Cache-hit jobs have empty referenced_tables.'],
  };
  const s = buildShimsSection(loaded, new Date('2026-11-23T23:59:00Z'), report);
  assert.equal(s.today, '2026-11-23');
  assert.deepEqual(
    s.shims.map((x) => [x.from, x.daysLeft, x.expires, x.lastRead, x.reads]),
    [
      ['models_v4.b', -4, '2026-11-19', '2026-11-02', 3],
      ['models_v4.a', 19, '2026-12-12', undefined, 0],
      ['models_v4.c', undefined, undefined, undefined, undefined],
    ],
  );
  // The readers view: names still read first, the busiest reader first; it fits the protocol.
  assert.deepEqual(s.readers?.names.map((n) => [n.name, n.jobs, n.readers.map((r) => r.principal)]), [
    ['models_v4.b', 3, ['alice@example.com', 'bob@example.com']],
    ['models_v4.a', 0, []],
  ]);
  assert.equal(s.readers?.otherProjects, 'not verified');
  assert.ok(ShimsSection.safeParse(s).success);
  assert.equal(buildShimsSection(loaded, new Date('2026-11-23T23:59:00Z')).readers, undefined, 'no report: no readers');
});
