import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { claimedEnd, claimNext, MAX_CLAIM_FILES, newClaim, stealBack, unclaimed } from '../../../src/core/lint/claims';

test('a claim hands out files from the front; a steal takes the back half of what is left', () => {
  const c = newClaim(10);
  assert.equal(unclaimed(c), 10);
  assert.equal(claimNext(c), 0);
  assert.equal(claimNext(c), 1);
  assert.deepEqual(stealBack(c), { from: 6, to: 10 }, 'eight left: the last four');
  assert.equal(claimedEnd(c), 6);
  assert.deepEqual(stealBack(c), { from: 4, to: 6 }, 'four left: the last two');
  assert.deepEqual(stealBack(c), { from: 3, to: 4 });
  assert.deepEqual(stealBack(c), { from: 2, to: 3 }, 'one left: taken');
  assert.equal(stealBack(c), undefined, 'none left');
  assert.equal(claimNext(c), -1, 'the worker stops where the steals began');
  assert.equal(claimedEnd(c), 2);
  assert.equal(unclaimed(c), 0);
  assert.equal(claimNext(newClaim(0)), -1);
  assert.throws(() => newClaim(MAX_CLAIM_FILES + 1), /0 to 32767 files/);
});

test('a worker claiming while the pool steals: every file is taken once, and the worker’s files are a prefix', async () => {
  const n = MAX_CLAIM_FILES;
  const claim = newClaim(n);
  // takenBy[k]: 1 when the worker took file k, 2 when a steal did; hits[k] counts takers (must end at 1).
  const takenBy = new Int32Array(new SharedArrayBuffer(4 * n));
  const hits = new Int32Array(new SharedArrayBuffer(4 * n));
  const go = new Int32Array(new SharedArrayBuffer(4));
  const source = `
    const { workerData, parentPort } = require('node:worker_threads');
    const { claim, takenBy, hits, go } = workerData;
    ${claimNext.toString()}
    Atomics.wait(go, 0, 0);
    let taken = 0;
    for (let k = claimNext(claim); k >= 0; k = claimNext(claim)) {
      Atomics.add(hits, k, 1);
      Atomics.store(takenBy, k, 1);
      taken++;
      // a little work per file, so steals land while the worker runs
      for (let i = 0; i < 200; i++) Math.sqrt(i);
    }
    parentPort.postMessage(taken);`;
  const worker = new Worker(source, { eval: true, workerData: { claim, takenBy, hits, go } });
  const done = new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await new Promise((resolve) => worker.once('online', resolve));
  Atomics.store(go, 0, 1);
  Atomics.notify(go, 0);
  // steal only once the worker is under way, so the two race
  while ((Atomics.load(claim, 0) & 0xffff) === 0);
  let steals = 0;
  for (;;) {
    const r = stealBack(claim);
    if (r === undefined) break;
    steals++;
    for (let k = r.from; k < r.to; k++) {
      Atomics.add(hits, k, 1);
      takenBy[k] = 2;
    }
    // let the worker take some between steals
    for (let i = 0; i < 2000; i++) Math.sqrt(i);
  }
  const byWorker = await done;
  await worker.terminate();
  assert.ok(steals > 1, `${steals} steals`);
  assert.ok(hits.every((h) => h === 1), `file ${hits.findIndex((h) => h !== 1)} taken ${hits.find((h) => h !== 1)} times`);
  const end = claimedEnd(claim);
  assert.ok(end > 0);
  assert.equal(byWorker, end, 'the worker lints files [0, end)');
  assert.ok(takenBy.subarray(0, end).every((t) => t === 1) && takenBy.subarray(end).every((t) => t === 2), 'worker files first, stolen files after');
});
