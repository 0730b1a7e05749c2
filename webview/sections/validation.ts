/**
 * The latest validation results: content per pair (verdict, rows, the three tiers, the
 * differences found), then every check — legacy vs new value, pass/fail — and a link to the
 * full report.
 */
import type { ContentPairView, ValidationCheckView, ValidationSection } from '../../src/protocol/messages';
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

const VERDICT: Record<ContentPairView['verdict'], { cls: string; icon: string; text: (p: ContentPairView) => string }> = {
  equal: { cls: 'pass', icon: 'pass', text: () => ' equal' },
  different: { cls: 'fail', icon: 'error', text: (p) => (p.differing !== undefined ? ` ${plural(p.differing, p.key?.length ? 'key' : 'row')} differ` : ' different') },
  'not-validated': { cls: 'skip', icon: 'question', text: () => ' not validated' },
};

const TIER_MARK: Record<ContentPairView['tiers'][number]['status'], string> = { equal: '✓', different: '✗', 'not-needed': '–', 'not-validated': '?' };

/** One row per pair: which tables, their rows, each tier's outcome, and the verdict with the first differences. */
function contentTable(pairs: ContentPairView[]): HTMLElement {
  const table = h('vscode-table', { zebra: true, 'bordered-rows': true, 'data-testid': 'content-table' });
  table.setAttribute('columns', '["40%","16%","14%","30%"]');
  table.append(
    h('vscode-table-header', { slot: 'header' }, ...['Pair', 'Rows', 'Tiers', 'Content'].map((t) => h('vscode-table-header-cell', {}, t))),
    h(
      'vscode-table-body',
      { slot: 'body' },
      ...pairs.map((p) => {
        const v = VERDICT[p.verdict];
        const rows = p.rowsA === undefined ? '—' : p.rowsA === p.rowsB ? formatValue(p.rowsA) : `${formatValue(p.rowsA)} → ${formatValue(p.rowsB ?? null)}`;
        const tiers = p.tiers.map((t) => h('span', { class: `tier tier-${t.status}`, title: `tier ${t.tier} ${t.name}: ${t.detail}` }, TIER_MARK[t.status]));
        return h(
          'vscode-table-row',
          { 'data-pair': p.id, class: `content-${p.verdict}` },
          h('vscode-table-cell', { title: [p.detail, ...p.normalisations].join('\n') }, p.b, h('div', { class: 'muted subject' }, `from ${p.a}${p.key?.length ? ` · key ${p.key.join(', ')}` : ' · as multisets'}`)),
          h('vscode-table-cell', { class: 'num' }, rows),
          h('vscode-table-cell', { class: 'tiers' }, ...tiers),
          h('vscode-table-cell', { class: v.cls }, icon(v.icon), v.text(p), ...p.sample.slice(0, 3).map((line) => h('div', { class: 'muted sample' }, line))),
        );
      }),
    ),
  );
  return table;
}

function contentBlock(pairs: ContentPairView[] | undefined): HTMLElement[] {
  if (!pairs?.length) return [];
  const differ = pairs.filter((p) => p.verdict === 'different').length;
  const unknown = pairs.filter((p) => p.verdict === 'not-validated').length;
  const heading = h('h3', { class: 'content-heading' }, `Content: ${plural(pairs.length, 'pair')} compared row for row`, differ ? ` · ${differ} differ` : '', unknown ? ` · ${unknown} not validated` : '');
  return [heading, contentTable(pairs)];
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
  const content = contentBlock(v.content);
  const passing = v.checks.filter((c) => c.pass && !c.skipped);
  if (passing.length <= FOLD_PASSING_OVER) {
    root.replaceChildren(head, ...content, checksTable(v.checks, 'validation-table'));
    return;
  }
  const others = v.checks.filter((c) => !c.pass || c.skipped);
  const folded = h('vscode-collapsible', { heading: `${plural(passing.length, 'passing check')}`, 'data-testid': 'validation-passing' }, checksTable(passing, 'validation-table-passing'));
  root.replaceChildren(head, ...content, ...(others.length ? [checksTable(others, 'validation-table')] : []), folded);
}
