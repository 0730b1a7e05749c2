/**
 * The shared history's part of the Phases card: a warning when the warehouse could not be read
 * (the statuses are then this machine's journal only), the runs in progress — whoever runs them,
 * on which host, since when, in which step — and the lock's holder.
 */
import { RUN_STATE_TEXT, runAuthor, type HistoryView, type RunView } from '../../src/protocol/messages';
import { h, icon } from '../dom';
import { formatTime, plural } from '../format';

const STATE_ICON: Record<RunView['state'], string> = { running: 'sync', stale: 'warning', interrupted: 'debug-pause' };


/** The run that holds the lock and is not this working copy's, if any: a Run here would be refused. */
export function blockingRun(history: HistoryView | undefined): RunView | undefined {
  return history?.runs.find((r) => !r.mine && r.state === 'running');
}

function runItem(r: RunView, history: HistoryView): HTMLElement {
  const holds = history.lock?.runId === r.runId;
  const what = `${r.kind === 'rollback' ? 'rollback of ' : ''}${r.phases.join(', ') || '(phases unknown)'}`;
  const details = [`${RUN_STATE_TEXT[r.state]} since ${formatTime(r.since)}`, r.step ? `step ${r.step}` : '', holds ? `holds the lock (heartbeat ${formatTime(history.lock!.heartbeat)})` : '', `last event ${formatTime(r.lastEvent)}`].filter(Boolean);
  const hint = r.state === 'stale' ? `its heartbeat is stale: bqmigrate unlock --run ${r.runId} takes the lock` : r.state === 'interrupted' ? 'bqmigrate run --resume continues it' : '';
  return h(
    'li',
    { class: `run run-${r.state}${r.mine ? ' run-mine' : ''}`, 'data-run': r.runId, 'data-state': r.state, 'data-mine': r.mine ? 'true' : 'false' },
    icon(STATE_ICON[r.state], `status-icon run-${r.state}`),
    h(
      'div',
      {},
      h('div', {}, h('strong', { class: 'run-author' }, runAuthor(r)), ' ', h('span', { class: 'run-what' }, what)),
      h('div', { class: 'muted run-details' }, details.join(' · ')),
      hint ? h('div', { class: 'muted run-hint' }, hint) : null,
      h('div', { class: 'muted run-id' }, `run ${r.runId}`),
    ),
  );
}

export function renderRuns(history: HistoryView | undefined): HTMLElement[] {
  if (!history) return [];
  const out: HTMLElement[] = [];
  if (history.warning) out.push(h('div', { class: 'history-warning', role: 'status', 'data-testid': 'history-warning' }, icon('warning'), ' ', history.warning));
  if (history.runs.length) out.push(h('div', { class: 'runs', 'data-testid': 'runs-in-progress' }, h('h3', {}, `Runs in progress (${history.runs.length})`), h('ul', { class: 'run-list' }, ...history.runs.map((r) => runItem(r, history)))));
  const lockOnly = history.lock && !history.runs.some((r) => r.runId === history.lock!.runId);
  if (lockOnly) out.push(h('p', { class: 'muted', 'data-testid': 'lock-holder' }, `The migration lock is held by run ${history.lock!.runId}: ${history.lock!.holder} on ${history.lock!.host} since ${formatTime(history.lock!.since)}.`));
  const source =
    history.source === 'warehouse'
      ? `Shared history read ${formatTime(history.readAt)}${history.remoteEvents ? ` · ${plural(history.remoteEvents, 'event')} from other machines` : ''}`
      : `This machine's journal only · ${formatTime(history.readAt)}`;
  out.push(h('p', { class: 'muted history-source', 'data-testid': 'history-source', 'data-source': history.source }, source));
  return out;
}
