/** The phase timeline as bars on a time axis: where each phase started, how long it took, what is running. */
import type { PhasesSection } from '../../src/protocol/messages';
import { svg } from '../dom';
import { formatDay, formatDuration } from '../format';
import { accessibleSvg } from './svg-chart';

const W = 560;
const ROW = 18;
const LABEL = 150;

export function describeGantt(s: PhasesSection): string {
  const started = s.phases.filter((p) => p.start);
  if (started.length === 0) return 'No phase has started yet.';
  return s.phases
    .map((p) => `${p.title}: ${p.status.replace('-', ' ')}${p.start ? ` from ${formatDay(p.start)}` : ''}${p.durationMs !== undefined ? `, ${formatDuration(p.durationMs)}` : ''}`)
    .join('; ') + '.';
}

export function phaseGantt(s: PhasesSection, now: Date): SVGElement | undefined {
  const times = s.phases.flatMap((p) => [p.start, p.end].filter((t): t is string => !!t).map((t) => Date.parse(t)));
  if (times.length === 0) return undefined;
  if (s.phases.some((p) => p.status === 'in-progress')) times.push(now.getTime());
  // Loops, not spreads: many phases' times would overflow the stack as Math.min(...times).
  const t0 = times.reduce((a, b) => Math.min(a, b), Infinity);
  const t1 = times.reduce((a, b) => Math.max(a, b), t0 + 60_000);
  const height = s.phases.length * ROW + 20;
  const chart = accessibleSvg(W, height, 'Phase timeline', describeGantt(s), 'gantt-chart');
  const x = (t: number) => LABEL + ((t - t0) / (t1 - t0)) * (W - LABEL - 8);
  s.phases.forEach((p, i) => {
    const yRow = i * ROW + 4;
    chart.append(svg('text', { class: 'axis-label', x: 0, y: yRow + 12 }, p.title.length > 24 ? `${p.title.slice(0, 23)}…` : p.title));
    if (!p.start) return;
    const start = Date.parse(p.start);
    const end = p.end ? Date.parse(p.end) : p.durationMs !== undefined ? start + p.durationMs : now.getTime();
    const width = Math.max(3, x(end) - x(start));
    chart.append(svg('rect', { class: `gantt-bar phase-${p.status}`, x: x(start).toFixed(1), y: yRow + 2, width: width.toFixed(1), height: ROW - 6, rx: 2 }, svg('title', {}, `${p.title}: ${p.status}`)));
  });
  chart.append(svg('text', { class: 'axis-label', x: LABEL, y: height - 2 }, formatDay(new Date(t0).toISOString())));
  chart.append(svg('text', { class: 'axis-label', x: W - 8, y: height - 2, 'text-anchor': 'end' }, formatDay(new Date(t1).toISOString())));
  return chart;
}
