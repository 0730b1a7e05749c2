/** The command registry and package.json agree both ways (house style rule 6). */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, packageJson } from './ext-helpers';

describe('command registry ⇄ package.json', () => {
  it('every registry command is contributed with the same title and category, and vice versa', async () => {
    const { commandSpecs } = await api();
    const contributed: { command: string; title: string; category?: string }[] = packageJson().contributes.commands;
    const inRegistry = new Map(commandSpecs.map((c) => [c.id, c]));
    const inPackage = new Map(contributed.map((c) => [c.command, c]));
    assert.deepEqual([...inRegistry.keys()].filter((id) => !inPackage.has(id)), [], 'in the registry, missing from package.json');
    assert.deepEqual([...inPackage.keys()].filter((id) => !inRegistry.has(id)), [], 'in package.json, missing from the registry');
    for (const [id, spec] of inRegistry) {
      const c = inPackage.get(id)!;
      assert.equal(c.title, spec.title, `${id} title`);
      assert.equal(c.category, 'bqmigrate', `${id} category in package.json`);
      assert.equal(spec.category, 'bqmigrate', `${id} category in the registry`);
    }
  });

  it('palette when-clauses in package.json match the registry', async () => {
    const { commandSpecs } = await api();
    const palette: { command: string; when?: string }[] = packageJson().contributes.menus.commandPalette;
    for (const spec of commandSpecs) {
      const entry = palette.find((p) => p.command === spec.id);
      if (spec.when === undefined) assert.ok(!entry || entry.when === undefined, `${spec.id} has a palette when-clause the registry does not know`);
      else assert.equal(entry?.when, spec.when, `${spec.id} palette when-clause`);
    }
    assert.equal(palette.find((p) => p.command === 'bqmigrate.internal.stats')?.when, 'false', 'internal commands are hidden');
  });

  it('every contributed command is registered in VS Code', async () => {
    await api();
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = packageJson().contributes.commands.map((c: { command: string }) => c.command).filter((id: string) => !registered.has(id));
    assert.deepEqual(missing, []);
  });

  it('warehouse commands are declared trusted-only: palette when-clause, limited untrusted support, restricted settings', () => {
    const pkg = packageJson();
    const palette = pkg.contributes.menus.commandPalette.find((p: { command: string }) => p.command === 'bqmigrate.refreshInventory');
    assert.match(palette.when, /isWorkspaceTrusted/);
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('bqmigrate.bigquery.keyFile'));
  });
});
