/**
 * Uploads journal events to the warehouse history after they are fsynced locally. The upload
 * runs beside the steps, not in front of them: an event is queued the moment the journal holds
 * it and sent in batches, one request in flight at a time, so a step never waits for the
 * warehouse's round trip. A failed upload keeps its events queued and tries again later; the run's
 * end takes what is still queued into its last statement (with the lock's release), and what is
 * missing after that is uploaded by the next run or resume.
 */
import type { LoadedManifest } from '../manifest/load';
import type { JournalEvent } from '../phases/types';
import type { Warehouse } from '../warehouse/types';
import { HISTORY_BATCH, insertHistory, type HistoryRow, type RunIdentity } from './table';

export class HistoryUploader {
  private readonly pending: HistoryRow[] = [];
  private running: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private lastError: string | undefined;
  /** Events uploaded so far. */
  uploaded = 0;

  constructor(
    private readonly wh: Warehouse,
    private readonly loaded: LoadedManifest,
    private readonly identity: RunIdentity,
    private readonly opts: { retryBaseMs?: number; onError?(message: string): void } = {},
  ) {}

  /** Queues one fsynced event (its position in the local journal as `seq`) and starts sending. */
  enqueue(event: JournalEvent, seq: number): void {
    this.pending.push({ event, seq, identity: this.identity });
    this.kick();
  }

  private kick(): void {
    if (this.stopped || this.running || this.retryTimer || this.pending.length === 0) return;
    this.running = this.sendAll().finally(() => {
      this.running = undefined;
      if (this.pending.length && !this.retryTimer && this.failures === 0) this.kick();
    });
  }

  private async sendAll(): Promise<void> {
    while (this.pending.length) {
      const batch = this.pending.slice(0, HISTORY_BATCH);
      try {
        await insertHistory(this.wh, this.loaded, batch);
      } catch (err) {
        this.failures++;
        this.lastError = (err as Error).message.split('\n')[0];
        this.opts.onError?.(this.lastError!);
        // Later events keep queueing; the next try waits longer each time (at most a minute).
        const delay = Math.min((this.opts.retryBaseMs ?? 2000) * 2 ** (this.failures - 1), 60_000);
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.kick();
        }, delay);
        this.retryTimer.unref();
        return;
      }
      this.failures = 0;
      this.lastError = undefined;
      this.pending.splice(0, batch.length);
      this.uploaded += batch.length;
    }
  }

  /** Stops sending (waiting for a request in flight) and hands over what is still queued, for the run's last statement. */
  async stop(): Promise<HistoryRow[]> {
    this.stopped = true;
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
    await this.running;
    return this.pending.splice(0, this.pending.length);
  }

  private stopped = false;
}

/** Uploads every local journal event whose id the history (`have`) lacks: a run that lost its connection, older journals; returns how many. */
export async function uploadMissing(wh: Warehouse, loaded: LoadedManifest, local: readonly JournalEvent[], have: ReadonlySet<string>, identity: RunIdentity): Promise<number> {
  if (local.length === 0) return 0;
  const starts = new Map<string, Record<string, unknown>>();
  for (const e of local) if (e.event === 'run-start' && !starts.has(e.runId)) starts.set(e.runId, e.details ?? {});
  const missing: HistoryRow[] = [];
  local.forEach((event, seq) => {
    if (event.id && !have.has(event.id)) missing.push({ event, seq, identity: identityOf(starts.get(event.runId) ?? {}, identity) });
  });
  for (let i = 0; i < missing.length; i += HISTORY_BATCH) await insertHistory(wh, loaded, missing.slice(i, i + HISTORY_BATCH));
  return missing.length;
}

/** An event's run as its run-start recorded it (principal, host, manifest hash, version), else the uploader's. */
function identityOf(d: Record<string, unknown>, fallback: RunIdentity): RunIdentity {
  const str = (v: unknown, f: string) => (typeof v === 'string' ? v : f);
  return { principal: str(d.principal, fallback.principal), host: str(d.host, fallback.host), manifestHash: str(d.manifestHash, fallback.manifestHash), version: str(d.version, fallback.version) };
}
