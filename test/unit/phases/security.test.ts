/** Hostile names never reach SQL: rejected at validation with their line:column, and again where SQL is built. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../../src/cli/main';
import { parseManifest } from '../../../src/core/manifest/load';
import { checkPhasesManifest } from '../../../src/core/phases/index';
import { initialManifestText } from '../../../src/core/phases/init';
import { archiveCopySql, countSql } from '../../../src/core/phases/sql';
import { bigQueryDialect, duckDbDialect } from '../../../src/core/warehouse/index';

function positionOf(text: string, needle: string): { line: number; column: number } {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `${needle} not in the text`);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

function withPhaseStep(step: string): string {
  return initialManifestText().replace('"phases": [', `"phases": [\n    { "id": "evil", "title": "x", "steps": [${step}] },`);
}

describe('hostile names in the manifest', () => {
  it('a step option "x; DROP TABLE y" is rejected at its line:column', () => {
    const text = withPhaseStep('{ "run": "archive", "tables": "x; DROP TABLE y" }');
    const r = parseManifest(text, '/w/bqmigrate.json');
    assert.ok(r.ok);
    const problems = checkPhasesManifest(r.loaded);
    assert.equal(problems.length, 1);
    const at = positionOf(text, '"x; DROP TABLE y"');
    assert.deepEqual({ line: problems[0]!.line, column: problems[0]!.column }, at);
    assert.match(problems[0]!.message, /contains ";"/);
    assert.match(problems[0]!.hint!, /dataset\.table/);
  });

  it('a backtick or a control character in a mapping name is rejected by the schema at its position', () => {
    for (const bad of ['models_v4.t`; DROP TABLE x; --', 'training.a\\u0007b']) {
      const text = initialManifestText().replace('"to": "training.zl_training_prod_allhistory_{horizon}"', `"to": "${bad}"`);
      const r = parseManifest(text, '/w/bqmigrate.json');
      assert.equal(r.ok, false, bad);
      const p = r.problems.find((x) => x.path.join('.') === 'mappings.0.to')!;
      assert.ok(p, JSON.stringify(r.problems));
      assert.deepEqual({ line: p.line, column: p.column }, positionOf(text, `"${bad}"`));
    }
  });

  it('a hostile archive name template or dataset key is rejected by the schema', () => {
    const t1 = initialManifestText().replace('"name": "legacy_{date}__{dataset}__{table}"', '"name": "x`; DROP SCHEMA y"');
    assert.equal(parseManifest(t1, '/w/m.json').ok, false);
    const t2 = initialManifestText().replace('"monitoring": {', '"mon; DROP": {');
    assert.equal(parseManifest(t2, '/w/m.json').ok, false);
  });

  it('SQL files outside the manifest folder, unknown steps and unknown step fields are reported with positions', () => {
    const text = withPhaseStep('{ "sql": "../../etc/passwd" }, { "run": "archiv" }, { "run": "archive", "tabels": "models_v4.x" }');
    const r = parseManifest(text, '/w/bqmigrate.json');
    assert.ok(r.ok);
    const messages = checkPhasesManifest(r.loaded).map((p) => `${p.line}:${p.column} ${p.message}`);
    assert.equal(messages.length, 3, messages.join('\n'));
    assert.match(messages[0]!, /outside the manifest folder/);
    assert.match(messages[1]!, /unknown built-in step "archiv"/);
    assert.match(messages[2]!, /unknown field "tabels" for an archive step/);
    const at = positionOf(text, '"../../etc/passwd"');
    assert.ok(messages[0]!.startsWith(`${at.line}:${at.column} `));
  });

  it('step options are parsed by each step\'s schema: a wrong type is reported at the field with what the step takes', () => {
    const text = withPhaseStep('{ "run": "inventory", "merge": "yes", "datasets": "models_v4" }, { "run": "archive", "tables": 5 }, { "run": "repoint-definitions", "includeDisabled": 1 }, { "run": "verify-datasets", "tables": "x.y" }');
    const r = parseManifest(text, '/w/bqmigrate.json');
    assert.ok(r.ok);
    const problems = checkPhasesManifest(r.loaded);
    const messages = problems.map((p) => `${p.line}:${p.column} ${p.message} | ${p.hint ?? ''}`);
    assert.equal(messages.length, 5, messages.join('\n'));
    const at = (needle: string) => positionOf(text, needle);
    const find = (re: RegExp) => problems.find((p) => re.test(p.message));
    const merge = find(/\.merge: /)!;
    assert.match(merge.message, /expected boolean/i);
    assert.deepEqual({ line: merge.line, column: merge.column }, at('"yes"'));
    assert.match(merge.hint ?? '', /out, merge, datasets/);
    assert.match(find(/\.datasets: /)!.message, /expected array/i);
    assert.ok(find(/\.tables: /), messages.join('\n'));
    assert.match(find(/\.includeDisabled: /)!.message, /expected boolean/i);
    assert.match(find(/unknown field "tables" for a verify-datasets step/)!.hint ?? '', /takes no options/);
  });

  it('the CLI refuses to plan or run a hostile manifest: exit 2, file:line:column, no warehouse opened', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bqm-sec-'));
    try {
      const text = withPhaseStep('{ "run": "shim-views", "tables": ["models_v4.ok", "models_v4.t\\u0000x"] }');
      fs.writeFileSync(path.join(dir, 'bqmigrate.json'), text);
      for (const args of [['plan'], ['run', '--all', '--yes'], ['rollback', '--phase', 'evil', '--yes']]) {
        let err = '';
        const io = { stdout: { write: () => true } as never, stderr: { write: (s: string) => ((err += s), true) } as never, cwd: dir, env: {} };
        assert.equal(await main(args, io), 2, args.join(' '));
        assert.match(err, new RegExp(`bqmigrate\\.json:${positionOf(text, '"models_v4.t\\u0000x"').line}:\\d+: .*U\\+0000`));
      }
      assert.equal(fs.existsSync(path.join(dir, '.bqmigrate')), false, 'no warehouse or journal was created');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('identifiers at SQL-building time', () => {
  const local = { kind: 'local' as const, project: 'cbi-v14', dialect: duckDbDialect };
  const bq = { kind: 'bigquery' as const, project: 'cbi-v14', dialect: bigQueryDialect('cbi-v14') };

  it('refuses to build SQL around a hostile table id even if one got past validation', () => {
    assert.throws(() => countSql(local, { dataset: 'models_v4', table: 'x"; DROP TABLE y; --' }), /DROP TABLE y|contains/);
    assert.throws(() => countSql(bq, { dataset: 'a`b', table: 't' }), /contains "`"/);
  });

  it('quotes every identifier and escapes literals in both dialects', () => {
    const sql = archiveCopySql(bq, { dataset: 'models_v4', table: 'production_training_data_1m' }, { dataset: 'archive', table: 'legacy_x' }, '20251114', "v'1");
    assert.match(sql, /FROM `cbi-v14\.models_v4\.production_training_data_1m`/);
    assert.match(sql, /'v\\'1' AS `migration_version`/);
    const duck = archiveCopySql(local, { dataset: 'models_v4', table: 'production_training_data_1m' }, { dataset: 'archive', table: 'legacy_x' }, '20251114', "v'1");
    assert.match(duck, /FROM "models_v4"\."production_training_data_1m"/);
    assert.match(duck, /'v''1' AS "migration_version"/);
  });
});
