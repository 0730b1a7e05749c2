/**
 * The shared history in the bundled dashboard (headless Chromium): another person's run arrives as
 * a phases update and shows who runs what, on which host, since when, its step and the lock, with
 * Run disabled and the holder named; it leaves when the run ends; a warehouse that could not be
 * read shows its warning and says the statuses are this machine's journal only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { parseHostMessage, type HistoryView, type PhasesSection } from '../../src/protocol/messages';
import { launchChromium, openDashboard, recordedMessages, startDashboardServer, type DashboardPage, type DashboardServer } from './harness';

declare const document: any;

const recorded = recordedMessages();
const basePhases = recorded.state.state.phases as PhasesSection;

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

async function loaded(): Promise<DashboardPage> {
  const dp = await openDashboard(browser, server);
  await dp.waitForReady();
  await dp.send(recorded.state);
  await dp.page.waitForSelector('#body-phases li.phase');
  return dp;
}

/** A phases update as the host sends it, checked against the protocol first. */
function phasesUpdate(history: HistoryView): { type: 'phases'; phases: PhasesSection } {
  const message = { type: 'phases' as const, phases: { ...basePhases, history } };
  const parsed = parseHostMessage(message);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return message;
}

const ANA_RUN = {
  runId: 'run-ana-1',
  principal: 'ana@example.com',
  host: 'ci-runner-7',
  kind: 'run' as const,
  phases: ['archive'],
  since: '2026-12-03T08:00:00.000Z',
  step: 'archive/archive',
  lastEvent: '2026-12-03T08:00:01.000Z',
  mine: false,
  state: 'running' as const,
};
const LOCK = { runId: 'run-ana-1', holder: 'ana@example.com', host: 'ci-runner-7', since: '2026-12-03T08:00:00.000Z', heartbeat: '2026-12-03T08:01:00.000Z', stale: false };

describe('dashboard: the shared history', () => {
  test('another person\'s run arrives as an update: who, host, phases, step, since and the lock; Run is disabled naming the holder; it leaves when the run ends', async () => {
    const dp = await loaded();
    const renders = () => dp.page.evaluate(() => Object.fromEntries([...document.querySelectorAll('section.card')].map((s: any) => [s.id, s.dataset.renders])));
    const before = await renders();
    await dp.send(phasesUpdate({ source: 'warehouse', readAt: '2026-12-03T08:01:05.000Z', remoteEvents: 2, runs: [ANA_RUN], lock: LOCK }));
    const item = dp.page.locator('[data-testid="runs-in-progress"] li[data-run="run-ana-1"]');
    await item.waitFor();
    const text = await item.innerText();
    assert.match(text, /ana@example\.com on ci-runner-7/);
    assert.doesNotMatch(text, /this working copy/);
    assert.match(text, /archive/);
    assert.match(text, /running since 2026-12-03 08:00 UTC/);
    assert.match(text, /step archive\/archive/);
    assert.match(text, /holds the lock \(heartbeat 2026-12-03 08:01 UTC\)/);
    assert.equal(await item.getAttribute('data-state'), 'running');
    assert.match(await dp.page.locator('[data-testid="history-source"]').innerText(), /Shared history read 2026-12-03 08:01 UTC · 2 events from other machines/);
    const run = dp.page.locator('#body-phases [data-action="run-phase"]');
    if ((await run.count()) > 0) {
      assert.equal(await run.getAttribute('disabled'), '', 'Run is disabled while another person holds the lock');
      assert.match((await run.getAttribute('title')) ?? '', /run run-ana-1 by ana@example\.com on ci-runner-7 holds the migration lock/);
    }
    const during = await renders();
    for (const [id, n] of Object.entries(during)) assert.equal(n, id === 'section-phases' ? String(Number(before[id]) + 1) : before[id], id);

    // The run ended: the next poll has no run and no lock.
    await dp.send(phasesUpdate({ source: 'warehouse', readAt: '2026-12-03T08:02:05.000Z', remoteEvents: 4, runs: [] }));
    await dp.page.waitForFunction(() => !document.querySelector('[data-testid="runs-in-progress"]'));
    if ((await run.count()) > 0) assert.equal(await run.getAttribute('disabled'), null, 'Run is enabled again');
    assert.deepEqual(dp.pageErrors, []);
    await dp.page.close();
  });

  test('a stale lock and an interrupted run of this working copy say what to do', async () => {
    const dp = await loaded();
    const stale = { ...ANA_RUN, state: 'stale' as const };
    const mine = { ...ANA_RUN, runId: 'run-mine', principal: 'me', host: 'laptop', mine: true, state: 'interrupted' as const, step: undefined };
    delete (mine as { step?: string }).step;
    await dp.send(phasesUpdate({ source: 'warehouse', readAt: '2026-12-03T09:00:00.000Z', remoteEvents: 0, runs: [stale, mine], lock: { ...LOCK, stale: true } }));
    await dp.page.locator('li[data-run="run-mine"]').waitFor();
    assert.match(await dp.page.locator('li[data-run="run-ana-1"]').innerText(), /lock stale since[\s\S]*bqmigrate unlock --run run-ana-1 takes the lock/);
    assert.match(await dp.page.locator('li[data-run="run-mine"]').innerText(), /me on laptop \(this working copy\)[\s\S]*interrupted since[\s\S]*bqmigrate run --resume continues it/);
    await dp.page.close();
  });

  test('the warehouse could not be read: the warning is shown and the statuses are marked as this machine\'s journal only', async () => {
    const dp = await loaded();
    const warning = "the bigquery warehouse history could not be read (connect ECONNREFUSED 127.0.0.1:9): the status below is this machine's journal only";
    await dp.send(phasesUpdate({ source: 'journal', warning, readAt: '2026-12-03T08:05:00.000Z', remoteEvents: 0, runs: [] }));
    const shown = dp.page.locator('[data-testid="history-warning"]');
    await shown.waitFor();
    assert.equal((await shown.innerText()).trim(), warning);
    assert.equal(await dp.page.locator('[data-testid="history-source"]').getAttribute('data-source'), 'journal');
    assert.match(await dp.page.locator('[data-testid="history-source"]').innerText(), /This machine's journal only/);
    // The phases still render from the journal underneath the warning.
    assert.ok((await dp.page.locator('#body-phases li.phase').count()) > 0);
    await dp.page.close();
  });
});
