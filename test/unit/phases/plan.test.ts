/** Planning is pure: manifest + snapshot → steps → actions with exact SQL; journal and status without a warehouse. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseManifest } from '../../../src/core/manifest/load';
import { expandMappings, formatPlan, JournalWriter, phaseStatuses, planPhase, planRollback, readJournal, unfinishedRun } from '../../../src/core/phases/index';
import { initialManifestText } from '../../../src/core/phases/init';
import { bigQueryDialect, duckDbDialect } from '../../../src/core/warehouse/index';

const load = (text = initialManifestText()) => {
  const r = parseManifest(text, path.join(os.tmpdir(), 'bqmigrate.json'));
  assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
  return r.loaded;
};
const legacyTables = ['1w', '1m', '3m', '6m', '12m'].map((h) => `models_v4.production_training_data_${h}`);
const snapshot = { datasets: ['models_v4'], objects: Object.fromEntries([...legacyTables, 'models_v4.trump_rich_2023_2025', 'models_v4.crisis_2008_historical'].map((t) => [t, 'TABLE'])) };
const bq = { kind: 'bigquery' as const, project: 'cbi-v14', dialect: bigQueryDialect('cbi-v14') };
const local = { kind: 'local' as const, project: 'cbi-v14', dialect: duckDbDialect };

describe('plan', () => {
  it('expands the horizon template in variable order and names archives legacy_20251114__models_v4__*', () => {
    const plan = planPhase(load(), 'archive', snapshot, bq);
    const actions = plan.steps[0]!.actions;
    assert.deepEqual(actions.map((a) => a.id), legacyTables.map((t) => `archive:${t}`));
    assert.equal(
      actions[1]!.sql[0],
      [
        'CREATE OR REPLACE TABLE `cbi-v14.archive._bqm_tmp_legacy_20251114__models_v4__production_training_data_1m` AS',
        "SELECT *, DATE '2025-11-14' AS `archived_date`,",
        "  'cbi-v14.models_v4.production_training_data_1m' AS `original_location`,",
        "  'naming-v1' AS `migration_version`",
        'FROM `cbi-v14.models_v4.production_training_data_1m`',
      ].join('\n'),
    );
    assert.equal(actions[1]!.sql.find((s) => s.startsWith('ALTER TABLE')), 'ALTER TABLE `cbi-v14.archive._bqm_tmp_legacy_20251114__models_v4__production_training_data_1m` RENAME TO `legacy_20251114__models_v4__production_training_data_1m`');
  });

  it('wildcard placeholders expand over the tables that actually exist', () => {
    const text = initialManifestText().replace('"mappings": [', '"mappings": [\n    { "from": "models_v4.{regime}_historical", "to": "training.zl_training_prod_{regime}_all" },');
    const { mappings } = expandMappings(load(text).manifest, snapshot, new Date());
    assert.deepEqual(
      mappings.filter((m) => m.mappingIndex === 0).map((m) => `${m.from}→${m.to}`),
      ['models_v4.crisis_2008_historical→training.zl_training_prod_crisis_2008_all'],
    );
  });

  it('shim-views is destructive and shows the drop and the view; the local dialect quotes with double quotes', () => {
    const plan = planPhase(load(), 'shims', snapshot, local);
    const step = plan.steps[0]!;
    assert.equal(step.destructive, true);
    assert.deepEqual(step.actions[0]!.sql.slice(1), [
      'DROP TABLE IF EXISTS "models_v4"."production_training_data_1w"',
      'CREATE VIEW "models_v4"."production_training_data_1w" AS SELECT * FROM "training"."zl_training_prod_allhistory_1w"',
    ]);
    assert.match(formatPlan(plan), /\[destructive: needs --yes\]/);
  });

  it('drop-shims on BigQuery checks INFORMATION_SCHEMA.JOBS for reads in the quiet period', () => {
    const text = initialManifestText().replace('"status": "planned"', '"status": "shimmed", "shimmedOn": "2025-11-14"');
    const views = { datasets: snapshot.datasets, objects: Object.fromEntries(legacyTables.map((t) => [t, 'VIEW'])) };
    const plan = planPhase(load(text), 'cleanup', views, bq, { today: new Date('2025-12-20T00:00:00Z') });
    const [note, own, org] = plan.steps[0]!.actions[0]!.sql;
    assert.match(note!, /-- verify: no reads of models_v4\.production_training_data_1w in the last 7 days/);
    assert.match(own!, /`cbi-v14\.region-us\.INFORMATION_SCHEMA\.JOBS`/);
    assert.match(own!, /INTERVAL 7 DAY/);
    assert.match(own!, /STRPOS\(LOWER\(query\), 'production_training_data_1w'\) > 0/, 'cache hits and shim reads are found by their query text');
    assert.match(org!, /`cbi-v14\.region-us\.INFORMATION_SCHEMA\.JOBS_BY_ORGANIZATION`/);
    const early = planPhase(load(text), 'cleanup', views, bq, { today: new Date('2025-12-01T00:00:00Z') });
    assert.equal(early.steps[0]!.actions.length, 0);
    assert.match(early.steps[0]!.notes[0]!, /grace period \(30 days from 2025-11-14\) ends 2025-12-14/);
  });

  it('the rollback of shims restores from the archive with EXCEPT on BigQuery', () => {
    const views = { datasets: snapshot.datasets, objects: { ...Object.fromEntries(legacyTables.map((t) => [t, 'VIEW'])), 'archive.legacy_20251114__models_v4__production_training_data_1m': 'TABLE' } };
    const plan = planRollback(load(), 'shims', views, bq);
    const a = plan.steps[0]!.actions;
    assert.equal(a.length, 1);
    assert.match(a[0]!.sql[0]!, /SELECT \* EXCEPT \(`archived_date`, `original_location`, `migration_version`\) FROM `cbi-v14\.archive\.legacy_20251114__models_v4__production_training_data_1m`/);
  });
});

describe('journal and status', () => {
  it('ignores a torn last line, derives status, and finds the interrupted run', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bqm-j-'));
    try {
      const j = new JournalWriter(dir);
      j.append({ runId: 'r1', event: 'run-start', details: { kind: 'run', phases: ['datasets', 'archive'], backend: 'local' } });
      j.append({ runId: 'r1', phase: 'datasets', step: 'create-datasets', event: 'step-start' });
      j.append({ runId: 'r1', phase: 'datasets', step: 'create-datasets', event: 'step-end' });
      j.append({ runId: 'r1', phase: 'datasets', step: 'verify-datasets', event: 'step-start' });
      j.append({ runId: 'r1', phase: 'datasets', step: 'verify-datasets', event: 'step-end' });
      j.append({ runId: 'r1', phase: 'archive', step: 'archive', event: 'step-start' });
      j.close();
      fs.appendFileSync(path.join(dir, '.bqmigrate', 'journal.jsonl'), '{"ts":"2025-11-14T00:00:00Z","runId":"r1","ev');
      const events = readJournal(dir);
      assert.equal(events.length, 6);
      assert.equal(unfinishedRun(events)?.runId, 'r1');
      const states = phaseStatuses(load(), events).map((p) => `${p.id}:${p.state}`);
      assert.deepEqual(states.slice(0, 3), ['datasets:complete', 'archive:in-progress', 'targets:not-started']);
      const j2 = new JournalWriter(dir);
      j2.append({ runId: 'r1', event: 'run-end', details: { status: 'ok' } });
      j2.close();
      const after = readJournal(dir);
      assert.equal(after.length, 8, 'the next event starts on its own line');
      assert.deepEqual([after[6]!.event, after[6]!.details?.lines], ['journal-repair', [7]], 'after a journal-repair that sets the torn line aside');
      assert.equal(unfinishedRun(readJournal(dir)), undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
