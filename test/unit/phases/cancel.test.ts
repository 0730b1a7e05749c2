/** Cancellation (Ctrl-C, the progress notification's Cancel): stops new work, journals it, and --resume finishes the run. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { phaseStatuses, readJournal, runPhases } from '../../../src/core/phases/index';
import type { Warehouse } from '../../../src/core/warehouse/types';
import { archived, count, HORIZONS, legacy, makeWorkspace, quiet, type Workspace } from './helpers';

describe('cancel and resume', () => {
  let ws: Workspace;
  let wh: Warehouse;
  before(async () => {
    ws = await makeWorkspace();
    wh = await ws.open();
  });
  after(async () => {
    await wh.close();
    ws.cleanup();
  });

  it('a run cancelled after the second archived table stops there; --resume archives the rest once', async () => {
    const controller = new AbortController();
    let archivedSoFar = 0;
    const r = await runPhases({
      wh,
      loaded: ws.load(),
      phases: ['datasets', 'archive', 'targets'],
      signal: controller.signal,
      onEvent: (e) => {
        if (e.event === 'action-end' && e.action?.startsWith('archive:') && ++archivedSoFar === 2) controller.abort();
      },
      ...quiet,
    });
    assert.equal(r.status, 'cancelled');
    const events = readJournal(ws.dir);
    assert.equal(events.at(-1)?.event, 'run-end');
    assert.equal(events.at(-1)?.details?.status, 'cancelled');
    assert.equal(phaseStatuses(ws.load(), events).find((p) => p.id === 'archive')!.state, 'in-progress');
    assert.equal(await wh.getTable(archived('12m')), undefined, 'nothing after the cancel point ran');

    const resumed = await runPhases({ wh, loaded: ws.load(), resume: true, ...quiet });
    assert.equal(resumed.status, 'ok', resumed.error);
    assert.equal(resumed.runId, r.runId);
    const archiveStep = resumed.steps.find((s) => s.step === 'archive')!;
    assert.deepEqual(archiveStep.actions.filter((a) => a.status === 'resumed').length, 2);
    for (const h of HORIZONS) assert.equal(await count(wh, archived(h)), await count(wh, legacy(h)));
    const statuses = phaseStatuses(ws.load(), readJournal(ws.dir));
    assert.deepEqual(statuses.slice(0, 3).map((p) => p.state), ['complete', 'complete', 'complete']);
  });
});
