/** Phase timeline: the runs in progress (runs.ts), status, start/end, duration, and the next step with Preview / Run. */
import { runAuthor, type PhasesSection, type PhaseState } from '../../src/protocol/messages';
import { phaseGantt } from '../charts/gantt';
import { h, icon } from '../dom';
import { formatDuration, formatTime } from '../format';
import type { SectionContext } from './context';
import { blockingRun, renderRuns } from './runs';

const STATUS_ICON: Record<PhaseState, string> = {
  complete: 'pass-filled',
  'in-progress': 'play-circle',
  failed: 'error',
  'not-started': 'circle-large-outline',
};
const STATUS_TEXT: Record<PhaseState, string> = {
  complete: 'complete',
  'in-progress': 'in progress',
  failed: 'failed',
  'not-started': 'not started',
};

function nextStep(s: PhasesSection, ctx: SectionContext): HTMLElement {
  if (!s.next) {
    const allDone = s.phases.length > 0 && s.phases.every((p) => p.status === 'complete');
    return h('p', { class: 'next-step', 'data-testid': 'next-step' }, allDone ? 'Every phase is complete.' : s.phases.length === 0 ? 'The manifest defines no phases.' : 'No phase can start: its dependencies are not complete.');
  }
  const { phaseId, title, step, retry } = s.next;
  const preview = h('vscode-button', { secondary: true, icon: 'eye', 'data-action': 'preview-phase', 'aria-label': `Preview ${title}` }, 'Preview');
  // Another person's run holds the lock: a run from here would be refused, so the button says why instead.
  const busy = blockingRun(s.history);
  const run = h(
    'vscode-button',
    { icon: retry ? 'debug-restart' : 'play', 'data-action': 'run-phase', 'aria-label': `${retry ? 'Retry' : 'Run'} ${title}`, disabled: busy !== undefined, title: busy ? `run ${busy.runId} by ${runAuthor(busy)} holds the migration lock` : undefined },
    retry ? 'Retry' : 'Run',
  );
  preview.addEventListener('click', () => ctx.post({ type: 'preview-phase', phaseId }));
  run.addEventListener('click', () => ctx.post({ type: 'run-phase', phaseId }));
  return h(
    'div',
    { class: 'next-step', 'data-testid': 'next-step', 'data-phase': phaseId },
    h('div', {}, h('strong', {}, 'Next: '), title, step ? h('span', { class: 'muted' }, ` — ${step}`) : null),
    h('div', { class: 'actions' }, preview, run),
  );
}

export function renderPhases(root: HTMLElement, s: PhasesSection, ctx: SectionContext): void {
  const done = s.phases.filter((p) => p.status === 'complete').length;
  ctx.setSummary(`${done} of ${s.phases.length} complete`);
  const list = h('ol', { class: 'timeline' });
  for (const p of s.phases) {
    const when: string[] = [];
    if (p.start) when.push(`started ${formatTime(p.start)}`);
    if (p.end) when.push(`ended ${formatTime(p.end)}`);
    if (p.durationMs !== undefined) when.push(p.status === 'in-progress' ? `running for ${formatDuration(p.durationMs)}` : `took ${formatDuration(p.durationMs)}`);
    list.append(
      h(
        'li',
        { class: `phase phase-${p.status}`, 'data-phase': p.id },
        icon(STATUS_ICON[p.status], `status-icon phase-${p.status}`),
        h(
          'div',
          { class: 'phase-body' },
          h('div', {}, h('span', { class: 'phase-title' }, p.title), ' ', h('span', { class: 'phase-status' }, STATUS_TEXT[p.status]), ' ', h('span', { class: 'muted' }, `· ${p.stepsDone}/${p.steps} steps`)),
          when.length ? h('div', { class: 'muted phase-when' }, when.join(' · ')) : null,
          p.error ? h('div', { class: 'error-text' }, p.error) : null,
        ),
      ),
    );
  }
  const gantt = phaseGantt(s, ctx.now());
  root.replaceChildren(...renderRuns(s.history), nextStep(s, ctx), list, ...(gantt ? [h('figure', { class: 'chart-figure' }, gantt)] : []));
}
