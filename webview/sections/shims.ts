/** Shim views on legacy names: days left in the grace period and, on BigQuery, the last read. */
import type { ShimsSection } from '../../src/protocol/messages';
import { actionLink, h } from '../dom';
import { formatDay } from '../format';
import type { SectionContext } from './context';

/** Shims this close to expiry are flagged. */
const WARN_DAYS = 7;

function daysLeftText(days: number | undefined): string {
  if (days === undefined) return 'no shimmedOn date';
  if (days < 0) return `expired ${-days} d ago`;
  if (days === 0) return 'expires today';
  return `${days} d left`;
}

export function renderShims(root: HTMLElement, s: ShimsSection, ctx: SectionContext): void {
  if (s.shims.length === 0) {
    ctx.setSummary('none');
    root.replaceChildren(h('p', { class: 'muted' }, `No shim views yet. Each shim keeps a legacy name readable for ${s.graceDays} days after cutover.`));
    return;
  }
  const expired = s.shims.filter((x) => x.daysLeft !== undefined && x.daysLeft < 0).length;
  ctx.setSummary(`${s.shims.length} active${expired ? `, ${expired} past grace` : ''}`);
  const table = h('vscode-table', { zebra: true, 'bordered-rows': true, 'data-testid': 'shims-table' });
  table.setAttribute('columns', '["36%","32%","15%","17%"]');
  table.append(
    h('vscode-table-header', { slot: 'header' }, ...['Legacy name (shim)', 'Reads from', 'Grace', 'Last read'].map((t) => h('vscode-table-header-cell', {}, t))),
    h(
      'vscode-table-body',
      { slot: 'body' },
      ...s.shims.map((x) => {
        const urgency = x.daysLeft === undefined ? '' : x.daysLeft < 0 ? 'expired' : x.daysLeft <= WARN_DAYS ? 'soon' : '';
        return h(
          'vscode-table-row',
          { 'data-mapping': x.index },
          h('vscode-table-cell', {}, actionLink(x.from, () => ctx.post({ type: 'reveal-mapping', index: x.index, from: x.from }), { title: 'Reveal in the mapping tree' })),
          h('vscode-table-cell', {}, x.to ?? '—'),
          h('vscode-table-cell', { class: `days ${urgency}`, title: x.expires ? `shimmed ${x.shimmedOn}, grace ends ${x.expires}` : '' }, daysLeftText(x.daysLeft)),
          h('vscode-table-cell', { class: 'nowrap' }, x.lastRead ? formatDay(x.lastRead) : 'unknown'),
        );
      }),
    ),
  );
  root.replaceChildren(h('p', { class: 'muted' }, `Grace period: ${s.graceDays} days from the day each shim was created (today is ${s.today}).`), table);
}
