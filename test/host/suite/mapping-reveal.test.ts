/** `bqmigrate.mapping.reveal` (the dashboard's links): selects a mapping's row in the Mappings view. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, packageJson, until } from './ext-helpers';
import type { MappingTreeNode } from '../../../src/extension/mapping-tree/provider';

function selectedIndex(view: vscode.TreeView<MappingTreeNode>): number | undefined {
  const node = view.selection[0];
  return node && node.kind === 'mapping' ? node.index : undefined;
}

async function indexOf(from: string): Promise<number> {
  const index = (await api()).ctx.manifest.loaded!.manifest.mappings.findIndex((m) => m.from === from);
  assert.ok(index >= 0, `${from} is in the fixture manifest`);
  return index;
}

describe('mapping reveal', () => {
  after(async () => {
    await vscode.commands.executeCommand('bqmigrate.mappings.filter', 'all');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('bqmigrate.mapping.reveal selects the mapping in the Mappings view', async () => {
    const view = (await api()).mappingTreeView();
    assert.ok(view, 'the Mappings tree view is exposed');
    const crisis = await indexOf('models_v4.crisis_2008_historical');
    const vertex = await indexOf('models_v4.vertex_ai_training_1m_base');
    assert.equal(await vscode.commands.executeCommand('bqmigrate.mapping.reveal', crisis), crisis);
    await until(`mapping ${crisis} selected`, () => selectedIndex(view) === crisis);
    assert.equal(view.visible, true, 'the view is shown');
    await vscode.commands.executeCommand('bqmigrate.mapping.reveal', { index: vertex });
    await until(`mapping ${vertex} selected`, () => selectedIndex(view) === vertex);
    assert.equal(view.selection.length, 1);
  });

  it('bqmigrate.mapping.reveal clears a filter that hides the mapping, and rejects an unknown index', async () => {
    const view = (await api()).mappingTreeView()!;
    const crisis = await indexOf('models_v4.crisis_2008_historical');
    await vscode.commands.executeCommand('bqmigrate.mappings.filter', 'unmapped');
    await vscode.commands.executeCommand('bqmigrate.mapping.reveal', crisis);
    assert.equal((await api()).mappingTree()!.currentFilter, 'all');
    await until(`mapping ${crisis} selected`, () => selectedIndex(view) === crisis);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('bqmigrate.mapping.reveal', 999)), /pick a mapping/);
  });

  it('the dashboard reveal-mapping link selects the mapping through bqmigrate.mapping.reveal', async () => {
    const extApi = await api();
    const view = extApi.mappingTreeView()!;
    const trump = await indexOf('models_v4.trump_rich_2023_2025');
    await extApi.dashboardAction({ type: 'reveal-mapping', index: trump, from: 'models_v4.trump_rich_2023_2025' });
    await until(`mapping ${trump} selected`, () => selectedIndex(view) === trump);
    await assert.rejects(extApi.dashboardAction({ type: 'reveal-mapping', index: trump, from: 'models_v4.somewhere_else' }), /no longer at position/);
  });

  it('the activity-bar container is titled "bqmigrate" (lower case) in package.json', () => {
    const containers: { id: string; title: string }[] = packageJson().contributes.viewsContainers.activitybar;
    assert.equal(containers.find((c) => c.id === 'bqmigrate')?.title, 'bqmigrate');
  });
});
