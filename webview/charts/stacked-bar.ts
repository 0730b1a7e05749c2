/** Mapping progress as one stacked bar: planned / migrated / shimmed / archived / dropped of N. */
import { MAPPING_STATES, type MappingsSection } from '../../src/protocol/messages';
import { svg } from '../dom';
import { accessibleSvg } from './svg-chart';

const W = 560;
const H = 28;

export function describeMappings(m: MappingsSection): string {
  if (m.total === 0) return 'No mappings in the manifest yet.';
  const parts = MAPPING_STATES.map((s) => `${m.byStatus[s]} ${s}`);
  return `Of ${m.total} mapped objects: ${parts.join(', ')}.`;
}

export function mappingBar(m: MappingsSection): SVGElement {
  const chart = accessibleSvg(W, H, 'Mapping progress', describeMappings(m), 'mapping-bar');
  chart.append(svg('rect', { class: 'bar-track', x: 0, y: 0, width: W, height: H, rx: 3 }));
  let x = 0;
  for (const status of MAPPING_STATES) {
    const n = m.byStatus[status];
    if (n === 0 || m.total === 0) continue;
    const w = (n / m.total) * W;
    chart.append(svg('rect', { class: `bar-seg status-${status}`, x: x.toFixed(2), y: 0, width: w.toFixed(2), height: H }, svg('title', {}, `${status}: ${n} of ${m.total}`)));
    x += w;
  }
  return chart;
}
