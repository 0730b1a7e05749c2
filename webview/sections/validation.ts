/** The latest validation results: check, legacy vs new value, pass/fail, and a link to the full report. */
import type { ValidationCheckView, ValidationSection } from '../../src/protocol/messages';
import { actionLink, h, icon } from '../dom';
import { formatTime, formatValue, plural } from '../format';
import type { SectionContext } from './context';

/** Above this many passing checks they fold away, so failures stay in view. */
const FOLD_PASSING_OVER = 12;

function result(c: ValidationCheckView): { cls: string; icon: string; text: string } {
  if (c.skipped) return { cls: 'skip', icon: 'debug-step-over', text: ' skipped' };
  return c.pass ? { cls: 'pass', icon: 'pass', text: ' pass' } : { cls: 'fail', icon: 'error', text: ' fail' };
}

function checksTable(checks: ValidationCheckView[], testId: string): HTMLElement {
  const table = h('vscode-table', { zebra: true, 'bordered-rows': true, 'data-testid': testId });
  table.setAttribute('columns', '["44%","20%","20%","16%"]');
  table.append(
    h('vscode-table-header', { slot: 'header' }, ...['Check', 'Legacy', 'New', 'Result'].map((t) => h('vscode-table-header-cell', {}, t))),
    h(
      'vscode-table-body',
      { slot: 'body' },
      ...checks.map((c) =>
        h(
          'vscode-table-row',
          { 'data-check': c.id, class: `check-${result(c).cls}` },
          // The subject says which table a "row count" is about; many checks share a description.
          h('vscode-table-cell', { title: c.detail ?? '' }, c.description, c.subject ? h('div', { class: 'muted subject' }, c.subject) : null),
          h('vscode-table-cell', { class: 'num' }, formatValue(c.legacy)),
          h('vscode-table-cell', { class: 'num' }, formatValue(c.new)),
          h('vscode-table-cell', { class: result(c).cls }, icon(result(c).icon), result(c).text),
        ),
      ),
    ),
  );
  return table;
}

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
    v.skipped ? ` · ${v.skipped} skipped` : null,
    v.ts ? h('span', { class: 'muted' }, ` · ran ${formatTime(v.ts)} · `) : ' · ',
    actionLink('Open the full report', () => ctx.post({ type: 'open-report' }), { 'data-testid': 'open-report' }),
  );
  const passing = v.checks.filter((c) => c.pass && !c.skipped);
  if (passing.length <= FOLD_PASSING_OVER) {
    root.replaceChildren(head, checksTable(v.checks, 'validation-table'));
    return;
  }
  const others = v.checks.filter((c) => !c.pass || c.skipped);
  const folded = h('vscode-collapsible', { heading: `${plural(passing.length, 'passing check')}`, 'data-testid': 'validation-passing' }, checksTable(passing, 'validation-table-passing'));
  root.replaceChildren(head, ...(others.length ? [checksTable(others, 'validation-table')] : []), folded);
}
