/** The local warehouse runs BigQuery DDL of definitions and gives back exactly what was written. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bqmigrate, buildOnce } from '../cli/cli-helpers';
import { makeWorkspace, type Workspace } from '../phases/helpers';

describe('definitions on the local warehouse', () => {
  let ws: Workspace;
  before(async () => {
    buildOnce();
    ws = await makeWorkspace();
  });
  after(() => ws.cleanup());

  it('`bqmigrate query "CREATE VIEW …"` creates a view that runs, and pull gives back the text as written', () => {
    const ddl = "CREATE OR REPLACE VIEW `cbi-v14.models_v4.v_q`\nOPTIONS (\n  description = 'made with query'\n)\nAS\nSELECT date -- kept as written\nFROM `cbi-v14.models_v4.production_training_data_1m`\nWHERE date >= '2025-01-01'";
    const create = bqmigrate(['query', ddl, '--yes'], ws.dir); // CREATE OR REPLACE is destructive: it needs --yes
    assert.equal(create.code, 0, create.stderr);
    const rows = bqmigrate(['query', 'SELECT COUNT(*) AS n FROM `cbi-v14.models_v4.v_q`', '--format', 'json'], ws.dir);
    assert.ok(Number(JSON.parse(rows.stdout)[0].n) > 0);
    const js = bqmigrate(['query', 'CREATE FUNCTION models_v4.up(s STRING) RETURNS STRING LANGUAGE js AS r"""return s.toUpperCase();"""'], ws.dir);
    assert.equal(js.code, 0, js.stderr);
    assert.equal(bqmigrate(['definitions', 'pull', '--dataset', 'models_v4'], ws.dir).code, 0);
    assert.equal(fs.readFileSync(path.join(ws.dir, 'warehouse', 'models_v4', 'v_q.sql'), 'utf8'), `${ddl}\n`);
    assert.equal(fs.readFileSync(path.join(ws.dir, 'warehouse', 'models_v4', 'up.sql'), 'utf8'), 'CREATE OR REPLACE FUNCTION `cbi-v14.models_v4.up`(s STRING)\nRETURNS STRING\nLANGUAGE js\nAS r"""return s.toUpperCase();"""\n');
  });

  it('CREATE without OR REPLACE refuses an existing object; DROP removes the view and its kept text', () => {
    const again = bqmigrate(['query', 'CREATE VIEW models_v4.v_q AS SELECT 1 AS x'], ws.dir);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /Already Exists: Table cbi-v14:models_v4\.v_q/);
    assert.equal(bqmigrate(['query', 'DROP VIEW `cbi-v14.models_v4.v_q`'], ws.dir).code, 1, 'DROP without --yes runs nothing');
    assert.equal(bqmigrate(['query', 'DROP VIEW `cbi-v14.models_v4.v_q`', '--yes'], ws.dir).code, 0);
    const pull = bqmigrate(['definitions', 'pull', '--dataset', 'models_v4', '--check'], ws.dir);
    assert.equal(pull.code, 1);
    assert.match(pull.stdout, /not in the warehouse\s+warehouse\/models_v4\/v_q\.sql/);
  });

  it('a hostile name in DDL is refused with the object\'s name', () => {
    const r = bqmigrate(['query', 'CREATE VIEW `cbi-v14.models_v4.x;y` AS SELECT 1 AS a'], ws.dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /VIEW cbi-v14\.models_v4\.x;y: table name "x;y" contains ";"/);
  });
});
