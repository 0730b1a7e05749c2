/** The trusted-only warehouse command against the embedded local (DuckDB) warehouse. */
import { isTableOrPathMapping } from '../../../src/core/manifest/schema';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { localWarehouseFile, openLocalWarehouse, seedSampleWarehouse } from '../../../src/core/warehouse/index';
import { api, FixtureSnapshot, root, uri } from './ext-helpers';

describe('warehouse commands', () => {
  let saved: FixtureSnapshot;
  before(async () => {
    await api();
    saved = new FixtureSnapshot(['bqmigrate.json']);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await saved.restore();
    fs.rmSync(path.join(root(), '.bqmigrate', 'local.duckdb'), { force: true });
    fs.rmSync(path.join(root(), '.bqmigrate', 'local.duckdb.wal'), { force: true });
  });

  it('Refresh Inventory from Warehouse lists the local warehouse and adds its unmapped legacy tables to the manifest', async function () {
    this.timeout(60_000);
    assert.equal(vscode.workspace.isTrusted, true, 'the host suite runs trusted');
    const { ctx } = await api();
    const wh = await openLocalWarehouse({ file: localWarehouseFile(root()), project: 'cbi-v14', location: 'US' });
    let seeded: { dataset: string; table: string }[];
    try {
      seeded = await seedSampleWarehouse(wh);
    } finally {
      await wh.close();
    }
    const before = ctx.manifest.loaded!.manifest.mappings.length;
    const summary = (await vscode.commands.executeCommand('bqmigrate.refreshInventory')) as { objects: number; added: number; covered: number };
    assert.equal(summary.objects, seeded.length);
    assert.ok(summary.added > 0, 'the sample warehouse has legacy tables the fixture does not map');
    const mappings = ctx.manifest.loaded!.manifest.mappings;
    assert.equal(mappings.length, before + summary.added);
    const names = new Set(seeded.map((o) => `${o.dataset}.${o.table}`));
    for (const m of mappings.slice(before).filter(isTableOrPathMapping)) {
      assert.ok(names.has(m.from), `${m.from} came from the warehouse`);
      assert.equal(m.to, undefined, 'imported tables are not mapped yet');
    }
    assert.match(fs.readFileSync(uri('bqmigrate.json').fsPath, 'utf8'), /\/\/ Fixture manifest for the host tests/);
  });
});
