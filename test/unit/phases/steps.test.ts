/** Every built-in step end to end on the local warehouse, including the checks that block unsafe steps. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfirmationRequired, phaseStatuses, readJournal, readValidationReport, rollbackPhase, runPhases } from '../../../src/core/phases/index';
import type { Warehouse } from '../../../src/core/warehouse/types';
import { archived, count, HORIZONS, legacy, makeWorkspace, quiet, target, type Workspace } from './helpers';

describe('phases on the local warehouse: the seeds\' migration', () => {
  let ws: Workspace;
  let wh: Warehouse;
  before(async () => {
    ws = await makeWorkspace();
    wh = await ws.open();
  });
  after(async () => {
    await wh.close();
    ws.cleanup();
  });

  it('create-datasets + verify-datasets create the seven datasets', async () => {
    const r = await runPhases({ wh, loaded: ws.load(), phases: ['datasets'], ...quiet });
    assert.equal(r.status, 'ok', r.error);
    const names = (await wh.listDatasets()).map((d) => d.dataset);
    for (const d of ['archive', 'raw_intelligence', 'features', 'training', 'predictions', 'monitoring', 'vegas_intelligence']) assert.ok(names.includes(d), d);
  });

  it('archive copies each horizon with the metadata columns and the same row count', async () => {
    const r = await runPhases({ wh, loaded: ws.load(), phases: ['archive'], ...quiet });
    assert.equal(r.status, 'ok', r.error);
    for (const h of HORIZONS) {
      const info = await wh.getTable(archived(h));
      assert.ok(info, `archive for ${h}`);
      const cols = info.schema.map((c) => c.name);
      assert.deepEqual(cols.slice(-3), ['archived_date', 'original_location', 'migration_version']);
      assert.equal(await count(wh, archived(h)), await count(wh, legacy(h)));
      const row = (await wh.query(`SELECT CAST(archived_date AS VARCHAR) AS d, original_location AS o, migration_version AS v FROM ${wh.dialect.table(archived(h))} LIMIT 1`)).rows[0]!;
      assert.deepEqual(row, { d: '2025-11-14', o: `cbi-v14.models_v4.production_training_data_${h}`, v: 'naming-v1' });
    }
    assert.equal((await wh.listTables('archive')).filter((t) => t.table.startsWith('_bqm_tmp_')).length, 0, 'no temp tables left');
  });

  it('archive run again skips verified work and changes nothing', async () => {
    const r = await runPhases({ wh, loaded: ws.load(), phases: ['archive'], ...quiet });
    assert.equal(r.status, 'ok');
    assert.ok(r.steps[0]!.actions.every((a) => a.status === 'skipped'));
  });

  it('shim-views is destructive: without confirmation nothing runs', async () => {
    await assert.rejects(runPhases({ wh, loaded: ws.load(), phases: ['shims'], ...quiet }), ConfirmationRequired);
    assert.equal((await wh.getTable(legacy('1m')))!.type, 'TABLE');
  });

  it('create-targets builds the new tables and marks the mapping migrated (comments kept)', async () => {
    const r = await runPhases({ wh, loaded: ws.load(), phases: ['targets'], ...quiet });
    assert.equal(r.status, 'ok', r.error);
    for (const h of HORIZONS) assert.equal(await count(wh, target(h)), await count(wh, legacy(h)));
    const text = fs.readFileSync(ws.file, 'utf8');
    assert.match(text, /"status": "migrated"/);
    assert.match(text, /\/\/ Phase 3 of the log: the five production horizons\./);
  });

  it('shim-views refuses a legacy table whose archive copy has a different row count, and leaves it in place', async () => {
    await wh.query(`INSERT INTO ${wh.dialect.table(legacy('3m'))} SELECT * FROM ${wh.dialect.table(legacy('3m'))} LIMIT 1`);
    const before = await count(wh, legacy('3m'));
    const r = await runPhases({ wh, loaded: ws.load(), phases: ['shims'], yes: true, ...quiet });
    assert.equal(r.status, 'failed');
    assert.match(r.error!, /refusing to replace models_v4\.production_training_data_3m: it has \d+ rows but its archive copy .* has \d+/);
    assert.equal((await wh.getTable(legacy('3m')))!.type, 'TABLE');
    assert.equal(await count(wh, legacy('3m')), before);
    // Put the legacy table back as archived; the resumed run then finishes.
    await wh.query(`CREATE OR REPLACE TABLE ${wh.dialect.table(legacy('3m'))} AS SELECT * EXCLUDE (archived_date, original_location, migration_version) FROM ${wh.dialect.table(archived('3m'))}`);
    const again = await runPhases({ wh, loaded: ws.load(), resume: true, yes: true, ...quiet });
    assert.equal(again.status, 'ok', again.error);
    for (const h of HORIZONS) {
      assert.equal((await wh.getTable(legacy(h)))!.type, 'VIEW', h);
      assert.equal(await count(wh, legacy(h)), await count(wh, target(h)));
    }
    const text = fs.readFileSync(ws.file, 'utf8');
    assert.match(text, /"status": "shimmed"/);
    assert.match(text, /"shimmedOn": "\d{4}-\d{2}-\d{2}"/);
  });

  it('validate passes every check and writes validation-latest.json', async () => {
    const r = await runPhases({ wh, loaded: ws.load(), phases: ['validate'], ...quiet });
    assert.equal(r.status, 'ok', r.error);
    const report = readValidationReport(ws.dir)!;
    assert.equal(report.failed, 0);
    const ids = report.checks.map((c) => c.id.split(':')[0]);
    for (const kind of ['not-empty', 'row-count', 'date-range', 'archive', 'schema', 'check']) assert.ok(ids.includes(kind), kind);
    assert.equal(report.checks.filter((c) => c.id.startsWith('row-count:')).length, 5);
  });

  it('drop-shims keeps shims inside the grace period and drops them after it', async () => {
    const early = await runPhases({ wh, loaded: ws.load(), phases: ['cleanup'], yes: true, ...quiet });
    assert.equal(early.status, 'ok');
    assert.equal((await wh.getTable(legacy('1w')))?.type, 'VIEW');
    const later = new Date(Date.now() + 31 * 86400_000);
    const r = await runPhases({ wh, loaded: ws.load(), phases: ['cleanup'], yes: true, today: later, ...quiet });
    assert.equal(r.status, 'ok', r.error);
    for (const h of HORIZONS) assert.equal(await wh.getTable(legacy(h)), undefined);
    for (const h of HORIZONS) assert.ok(await count(wh, archived(h)) > 0, 'archive kept');
    assert.match(fs.readFileSync(ws.file, 'utf8'), /"status": "archived"/);
  });

  it('rolling back cleanup restores the legacy tables from the archive, row for row, without metadata columns', async () => {
    const r = await rollbackPhase({ wh, loaded: ws.load(), phase: 'cleanup', yes: true, ...quiet });
    assert.equal(r.status, 'ok', r.error);
    for (const h of HORIZONS) {
      const info = (await wh.getTable(legacy(h)))!;
      assert.equal(info.type, 'TABLE');
      assert.ok(!info.schema.some((c) => c.name === 'archived_date'));
      assert.equal(await count(wh, legacy(h)), await count(wh, archived(h)));
    }
    const status = phaseStatuses(ws.load(), readJournal(ws.dir)).find((p) => p.id === 'cleanup')!;
    assert.equal(status.state, 'not-started');
    assert.ok(status.rolledBackAt);
  });

  it('status derives complete phases from the journal', () => {
    const statuses = phaseStatuses(ws.load(), readJournal(ws.dir));
    assert.deepEqual(statuses.filter((p) => p.id !== 'cleanup').map((p) => [p.id, p.state]), [
      ['datasets', 'complete'],
      ['archive', 'complete'],
      ['targets', 'complete'],
      ['shims', 'complete'],
      ['validate', 'complete'],
    ]);
  });
});

describe('sql, command and validation-failure steps', () => {
  let ws: Workspace;
  let wh: Warehouse;
  before(async () => {
    ws = await makeWorkspace((t) =>
      t
        .replace('"checks": [', '"checks": [\n    { "id": "no-negative-volume", "sql": "SELECT * FROM `cbi-v14.models_v4.production_training_data_1w` WHERE zl_volume > 30000" },')
        .replace(
          '"phases": [',
          `"phases": [
    { "id": "extras", "title": "Team scripts", "steps": [
      { "sql": "sql/regime_calendar.sql" },
      { "command": "node -e \\"console.log('built ' + process.cwd().length)\\"" }
    ] },
    { "id": "failing", "title": "A command that fails", "steps": [{ "command": "node -e \\"process.exit(3)\\"" }] },`,
        ),
    );
    fs.mkdirSync(path.join(ws.dir, 'sql'));
    fs.writeFileSync(
      path.join(ws.dir, 'sql', 'regime_calendar.sql'),
      "-- BigQuery SQL, run as a script\nCREATE SCHEMA IF NOT EXISTS `cbi-v14.training`;\nCREATE OR REPLACE TABLE `cbi-v14.training.regime_calendar` AS\nSELECT date, market_regime FROM `cbi-v14.models_v4.production_training_data_1m`;\n",
    );
    wh = await ws.open();
  });
  after(async () => {
    await wh.close();
    ws.cleanup();
  });

  it('a sql step runs the BigQuery script translated for DuckDB; a command step captures its output', async () => {
    const lines: string[] = [];
    // CREATE OR REPLACE in the script makes the step destructive: confirmation first.
    await assert.rejects(runPhases({ wh, loaded: ws.load(), phases: ['extras'], ...quiet }), /extras\/sql/);
    const r = await runPhases({ wh, loaded: ws.load(), phases: ['extras'], yes: true, log: (l) => lines.push(l) });
    assert.equal(r.status, 'ok', r.error);
    assert.equal(await count(wh, { dataset: 'training', table: 'regime_calendar' }), 1404);
    assert.ok(lines.some((l) => /│ built \d+/.test(l)), lines.join('\n'));
    const note = readJournal(ws.dir).find((e) => e.event === 'action-note' && e.details?.exitCode === 0);
    assert.match(String(note?.details?.output), /built \d+/);
  });

  it('a failing command fails its step with the exit code, journaled', async () => {
    const r = await runPhases({ wh, loaded: ws.load(), phases: ['failing'], ...quiet });
    assert.equal(r.status, 'failed');
    assert.match(r.error!, /exited with 3/);
    assert.equal(phaseStatuses(ws.load(), readJournal(ws.dir)).find((p) => p.id === 'failing')!.state, 'failed');
  });

  it('validate fails when a manifest check returns rows, and when targets are missing', async () => {
    const r = await runPhases({ wh, loaded: ws.load(), phases: ['validate'], ...quiet });
    assert.equal(r.status, 'failed');
    const report = readValidationReport(ws.dir)!;
    const check = report.checks.find((c) => c.id === 'check:no-negative-volume')!;
    assert.equal(check.pass, false);
    assert.match(check.detail, /offending row/);
    assert.ok(report.checks.some((c) => c.id === 'exists:training.zl_training_prod_allhistory_1m' && !c.pass));
  });

  it('shim-views refuses when no archive copy exists', async () => {
    await runPhases({ wh, loaded: ws.load(), phases: ['datasets'], ...quiet });
    await runPhases({ wh, loaded: ws.load(), phases: ['targets'], ...quiet });
    const r = await runPhases({ wh, loaded: ws.load(), phases: ['shims'], yes: true, ...quiet });
    assert.equal(r.status, 'failed');
    assert.match(r.error!, /archive copy .* does not exist; run the archive step first/);
    for (const h of HORIZONS) assert.equal((await wh.getTable(legacy(h)))!.type, 'TABLE');
  });

  it('rolling back targets drops the new tables while the legacy tables still hold the data', async () => {
    const r = await rollbackPhase({ wh, loaded: ws.load(), phase: 'targets', yes: true, ...quiet });
    assert.equal(r.status, 'ok', r.error);
    for (const h of HORIZONS) assert.equal(await wh.getTable(target(h)), undefined);
    for (const h of HORIZONS) assert.equal((await wh.getTable(legacy(h)))!.type, 'TABLE');
    assert.match(fs.readFileSync(ws.file, 'utf8'), /"status": "planned"/);
  });
});
