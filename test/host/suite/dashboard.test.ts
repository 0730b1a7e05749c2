/** The dashboard in a real VS Code: the command opens the panel, the page says ready, file changes reach it. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { recordSnapshot, snapshotsPath } from '../../../src/core/progress/snapshots';
import { EXTENSION_ID, root, sleep } from './ext-helpers';

interface OpenResult {
  ready: boolean;
  posted: number;
  sections: string[];
}

function dashboardTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('bqmigrate.dashboard'));
}

describe('dashboard', () => {
  let savedSnapshots: string | undefined;

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    const file = snapshotsPath(root());
    savedSnapshots = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  });

  after(async () => {
    await vscode.window.tabGroups.close(dashboardTabs());
    const file = snapshotsPath(root());
    if (savedSnapshots === undefined) fs.rmSync(file, { force: true });
    else fs.writeFileSync(file, savedSnapshots);
  });

  it('"bqmigrate: Open Dashboard" opens the panel and the page completes the ready handshake', async () => {
    const contributed = vscode.extensions.getExtension('cbi-v14.bqmigrate')!.packageJSON.contributes.commands as { command: string; title: string; category: string }[];
    const spec = contributed.find((c) => c.command === 'bqmigrate.openDashboard');
    assert.deepEqual(spec && `${spec.category}: ${spec.title}`, 'bqmigrate: Open Dashboard');
    const result = (await vscode.commands.executeCommand('bqmigrate.openDashboard')) as OpenResult;
    assert.equal(result.ready, true, 'the webview never posted "ready"');
    assert.ok(result.posted >= 1, 'the host sent no state after ready');
    assert.deepEqual(result.sections.filter((s) => ['phases', 'mappings', 'references', 'validation', 'shims'].includes(s)).length, 5);
    assert.equal(dashboardTabs().length, 1);
  });

  it('a second open reveals the same panel', async () => {
    await vscode.commands.executeCommand('bqmigrate.openDashboard');
    assert.equal(dashboardTabs().length, 1);
  });

  it('a new reference snapshot reaches the open page as an update', async () => {
    const before = (await vscode.commands.executeCommand('bqmigrate.openDashboard')) as OpenResult;
    recordSnapshot(root(), { total: 3, byDataset: { models_v4: 3 } });
    let after = before;
    for (let i = 0; i < 50 && after.posted <= before.posted; i++) {
      await sleep(100);
      after = (await vscode.commands.executeCommand('bqmigrate.openDashboard')) as OpenResult;
    }
    assert.ok(after.posted > before.posted, `no update was posted after ${path.basename(snapshotsPath(root()))} changed`);
  });
});
