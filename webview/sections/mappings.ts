/** Mapping progress: counts by status of N, and the inventory objects still unmapped. */
import { MAPPING_STATES, type MappingsSection } from '../../src/protocol/messages';
import { describeMappings, mappingBar } from '../charts/stacked-bar';
import { actionLink, h } from '../dom';
import { plural } from '../format';
import type { SectionContext } from './context';

const UNMAPPED_SHOWN = 50;

export function renderMappings(root: HTMLElement, m: MappingsSection, ctx: SectionContext): void {
  const finished = m.byStatus.migrated + m.byStatus.shimmed + m.byStatus.archived + m.byStatus.dropped;
  ctx.setSummary(`${finished} of ${m.total} moved`);
  const legend = h(
    'ul',
    { class: 'legend' },
    ...MAPPING_STATES.map((s) => h('li', { 'data-status': s }, h('span', { class: `swatch status-${s}`, 'aria-hidden': 'true' }), h('span', { class: 'count' }, String(m.byStatus[s])), ` ${s}`)),
  );
  const parts: Node[] = [h('figure', { class: 'chart-figure' }, mappingBar(m), h('figcaption', { class: 'visually-hidden' }, describeMappings(m))), legend];
  if (m.columns) {
    const c = m.columns;
    const counts = MAPPING_STATES.filter((s) => c.byStatus[s] > 0).map((s) => `${c.byStatus[s]} ${s}`);
    parts.push(h('p', { class: 'muted', 'data-testid': 'column-mappings' }, `${plural(c.total, 'column mapping')}: ${counts.join(', ')}`));
  }
  if (m.unmapped.length === 0) {
    parts.push(h('p', { class: 'muted', 'data-testid': 'unmapped' }, 'Every inventory object has a target.'));
  } else {
    const list = h('ul', { class: 'unmapped-list' });
    for (const u of m.unmapped.slice(0, UNMAPPED_SHOWN)) {
      list.append(h('li', {}, actionLink(u.from, () => ctx.post({ type: 'reveal-mapping', index: u.index, from: u.from }), { 'data-mapping': u.index, title: 'Reveal in the mapping tree' })));
    }
    if (m.unmapped.length > UNMAPPED_SHOWN) list.append(h('li', { class: 'muted' }, `… and ${m.unmapped.length - UNMAPPED_SHOWN} more in the mapping tree`));
    const box = h('vscode-collapsible', { heading: `${plural(m.unmapped.length, 'inventory object')} not mapped yet`, 'data-testid': 'unmapped' }, list);
    parts.push(box);
  }
  root.replaceChildren(...parts);
}
