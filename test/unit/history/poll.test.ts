/**
 * The history poller's schedule: reads only while a viewer is visible, one read at a time, the
 * delay doubling to the ceiling while nothing changes or reads fail, back to the base on a change
 * or a run in progress, and a visible viewer after a hidden spell reads at once from the base.
 * Driven by hand-stepped timers: every delay asked for is recorded and fired by the test.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HistoryPoller, nextPollDelay, type PollOutcome, type PollTimers } from '../../../src/core/history/poll';

class ManualTimers implements PollTimers {
  armed: { fn: () => void; ms: number; id: number }[] = [];
  delays: number[] = [];
  private next = 1;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.armed.push({ fn, ms, id });
    this.delays.push(ms);
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.armed = this.armed.filter((t) => t.id !== handle);
  }
  /** Fires the one armed timer (there is never more than one) and lets the read settle. */
  async fire(): Promise<void> {
    assert.equal(this.armed.length, 1, `one timer armed, found ${this.armed.length}`);
    const t = this.armed.shift()!;
    t.fn();
    await settle();
  }
}

const settle = () => new Promise((r) => setImmediate(r));

function poller(outcomes: PollOutcome[] | (() => Promise<PollOutcome>), schedule = { baseMs: 1000, maxMs: 8000 }) {
  const timers = new ManualTimers();
  const queue = Array.isArray(outcomes) ? [...outcomes] : undefined;
  let reads = 0;
  const read = Array.isArray(outcomes)
    ? async () => {
        reads++;
        const o = queue!.shift() ?? 'same';
        if (o === 'failed') throw new Error('warehouse unreachable');
        return o;
      }
    : outcomes;
  const p = new HistoryPoller(read, schedule, timers);
  return { p, timers, reads: () => reads };
}

describe('nextPollDelay', () => {
  const s = { baseMs: 1000, maxMs: 5000 };
  it('doubles while nothing changes or reads fail, stops at the ceiling, and returns to the base on a change or a run in progress', () => {
    assert.equal(nextPollDelay(1000, 'same', s), 2000);
    assert.equal(nextPollDelay(2000, 'failed', s), 4000);
    assert.equal(nextPollDelay(4000, 'same', s), 5000);
    assert.equal(nextPollDelay(5000, 'same', s), 5000);
    assert.equal(nextPollDelay(5000, 'changed', s), 1000);
    assert.equal(nextPollDelay(5000, 'active', s), 1000);
  });
  it('a ceiling below the base is the base (no delay shorter than asked)', () => {
    assert.equal(nextPollDelay(1000, 'same', { baseMs: 1000, maxMs: 10 }), 1000);
  });
});

describe('HistoryPoller', () => {
  it('reads at once when a viewer becomes visible, then backs off while nothing changes, and resets on a change', async () => {
    const { p, timers, reads } = poller(['changed', 'same', 'same', 'same', 'same', 'changed', 'same']);
    p.setVisible('dashboard', true);
    await settle();
    assert.equal(reads(), 1, 'the first read is immediate');
    for (let i = 0; i < 6; i++) await timers.fire();
    assert.equal(reads(), 7);
    // After: changed → 1000, same → 2000, 4000, 8000, 8000 (ceiling), changed → 1000, same → 2000.
    assert.deepEqual(timers.delays, [1000, 2000, 4000, 8000, 8000, 1000, 2000]);
  });

  it('a failing read backs off like an unchanged one, and a run in progress keeps the base delay', async () => {
    const { p, timers } = poller(['failed', 'failed', 'active', 'active', 'failed']);
    p.setVisible('phases', true);
    await settle();
    for (let i = 0; i < 4; i++) await timers.fire();
    assert.deepEqual(timers.delays, [2000, 4000, 1000, 1000, 2000]);
  });

  it('stops when the last viewer is hidden, not before; reads at once from the base delay when shown again', async () => {
    const { p, timers, reads } = poller([]);
    p.setVisible('dashboard', true);
    p.setVisible('phases', true);
    await settle();
    await timers.fire();
    await timers.fire();
    assert.equal(reads(), 3);
    p.setVisible('dashboard', false);
    assert.equal(p.active, true, 'the Phases view is still visible');
    assert.equal(timers.armed.length, 1);
    p.setVisible('phases', false);
    assert.equal(p.active, false);
    assert.equal(timers.armed.length, 0, 'no read is scheduled while nothing is visible');
    await settle();
    assert.equal(reads(), 3);
    p.setVisible('phases', true);
    await settle();
    assert.equal(reads(), 4, 'shown again: read at once');
    assert.equal(timers.armed[0]?.ms, 2000, 'from the base: one unchanged read doubles it once');
  });

  it('never runs two reads at once: a refresh during a read joins it, and the timer is armed only after a read ends', async () => {
    let release!: () => void;
    let inFlight = 0;
    let most = 0;
    let reads = 0;
    const { p, timers } = poller(async () => {
      reads++;
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise<void>((r) => (release = r));
      inFlight--;
      return 'same';
    });
    p.setVisible('dashboard', true);
    const joined = p.readNow();
    await settle();
    assert.equal(reads, 1);
    assert.equal(p.reads, 1, 'a read under way is counted from its start');
    assert.equal(timers.armed.length, 0, 'nothing armed while the read runs');
    release();
    await joined;
    await settle();
    assert.equal(most, 1);
    assert.equal(timers.armed.length, 1);
  });

  it('a base of 0 turns polling off; an explicit read still reads; dispose stops everything', async () => {
    const { p, timers, reads } = poller([], { baseMs: 0, maxMs: 1000 });
    p.setVisible('dashboard', true);
    await settle();
    assert.equal(reads(), 0);
    await p.readNow();
    assert.equal(reads(), 1);
    assert.equal(timers.armed.length, 0);
    p.setSchedule({ baseMs: 500, maxMs: 1000 });
    assert.equal(p.active, true);
    assert.equal(timers.armed[0]?.ms, 500, 'a new schedule arms from its base');
    p.dispose();
    assert.equal(timers.armed.length, 0);
    await p.readNow();
    assert.equal(reads(), 1, 'no read after dispose');
  });
});
