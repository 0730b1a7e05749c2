/** Shim views on legacy names: days left in the grace period, and who still reads legacy names (the last `bqmigrate readers` report). */
import type { ReadersView, ShimsSection } from '../../src/protocol/messages';
import { actionLink, h } from '../dom';
import { formatDay, plural } from '../format';
import type { SectionContext } from './context';

/** Shims this close to expiry are flagged. */
const WARN_DAYS = 7;

function daysLeftText(days: number | undefined): string {
  if (days === undefined) return 'no shimmedOn date';
  if (days < 0) return `expired ${-days} d ago`;
  if (days === 0) return 'expires today';
  return `${days} d left`;
}

/** Who read the legacy names in the report's window: names still read or not verified, with their busiest readers. */
function renderReaders(r: ReadersView, ctx: SectionContext): HTMLElement {
  const read = r.names.filter((n) => n.jobs > 0);
  const open = r.names.filter((n) => !n.quiet);
  const quiet = r.total - open.length;
  const coverage = r.otherProjects === 'verified' ? 'Other projects: verified.' : `Not verified for other projects${r.otherProjectsReason ? ` (${r.otherProjectsReason})` : ''}.`;
  const children: HTMLElement[] = [
    h('h3', {}, 'Who still reads legacy names'),
    h('p', { class: 'muted', 'data-testid': 'readers-summary' }, `bqmigrate readers, last ${plural(r.days, 'day')}, ${formatDay(r.generatedAt)} (${r.backend}): ${read.length} of ${r.total} legacy ${r.total === 1 ? 'name' : 'names'} still read, ${quiet} quiet. ${coverage}`),
  ];
  if (open.length) {
    const table = h('vscode-table', { zebra: true, 'bordered-rows': true, 'data-testid': 'readers-table' });
    table.setAttribute('columns', '["34%","40%","10%","16%"]');
    table.append(
      h('vscode-table-header', { slot: 'header' }, ...['Legacy name', 'Readers', 'Jobs', 'Last read'].map((t) => h('vscode-table-header-cell', {}, t))),
      h(
        'vscode-table-body',
        { slot: 'body' },
        ...open.map((n) =>
          h(
            'vscode-table-row',
            { 'data-mapping': n.index, 'data-name': n.name },
            h('vscode-table-cell', {}, actionLink(`${n.name}${n.shim ? ' (shim)' : ''}`, () => ctx.post({ type: 'reveal-mapping', index: n.index, from: n.name }), { title: 'Reveal in the mapping tree' })),
            h(
              'vscode-table-cell',
              { class: 'readers' },
              n.readers.length
                ? n.readers.map((x) => `${x.principal}${x.cacheHits ? ` (${x.cacheHits} cached)` : ''}: ${x.jobs}, e.g. job ${x.sampleJobId}`).join('; ')
                : 'no reads seen; not verified for other projects',
            ),
            h('vscode-table-cell', {}, String(n.jobs)),
            h('vscode-table-cell', { class: 'nowrap' }, n.lastRead ? formatDay(n.lastRead) : '—'),
          ),
        ),
      ),
    );
    children.push(table);
  }
  children.push(h('ul', { class: 'muted readers-notes' }, ...r.notes.map((note) => h('li', {}, note))));
  return h('div', { class: 'readers', 'data-testid': 'readers' }, ...children);
}

export function renderShims(root: HTMLElement, s: ShimsSection, ctx: SectionContext): void {
  const readers = s.readers ? [renderReaders(s.readers, ctx)] : [h('p', { class: 'muted', 'data-testid': 'readers-none' }, 'Run `bqmigrate readers` to see who still reads each legacy name (BigQuery job history or the local job log).')];
  const stillRead = s.readers ? s.readers.names.filter((n) => n.jobs > 0).length : 0;
  if (s.shims.length === 0) {
    ctx.setSummary(stillRead ? `none · ${stillRead} still read` : 'none');
    root.replaceChildren(h('p', { class: 'muted' }, `No shim views yet. Each shim keeps a legacy name readable for ${s.graceDays} days after cutover.`), ...readers);
    return;
  }
  const expired = s.shims.filter((x) => x.daysLeft !== undefined && x.daysLeft < 0).length;
  ctx.setSummary(`${s.shims.length} active${expired ? `, ${expired} past grace` : ''}${stillRead ? ` · ${stillRead} still read` : ''}`);
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
          h('vscode-table-cell', { class: 'nowrap', title: x.reads !== undefined ? `${plural(x.reads, 'read')} in the last readers report` : 'run bqmigrate readers' }, x.lastRead ? formatDay(x.lastRead) : x.reads === 0 ? 'none seen' : 'unknown'),
        );
      }),
    ),
  );
  root.replaceChildren(h('p', { class: 'muted' }, `Grace period: ${s.graceDays} days from the day each shim was created (today is ${s.today}).`), table, ...readers);
}
