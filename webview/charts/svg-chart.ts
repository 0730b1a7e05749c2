/**
 * Why hand-made SVG and not a chart library: the dashboard draws three small
 * charts (a burn-down line, one stacked bar, a phase Gantt) of at most a few
 * hundred points. Chart.js and ECharts draw on <canvas>, which screen readers
 * cannot read and which cannot follow --vscode-* theme variables without JS
 * re-reads; d3 would add ~90 kB for scales that take ten lines here. Plain SVG
 * elements styled by CSS classes follow the theme (light, dark, high contrast),
 * need no 'unsafe-inline'/'unsafe-eval' in the CSP, and carry <title>/<desc>
 * plus a data table as their text alternative.
 */
import { h, svg } from '../dom';

let chartSeq = 0;

/** An <svg role="img"> labelled by its own <title> and <desc>. */
export function accessibleSvg(width: number, height: number, title: string, description: string, className: string): SVGElement {
  const id = `chart-${++chartSeq}`;
  const root = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    class: `chart ${className}`,
    role: 'img',
    'aria-labelledby': `${id}-title ${id}-desc`,
    preserveAspectRatio: 'xMinYMin meet',
  });
  root.append(svg('title', { id: `${id}-title` }, title), svg('desc', { id: `${id}-desc` }, description));
  return root;
}

/** The same data as a table, for screen readers (visually hidden, not aria-hidden). */
export function dataTable(caption: string, headers: string[], rows: (string | number)[][]): HTMLTableElement {
  return h(
    'table',
    { class: 'visually-hidden chart-data' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, String(c)))))),
  );
}

/** Round numbers for an axis: 0, step, 2·step … ≥ max. */
export function niceTicks(max: number, count = 4): number[] {
  if (max <= 0) return [0, 1];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = 0; v < max + step; v += step) ticks.push(Math.round(v * 1000) / 1000);
  return ticks;
}
