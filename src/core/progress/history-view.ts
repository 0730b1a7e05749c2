/** The migration state's shared-history part (core/history/team.ts) as the dashboard shows it. Pure. */
import type { MigrationState } from '../history/team';
import type { HistoryView } from '../../protocol/messages';

/** Runs the page lists at most (the protocol's bound); the lock holder's is always among them. */
const MAX_RUNS = 20;

export function historyView(state: MigrationState): HistoryView {
  const { lock } = state;
  return {
    source: state.source,
    ...(state.warning ? { warning: state.warning } : {}),
    readAt: state.readAt,
    remoteEvents: state.shared.remoteOnly,
    runs: state.runs.slice(0, MAX_RUNS).map((r) => ({
      runId: r.runId,
      ...(r.principal ? { principal: r.principal } : {}),
      ...(r.host ? { host: r.host } : {}),
      kind: r.kind,
      phases: r.phases,
      since: r.since,
      ...(r.step ? { step: r.step } : {}),
      lastEvent: r.lastEvent,
      mine: r.mine,
      state: r.state,
    })),
    ...(lock ? { lock: { runId: lock.runId, holder: lock.holder, host: lock.host, since: lock.started, heartbeat: lock.heartbeat, stale: lock.stale } } : {}),
  };
}
