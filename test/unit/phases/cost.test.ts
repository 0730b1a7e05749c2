/** The cost before it is spent: dry-run pricing in the plan, the budget refusal and per-job caps (local warehouse, CLI). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { billedBytes, statementKind } from '../../../src/core/phases/cost';
import { CAP_HEADROOM, DEFAULT_ON_DEMAND_USD_PER_TIB, OverBudget, previewPhase, priceOf, readJournal, runPhases } from '../../../src/core/phases/index';
import type { QueryOptions, Warehouse } from '../../../src/core/warehouse/types';
import { cli, makeWorkspace, quiet, type Workspace } from './helpers';

const MIB = 2 ** 20;
const TIB = 2 ** 40;
const withManifest = (extra: string) => (text: string) => text.replace('"phases": [', `${extra},\n  "phases": [`);

/** Records every query the run sends, with its options, and passes it on. */
function recording(wh: Warehouse): { wh: Warehouse; jobs: { sql: string; opts: QueryOptions }[] } {
  const jobs: { sql: string; opts: QueryOptions }[] = [];
  const proxy = new Proxy(wh, {
    get(target, prop) {
      if (prop === 'query') return (sql: string, opts: QueryOptions = {}) => (jobs.push({ sql, opts }), target.query(sql, opts));
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { wh: proxy, jobs };
}

describe('cost arithmetic', () => {
  it('bills whole MiB, at least 10 MiB per query that reads anything, nothing for nothing', () => {
    assert.equal(billedBytes(0), 0);
    assert.equal(billedBytes(1), 10 * MIB);
    assert.equal(billedBytes(10 * MIB + 1), 11 * MIB);
    assert.equal(billedBytes(3 * TIB), 3 * TIB);
  });

  it('prices copy jobs, patches, counts and DDL as free, shell commands as unknown, queries (after comments) as queries', () => {
    assert.equal(statementKind('-- copy job: a.b → c.d (free)'), 'copy');
    assert.equal(statementKind('-- tables.patch c.d: labels (free)'), 'metadata');
    assert.equal(statementKind('-- verify: row count equals the source'), 'check');
    assert.equal(statementKind('-- shell: python x.py'), 'shell');
    assert.equal(statementKind('DROP VIEW `a.b`'), 'metadata');
    assert.equal(statementKind('ALTER TABLE `a.b` RENAME TO c'), 'metadata');
    assert.equal(statementKind('CREATE OR REPLACE VIEW `a.b` AS SELECT * FROM `c.d`'), 'metadata');
    assert.equal(statementKind('-- check x (must return zero rows):\nSELECT * FROM t WHERE x IS NULL'), 'query');
    assert.equal(statementKind('-- nothing but a note'), 'note');
    assert.equal(statementKind('CREATE OR REPLACE TABLE `a.b` AS SELECT * FROM `c.d`'), 'query');
  });
});

describe('plan prices every step; run refuses over budget', () => {
  let ws: Workspace;
  before(async () => {
    ws = await makeWorkspace(withManifest('"pricing": { "onDemandUsdPerTiB": 5 },\n  "budget": { "maxBytesBilled": 41943040 }'));
  });
  after(() => ws.cleanup());

  it('uses the manifest price, or says which default it uses', async () => {
    assert.deepEqual({ ...priceOf(ws.load()), note: undefined }, { usdPerTiB: 5, source: 'manifest', note: undefined });
    const fresh = await makeWorkspace(undefined, { seed: false });
    try {
      const p = priceOf(fresh.load());
      assert.equal(p.usdPerTiB, DEFAULT_ON_DEMAND_USD_PER_TIB);
      assert.equal(p.source, 'default');
      assert.match(p.note, /on-demand list price/);
    } finally {
      fresh.cleanup();
    }
  });

  it('previewPhase prices the archive by dry run and the targets as free copy jobs', async () => {
    const wh = await ws.open();
    try {
      const archive = await previewPhase(wh, ws.load(), 'archive');
      const step = archive.cost.steps[0]!;
      assert.equal(step.actions.length, 5, 'five horizons');
      for (const a of step.actions) {
        assert.ok(a.processed > 0, `${a.action} reads its legacy table`);
        assert.equal(a.billed, billedBytes(a.processed), 'one query per archive, rounded as BigQuery bills');
        assert.ok(Math.abs(a.usd - (a.billed / TIB) * 5) < 1e-12);
        assert.equal(a.unknown, 0, 'a CREATE TABLE into a dataset not made yet is priced by its SELECT');
      }
      assert.equal(archive.cost.billed, 5 * 10 * MIB);
      assert.match(String(archive.bytes.get(`${step.step}/${step.actions[0]!.action}`)), /processed, 10\.0 MiB billed, <\$0\.01$/);
      const targets = await previewPhase(wh, ws.load(), 'targets');
      assert.equal(targets.cost.billed, 0);
      assert.ok(targets.cost.steps[0]!.actions.every((a) => a.statements.some((s) => s.kind === 'copy') && a.billed === 0));
    } finally {
      await wh.close();
    }
  });

  it('refuses a run whose plan bills more than budget.maxBytesBilled, naming the costliest steps; nothing runs', async () => {
    const wh = await ws.open();
    try {
      await assert.rejects(runPhases({ wh, loaded: ws.load(), phases: ['datasets', 'archive', 'targets'], yes: true, ...quiet }), (e: unknown) => {
        assert.ok(e instanceof OverBudget);
        assert.equal(e.cost.billed, 50 * MIB);
        assert.equal(e.cost.budget?.over, true);
        assert.match(e.message, /^the plan would bill 50\.0 MiB \(<\$0\.01\), over budget\.maxBytesBilled 40\.0 MiB; costliest: archive\/archive 50\.0 MiB/);
        return true;
      });
    } finally {
      await wh.close();
    }
  });

  it('the CLI: plan shows the total and the budget; run exits 2 over budget, runs with --over-budget and caps every job', async () => {
    const plan = await cli(ws.dir, ['plan', '--phase', 'archive']);
    assert.equal(plan.code, 0, plan.err);
    assert.match(plan.out, /archive\/archive\s+[\d.]+ (?:KiB|MiB) processed, 50\.0 MiB billed, <\$0\.01/);
    assert.match(plan.out, /at \$5 per TiB \(pricing\.onDemandUsdPerTiB in the manifest\)/);
    assert.match(plan.out, /budget\.maxBytesBilled 40\.0 MiB: OVER BUDGET/);
    assert.match(plan.err, /over budget/);

    const refused = await cli(ws.dir, ['run', '--phase', 'datasets', '--yes']);
    assert.equal(refused.code, 0, `datasets alone is free: ${refused.err}`);
    const over = await cli(ws.dir, ['run', '--phase', 'archive', '--yes']);
    assert.equal(over.code, 2, over.err);
    assert.match(over.err, /nothing ran: the plan would bill 50\.0 MiB .*over budget\.maxBytesBilled 40\.0 MiB; costliest: archive\/archive 50\.0 MiB/);
    assert.match(over.err, /--over-budget/);
    assert.equal(readJournal(ws.dir).filter((e) => e.phase === 'archive').length, 0, 'nothing of the archive phase ran');
    assert.equal(readJournal(ws.dir).filter((e) => e.event === 'run-start').length, 1, 'only the datasets run started');

    const wh = await ws.open();
    const rec = recording(wh);
    try {
      const r = await runPhases({ wh: rec.wh, loaded: ws.load(), phases: ['archive'], yes: true, overBudget: true, ...quiet });
      assert.equal(r.status, 'ok', r.error);
    } finally {
      await wh.close();
    }
    const creates = rec.jobs.filter((j) => !j.opts.dryRun && /^CREATE OR REPLACE TABLE/.test(j.sql));
    assert.equal(creates.length, 5);
    for (const j of creates) assert.equal(j.opts.maximumBytesBilled, Math.max(10 * MIB, Math.ceil((10 * MIB * CAP_HEADROOM) / MIB) * MIB), 'the estimate with headroom');
    const start = readJournal(ws.dir).find((e) => e.event === 'run-start' && e.details?.overBudget === true);
    assert.equal(start?.details?.estimatedBytesBilled, 50 * MIB, 'the journal keeps what the run was estimated to bill');
  });
});
