/** Legacy references left in the workspace, by legacy dataset, and their burn-down. */
import type { ReferencesSection } from '../../src/protocol/messages';
import { burndownChart } from '../charts/burndown';
import { actionLink, h } from '../dom';
import { formatTime } from '../format';
import type { SectionContext } from './context';

export function renderReferences(root: HTMLElement, r: ReferencesSection, ctx: SectionContext): void {
  if (r.total === undefined) {
    ctx.setSummary('no scan yet');
    root.replaceChildren(h('p', { class: 'muted' }, 'No full workspace scan recorded yet. The extension records one after each full scan.'));
    return;
  }
  ctx.setSummary(`${r.total} left`);
  const total = h(
    'p',
    { class: 'big-number' },
    actionLink(String(r.total), () => ctx.post({ type: 'open-problems' }), { 'data-testid': 'references-total', title: 'Show them in the Problems panel' }),
    h('span', { class: 'muted' }, ` legacy references · last scan ${r.lastScan ? formatTime(r.lastScan) : ''}`),
  );
  const table = h('vscode-table', { zebra: true, 'bordered-rows': true, 'data-testid': 'references-by-dataset' });
  table.setAttribute('columns', '["70%","30%"]');
  table.append(
    h('vscode-table-header', { slot: 'header' }, h('vscode-table-header-cell', {}, 'Legacy dataset'), h('vscode-table-header-cell', {}, 'References')),
    h(
      'vscode-table-body',
      { slot: 'body' },
      ...r.byDataset.map((d) =>
        h(
          'vscode-table-row',
          { 'data-dataset': d.dataset },
          h('vscode-table-cell', {}, actionLink(d.dataset, () => ctx.post({ type: 'open-problems', dataset: d.dataset }), { title: `Show references to ${d.dataset} in the Problems panel` })),
          h('vscode-table-cell', { class: 'num' }, String(d.count)),
        ),
      ),
    ),
  );
  root.replaceChildren(total, r.byDataset.length ? table : h('p', { class: 'muted' }, 'No legacy references left.'), burndownChart(r.history));
}
