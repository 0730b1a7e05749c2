/** What a run was doing, from its events: the step it started and did not finish, and its last event. */
import type { JournalEvent } from '../phases/types';

export function describeProgress(events: readonly JournalEvent[], runId: string): string {
  const mine = events.filter((e) => e.runId === runId);
  if (mine.length === 0) return `the history holds no event of run ${runId} (it stopped before its first step, or its events never left its machine)`;
  const start = mine.find((e) => e.event === 'run-start');
  const phases = Array.isArray(start?.details?.phases) ? ` of phases ${(start!.details!.phases as string[]).join(', ')}` : '';
  const ended = new Set(mine.filter((e) => e.event === 'step-end' || e.event === 'step-error').map((e) => `${e.phase}/${e.step}`));
  const open = [...mine].reverse().find((e) => e.event === 'step-start' && !ended.has(`${e.phase}/${e.step}`));
  const last = mine[mine.length - 1]!;
  const lastText = `last event ${last.event}${last.action ? ` ${last.action}` : last.step ? ` ${last.phase}/${last.step}` : ''} at ${last.ts}`;
  if (mine.some((e) => e.event === 'run-end')) return `run ${runId}${phases} had ended (${lastText})`;
  if (!open) return `run ${runId}${phases} was between steps: ${ended.size} step(s) done, ${lastText}`;
  const key = `${open.phase}/${open.step}`;
  const done = mine.filter((e) => e.event === 'action-end' && `${e.phase}/${e.step}` === key).length;
  const total = typeof open.details?.actions === 'number' ? ` of ${open.details.actions}` : '';
  return `run ${runId}${phases} was in step ${key} since ${open.ts}: ${done}${total} action(s) done, ${lastText}; \`bqmigrate run --resume\` continues it`;
}
