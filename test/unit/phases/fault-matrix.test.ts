/**
 * The fault matrix: after `run --all --yes` on the seeded sample, remove or alter what each
 * phase's steps made (drop a table, a view, a dataset; delete rows of a frozen archive copy;
 * replace a shim by a table; delete the warehouse file) and check that `status`, `validate`,
 * `plan`, `run`, `run --resume` and `rollback` each report it — exit ≠ 0, naming the object —
 * and that none of them changes the warehouse, the journal or the manifest while refusing.
 * Real DuckDB warehouse, real CLI (in process).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadManifestOrThrow } from '../../../src/core/manifest/load';
import { buildLedger, readJournal } from '../../../src/core/phases/index';
import { openWarehouse } from '../../../src/core/warehouse/index';
import { archived, cli, legacy, makeWorkspace, target, warehouseState, type Workspace } from './helpers';

const key = (id: { dataset: string; table: string }) => `${id.dataset}.${id.table}`;

interface Fault {
  /** The phase/step whose work the fault undoes. */
  made: string;
  what: string;
  /** SQL run on the warehouse, or 'delete-file'. */
  apply: string[] | 'delete-file';
  /** A name every command's output must contain. */
  names: string;
  /** The phase `rollback` is asked to undo. */
  rollback: string;
}

const FAULTS: Fault[] = [
  { made: 'datasets/create-datasets', what: 'an empty dataset it created is dropped', apply: ['DROP SCHEMA predictions CASCADE'], names: 'dataset predictions', rollback: 'datasets' },
  { made: 'archive/archive', what: 'an archive copy is dropped', apply: [`DROP TABLE ${key(archived('1m'))}`], names: key(archived('1m')), rollback: 'shims' },
  { made: 'archive/archive', what: 'an archive copy loses rows', apply: [`DELETE FROM ${key(archived('3m'))} WHERE date < DATE '2021-01-01'`], names: key(archived('3m')), rollback: 'archive' },
  { made: 'archive/archive', what: 'the archive dataset is dropped with every copy', apply: ['DROP SCHEMA archive CASCADE'], names: key(archived('12m')), rollback: 'shims' },
  { made: 'targets/create-targets', what: 'a new table is dropped', apply: [`DROP TABLE ${key(target('6m'))}`], names: key(target('6m')), rollback: 'targets' },
  { made: 'targets/create-targets', what: 'the training dataset is dropped', apply: ['DROP SCHEMA training CASCADE'], names: key(target('1w')), rollback: 'targets' },
  { made: 'shims/shim-views', what: 'a shim view is dropped', apply: [`DROP VIEW ${key(legacy('1w'))}`], names: key(legacy('1w')), rollback: 'shims' },
  { made: 'shims/shim-views', what: 'a shim view is replaced by a table', apply: [`DROP VIEW ${key(legacy('12m'))}`, `CREATE TABLE ${key(legacy('12m'))} AS SELECT 1 AS x`], names: key(legacy('12m')), rollback: 'shims' },
  { made: 'every step', what: 'the warehouse file is deleted', apply: 'delete-file', names: key(archived('1m')), rollback: 'shims' },
];

describe('fault matrix: what a step made, removed or altered, is reported by every command, and nothing is lost', () => {
  let ws: Workspace;
  const dirs: string[] = [];
  before(async () => {
    ws = await makeWorkspace();
    const r = await cli(ws.dir, ['run', '--all', '--yes']);
    assert.equal(r.code, 0, r.err + r.out);
  });
  after(() => {
    ws.cleanup();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('the clean migration has no drift: status, validate and plan exit 0', async () => {
    for (const args of [['status'], ['validate'], ['plan']]) {
      const r = await cli(ws.dir, args);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
    }
  });

  it('every step that makes something is in the ledger; the steps that make nothing are not', () => {
    const ledger = buildLedger(ws.load(), readJournal(ws.dir), 'local');
    const makers = new Set([...ledger.values()].map((o) => `${o.phase}/${o.step}`));
    // verify-datasets confirms what create-datasets made; validate and drop-shims (inside the grace period) make nothing.
    assert.deepEqual([...makers].sort(), ['archive/archive', 'datasets/create-datasets', 'shims/shim-views', 'targets/create-targets']);
    for (const h of ['1w', '1m', '3m', '6m', '12m']) {
      assert.ok((ledger.get(key(archived(h)))?.rows ?? 0) > 0, `${h}: the archive copy's verified rows`);
      assert.equal(ledger.get(key(target(h)))?.type, 'TABLE');
      assert.equal(ledger.get(key(legacy(h)))?.type, 'VIEW');
    }
  });

  for (const fault of FAULTS) {
    it(`${fault.made}: ${fault.what} — every command names ${fault.names}, exits ≠ 0, changes nothing`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bqm-fault-'));
      dirs.push(dir);
      fs.cpSync(ws.dir, dir, { recursive: true });
      const loaded = loadManifestOrThrow(path.join(dir, 'bqmigrate.json'));
      if (fault.apply === 'delete-file') fs.rmSync(path.join(dir, '.bqmigrate', 'local.duckdb'));
      else {
        const wh = await openWarehouse({ backend: 'local', loaded });
        try {
          for (const sql of fault.apply) await wh.query(sql);
        } finally {
          await wh.close();
        }
      }
      const state = async () => {
        const wh = await openWarehouse({ backend: 'local', loaded });
        try {
          return await warehouseState(wh, { unreadable: true });
        } finally {
          await wh.close();
        }
      };
      const before = await state();
      const journal = fs.readFileSync(path.join(dir, '.bqmigrate', 'journal.jsonl'), 'utf8');
      const manifest = fs.readFileSync(path.join(dir, 'bqmigrate.json'), 'utf8');
      const commands = [['status'], ['validate'], ['plan', '--phase', fault.rollback, '--rollback'], ['run', '--all', '--yes'], ['run', '--resume', '--yes'], ['rollback', '--phase', fault.rollback, '--yes']];
      for (const args of commands) {
        const r = await cli(dir, args);
        assert.notEqual(r.code, 0, `${args.join(' ')} exited 0:\n${r.out}\n${r.err}`);
        assert.ok(`${r.out}\n${r.err}`.includes(fault.names), `${args.join(' ')} does not name ${fault.names}:\n${r.out}\n${r.err}`);
      }
      assert.deepEqual(await state(), before, 'the refusing commands changed the warehouse');
      assert.equal(fs.readFileSync(path.join(dir, '.bqmigrate', 'journal.jsonl'), 'utf8'), journal, 'the refusing commands wrote to the journal');
      assert.equal(fs.readFileSync(path.join(dir, 'bqmigrate.json'), 'utf8'), manifest, 'the refusing commands changed the manifest');
    });
  }

  it('run --reconcile records what is gone in the journal and plans from what exists: a dropped new table is rebuilt', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bqm-fault-'));
    dirs.push(dir);
    fs.cpSync(ws.dir, dir, { recursive: true });
    const loaded = loadManifestOrThrow(path.join(dir, 'bqmigrate.json'));
    let wh = await openWarehouse({ backend: 'local', loaded });
    await wh.query(`DROP TABLE ${key(target('6m'))}`);
    await wh.close();
    const r = await cli(dir, ['run', '--all', '--yes', '--reconcile']);
    assert.equal(r.code, 0, r.err + r.out);
    assert.match(r.out, /reconciled: 1 object\(s\) the journal recorded are gone/);
    const reconcile = readJournal(dir).filter((e) => e.event === 'reconcile');
    assert.deepEqual(reconcile.map((e) => e.details?.forgotten), [[key(target('6m'))]]);
    wh = await openWarehouse({ backend: 'local', loaded });
    try {
      assert.equal((await wh.getTable(target('6m')))?.type, 'TABLE', 'rebuilt from the archive copy');
    } finally {
      await wh.close();
    }
    for (const args of [['status'], ['validate']]) assert.equal((await cli(dir, args)).code, 0, args.join(' '));
  });

  it('rollback --partial restores what it can, keeps the mapping status, and still exits 1 naming what it could not', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bqm-fault-'));
    dirs.push(dir);
    fs.cpSync(ws.dir, dir, { recursive: true });
    const loaded = loadManifestOrThrow(path.join(dir, 'bqmigrate.json'));
    let wh = await openWarehouse({ backend: 'local', loaded });
    await wh.query(`DROP TABLE ${key(archived('1m'))}`);
    await wh.close();
    // Reconciled, the drift is accepted; the shim with no archive copy still blocks a whole rollback.
    const blocked = await cli(dir, ['rollback', '--phase', 'shims', '--yes', '--reconcile']);
    assert.equal(blocked.code, 1);
    assert.match(blocked.err, /cannot restore models_v4\.production_training_data_1m: it is a shim view over training\.zl_training_prod_allhistory_1m and its archive copy archive\.legacy_20251114__models_v4__production_training_data_1m is missing/);
    assert.match(blocked.err, /nothing was changed/);
    const plan = await cli(dir, ['plan', '--phase', 'shims', '--rollback']);
    assert.equal(plan.code, 1);
    assert.match(plan.out, /BLOCKED: cannot restore models_v4\.production_training_data_1m/);
    const partial = await cli(dir, ['rollback', '--phase', 'shims', '--yes', '--reconcile', '--partial']);
    assert.equal(partial.code, 1, partial.out);
    assert.match(partial.err, /restored what could be restored; could not: .*production_training_data_1m/);
    wh = await openWarehouse({ backend: 'local', loaded });
    try {
      for (const h of ['1w', '3m', '6m', '12m']) assert.equal((await wh.getTable(legacy(h)))?.type, 'TABLE', `${h} restored`);
      assert.equal((await wh.getTable(legacy('1m')))?.type, 'VIEW', '1m left as it was');
    } finally {
      await wh.close();
    }
    assert.match(fs.readFileSync(path.join(dir, 'bqmigrate.json'), 'utf8'), /"status": "shimmed"/, 'the family is not marked rolled back');
    const v = await cli(dir, ['validate']);
    assert.equal(v.code, 1);
    assert.match(v.out, /archive copy archive\.legacy_20251114__models_v4__production_training_data_1m is missing: the journal says bqmigrate shimmed it/);
  });
});
