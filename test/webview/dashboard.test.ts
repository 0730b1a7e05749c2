/**
 * The bundled dashboard in headless Chromium, fed the host messages recorded
 * from a rehearsed migration (fixtures/host-messages.json, built by the real
 * src/core/progress model): content of each section, the messages its buttons
 * post, rejection of bad messages, a live update that patches one section,
 * restore after reload, the CSP, and screenshots in three themes.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { parseWebviewMessage, SECTION_NAMES } from '../../src/protocol/messages';
import { launchChromium, openDashboard, recordedMessages, ROOT, screenshotDir, startDashboardServer, THEMES, type DashboardPage, type DashboardServer } from './harness';

// Page-side callbacks run in Chromium, where these exist; Node's lib has no DOM.
declare const window: any, document: any;

/** WCAG contrast of a few text kinds against a card's background; a string so no build helper leaks into the page. */
const CONTRAST_SCRIPT = `(() => {
  // rgb(r, g, b) in 0–255, or color(srgb r g b) in 0–1 (what color-mix() computes to).
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).slice(0, 3).map(Number).map((v) => (c.startsWith('color(srgb') ? v * 255 : v));
  const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  const lum = (c) => 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  const bg = rgb(getComputedStyle(document.querySelector('section.card')).backgroundColor);
  const ratio = (sel) => {
    const [a, b] = [lum(rgb(getComputedStyle(document.querySelector(sel)).color)), lum(bg)].sort((x, y) => y - x);
    return Math.round(((a + 0.05) / (b + 0.05)) * 100) / 100;
  };
  return { heading: ratio('h2'), muted: ratio('.phase-when'), link: ratio('[data-testid="open-report"]'), fail: ratio('vscode-table-cell.fail'), running: ratio('.phase-in-progress .phase-status'), complete: ratio('.phase-complete .phase-status'), pass: ratio('vscode-table-cell.pass'), legend: ratio('.legend li') };
})()`;

const recorded = recordedMessages();
const state = recorded.state.state;

let server: DashboardServer;
let browser: Browser;

before(async () => {
  server = await startDashboardServer();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function loaded(theme: (typeof THEMES)[number] = 'dark'): Promise<DashboardPage> {
  const dp = await openDashboard(browser, server, theme);
  await dp.waitForReady();
  await dp.send(recorded.state);
  await dp.page.waitForSelector('#body-phases li.phase');
  return dp;
}

const text = (dp: DashboardPage, selector: string) => dp.page.locator(selector).innerText();
const texts = (dp: DashboardPage, selector: string) => dp.page.locator(selector).allInnerTexts();

describe('dashboard page', () => {
  test('says ready once, with the protocol version, before any state arrives', async () => {
    const dp = await openDashboard(browser, server);
    await dp.waitForReady();
    const posted = await dp.posted();
    assert.deepEqual(posted, [{ type: 'ready', version: 1 }]);
    assert.match(await text(dp, '#subtitle'), /Waiting for the extension/);
    await dp.page.close();
  });

  test('phase timeline: status, dates and duration from the journal, and the next step', async () => {
    const dp = await loaded();
    const phases = dp.page.locator('#body-phases li.phase');
    assert.equal(await phases.count(), state.phases.phases.length);
    for (const p of state.phases.phases) {
      const row = dp.page.locator(`#body-phases li.phase[data-phase="${p.id}"]`);
      assert.equal(await row.getAttribute('class'), `phase phase-${p.status}`);
      const rowText = await row.innerText();
      assert.ok(rowText.includes(p.title), rowText);
      assert.ok(rowText.includes(`${p.stepsDone}/${p.steps} steps`), rowText);
      if (p.start) assert.ok(rowText.includes(`started ${p.start.slice(0, 10)} ${p.start.slice(11, 16)} UTC`), rowText);
    }
    // Durations as a person reads them: the inventory took 26 h 30 min per the journal.
    assert.match(await text(dp, '#body-phases li[data-phase="inventory"]'), /took 1 d 6 h/);
    assert.match(await text(dp, '#body-phases li[data-phase="cleanup"]'), /in progress[\s\S]*running for 3 d 7 h/);
    assert.match(await text(dp, '#body-phases li[data-phase="post-validation"]'), /not started/);
    const next = dp.page.locator('[data-testid="next-step"]');
    assert.equal(await next.getAttribute('data-phase'), state.phases.next.phaseId);
    assert.match(await next.innerText(), /Next: Cleanup & archive — run drop-shims/);
    assert.match(await text(dp, '#summary-phases'), /7 of 9 complete/);
    const gantt = dp.page.locator('#body-phases svg[role="img"]');
    assert.equal(await gantt.locator('rect.gantt-bar').count(), state.phases.phases.filter((p: { start?: string }) => p.start).length);
    assert.match(await gantt.locator('desc').textContent() ?? '', /Cleanup & archive: in progress from 2026-11-20/);
    await dp.page.close();
  });

  test('mapping progress: counts by status of N and the unmapped inventory objects', async () => {
    const dp = await loaded();
    for (const [status, n] of Object.entries(state.mappings.byStatus)) {
      assert.equal(await text(dp, `#body-mappings .legend li[data-status="${status}"] .count`), String(n));
    }
    assert.match(await text(dp, '#summary-mappings'), new RegExp(`14 of ${state.mappings.total} moved`));
    const bar = dp.page.locator('#body-mappings svg.mapping-bar');
    assert.match((await bar.locator('desc').textContent()) ?? '', /Of 19 mapped objects: 5 planned, 5 migrated, 5 shimmed, 2 archived, 2 dropped\./);
    assert.equal(await bar.locator('rect.bar-seg').count(), 5);
    assert.equal(await dp.page.locator('[data-testid="unmapped"]').getAttribute('heading'), '3 inventory objects not mapped yet');
    assert.deepEqual(await texts(dp, '#body-mappings .unmapped-list li'), state.mappings.unmapped.map((u: { from: string }) => u.from));
    await dp.page.close();
  });

  test('mapping progress counts column mappings apart from the tables, by status', async () => {
    const dp = await loaded();
    assert.equal(await dp.page.locator('[data-testid="column-mappings"]').count(), 0, 'the recording has no column mappings: no line');
    const columns = { total: 4, byStatus: { planned: 3, migrated: 1, shimmed: 0, archived: 0, dropped: 0 } };
    await dp.send({ type: 'mappings', mappings: { ...state.mappings, columns } });
    await dp.page.waitForSelector('[data-testid="column-mappings"]');
    assert.equal(await text(dp, '[data-testid="column-mappings"]'), '4 column mappings: 3 planned, 1 migrated');
    assert.match(await text(dp, '#summary-mappings'), new RegExp(`14 of ${state.mappings.total} moved`), 'the table count is unchanged');
    await dp.page.close();
  });

  test('legacy references: total, by dataset, and a burn-down with a text alternative', async () => {
    const dp = await loaded();
    assert.equal(await text(dp, '[data-testid="references-total"]'), '57');
    const rows = await dp.page.locator('[data-testid="references-by-dataset"] vscode-table-row').evaluateAll((els) => els.map((e) => [e.getAttribute('data-dataset'), e.querySelector('.num')?.textContent]));
    assert.deepEqual(rows, state.references.byDataset.map((d: { dataset: string; count: number }) => [d.dataset, String(d.count)]));
    const chart = dp.page.locator('svg.burndown-chart');
    assert.equal(await chart.getAttribute('role'), 'img');
    assert.equal(await chart.locator('circle.point').count(), state.references.history.length);
    const desc = (await chart.locator('desc').textContent()) ?? '';
    assert.match(desc, /went from 412 on 2026-10-27 to 57 on 2026-11-23 over 9 scans/);
    // The same numbers as a table for screen readers.
    assert.deepEqual(await dp.page.locator('table.chart-data tbody td:nth-child(2)').allTextContents(), state.references.history.map((h: { total: number }) => String(h.total)));
    await dp.page.close();
  });

  test('validation: failures and skipped checks in view, passing ones folded, legacy vs new, link to the report', async () => {
    const dp = await loaded();
    const rows = dp.page.locator('[data-testid="validation-table"] vscode-table-row');
    const passing = dp.page.locator('[data-testid="validation-table-passing"] vscode-table-row');
    assert.equal(await rows.count(), state.validation.failed + state.validation.skipped);
    assert.equal(await passing.count(), state.validation.passed);
    assert.equal(await dp.page.locator('[data-testid="validation-passing"]').getAttribute('heading'), `${state.validation.passed} passing checks`);
    const first = await rows.first().innerText();
    assert.match(first, /Date range, 12m[\s\S]*2025-11-13[\s\S]*2025-11-12[\s\S]*fail/);
    assert.equal(await rows.first().getAttribute('class'), 'check-fail');
    // A check that does not apply on this backend is neither passed nor failed.
    assert.match(await rows.last().innerText(), /No reads of legacy names in 7 days[\s\S]*skipped/);
    assert.equal(await rows.last().getAttribute('class'), 'check-skip');
    // Many checks share a description; the subject says which table each is about.
    assert.deepEqual(
      await passing.locator('.subject').allTextContents(),
      state.validation.checks.filter((c: { pass: boolean; skipped?: boolean; subject?: string }) => c.pass && !c.skipped && c.subject).map((c: { subject: string }) => c.subject),
    );
    const summary = ((await dp.page.locator('#body-validation .validation-summary').textContent()) ?? '').replace(/\s+/g, ' ');
    assert.match(summary, /20 passed · 2 failed · 2 skipped · ran 2026-11-13 17:55 UTC/);
    assert.equal(await dp.page.locator('[data-testid="open-report"]').count(), 1);
    await dp.page.close();
  });

  test('validation: content per pair — differences first, tiers, rows, the first differing rows; not validated is never a pass', async () => {
    const dp = await loaded();
    const pairs = dp.page.locator('[data-testid="content-table"] vscode-table-row');
    assert.equal(await pairs.count(), 5);
    assert.deepEqual(await pairs.evaluateAll((els) => els.map((e) => e.getAttribute('class'))), ['content-different', 'content-not-validated', 'content-equal', 'content-equal', 'content-equal']);
    const differ = await pairs.first().innerText();
    assert.match(differ, /training\.zl_training_prod_allhistory_12m[\s\S]*from models_v4\.production_training_data_12m · key date/);
    assert.match(differ, /1,473 → 1,472/);
    assert.match(differ, /1 key differ[\s\S]*date="2025-11-13": only in the source/);
    assert.deepEqual(await pairs.first().locator('.tier').allTextContents(), ['✗', '✗', '✗']);
    const unknown = await pairs.nth(1).innerText();
    assert.match(unknown, /not validated/);
    assert.doesNotMatch(unknown, /equal/);
    assert.deepEqual(await pairs.nth(1).locator('.tier').allTextContents(), ['?', '?', '?']);
    assert.match((await pairs.nth(1).locator('.tier').first().getAttribute('title')) ?? '', /^tier 1 count and column aggregates: not validated: needs 238 MB/);
    assert.deepEqual(await pairs.nth(2).locator('.tier').allTextContents(), ['✓', '✓', '–']);
    assert.match(await text(dp, '#body-validation .content-heading'), /Content: 5 pairs compared row for row · 1 differ · 1 not validated/);
    assert.deepEqual(dp.pageErrors, []);
    await dp.page.close();
  });

  test('shims: days left in the 30-day grace period and the last read when known', async () => {
    const dp = await loaded();
    const rows = await dp.page.locator('[data-testid="shims-table"] vscode-table-row').evaluateAll((els) => els.map((e) => [...e.querySelectorAll('vscode-table-cell')].map((c) => c.textContent)));
    assert.equal(rows.length, 5);
    assert.deepEqual(rows[0], ['models_v4.production_training_data_12m', 'training.zl_training_prod_allhistory_12m', 'expired 4 d ago', '2026-11-02']);
    assert.deepEqual(rows.find((r) => r[0]!.endsWith('_1m')), ['models_v4.production_training_data_1m', 'training.zl_training_prod_allhistory_1m', '19 d left', '2026-11-22']);
    assert.equal(rows.filter((r) => r[3] === 'none seen').length, 3, 'the readers report saw no reads of 1w, 3m, 6m');
    assert.match(await text(dp, '#body-shims'), /Grace period: 30 days/);
    await dp.page.close();
  });

  test('readers: who still reads each legacy name, with cache hits, sample jobs and what was not verified', async () => {
    const dp = await loaded();
    assert.match(await text(dp, '[data-testid="readers-summary"]'), /bqmigrate readers, last 30 days, 2026-11-23 \(bigquery\): 2 of 5 legacy names still read, 0 quiet\. Not verified for other projects \(.*bigquery\.jobs\.listAll/);
    const rows = await dp.page.locator('[data-testid="readers-table"] vscode-table-row').evaluateAll((els) => els.map((e) => [...e.querySelectorAll('vscode-table-cell')].map((c) => c.textContent)));
    assert.deepEqual(rows[0], ['models_v4.production_training_data_1m (shim)', 'analyst@cbi-v14.example (3 cached): 14, e.g. job bquxjob_5e1f0a2b; looker-sa@cbi-v14.iam.gserviceaccount.com: 6, e.g. job bquxjob_7c2d9e10', '20', '2026-11-22']);
    assert.deepEqual(rows[1], ['models_v4.production_training_data_12m (shim)', 'forecast-sa@cbi-v14.iam.gserviceaccount.com: 2, e.g. job bquxjob_0a9b8c7d', '2', '2026-11-02']);
    assert.equal(rows.filter((r) => r[1] === 'no reads seen; not verified for other projects').length, 3);
    assert.match(await text(dp, '#body-shims .readers-notes'), /Cache-hit jobs have empty referenced_tables/);
    assert.match(await text(dp, '#summary-shims'), /still read/);
    const before = (await dp.posted()).length;
    await dp.page.locator('[data-testid="readers-table"] vscode-table-row[data-name="models_v4.production_training_data_12m"] button').click();
    await dp.page.waitForFunction((n) => (window as unknown as { __posted: unknown[] }).__posted.length > n, before);
    assert.deepEqual((await dp.posted()).at(-1), { type: 'reveal-mapping', index: 4, from: 'models_v4.production_training_data_12m' });
    assert.deepEqual(dp.pageErrors, []);
    await dp.page.close();
  });

  test('buttons and links post the right messages, each valid for the host', async () => {
    const dp = await loaded();
    const click = async (selector: string) => {
      const before = (await dp.posted()).length;
      await dp.page.locator(selector).first().click();
      await dp.page.waitForFunction((n) => (window as unknown as { __posted: unknown[] }).__posted.length > n, before);
      return (await dp.posted()).at(-1);
    };
    assert.deepEqual(await click('vscode-button[data-action="preview-phase"]'), { type: 'preview-phase', phaseId: 'cleanup' });
    assert.deepEqual(await click('vscode-button[data-action="run-phase"]'), { type: 'run-phase', phaseId: 'cleanup' });
    await dp.page.locator('[data-testid="unmapped"]').click();
    assert.deepEqual(await click('#body-mappings .unmapped-list button[data-mapping="17"]'), { type: 'reveal-mapping', index: 17, from: 'staging.usda_exports_weekly' });
    assert.deepEqual(await click('[data-testid="references-total"]'), { type: 'open-problems' });
    assert.deepEqual(await click('vscode-table-row[data-dataset="staging"] button'), { type: 'open-problems', dataset: 'staging' });
    assert.deepEqual(await click('[data-testid="open-report"]'), { type: 'open-report' });
    assert.deepEqual(await click('[data-testid="shims-table"] vscode-table-row[data-mapping="1"] button'), { type: 'reveal-mapping', index: 1, from: 'models_v4.production_training_data_1m' });
    assert.deepEqual(await click('#body-definitions .definition-files button'), { type: 'open-definition', file: 'models_v4/v_regimes.sql' });
    assert.deepEqual(await click('[data-testid="pull-definitions"]'), { type: 'pull-definitions' });
    for (const m of await dp.posted()) assert.ok(parseWebviewMessage(m).ok, JSON.stringify(m));
    // Keyboard reaches the links too (no pointer-only handlers).
    await dp.page.locator('[data-testid="open-report"]').focus();
    const n = (await dp.posted()).length;
    await dp.page.keyboard.press('Enter');
    await dp.page.waitForFunction((k) => (window as unknown as { __posted: unknown[] }).__posted.length > k, n);
    assert.deepEqual((await dp.posted()).at(-1), { type: 'open-report' });
    await dp.page.close();
  });

  test('bad host messages are rejected and logged, never thrown, and change nothing', async () => {
    const dp = await loaded();
    const before = await dp.page.locator('#app').innerHTML();
    const bad = [
      null,
      'state',
      { type: 'nope' },
      { type: 'references', references: { total: -1, byDataset: [], history: [] } },
      { type: 'state', state: { ...state, version: 2 } },
      { type: 'phases', phases: { ...state.phases, phases: [{ id: 'Bad Id!', title: 'x', status: 'done', steps: 1, stepsDone: 0 }] } },
    ];
    for (const m of bad) await dp.send(m);
    await dp.page.waitForFunction((n) => document.body.dataset.rejectedMessages === String(n), bad.length);
    assert.equal(await dp.page.locator('#app').innerHTML(), before);
    assert.equal(dp.pageErrors.length, 0, dp.pageErrors.join('\n'));
    const rejections = dp.logs.filter((l) => l.includes('rejected host→webview message'));
    assert.equal(rejections.length, bad.length, dp.logs.join('\n'));
    assert.ok(rejections.some((l) => l.includes('"references" at references.total')), rejections.join('\n'));
    await dp.page.close();
  });

  test('a live update re-renders only the section that changed', async () => {
    const dp = await loaded();
    const update = recorded.afterScan.find((m) => m.type === 'references')!;
    assert.ok(update, 'the recording has a references update');
    // Tag every section's current DOM; an untouched section keeps its nodes.
    await dp.page.evaluate(() => document.querySelectorAll('.section-body > *').forEach((el: any) => ((el as unknown as { __tag: number }).__tag = 1)));
    const renders = () => dp.page.evaluate(() => Object.fromEntries([...document.querySelectorAll('section.card')].map((s) => [s.id, (s as any).dataset.renders])));
    const before = await renders();
    await dp.send(update);
    await dp.page.waitForFunction((t) => document.querySelector('[data-testid="references-total"]')?.textContent === t, String(update.references.total));
    const afterRenders = await renders();
    assert.equal(Number(afterRenders['section-references']), Number(before['section-references']) + 1);
    // Every other section, including ones added later, is neither re-rendered nor rebuilt.
    const others = SECTION_NAMES.filter((n) => n !== 'references').map((n) => `section-${n}`);
    assert.ok(others.length >= 5, others.join());
    for (const id of others) assert.equal(afterRenders[id], before[id], id);
    const tagged = await dp.page.evaluate(() => Object.fromEntries([...document.querySelectorAll('section.card')].map((s) => [s.id, (s.querySelector('.section-body > *') as unknown as { __tag?: number })?.__tag === 1])));
    assert.deepEqual(tagged, Object.fromEntries(SECTION_NAMES.map((n) => [`section-${n}`, n !== 'references'])));
    assert.equal(await dp.page.locator('svg.burndown-chart circle.point').count(), update.references.history.length);
    assert.equal(await dp.page.locator('vscode-table-row[data-dataset="staging"]').count(), 0, 'staging dropped to zero references');
    await dp.page.close();
  });

  test('restores the last state after a reload (getState), then says ready again', async () => {
    const dp = await loaded();
    await dp.page.reload();
    await dp.page.waitForSelector('#body-phases li.phase');
    assert.equal(await text(dp, '[data-testid="references-total"]'), '57');
    await dp.waitForReady();
    await dp.page.close();
  });

  test('the CSP holds: no violations, no page errors, the codicon font loads', async () => {
    const dp = await loaded();
    await dp.page.evaluate(() => document.fonts.ready);
    assert.deepEqual(await dp.page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations), []);
    assert.equal(dp.pageErrors.length, 0, dp.pageErrors.join('\n'));
    assert.ok(await dp.page.evaluate(() => document.fonts.check('16px codicon')));
    const csp = await dp.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.match(csp ?? '', /default-src 'none'; .*script-src 'nonce-[A-Za-z0-9]+'/);
    assert.doesNotMatch(csp ?? '', /unsafe-inline|unsafe-eval/);
    // An inline handler would be blocked; none exists.
    assert.equal(await dp.page.evaluate(() => [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length), 0);
    await dp.page.close();
  });

  test('shows the state recorded from `npm run demo` (local warehouse) truthfully', async () => {
    const demo = recordedMessages('demo-messages.json').state;
    const d = demo.state;
    const dp = await openDashboard(browser, server, 'dark');
    await dp.waitForReady();
    await dp.send(demo);
    await dp.page.waitForSelector('#body-phases li.phase');
    const statuses = await dp.page.locator('#body-phases li.phase').evaluateAll((els) => els.map((e) => [e.getAttribute('data-phase'), e.className]));
    assert.deepEqual(statuses, d.phases.phases.map((p: { id: string; status: string }) => [p.id, `phase phase-${p.status}`]));
    if (d.phases.phases.every((p: { status: string }) => p.status === 'complete')) assert.equal(await text(dp, '[data-testid="next-step"]'), 'Every phase is complete.');
    for (const [status, n] of Object.entries(d.mappings.byStatus)) assert.equal(await text(dp, `#body-mappings .legend li[data-status="${status}"] .count`), String(n));
    const summary = ((await dp.page.locator('#body-validation .validation-summary').textContent()) ?? '').replace(/\s+/g, ' ');
    assert.ok(summary.startsWith(`${d.validation.passed} passed · ${d.validation.failed} failed`), summary);
    assert.equal(await dp.page.locator('#body-validation vscode-table[data-testid^="validation-table"] vscode-table-row').count(), d.validation.checks.length);
    assert.equal(await dp.page.locator('[data-testid="content-table"] vscode-table-row').count(), d.validation.content?.length ?? 0);
    assert.equal(await dp.page.locator('[data-testid="shims-table"] vscode-table-row').count(), d.shims.shims.length);
    if (d.references.total === undefined) assert.match(await text(dp, '#body-references'), /No full workspace scan recorded yet/);
    assert.deepEqual(dp.pageErrors, []);
    await dp.page.screenshot({ path: path.join(screenshotDir(), 'dashboard-demo-dark.png'), fullPage: true });
    await dp.page.close();
  });

  test('warehouse definitions: how many pulled views, routines and scheduled queries still read legacy names (screenshot for the README)', async () => {
    const d = recordedMessages().state.state.definitions;
    const dp = await loaded('dark');
    await dp.page.waitForSelector('[data-testid="definitions-legacy"]');
    const legacy = d.views.legacy + d.materializedViews.legacy + d.routines.legacy + d.scheduled.legacy;
    assert.equal(await text(dp, '[data-testid="definitions-legacy"]'), String(legacy));
    assert.match(await text(dp, '#summary-definitions'), new RegExp(`${legacy} still read legacy names`));
    for (const [kind, c] of [['views', d.views], ['routines', d.routines], ['scheduled', d.scheduled]] as const) {
      const cells = await dp.page.locator(`[data-testid="definitions-by-kind"] vscode-table-row[data-kind="${kind}"] vscode-table-cell`).allTextContents();
      assert.deepEqual(cells.slice(1), [String(c.pulled), String(c.legacy)], kind);
    }
    assert.equal(await dp.page.locator('#body-definitions .definition-files li').count(), d.files.length);
    const section = dp.page.locator('#section-definitions');
    const file = path.join(screenshotDir(), 'dashboard-definitions.png');
    await section.screenshot({ path: file });
    fs.copyFileSync(file, path.join(ROOT, 'media', 'screenshots', 'definitions.png'));
    assert.deepEqual(dp.pageErrors, []);
    await dp.page.close();
  });

  for (const theme of THEMES) {
    test(`${theme} theme: text is readable (WCAG contrast ≥ 4.5) and a screenshot is saved`, async () => {
      const dp = await loaded(theme);
      await dp.page.evaluate(() => document.fonts.ready);
      const ratios = (await dp.page.evaluate(CONTRAST_SCRIPT)) as Record<string, number>;
      for (const [what, r] of Object.entries(ratios)) assert.ok(r >= 4.5, `${theme}: ${what} contrast ${r} < 4.5`);
      const file = path.join(screenshotDir(), `dashboard-${theme}.png`);
      await dp.page.screenshot({ path: file, fullPage: true });
      assert.ok(fs.statSync(file).size > 10_000);
      if (theme === 'dark') {
        const readme = path.join(ROOT, 'media', 'screenshots', 'dashboard.png');
        fs.mkdirSync(path.dirname(readme), { recursive: true });
        fs.copyFileSync(file, readme);
      }
      await dp.page.close();
    });
  }
});
