/** Phase order: a phase whose dependsOn phases are not complete refuses to run, naming them (core and CLI, local warehouse). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DependenciesNotMet, readJournal, runPhases } from '../../../src/core/phases/index';
import type { Warehouse } from '../../../src/core/warehouse/types';
import { cli, makeWorkspace, quiet, type Workspace } from './helpers';

/** The starter manifest with archive → datasets, targets → archive, validate → shims + targets. */
function withDependencies(text: string): string {
  return text
    .replace('"id": "archive", "title": "Archive legacy tables",', '"id": "archive", "title": "Archive legacy tables", "dependsOn": ["datasets"],')
    .replace('"id": "targets", "title": "Build training tables",', '"id": "targets", "title": "Build training tables", "dependsOn": ["archive"],')
    .replace('"id": "validate", "title": "Validate",', '"id": "validate", "title": "Validate", "dependsOn": ["shims", "targets"],');
}

describe('phase dependsOn is enforced', () => {
  let ws: Workspace;
  let wh: Warehouse;
  before(async () => {
    ws = await makeWorkspace(withDependencies);
    assert.deepEqual(ws.load().manifest.phases.find((p) => p.id === 'validate')?.dependsOn, ['shims', 'targets'], 'the edit took');
    wh = await ws.open();
  });
  after(() => ws.cleanup());

  it('refuses a phase whose dependencies have not run, before anything runs or is journaled', async () => {
    await assert.rejects(runPhases({ wh, loaded: ws.load(), phases: ['archive'], yes: true, ...quiet }), (e: unknown) => {
      assert.ok(e instanceof DependenciesNotMet);
      assert.deepEqual(e.unmet, [{ phase: 'archive', needs: 'datasets', state: 'not-started' }]);
      assert.match(e.message, /phase "archive" depends on "datasets", which is not complete \(not-started\)/);
      assert.match(e.message, /bqmigrate run --phase datasets/);
      return true;
    });
    assert.equal(readJournal(ws.dir).length, 0, 'nothing was journaled');
    assert.deepEqual(await wh.listTables('archive').catch(() => []), [], 'nothing was archived');
  });

  it('names every unmet dependency of every phase asked for', async () => {
    await assert.rejects(runPhases({ wh, loaded: ws.load(), phases: ['validate'], yes: true, ...quiet }), (e: unknown) => {
      assert.ok(e instanceof DependenciesNotMet);
      assert.deepEqual(e.unmet.map((u) => u.needs), ['shims', 'targets']);
      return true;
    });
  });

  it('runs a phase whose dependencies come earlier in the same run, then on its own once they are complete', async () => {
    const both = await runPhases({ wh, loaded: ws.load(), phases: ['datasets', 'archive'], yes: true, ...quiet });
    assert.equal(both.status, 'ok', both.error);
    const targets = await runPhases({ wh, loaded: ws.load(), phases: ['targets'], yes: true, ...quiet });
    assert.equal(targets.status, 'ok', targets.error);
    await wh.close(); // the CLI opens the warehouse file itself
  });

  it('the CLI says what is missing and exits 2; --all runs in manifest order and passes', async () => {
    const r = await cli(ws.dir, ['run', '--phase', 'validate', '--yes']);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /nothing ran: phase "validate" depends on "shims", which is not complete \(not-started\)/);
    assert.doesNotMatch(r.err, /depends on "targets"/, 'targets is complete');
    const shims = await cli(ws.dir, ['run', '--phase', 'shims', '--yes']);
    assert.equal(shims.code, 0, shims.err);
    const validate = await cli(ws.dir, ['run', '--phase', 'validate', '--yes']);
    assert.equal(validate.code, 0, validate.err + validate.out);
  });
});
