/** Phase and step status, derived from the journal alone: not-started | in-progress | complete | failed. */
import type { LoadedManifest } from '../manifest/load';
import { stepId } from './plan';
import type { JournalEvent, PhaseState, PhaseStatus, StepStatus } from './types';

export function phaseStatuses(loaded: LoadedManifest, events: readonly JournalEvent[]): PhaseStatus[] {
  return loaded.manifest.phases.map((phase) => {
    let mine = events.filter((e) => e.phase === phase.id);
    let rolledBackAt: string | undefined;
    for (let i = mine.length - 1; i >= 0; i--) {
      if (mine[i]!.event === 'rollback-end' && mine[i]!.details?.status === 'ok') {
        rolledBackAt = mine[i]!.ts;
        mine = mine.slice(i + 1);
        break;
      }
    }
    // Only step events of forward runs count; rollback actions are journaled under "rollback-…" step ids.
    const steps: StepStatus[] = phase.steps.map((_s, index) => {
      const id = stepId(phase.steps, index);
      const evs = mine.filter((e) => e.step === id && (e.event === 'step-start' || e.event === 'step-end' || e.event === 'step-error'));
      const last = evs[evs.length - 1];
      const lastStart = [...evs].reverse().find((e) => e.event === 'step-start');
      const status: StepStatus = { id, state: !last ? 'not-started' : last.event === 'step-end' ? 'complete' : last.event === 'step-error' ? 'failed' : 'in-progress' };
      if (lastStart) status.start = lastStart.ts;
      if (last && last.event !== 'step-start') status.end = last.ts;
      if (last?.event === 'step-error' && last.error) status.error = last.error;
      return status;
    });
    const started = mine.filter((e) => e.event === 'step-start');
    let state: PhaseState;
    if (steps.some((s) => s.state === 'failed')) state = 'failed';
    else if (steps.length > 0 && steps.every((s) => s.state === 'complete')) state = 'complete';
    else if (started.length === 0) state = 'not-started';
    else state = 'in-progress';
    const lastRun = started[started.length - 1];
    const status: PhaseStatus = { id: phase.id, title: phase.title, state, steps };
    if (started[0]) status.start = started[0].ts;
    if (state === 'complete' || state === 'failed') status.end = steps.map((s) => s.end ?? '').sort().pop();
    if (lastRun) status.runId = lastRun.runId;
    if (rolledBackAt) status.rolledBackAt = rolledBackAt;
    return status;
  });
}

const ICON: Record<PhaseState, string> = { 'not-started': '○', 'in-progress': '◐', complete: '●', failed: '✗' };

export function formatStatus(statuses: PhaseStatus[]): string {
  const lines: string[] = [];
  for (const p of statuses) {
    lines.push(`${ICON[p.state]} ${p.id.padEnd(12)} ${p.state.padEnd(12)} ${p.title}${p.end ? `  (${p.end.slice(0, 19).replace('T', ' ')})` : p.rolledBackAt ? `  (rolled back ${p.rolledBackAt.slice(0, 19).replace('T', ' ')})` : ''}`);
    for (const s of p.steps) lines.push(`    ${ICON[s.state]} ${s.id.padEnd(20)} ${s.state}${s.error ? `: ${s.error}` : ''}`);
    for (const d of p.drift ?? []) lines.push(`    ! drift: ${d}`);
  }
  return lines.join('\n');
}
