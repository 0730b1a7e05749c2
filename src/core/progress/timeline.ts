/**
 * The phase timeline for the dashboard: each manifest phase with its status,
 * start/end and duration from the phase statuses, and the next step to take.
 */
import type { Manifest } from '../manifest/schema';
import type { PhaseStatus } from '../phases/types';
import type { PhasesSection, PhaseView } from '../../protocol/messages';

function stepLabel(step: Manifest['phases'][number]['steps'][number], index: number): string {
  return step.title ?? step.id ?? (step.run ? `run ${step.run}` : step.sql ? `sql ${step.sql}` : step.command ? `command ${step.command}` : `step ${index + 1}`);
}

export function buildPhasesSection(manifest: Manifest, statuses: readonly PhaseStatus[], journalEvents: number, now: Date): PhasesSection {
  const byId = new Map(statuses.map((s) => [s.id, s]));
  const phases: PhaseView[] = manifest.phases.map((phase) => {
    const s = byId.get(phase.id);
    const state = s?.state ?? 'not-started';
    const start = s?.start;
    const end = state === 'complete' || state === 'failed' ? s?.end : undefined;
    const startMs = start ? Date.parse(start) : NaN;
    const endMs = end ? Date.parse(end) : state === 'in-progress' ? now.getTime() : NaN;
    const view: PhaseView = {
      id: phase.id,
      title: phase.title,
      status: state,
      steps: phase.steps.length,
      stepsDone: Math.min(phase.steps.length, s?.steps.filter((st) => st.state === 'complete').length ?? 0),
    };
    if (start) view.start = start;
    if (end) view.end = end;
    if (Number.isFinite(startMs) && Number.isFinite(endMs) && endMs >= startMs) view.durationMs = endMs - startMs;
    const error = s?.steps.find((st) => st.state === 'failed')?.error;
    if (state === 'failed' && error) view.error = error.slice(0, 4000);
    return view;
  });

  const section: PhasesSection = { phases, journalEvents };
  const complete = new Set(phases.filter((p) => p.status === 'complete').map((p) => p.id));
  for (const phase of manifest.phases) {
    if (complete.has(phase.id)) continue;
    if (!(phase.dependsOn ?? []).every((d) => complete.has(d))) continue;
    const status = byId.get(phase.id);
    // Phase statuses list the steps in manifest order, so indexes line up.
    const nextIndex = phase.steps.findIndex((_st, i) => status?.steps[i]?.state !== 'complete');
    section.next = { phaseId: phase.id, title: phase.title, retry: status?.state === 'failed' };
    if (nextIndex >= 0) section.next.step = stepLabel(phase.steps[nextIndex]!, nextIndex);
    break;
  }
  return section;
}
