/**
 * Bad input is refused at plan time, before anything runs, with the file's path and line (and the
 * object's name for a hostile one); a check that fails after a change puts the old definition back;
 * drop-shims refuses while a pulled definition still names the shim; an unparseable definition is
 * still pulled as text and linted.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pullDefinitions } from '../../../src/core/definitions/pull';
import { previewPhase, readJournal, runPhases } from '../../../src/core/phases/index';
import { createLinter } from '../../../src/core/lint/linter';
import type { LocalWarehouse } from '../../../src/core/warehouse/local';
import { quiet, type Workspace } from '../phases/helpers';
import { migratedWorkspace, rowsOf } from './helpers';

describe('repoint-definitions refuses bad input at plan time', () => {
  let ws: Workspace;
  let pulled: Record<string, string>;
  const file = (rel: string) => path.join(ws.dir, 'warehouse', rel);
  before(async () => {
    ws = await migratedWorkspace();
    const wh = await ws.open();
    try {
      await pullDefinitions(wh, ws.load());
    } finally {
      await wh.close();
    }
    pulled = Object.fromEntries(['v_base', 'v_regimes', 'v_latest_3m'].map((v) => [v, fs.readFileSync(file(`models_v4/${v}.sql`), 'utf8')]));
  });
  after(() => ws.cleanup());
  const restore = () => {
    for (const [v, text] of Object.entries(pulled)) fs.writeFileSync(file(`models_v4/${v}.sql`), text);
  };

  async function refusal(): Promise<string> {
    const wh = await ws.open();
    try {
      await previewPhase(wh, ws.load(), 'definitions');
    } catch (err) {
      return (err as Error).message;
    } finally {
      await wh.close();
    }
    assert.fail('the plan was not refused');
  }

  it('a file edited into two statements: path and line of the second', async () => {
    fs.writeFileSync(file('models_v4/v_latest_3m.sql'), `${pulled.v_latest_3m!.trimEnd()};\nDROP TABLE \`cbi-v14.training.zl_training_prod_allhistory_3m\`;\n`);
    const msg = await refusal();
    restore();
    assert.match(msg, /refused before anything ran/);
    assert.match(msg, /warehouse\/models_v4\/v_latest_3m\.sql:4:1: only one statement may follow the definition; found "DROP"/);
  });

  it('a file that creates another object, or is not a CREATE at all', async () => {
    fs.writeFileSync(file('models_v4/v_base.sql'), pulled.v_base!.replace('models_v4.v_base`', 'models_v4.v_other`'));
    fs.writeFileSync(file('models_v4/v_regimes.sql'), '-- just a query now\nSELECT 1\n');
    const msg = await refusal();
    restore();
    assert.match(msg, /warehouse\/models_v4\/v_base\.sql:1:24: this file creates cbi-v14\.models_v4\.v_other, but it holds the definition of cbi-v14\.models_v4\.v_base/);
    assert.match(msg, /warehouse\/models_v4\/v_regimes\.sql:2:1: expected a CREATE statement/);
  });

  it('a hostile name: refused with the object\'s name', async () => {
    fs.writeFileSync(file('models_v4/v_base.sql'), pulled.v_base!.replace('models_v4.v_base`', 'models_v4.v_base;DROP`'));
    fs.mkdirSync(file('models_v4'), { recursive: true });
    fs.writeFileSync(file('models_v4/bad\u0007name.sql'), 'CREATE VIEW models_v4.x AS SELECT 1\n');
    const msg = await refusal();
    restore();
    fs.rmSync(file('models_v4/bad\u0007name.sql'));
    assert.match(msg, /v_base\.sql:1:24: this file creates cbi-v14\.models_v4\.v_base;DROP/);
    assert.match(msg, /refusing models_v4\.bad\u0007name: table name "bad\\u0007name" contains U\+0007 at position 4/);
  });

  it('a reference to an object that does not exist, and a cycle', async () => {
    fs.writeFileSync(file('models_v4/v_latest_3m.sql'), pulled.v_latest_3m!.replace('production_training_data_3m', 'no_such_table'));
    fs.writeFileSync(file('models_v4/v_base.sql'), pulled.v_base!.replace("WHERE date >= '2024-01-01'", "WHERE date >= '2024-01-01' AND date IN (SELECT date FROM `cbi-v14.models_v4.v_regimes`)"));
    fs.writeFileSync(file('models_v4/v_regimes.sql'), pulled.v_regimes!.replace('GROUP BY', '-- edited\nGROUP BY'));
    const msg = await refusal();
    restore();
    assert.match(msg, /warehouse\/models_v4\/v_latest_3m\.sql:3:\d+: VIEW models_v4\.v_latest_3m reads models_v4\.no_such_table, which is not in the warehouse/);
    assert.match(msg, /read each other in a cycle.*models_v4\.v_(base|regimes) → models_v4\.v_(regimes|base) → models_v4\.v_(base|regimes)/);
  });

  it('a view whose new definition returns other rows: the old one is put back and the step fails', async () => {
    fs.writeFileSync(file('models_v4/v_base.sql'), pulled.v_base!.replace("'2024-01-01'", "'2024-06-01'"));
    const wh = await ws.open();
    try {
      const rows = await rowsOf(wh, 'models_v4', 'v_base');
      const old = await wh.getDefinition('VIEW', { dataset: 'models_v4', table: 'v_base' });
      const r = await runPhases({ wh, loaded: ws.load(), phases: ['definitions'], yes: true, ...quiet });
      assert.equal(r.status, 'failed');
      assert.match(r.error!, /view models_v4\.v_base: it returns \d+ rows, the old definition \d+; the previous definition was put back and verified/);
      assert.deepEqual(await wh.getDefinition('VIEW', { dataset: 'models_v4', table: 'v_base' }), old);
      assert.equal(await rowsOf(wh, 'models_v4', 'v_base'), rows);
      assert.ok(readJournal(ws.dir).some((e) => e.runId === r.runId && e.event === 'action-note' && (e.details as { backup?: unknown })?.backup));
    } finally {
      await wh.close();
      restore();
      fs.rmSync(path.join(ws.dir, '.bqmigrate', 'journal.jsonl'));
    }
  });

  it('a view whose new definition renames a column: same rows, but the old one is put back and the step fails naming the columns', async () => {
    const edited = pulled.v_latest_3m!.replace('SELECT date, zl_price_current FROM `cbi-v14.models_v4.production_training_data_3m`', 'SELECT date, zl_price_current AS price FROM `cbi-v14.models_v4.production_training_data_3m`');
    assert.notEqual(edited, pulled.v_latest_3m);
    fs.writeFileSync(file('models_v4/v_latest_3m.sql'), edited);
    const wh = await ws.open();
    try {
      const old = await wh.getDefinition('VIEW', { dataset: 'models_v4', table: 'v_latest_3m' });
      const columns = (await wh.getTable({ dataset: 'models_v4', table: 'v_latest_3m' }))!.schema.map((c) => c.name);
      const r = await runPhases({ wh, loaded: ws.load(), phases: ['definitions'], yes: true, ...quiet });
      assert.equal(r.status, 'failed');
      assert.match(r.error!, /view models_v4\.v_latest_3m: its columns change, which breaks what reads it: no longer zl_price_current FLOAT64; now price FLOAT64 \(alias or cast in the file to keep them\); the previous definition was put back and verified/);
      assert.deepEqual(await wh.getDefinition('VIEW', { dataset: 'models_v4', table: 'v_latest_3m' }), old);
      assert.deepEqual((await wh.getTable({ dataset: 'models_v4', table: 'v_latest_3m' }))!.schema.map((c) => c.name), columns);
    } finally {
      await wh.close();
      restore();
      fs.rmSync(path.join(ws.dir, '.bqmigrate', 'journal.jsonl'));
    }
  });

  it('drop-shims refuses while a pulled definition still names the shim', async () => {
    const wh = await ws.open();
    try {
      const shims = await runPhases({ wh, loaded: ws.load(), phases: ['shims'], yes: true, ...quiet });
      assert.equal(shims.status, 'ok', shims.error);
      const later = new Date(Date.now() + 40 * 86_400_000);
      const { plan } = await previewPhase(wh, ws.load(), 'cleanup', { today: later });
      assert.ok(plan.steps[0]!.notes.some((n) => /models_v4\.production_training_data_1m: still named by pulled definitions \(warehouse\/models_v4\/v_base\.sql:8:6/.test(n)), plan.steps[0]!.notes.join('\n'));
      const r = await runPhases({ wh, loaded: ws.load(), phases: ['cleanup'], yes: true, today: later, ...quiet });
      assert.equal(r.status, 'failed');
      // The step stops at its first refusal (actions run in manifest order: 1w before 1m).
      assert.match(r.error!, /refusing to drop models_v4\.production_training_data_1w: pulled definitions still name it \(warehouse\/models_v4\/v_regimes\.sql:5:6\)/);
      assert.equal((await wh.getTable({ dataset: 'models_v4', table: 'production_training_data_1m' }))?.type, 'VIEW', 'the shim is still there');
    } finally {
      await wh.close();
    }
  });

  it('a definition that does not parse is still pulled, as text, and linted as SQL', async () => {
    const wh = (await ws.open()) as LocalWarehouse;
    try {
      // A procedure in BigQuery scripting that bqmigrate's parser reads as text only (an unterminated block).
      await wh.withConnection((c) => c.run(`INSERT INTO bqmigrate_meta.definitions (dataset, name, namespace, kind, arguments, returns, language, body, options, partition_by, cluster_by) VALUES ('models_v4', 'odd', 'routine', 'PROCEDURE', '', NULL, NULL, 'BEGIN\n  SELECT * FROM \`cbi-v14.models_v4.production_training_data_1w\`;\n  IF x THEN', '{}', NULL, NULL)`));
      const r = await pullDefinitions(wh, ws.load());
      assert.deepEqual(r.refused, []);
      const text = fs.readFileSync(file('models_v4/odd.sql'), 'utf8');
      assert.match(text, /^CREATE OR REPLACE PROCEDURE `cbi-v14\.models_v4\.odd`\(\)\nBEGIN\n/);
      const lint = createLinter(ws.load()).lintText(text, file('models_v4/odd.sql'), 'sql');
      // The 1w mapping is shimmed by now (the test before): the shim-reference rule names it.
      assert.ok(lint.violations.some((v) => (v.ruleId === 'legacy-reference' || v.ruleId === 'shim-reference') && /production_training_data_1w/.test(v.message)), JSON.stringify(lint.violations));
    } finally {
      await wh.close();
    }
  });
});
