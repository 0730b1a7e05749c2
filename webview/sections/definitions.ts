/** Pulled warehouse definitions (views, routines, scheduled queries): how many still read legacy names, and which. */
import type { DefinitionsSection } from '../../src/protocol/messages';
import { actionLink, h } from '../dom';
import type { SectionContext } from './context';

const KINDS: { key: 'views' | 'materializedViews' | 'routines' | 'scheduled'; label: string }[] = [
  { key: 'views', label: 'Views' },
  { key: 'materializedViews', label: 'Materialized views' },
  { key: 'routines', label: 'Routines' },
  { key: 'scheduled', label: 'Scheduled queries' },
];

const KIND_LABEL: Record<DefinitionsSection['files'][number]['kind'], string> = { view: 'view', materializedView: 'materialized view', routine: 'routine', scheduled: 'scheduled query' };

export function renderDefinitions(root: HTMLElement, d: DefinitionsSection, ctx: SectionContext): void {
  const pulled = KINDS.reduce((n, k) => n + d[k.key].pulled, 0);
  const legacy = KINDS.reduce((n, k) => n + d[k.key].legacy, 0);
  const pull = h('vscode-button', { secondary: true, 'data-testid': 'pull-definitions' }, 'Pull Warehouse Definitions');
  pull.addEventListener('click', () => ctx.post({ type: 'pull-definitions' }));
  if (pulled === 0) {
    ctx.setSummary('not pulled');
    root.replaceChildren(h('p', { class: 'muted' }, `Views, routines and scheduled queries live in the warehouse, not in ${d.dir}/ yet. Pull them to lint and fix them like code.`), pull);
    return;
  }
  ctx.setSummary(legacy ? `${legacy} still read legacy names` : 'none reads legacy names');
  const big = h('p', { class: 'big-number' }, h('span', { 'data-testid': 'definitions-legacy' }, String(legacy)), h('span', { class: 'muted' }, ` of ${pulled} pulled definitions still read legacy names`));
  const table = h('vscode-table', { zebra: true, 'bordered-rows': true, 'data-testid': 'definitions-by-kind' });
  table.setAttribute('columns', '["50%","25%","25%"]');
  table.append(
    h('vscode-table-header', { slot: 'header' }, ...['Kind', 'Pulled', 'Read legacy names'].map((t) => h('vscode-table-header-cell', {}, t))),
    h(
      'vscode-table-body',
      { slot: 'body' },
      ...KINDS.filter((k) => d[k.key].pulled > 0).map((k) =>
        h('vscode-table-row', { 'data-kind': k.key }, h('vscode-table-cell', {}, k.label), h('vscode-table-cell', { class: 'num' }, String(d[k.key].pulled)), h('vscode-table-cell', { class: `num${d[k.key].legacy ? ' legacy' : ''}` }, String(d[k.key].legacy))),
      ),
    ),
  );
  const files = d.files.length
    ? h(
        'ul',
        { class: 'definition-files' },
        ...d.files.slice(0, 10).map((f) =>
          h('li', {}, actionLink(`${d.dir}/${f.file}`, () => ctx.post({ type: 'open-definition', file: f.file }), { title: 'Open the file' }), h('span', { class: 'muted' }, ` — ${KIND_LABEL[f.kind]}, ${f.references} legacy reference${f.references === 1 ? '' : 's'}`)),
        ),
      )
    : h('p', { class: 'muted' }, 'Every pulled definition reads the new names; push them with the repoint-definitions step if the warehouse still differs.');
  root.replaceChildren(big, table, files, pull);
}
