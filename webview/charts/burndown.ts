/** Burn-down of legacy references over full-scan snapshots (time on x, count on y). */
import type { ReferencesSection } from '../../src/protocol/messages';
import { h, svg } from '../dom';
import { formatDay } from '../format';
import { accessibleSvg, dataTable, niceTicks } from './svg-chart';

const W = 560;
const H = 200;
const M = { top: 12, right: 16, bottom: 28, left: 44 };
const DAY = 86_400_000;

/** References removed per day over the history (least squares); undefined with < 2 distinct times. */
export function ratePerDay(history: ReferencesSection['history']): number | undefined {
  const pts = history.map((p) => ({ x: Date.parse(p.ts) / DAY, y: p.total })).filter((p) => Number.isFinite(p.x));
  if (pts.length < 2) return undefined;
  const mx = pts.reduce((s, p) => s + p.x, 0) / pts.length;
  const my = pts.reduce((s, p) => s + p.y, 0) / pts.length;
  const sxx = pts.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  if (sxx === 0) return undefined;
  return pts.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx;
}

export function describeBurndown(history: ReferencesSection['history']): string {
  if (history.length === 0) return 'No scans recorded yet.';
  const first = history[0]!;
  const last = history[history.length - 1]!;
  if (history.length === 1) return `One scan so far: ${last.total} legacy references on ${formatDay(last.ts)}.`;
  let text = `Legacy references went from ${first.total} on ${formatDay(first.ts)} to ${last.total} on ${formatDay(last.ts)} over ${history.length} scans.`;
  const rate = ratePerDay(history);
  if (rate !== undefined && rate < 0 && last.total > 0) {
    text += ` At the current rate (${Math.abs(rate).toFixed(1)} fewer per day) the last one goes in about ${Math.ceil(last.total / -rate)} days.`;
  }
  return text;
}

export function burndownChart(history: ReferencesSection['history']): HTMLElement {
  const wrap = h('figure', { class: 'chart-figure burndown' });
  const description = describeBurndown(history);
  if (history.length < 2) {
    wrap.append(h('p', { class: 'muted' }, description, ' The chart appears after the second full scan.'));
    return wrap;
  }
  const times = history.map((p) => Date.parse(p.ts));
  // Loops, not spreads: a long history would overflow the stack as Math.min(...times).
  const t0 = times.reduce((a, b) => Math.min(a, b), Infinity);
  const t1 = times.reduce((a, b) => Math.max(a, b), -Infinity);
  const ticks = niceTicks(history.reduce((a, p) => Math.max(a, p.total), -Infinity));
  const yMax = ticks[ticks.length - 1]!;
  const x = (t: number) => M.left + (t1 === t0 ? 0 : ((t - t0) / (t1 - t0)) * (W - M.left - M.right));
  const y = (v: number) => H - M.bottom - (v / yMax) * (H - M.top - M.bottom);

  const chart = accessibleSvg(W, H, 'Burn-down of legacy references', description, 'burndown-chart');
  for (const t of ticks) {
    chart.append(svg('line', { class: 'grid', x1: M.left, x2: W - M.right, y1: y(t), y2: y(t) }));
    chart.append(svg('text', { class: 'axis-label', x: M.left - 6, y: y(t) + 4, 'text-anchor': 'end' }, String(t)));
  }
  chart.append(svg('text', { class: 'axis-label', x: M.left, y: H - 8, 'text-anchor': 'start' }, formatDay(history[0]!.ts)));
  chart.append(svg('text', { class: 'axis-label', x: W - M.right, y: H - 8, 'text-anchor': 'end' }, formatDay(history[history.length - 1]!.ts)));
  const points = history.map((p, i) => `${x(times[i]!).toFixed(1)},${y(p.total).toFixed(1)}`).join(' ');
  chart.append(svg('polyline', { class: 'series', points, fill: 'none' }));
  history.forEach((p, i) => chart.append(svg('circle', { class: 'point', cx: x(times[i]!).toFixed(1), cy: y(p.total).toFixed(1), r: 3 }, svg('title', {}, `${formatDay(p.ts)}: ${p.total}`))));
  wrap.append(chart, h('figcaption', { class: 'muted' }, description));
  wrap.append(dataTable('Legacy references per scan', ['Scan', 'References'], history.map((p) => [p.ts, p.total])));
  return wrap;
}
