/** The latest validation results: check, legacy vs new value, pass/fail, and a link to the full report. */
import type { ValidationSection } from '../../src/protocol/messages';
import { actionLink, h, icon } from '../dom';
import { formatTime, formatValue } from '../format';
import type { SectionContext } from './context';

export function renderValidation(root: HTMLElement, v: ValidationSection, ctx: SectionContext): void {
  if (!v.reportAvailable) {
    ctx.setSummary('not run');
    root.replaceChildren(h('p', { class: 'muted' }, 'Validation has not run yet. Run "bqmigrate: Validate Migration" or `bqmigrate validate`.'));
    return;
  }
  ctx.setSummary(v.failed === 0 ? `all ${v.passed} passed` : `${v.failed} failed`);
  const head = h(
    'p',
    { class: 'validation-summary' },
    h('vscode-badge', { variant: 'counter', class: 'badge-pass' }, String(v.passed)),
    ' passed · ',
    h('vscode-badge', { variant: 'counter', class: v.failed ? 'badge-fail' : 'badge-pass' }, String(v.failed)),
    ' failed',
    v.ts ? h('span', { class: 'muted' }, ` · ran ${formatTime(v.ts)} · `) : ' · ',
    actionLink('Open the full report', () => ctx.post({ type: 'open-report' }), { 'data-testid': 'open-report' }),
  );
  const table = h('vscode-table', { zebra: true, 'bordered-rows': true, 'data-testid': 'validation-table' });
  table.setAttribute('columns', '["44%","20%","20%","16%"]');
  table.append(
    h('vscode-table-header', { slot: 'header' }, ...['Check', 'Legacy', 'New', 'Result'].map((t) => h('vscode-table-header-cell', {}, t))),
    h(
      'vscode-table-body',
      { slot: 'body' },
      ...v.checks.map((c) =>
        h(
          'vscode-table-row',
          { 'data-check': c.id, class: c.pass ? 'check-pass' : 'check-fail' },
          h('vscode-table-cell', { title: [c.family, c.detail].filter(Boolean).join(' — ') }, c.description),
          h('vscode-table-cell', { class: 'num' }, formatValue(c.legacy)),
          h('vscode-table-cell', { class: 'num' }, formatValue(c.new)),
          h('vscode-table-cell', { class: c.pass ? 'pass' : 'fail' }, icon(c.pass ? 'pass' : 'error'), c.pass ? ' pass' : ' fail'),
        ),
      ),
    ),
  );
  root.replaceChildren(head, table);
}
