/**
 * Polling the shared history while someone looks at it: reads only while at least one viewer
 * (the dashboard panel, the Phases view) is visible, never two reads at once, and backs off —
 * the delay doubles, up to a ceiling, while reads fail or nothing changes, and drops back to the
 * base when something changed, a run holds the lock, or a viewer becomes visible again.
 * Pure scheduling: the read, the clock and the timers are given, so tests drive it by hand.
 */

export interface PollSchedule {
  /** The delay after a read that saw a change or a run in progress, in ms (0: no polling). */
  baseMs: number;
  /** The longest delay backing off reaches, in ms. */
  maxMs: number;
}

/** What a read found, for the next delay. */
export type PollOutcome = 'changed' | 'active' | 'same' | 'failed';

/** The delay after a read with `outcome`, given the delay before it. */
export function nextPollDelay(previousMs: number, outcome: PollOutcome, s: PollSchedule): number {
  if (outcome === 'changed' || outcome === 'active') return s.baseMs;
  return Math.min(Math.max(s.baseMs, previousMs * 2), Math.max(s.baseMs, s.maxMs));
}

export interface PollTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: PollTimers = { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };

export class HistoryPoller {
  private readonly visible = new Set<string>();
  private timer: unknown;
  private delay: number;
  private reading: Promise<void> | undefined;
  private disposed = false;
  /** Reads started so far (one still under way included): a read started while nothing is visible would show here. */
  reads = 0;

  constructor(
    /** One read; returns what it found. A throw counts as `failed`. */
    private readonly read: () => Promise<PollOutcome>,
    private schedule: PollSchedule,
    private readonly timers: PollTimers = realTimers,
  ) {
    this.delay = schedule.baseMs;
  }

  /** Whether any viewer is visible (polling is on). */
  get active(): boolean {
    return this.visible.size > 0 && this.schedule.baseMs > 0 && !this.disposed;
  }

  /** The delay before the next read, in ms. */
  get currentDelayMs(): number {
    return this.delay;
  }

  /** A viewer became visible or hidden. The first visible one reads at once; the last hidden one stops the polling. */
  setVisible(viewer: string, visible: boolean): void {
    const wasActive = this.active;
    if (visible) this.visible.add(viewer);
    else this.visible.delete(viewer);
    if (this.active && !wasActive) {
      this.delay = this.schedule.baseMs;
      this.readNow();
    } else if (!this.active) this.cancel();
  }

  /** New base and ceiling (a settings change); an active poller starts over from the base. */
  setSchedule(schedule: PollSchedule): void {
    const wasActive = this.active;
    this.schedule = schedule;
    this.delay = schedule.baseMs;
    if (this.active) {
      if (!this.reading) {
        this.cancel();
        this.arm();
      }
    } else if (wasActive) this.cancel();
  }

  /** Reads now (unless a read is under way), then goes on polling if a viewer is visible. */
  readNow(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    if (this.reading) return this.reading;
    this.cancel();
    this.reads++;
    this.reading = (async () => {
      let outcome: PollOutcome;
      try {
        outcome = await this.read();
      } catch {
        outcome = 'failed';
      }
      this.delay = nextPollDelay(this.delay, outcome, this.schedule);
    })().finally(() => {
      this.reading = undefined;
      if (this.active) this.arm();
    });
    return this.reading;
  }

  private arm(): void {
    this.cancel();
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.readNow();
    }, this.delay);
  }

  private cancel(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.cancel();
  }
}
