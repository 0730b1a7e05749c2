/**
 * The local end-to-end case: legacy tables; three views (one reads another), a SQL function and a
 * table function, all reading legacy tables → `definitions pull` → `lint` shows them → `fix` →
 * the repoint-definitions step → the views read the new tables and return the same rows →
 * `rollback` restores the old definitions byte for byte (a second pull writes the original files).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pullDefinitions } from '../../../src/core/definitions/pull';
import { previewPhase, readJournal, rollbackPhase, runPhases } from '../../../src/core/phases/index';
import { bqmigrate, buildOnce } from '../cli/cli-helpers';
import { quiet, type Workspace } from '../phases/helpers';
import { filesOf, migratedWorkspace, rowsOf, VIEWS } from './helpers';

describe('repoint-definitions on the local warehouse, end to end', () => {
  let ws: Workspace;
  before(async () => {
    buildOnce();
    ws = await migratedWorkspace();
  });
  after(() => ws.cleanup());

  it('pull → lint → fix → run → same rows over the new tables → rollback restores byte for byte', async () => {
    const warehouseDir = path.join(ws.dir, 'warehouse');
    let wh = await ws.open();
    const before = new Map<string, string>();
    try {
      for (const v of VIEWS) before.set(v, await rowsOf(wh, 'models_v4', v));
      const fn = (await wh.query('SELECT `cbi-v14.models_v4.max_price_6m`() AS m')).rows[0]?.m;
      before.set('max_price_6m', JSON.stringify(fn));
      before.set('rows_since', JSON.stringify((await wh.query("SELECT COUNT(*) AS n FROM models_v4.rows_since(DATE '2024-06-01')")).rows));
    } finally {
      await wh.close();
    }

    // pull (the CLI, as a user runs it)
    const pull = bqmigrate(['definitions', 'pull'], ws.dir);
    assert.equal(pull.code, 0, pull.stderr + pull.stdout);
    const pulled = filesOf(warehouseDir);
    for (const f of ['models_v4/v_base.sql', 'models_v4/v_regimes.sql', 'models_v4/v_latest_3m.sql', 'models_v4/max_price_6m.sql', 'models_v4/rows_since.sql']) assert.ok(pulled[f], `pulled ${f}: ${Object.keys(pulled).join(', ')}`);
    assert.match(pulled['models_v4/v_base.sql']!, /^CREATE OR REPLACE VIEW `cbi-v14\.models_v4\.v_base`\nOPTIONS \(\n  description = '1m rows since 2024',\n  labels = \[\('team', 'forecasting'\)\]\n\)\nAS\nSELECT date, zl_price_current, market_regime\nFROM `cbi-v14\.models_v4\.production_training_data_1m` -- the 1m training table\nWHERE date >= '2024-01-01'\n$/);

    // lint shows every legacy reference in the pulled files
    const lint = bqmigrate(['lint', 'warehouse', '--format', 'json'], ws.dir);
    assert.equal(lint.code, 1);
    const results = JSON.parse(lint.stdout) as { filePath: string; messages: { ruleId: string; line: number }[] }[];
    const legacy = (f: string) => results.find((r) => r.filePath.endsWith(f))?.messages.filter((m) => m.ruleId === 'legacy-reference').length ?? 0;
    assert.equal(legacy('v_base.sql'), 1);
    assert.equal(legacy('v_regimes.sql'), 1, 'v_regimes reads v_base (not legacy) and the 1w table (legacy)');
    assert.equal(legacy('v_latest_3m.sql'), 1);
    assert.equal(legacy('max_price_6m.sql'), 1);
    assert.equal(legacy('rows_since.sql'), 1);

    // fix rewrites them like code
    const fix = bqmigrate(['fix', 'warehouse'], ws.dir);
    assert.equal(fix.code, 0, fix.stderr + fix.stdout);
    const fixed = filesOf(warehouseDir);
    assert.match(fixed['models_v4/v_base.sql']!, /`cbi-v14\.training\.zl_training_prod_allhistory_1m` -- the 1m training table/);
    assert.equal(bqmigrate(['lint', 'warehouse'], ws.dir).code, 0);

    // plan: a diff and the exact statement per object, in dependency order
    wh = await ws.open();
    try {
      const { plan } = await previewPhase(wh, ws.load(), 'definitions');
      const step = plan.steps[0]!;
      const ids = step.actions.map((a) => a.id);
      assert.equal(ids.length, 5);
      assert.ok(ids.indexOf('repoint:view:models_v4.v_base') < ids.indexOf('repoint:view:models_v4.v_regimes'), ids.join(', '));
      const base = step.actions.find((a) => a.id === 'repoint:view:models_v4.v_base')!;
      assert.match(base.diff!, /^-FROM `cbi-v14\.models_v4\.production_training_data_1m` -- the 1m training table$/m);
      assert.match(base.diff!, /^\+FROM `cbi-v14\.training\.zl_training_prod_allhistory_1m` -- the 1m training table$/m);
      assert.ok(base.sql.includes(fixed['models_v4/v_base.sql']!.trimEnd()), 'the exact statement is the file\'s');
      assert.equal(step.destructive, true);

      // destructive: refused without confirmation, nothing changed
      await assert.rejects(runPhases({ wh, loaded: ws.load(), phases: ['definitions'], ...quiet }), /need confirmation/);

      const run = await runPhases({ wh, loaded: ws.load(), phases: ['definitions'], yes: true, ...quiet });
      assert.equal(run.status, 'ok', run.error);
      for (const v of VIEWS) {
        const def = await wh.getDefinition('VIEW', { dataset: 'models_v4', table: v });
        assert.doesNotMatch(def!.body, /production_training_data/, `${v} no longer reads legacy names`);
        assert.equal(await rowsOf(wh, 'models_v4', v), before.get(v), `${v} returns the same rows`);
      }
      assert.equal(JSON.stringify((await wh.query('SELECT `cbi-v14.models_v4.max_price_6m`() AS m')).rows[0]?.m), before.get('max_price_6m'));
      assert.match((await wh.getDefinition('TABLE_FUNCTION', { dataset: 'models_v4', table: 'rows_since' }))!.body, /zl_training_prod_allhistory_12m/);
      const details = run.steps[0]!.actions.map((a) => a.outcome?.detail ?? '');
      assert.ok(details.some((d) => /same rows \(fingerprint\)/.test(d)), details.join('\n'));

      // the backups are journaled, one per object, before each change
      const backups = readJournal(ws.dir).filter((e) => e.runId === run.runId && e.event === 'action-note' && e.details && 'backup' in e.details);
      assert.equal(backups.length, 5);

      // a second pull now matches the files: nothing to write
      assert.equal((await pullDefinitions(wh, ws.load(), { check: true })).differs, false);

      const rb = await rollbackPhase({ wh, loaded: ws.load(), phase: 'definitions', yes: true, ...quiet });
      assert.equal(rb.status, 'ok', rb.error);
      for (const v of VIEWS) assert.equal(await rowsOf(wh, 'models_v4', v), before.get(v));
      // pull into a fresh folder: byte for byte the first pull
      const again = await pullDefinitions(wh, ws.load(), { dir: 'warehouse-after-rollback' });
      assert.equal(again.refused.length + again.errors.length, 0);
    } finally {
      await wh.close();
    }
    assert.deepEqual(filesOf(path.join(ws.dir, 'warehouse-after-rollback')), pulled);
  });

  it('a second pull with nothing changed rewrites nothing; --check exits 1 when a file differs', async () => {
    const dir = path.join(ws.dir, 'warehouse-stable');
    assert.equal(bqmigrate(['definitions', 'pull', '--out', 'warehouse-stable'], ws.dir).code, 0);
    const stat = Object.fromEntries(Object.keys(filesOf(dir)).map((f) => [f, fs.statSync(path.join(dir, f)).mtimeMs]));
    await new Promise((r) => setTimeout(r, 20));
    const second = bqmigrate(['definitions', 'pull', '--out', 'warehouse-stable'], ws.dir);
    assert.equal(second.code, 0);
    assert.match(second.stdout, /0 written, 6 unchanged/);
    for (const [f, mtime] of Object.entries(stat)) assert.equal(fs.statSync(path.join(dir, f)).mtimeMs, mtime, `${f} was not rewritten`);
    assert.equal(bqmigrate(['definitions', 'pull', '--out', 'warehouse-stable', '--check'], ws.dir).code, 0);
    fs.appendFileSync(path.join(dir, 'models_v4', 'v_base.sql'), '-- edited\n');
    fs.writeFileSync(path.join(dir, 'models_v4', 'gone.sql'), 'CREATE VIEW models_v4.gone AS SELECT 1\n');
    const check = bqmigrate(['definitions', 'pull', '--out', 'warehouse-stable', '--check'], ws.dir);
    assert.equal(check.code, 1);
    assert.match(check.stdout, /differs\s+warehouse-stable\/models_v4\/v_base\.sql/);
    assert.match(check.stdout, /not in the warehouse\s+warehouse-stable\/models_v4\/gone\.sql/);
    const prune = bqmigrate(['definitions', 'pull', '--out', 'warehouse-stable', '--prune'], ws.dir);
    assert.equal(prune.code, 0, prune.stdout + prune.stderr);
    assert.match(prune.stdout, /removed\s+warehouse-stable\/models_v4\/gone\.sql/);
    assert.ok(!fs.existsSync(path.join(dir, 'models_v4', 'gone.sql')));
    assert.equal(bqmigrate(['definitions', 'pull', '--out', 'warehouse-stable', '--check'], ws.dir).code, 0);
  });
});
