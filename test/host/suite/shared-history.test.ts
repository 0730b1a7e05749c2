/**
 * The shared history in a real VS Code: another principal's run, written to the warehouse (the
 * loopback fake BigQuery) by a second working copy, shows up in the dashboard and the Phases view
 * without a reload — who, host, phases, step, the lock — and leaves when it ends; an unreachable
 * warehouse shows the journal with the warning `status` prints; the polling stops when both
 * viewers are hidden.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { manifestHash } from '../../../src/core/history/identity';
import { takeLock, type RunLock } from '../../../src/core/history/lock';
import { insertHistory, type RunIdentity } from '../../../src/core/history/table';
import { loadManifestOrThrow, type LoadedManifest } from '../../../src/core/manifest/load';
import type { JournalEvent } from '../../../src/core/phases/types';
import { openWarehouse } from '../../../src/core/warehouse/index';
import type { Warehouse } from '../../../src/core/warehouse/types';
import type { BqmigrateApi } from '../../../src/extension/extension';
import type { PhaseNode } from '../../../src/extension/phases/tree';
import type { HistoryView } from '../../../src/protocol/messages';
import { startFakeBigQuery, type FakeBigQuery } from '../../fake-bigquery/server';
import { api, root, sleep, until } from './ext-helpers';

interface OpenResult {
  ready: boolean;
  history?: HistoryView;
}

const SETTINGS: [string, unknown][] = [
  ['bigquery.backend', 'bigquery'],
  ['history.pollSeconds', 1],
  ['history.maxPollSeconds', 2],
];

function dashboardTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('bqmigrate.dashboard'));
}

const ev = (runId: string, event: JournalEvent['event'], more: Partial<JournalEvent> = {}): JournalEvent => ({ id: randomUUID(), ts: new Date().toISOString(), runId, event, ...more });

describe('shared history in the editor', function () {
  this.timeout(120_000);
  let ext: BqmigrateApi;
  let fake: FakeBigQuery;
  let loaded: LoadedManifest;
  let other: Warehouse;
  const config = () => vscode.workspace.getConfiguration('bqmigrate');
  const dashboard = async () => (await vscode.commands.executeCommand('bqmigrate.openDashboard')) as OpenResult;
  const treeRoots = () => ext.phases()!.tree.getChildren();
  const runNode = (runId: string) => treeRoots().find((n): n is Extract<PhaseNode, { kind: 'run' }> => n.kind === 'run' && n.run.runId === runId);

  before(async () => {
    ext = await api();
    fake = await startFakeBigQuery({ project: 'cbi-v14' });
    for (const [key, value] of [...SETTINGS, ['bigquery.apiEndpoint', fake.url] as [string, unknown]]) await config().update(key, value, vscode.ConfigurationTarget.Global);
    await until('the settings to apply', () => ext.ctx.settings.current.bigquery.apiEndpoint === fake.url && ext.ctx.settings.current.history.pollSeconds === 1);
    loaded = loadManifestOrThrow(path.join(root(), 'bqmigrate.json'));
    // The second working copy: its own connection to the same warehouse, as another principal on another host.
    other = await openWarehouse({ backend: 'bigquery', loaded, bigquery: { apiEndpoint: fake.url, maxRetries: 1, retryBaseDelayMs: 1 } });
  });

  after(async () => {
    fake?.faults.clear();
    await vscode.window.tabGroups.close(dashboardTabs());
    for (const key of [...SETTINGS.map(([k]) => k), 'bigquery.apiEndpoint']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await other?.close();
    await fake?.close();
  });

  it('another principal\'s run shows up in the dashboard and the Phases view without a reload, with who, host, step and the lock, and leaves when it ends', async () => {
    assert.equal((await dashboard()).ready, true);
    await vscode.commands.executeCommand('bqmigrate.phases.focus');
    await until('polling to start', () => ext.ctx.migrationState.polling.active);
    const runId = `run-ana-${Date.now()}`;
    const ana: RunIdentity = { principal: 'ana@example.com', host: 'ci-runner-7', manifestHash: manifestHash(loaded), version: 'test' };
    let lock: RunLock | undefined = await takeLock(other, loaded, { runId, identity: ana, phases: ['archive'], heartbeatMs: 3_600_000 });
    try {
      await insertHistory(other, loaded, [ev(runId, 'run-start', { details: { kind: 'run', phases: ['archive'] } }), ev(runId, 'step-start', { phase: 'archive', step: 'archive' })].map((event, seq) => ({ event, seq, identity: ana })));
      // No refresh command, no reload: the poll finds it (a poll between the lock and the rows shows it without its step first).
      const shown = await until('the dashboard to show the run in its step', async () => (await dashboard()).history?.runs.find((r) => r.runId === runId && r.step), 30_000);
      assert.deepEqual({ principal: shown.principal, host: shown.host, phases: shown.phases, step: shown.step, mine: shown.mine, state: shown.state }, { principal: 'ana@example.com', host: 'ci-runner-7', phases: ['archive'], step: 'archive/archive', mine: false, state: 'running' });
      const history = (await dashboard()).history!;
      assert.equal(history.source, 'warehouse');
      assert.equal(history.lock?.holder, 'ana@example.com');
      assert.equal(history.lock?.runId, runId);
      const node = await until('the Phases view to show the run', () => runNode(runId));
      const item = ext.phases()!.tree.getTreeItem(node);
      assert.equal(item.label, 'ana@example.com on ci-runner-7: archive');
      assert.match(String(item.description), /^running since \S+ · archive\/archive · holds the lock$/);

      await insertHistory(other, loaded, [ev(runId, 'step-end', { phase: 'archive', step: 'archive' }), ev(runId, 'run-end', { details: { status: 'ok' } })].map((event, i) => ({ event, seq: 2 + i, identity: ana })));
      await lock.release();
      lock = undefined;
      await until('the run to leave the dashboard', async () => {
        const h = (await dashboard()).history;
        return h && !h.runs.some((r) => r.runId === runId) && !h.lock;
      }, 30_000);
      await until('the run to leave the Phases view', () => !runNode(runId));
    } finally {
      await lock?.release();
    }
  });

  it('an unreachable warehouse: both show the journal with status\'s warning, and the shared history again once it answers', async () => {
    fake.faults.add({ kind: 'accessDenied', permission: 'bigquery.jobs.create', times: Infinity });
    const warned = await until('the dashboard to warn', async () => {
      const h = (await dashboard()).history;
      return h?.source === 'journal' && h.warning ? h : undefined;
    }, 30_000);
    assert.match(warned.warning!, /^the bigquery warehouse history could not be read \(.+\): the status below is this machine's journal only$/);
    const warning = await until('the Phases view to warn', () => treeRoots().find((n) => n.kind === 'warning'));
    assert.equal(treeRoots()[0]?.kind, 'warning', 'the warning is the view\'s first row');
    assert.equal(ext.phases()!.tree.getTreeItem(warning).tooltip, warned.warning);
    fake.faults.clear();
    // Backing off: the next read comes within the ceiling (2 s), not at once.
    await until('the shared history to come back', async () => (await dashboard()).history?.source === 'warehouse', 30_000);
    await until('the warning to leave the Phases view', () => !treeRoots().some((n) => n.kind === 'warning'));
  });

  it('polling stops when the dashboard is closed and the Phases view hidden, and starts again when one is shown', async () => {
    await vscode.window.tabGroups.close(dashboardTabs());
    await vscode.commands.executeCommand('workbench.view.explorer');
    await until('polling to stop', () => !ext.ctx.migrationState.polling.active);
    const reads = ext.ctx.migrationState.polling.reads;
    await sleep(3500);
    assert.equal(ext.ctx.migrationState.polling.reads, reads, 'no read while nothing is visible (the interval is 1–2 s)');
    await vscode.commands.executeCommand('bqmigrate.phases.focus');
    await until('polling to start again', () => ext.ctx.migrationState.polling.active);
    await until('a read at once', () => ext.ctx.migrationState.polling.reads > reads, 5_000);
  });
});
