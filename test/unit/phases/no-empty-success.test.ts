/**
 * Property: over random sequences of commands and faults on the sample workspace, no command
 * exits 0 having done nothing it was asked, or claiming success on missing state, and none
 * loses data. The oracle is the test's own model, not bqmigrate's ledger:
 * - an object bqmigrate made (archive.*, training.*, a view on a legacy name) that a fault
 *   removed is "lost" until a `--reconcile` run journals it; while anything is lost, status,
 *   validate, plan, run and rollback without --reconcile exit ≠ 0 and name a lost object;
 * - validate exiting 0 passed at least one check; run exiting 0 left every phase it ran
 *   complete; rollback exiting 0 left the phase rolled back;
 * - a legacy horizon whose rows were in the warehouse (as its table or its archive copy)
 *   still has them after any command.
 * Sequences are drawn from a seeded generator; a failure prints the seed and the sequence.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { phaseStatuses, readJournal } from '../../../src/core/phases/index';
import type { Warehouse } from '../../../src/core/warehouse/types';
import { mulberry32 } from '../../corpus/corpus';
import { archived, cli, HORIZONS, legacy, makeWorkspace, type Workspace } from './helpers';

/** A seeded generator, so a failing sequence can be replayed. */
const generator = mulberry32;

const PHASES = ['datasets', 'archive', 'targets', 'shims', 'validate'];
type Step = { kind: 'cli'; args: string[] } | { kind: 'drop' } | { kind: 'delete-file' };

function draw(rand: () => number): Step {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const r = rand();
  if (r < 0.15) return { kind: 'drop' };
  if (r < 0.18) return { kind: 'delete-file' };
  return {
    kind: 'cli',
    args: pick([
      ['status'],
      ['validate'],
      ['plan'],
      ['run', '--all', '--yes'],
      ['run', '--all', '--yes', '--reconcile'],
      ['run', '--phase', pick(PHASES), '--yes'],
      ['rollback', '--phase', pick(PHASES), '--yes'],
      ['rollback', '--phase', pick(PHASES), '--yes', '--reconcile', '--partial'],
    ]),
  };
}

/** Objects only bqmigrate makes in the sample: archive copies, new tables, views on legacy names. */
async function made(wh: Warehouse): Promise<string[]> {
  const out: string[] = [];
  const datasets = new Set((await wh.listDatasets()).map((d) => d.dataset));
  for (const d of ['archive', 'training', 'models_v4']) {
    if (!datasets.has(d)) continue;
    for (const t of await wh.listTables(d)) if ((d !== 'models_v4' || t.type === 'VIEW') && !t.table.startsWith('_bqm_tmp_')) out.push(`${t.dataset}.${t.table}`);
  }
  return out.sort();
}

/** Horizons whose legacy rows are somewhere: the legacy table, or its archive copy. */
async function holders(wh: Warehouse): Promise<Set<string>> {
  const out = new Set<string>();
  for (const h of HORIZONS) if ((await wh.getTable(legacy(h)))?.type === 'TABLE' || (await wh.getTable(archived(h)))) out.add(h);
  return out;
}

describe('an unseeded workspace: nothing to migrate is not a success', () => {
  let ws: Workspace;
  before(async () => {
    ws = await makeWorkspace((t) => t, { seed: false });
  });
  after(() => ws.cleanup());

  it('validate exits 1 saying nothing was validated; run --all fails at archive naming the missing tables', async () => {
    const v = await cli(ws.dir, ['validate']);
    assert.equal(v.code, 1);
    assert.match(v.out, /0 passed/);
    const run = await cli(ws.dir, ['run', '--all', '--yes']);
    assert.equal(run.code, 1, run.out);
    assert.match(`${run.out}\n${run.err}`, /archive\/archive: none of the 5 mapped table\(s\) is in the warehouse \(models_v4\.production_training_data_1w, /);
    const status = phaseStatuses(ws.load(), readJournal(ws.dir));
    assert.deepEqual(status.map((p) => [p.id, p.state]).slice(0, 3), [['datasets', 'complete'], ['archive', 'failed'], ['targets', 'not-started']]);
    const plan = await cli(ws.dir, ['plan', '--phase', 'archive']);
    assert.equal(plan.code, 1);
    assert.match(plan.out, /BLOCKED: none of the 5 mapped table/);
  });
});

describe('property: no command exits 0 having done nothing asked, or on missing state; nothing is lost', () => {
  let ws: Workspace;
  let template: string;
  before(async () => {
    ws = await makeWorkspace();
    template = `${ws.dir}-template`;
    fs.cpSync(ws.dir, template, { recursive: true });
  });
  after(() => {
    ws.cleanup();
    fs.rmSync(template, { recursive: true, force: true });
  });

  const SEEDS = (process.env.BQMIGRATE_PROPERTY_SEEDS ?? '1,2,3').split(',').map(Number);
  const LENGTH = Number(process.env.BQMIGRATE_PROPERTY_LENGTH ?? 8);
  for (const seed of SEEDS) {
    it(`seed ${seed}: ${LENGTH} random steps from the seeded sample`, async () => {
      fs.rmSync(ws.dir, { recursive: true, force: true });
      fs.cpSync(template, ws.dir, { recursive: true });
      const rand = generator(seed);
      const lost = new Set<string>();
      const log: string[] = [];
      const fail = (why: string) => assert.fail(`seed ${seed}, after:\n  ${log.join('\n  ')}\n${why}`);
      for (let i = 0; i < LENGTH; i++) {
        const step = draw(rand);
        if (step.kind === 'delete-file') {
          const wh = await ws.open();
          for (const o of await made(wh)) lost.add(o);
          await wh.close();
          fs.rmSync(path.join(ws.dir, '.bqmigrate', 'local.duckdb'), { force: true });
          log.push('(fault) delete .bqmigrate/local.duckdb');
          continue;
        }
        if (step.kind === 'drop') {
          const wh = await ws.open();
          try {
            const there = await made(wh);
            if (there.length === 0) continue;
            const victim = there[Math.floor(rand() * there.length)]!;
            const info = await wh.getTable({ dataset: victim.split('.')[0]!, table: victim.split('.')[1]! });
            await wh.query(`DROP ${info?.type === 'VIEW' ? 'VIEW' : 'TABLE'} ${victim}`);
            lost.add(victim);
            log.push(`(fault) drop ${victim}`);
          } finally {
            await wh.close();
          }
          continue;
        }
        let wh = await ws.open();
        const held = await holders(wh);
        await wh.close();
        const reconciles = readJournal(ws.dir).filter((e) => e.event === 'reconcile').length;
        const r = await cli(ws.dir, step.args);
        const said = `${r.out}\n${r.err}`;
        log.push(`bqmigrate ${step.args.join(' ')} → ${r.code}`);
        const reconciled = readJournal(ws.dir).filter((e) => e.event === 'reconcile').length > reconciles;
        if (lost.size && !reconciled && !step.args.includes('--reconcile')) {
          if (r.code === 0) fail(`exit 0 while ${[...lost].join(', ')} ${lost.size === 1 ? 'is' : 'are'} gone:\n${said}`);
          if (![...lost].some((o) => said.includes(o))) fail(`does not name any of ${[...lost].join(', ')}:\n${said}`);
        }
        if (reconciled) lost.clear();
        const [command] = step.args;
        if (r.code === 0 && command === 'validate') {
          const report = JSON.parse(fs.readFileSync(path.join(ws.dir, '.bqmigrate', 'validation-latest.json'), 'utf8')) as { passed: number; failed: number };
          if (report.passed === 0 || report.failed > 0) fail(`validate exited 0 with ${report.passed} passed, ${report.failed} failed`);
        }
        if (r.code === 0 && (command === 'run' || command === 'rollback')) {
          const asked = step.args.includes('--all') ? PHASES.concat('cleanup') : [step.args[step.args.indexOf('--phase') + 1]!];
          const statuses = phaseStatuses(ws.load(), readJournal(ws.dir));
          for (const p of asked) {
            const s = statuses.find((x) => x.id === p)!;
            if (command === 'run' && s.state !== 'complete') fail(`run exited 0 but phase ${p} is ${s.state}`);
            if (command === 'rollback' && !(s.state === 'not-started' && s.rolledBackAt)) fail(`rollback exited 0 but phase ${p} is ${s.state}, not rolled back`);
          }
        }
        wh = await ws.open();
        const still = await holders(wh);
        await wh.close();
        for (const h of held) if (!still.has(h)) fail(`${h}: its legacy rows were in the warehouse before \`${step.args.join(' ')}\` and are gone after it`);
      }
    });
  }
});
