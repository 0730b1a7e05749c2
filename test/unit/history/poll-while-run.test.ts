/**
 * Reading the history while a run writes the same local DuckDB file, in the same process (the
 * editor polls while a run it started writes): every open shares the process's one instance of the
 * file, so the reads see the run's events as they land and the file stays intact. Two instances of
 * one file in one process corrupt it ("Invalid bitmask for FixedSizeAllocator", "Failed to deserialize").
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { readHistory } from '../../../src/core/history/table';
import { readJournal, runPhases } from '../../../src/core/phases/index';
import { localWarehouseFile, openLocalWarehouse } from '../../../src/core/warehouse/index';
import { isHeldHere } from '../../../src/core/warehouse/local-share';
import { makeWorkspace, quiet, warehouseState } from '../phases/helpers';

it('polling the history while a run writes the local warehouse: reads succeed, see the run grow, and the file stays intact', async () => {
  const ws = await makeWorkspace();
  try {
    const loaded = ws.load();
    const file = localWarehouseFile(ws.dir);
    const wh = await ws.open();
    let stop = false;
    const seen: number[] = [];
    const errors: string[] = [];
    const poller = (async () => {
      while (!stop) {
        const reader = await openLocalWarehouse({ file, project: loaded.manifest.project });
        try {
          seen.push(((await readHistory(reader, loaded)) ?? []).length);
        } catch (err) {
          errors.push((err as Error).message);
        } finally {
          await reader.close();
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    let result;
    try {
      result = await runPhases({ wh, loaded, phases: ['datasets', 'archive', 'targets', 'shims'], yes: true, concurrency: 1, ...quiet });
    } finally {
      stop = true;
      await poller;
    }
    assert.equal(result.status, 'ok', result.error);
    assert.ok(isHeldHere(file), 'the run still holds the file after the poller closed its handles');
    await wh.close();
    assert.ok(!isHeldHere(file), 'closed with its last holder');
    assert.deepEqual(errors, []);
    assert.ok(seen.length >= 5, `polled ${seen.length} times during the run`);
    assert.ok(seen.some((n, i) => i > 0 && n > seen[0]!), `the polls saw the history grow: ${seen.join(',')}`);
    // A fresh open of the file: every event is there and every table reads.
    const again = await ws.open();
    try {
      const history = (await readHistory(again, loaded))!;
      assert.deepEqual(history.map((h) => h.event.id).sort(), readJournal(ws.dir).map((e) => e.id).sort());
      const state = await warehouseState(again);
      assert.ok(Object.keys(state).length > 10);
      await again.query('SELECT 1 AS x');
    } finally {
      await again.close();
    }
  } finally {
    ws.cleanup();
  }
});
