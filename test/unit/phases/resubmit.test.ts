/**
 * A phase run on BigQuery (the loopback fake) whose job ends DONE with a job-level backendError:
 * the job is resubmitted under a new id, the run succeeds, and the journal records the failed job.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { readJournal, runPhases } from '../../../src/core/phases/index';
import { openWarehouse, seedSampleWarehouse } from '../../../src/core/warehouse/index';
import { startFakeBigQuery } from '../../fake-bigquery/server';
import { archived, count, makeWorkspace, quiet } from './helpers';

process.env.METADATA_SERVER_DETECTION = 'none';

it('archive on BigQuery: a job that failed by itself is resubmitted and journaled as an action note', async () => {
  const ws = await makeWorkspace((t) => t, { seed: false });
  const fake = await startFakeBigQuery({ project: 'cbi-v14' });
  try {
    await seedSampleWarehouse(fake.engine.wh);
    const wh = await openWarehouse({ backend: 'bigquery', loaded: ws.load(), bigquery: { apiEndpoint: fake.url, retryBaseDelayMs: 1, maxRetries: 3, timeoutMs: 30_000 } });
    assert.equal((await runPhases({ wh, loaded: ws.load(), phases: ['datasets'], ...quiet })).status, 'ok');
    // The archive's own statement (it writes the metadata columns), not the run's history and lock statements.
    fake.faults.add({ kind: 'jobError', reason: 'backendError', match: { method: 'POST', path: '/jobs', dryRun: false, bodyIncludes: 'original_location' } });
    const r = await runPhases({ wh, loaded: ws.load(), phases: ['archive'], yes: true, concurrency: 1, ...quiet });
    assert.equal(r.status, 'ok', r.error);
    assert.equal(fake.faults.fired.filter((f) => f.kind === 'jobError').length, 1);
    const notes = readJournal(ws.dir).filter((e) => e.event === 'action-note' && e.details && 'resubmitted' in e.details);
    assert.equal(notes.length, 1);
    const note = notes[0]!.details!.resubmitted as { failedJobId: string; reason: string; attempt: number };
    assert.equal(note.reason, 'backendError');
    assert.equal(note.attempt, 1);
    assert.ok(fake.engine.jobs.get(note.failedJobId)?.failure, 'the journal names the job that failed');
    assert.equal(await count(fake.engine.wh, archived('1m')), 1404);
  } finally {
    await fake.close();
    ws.cleanup();
  }
});
