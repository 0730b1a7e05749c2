/** Workspace Trust at run time: every trusted-only command, and the dashboard's Run, refuse in an untrusted workspace. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api } from './ext-helpers';

const REFUSAL = /only in a trusted workspace/;

describe('workspace trust', () => {
  it('warehouse commands and the dashboard run-phase refuse when the workspace is not trusted', async () => {
    const extApi = await api();
    const trustedOnly = extApi.commandSpecs.filter((s) => s.when?.includes('isWorkspaceTrusted')).map((s) => s.id);
    for (const id of ['bqmigrate.refreshInventory', 'bqmigrate.phases.run', 'bqmigrate.phases.preview', 'bqmigrate.phases.rollback', 'bqmigrate.phases.validate', 'bqmigrate.phases.resume']) {
      assert.ok(trustedOnly.includes(id), `${id} is hidden in untrusted workspaces`);
    }
    assert.equal(extApi.ctx.isTrusted(), true, 'the host runs trusted (--disable-workspace-trust)');
    const untrusted = extApi.overrideTrust(() => false);
    try {
      assert.equal(extApi.ctx.isTrusted(), false);
      for (const id of trustedOnly) {
        // A phase id that does not exist: a command that skipped the check fails differently.
        await assert.rejects(Promise.resolve(vscode.commands.executeCommand(id, 'no-such-phase')), REFUSAL, `${id} did not refuse`);
      }
      // Its own check, before it hands over to bqmigrate.phases.run (which would refuse with "Run Phase …").
      await assert.rejects(extApi.dashboardAction({ type: 'run-phase', phaseId: 'no-such-phase' }), /^Error: Running a phase from the dashboard .*only in a trusted workspace/, 'dashboard run-phase did not refuse');
    } finally {
      untrusted.dispose();
    }
    assert.equal(extApi.ctx.isTrusted(), true, 'the override is undone');
  });
});
