import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IdentifierError, bigQueryDialect, bigQueryLiteral, duckDbDialect, parseTableId, validateIdentifier } from '../../../src/core/warehouse/identifiers';
import { bigQueryToDuckDb } from '../../../src/core/warehouse/translate';

describe('validateIdentifier', () => {
  it('accepts the names the migration uses', () => {
    assert.equal(validateIdentifier('project', 'cbi-v14'), undefined);
    assert.equal(validateIdentifier('dataset', 'models_v4'), undefined);
    assert.equal(validateIdentifier('table', 'zl_training_prod_allhistory_1m'), undefined);
    assert.equal(validateIdentifier('table', 'legacy_20251114__models_v4__production_training_data_1m'), undefined);
    assert.equal(validateIdentifier('column', 'archived_date'), undefined);
  });

  it('rejects a statement smuggled into a table name, naming the character and position', () => {
    const msg = validateIdentifier('table', 'x; DROP TABLE y');
    assert.match(msg!, /";" \(U\+003B\) at position 2/);
    assert.match(msg!, /only letters, marks, numbers, underscores, dashes and spaces/);
  });

  it('rejects backticks, quotes and dots in every kind', () => {
    for (const kind of ['dataset', 'table', 'column'] as const) {
      assert.match(validateIdentifier(kind, 'a`b')!, /"`" \(U\+0060\)/);
      assert.ok(validateIdentifier(kind, "a'b"));
      assert.ok(validateIdentifier(kind, 'a"b'));
      assert.ok(validateIdentifier(kind, 'a.b'));
    }
    assert.ok(validateIdentifier('project', 'cbi`v14'));
  });

  it('rejects control characters and shows them as code points', () => {
    assert.match(validateIdentifier('dataset', 'models\nv4')!, /U\+000A at position 7/);
    assert.match(validateIdentifier('table', 'a\u0000b')!, /U\+0000/);
    assert.match(validateIdentifier('column', 'a\u007fb')!, /U\+007F/);
  });

  it('applies BigQuery length and shape rules', () => {
    assert.match(validateIdentifier('project', 'ab')!, /not a valid project id/);
    assert.match(validateIdentifier('project', 'Cbi-v14')!, /"C"/);
    assert.match(validateIdentifier('dataset', 'd'.repeat(1025))!, /longer than 1,024/);
    assert.match(validateIdentifier('column', '1col')!, /starts with a digit/);
    assert.match(validateIdentifier('column', '_PARTITIONTIME')!, /reserved prefix _PARTITION/);
    assert.match(validateIdentifier('table', '')!, /empty table name/);
    assert.equal(validateIdentifier('table', 'données-2024 v2'), undefined, 'BigQuery allows Unicode letters, dashes and spaces in table names');
  });
});

describe('dialects', () => {
  it('always backtick-quotes on BigQuery and double-quotes on DuckDB', () => {
    const bq = bigQueryDialect('cbi-v14');
    assert.equal(bq.table({ dataset: 'models_v4', table: 'production_training_data_1m' }), '`cbi-v14.models_v4.production_training_data_1m`');
    assert.equal(bq.ident('date'), '`date`');
    assert.equal(duckDbDialect.table({ dataset: 'models_v4', table: 't' }), '"models_v4"."t"');
    assert.equal(duckDbDialect.ident('date'), '"date"');
  });

  it('refuses to quote a hostile name instead of escaping it', () => {
    const bq = bigQueryDialect('cbi-v14');
    assert.throws(() => bq.table({ dataset: 'models_v4', table: 'x`; DROP TABLE y; --' }), IdentifierError);
    assert.throws(() => duckDbDialect.table({ dataset: 'a"b', table: 't' }), /dataset name "a\\"b" contains/);
    assert.throws(() => bq.ident('a`b'), IdentifierError);
  });

  it('escapes string literals so quotes and newlines stay inside them', () => {
    assert.equal(bigQueryLiteral("it's\n\\"), "'it\\'s\\n\\\\'");
    assert.equal(duckDbDialect.literal("it's"), "'it''s'");
  });

  it('parses dataset.table and project.dataset.table, validating each part', () => {
    assert.deepEqual(parseTableId('models_v4.t'), { dataset: 'models_v4', table: 't' });
    assert.deepEqual(parseTableId('cbi-v14.models_v4.t'), { project: 'cbi-v14', dataset: 'models_v4', table: 't' });
    assert.throws(() => parseTableId('models_v4'), /expected "dataset.table"/);
    assert.throws(() => parseTableId('models_v4.x;drop'), /";"/);
  });
});

describe('BigQuery → DuckDB translation', () => {
  it('rewrites quoted names, dropping the project, and leaves strings and comments alone', () => {
    const sql = "SELECT '`cbi-v14.a.b`' AS s -- `c.d`\nFROM `cbi-v14.models_v4.t` JOIN `models_v4`.`u` USING (id)";
    assert.equal(bigQueryToDuckDb(sql, { projects: ['cbi-v14'] }), "SELECT '`cbi-v14.a.b`' AS s -- `c.d`\nFROM \"models_v4\".\"t\" JOIN \"models_v4\".\"u\" USING (id)");
  });

  it('maps types, EXCEPT, SAFE_CAST, CURRENT_TIMESTAMP() and @params', () => {
    assert.equal(
      bigQueryToDuckDb('SELECT * EXCEPT (a), CAST(x AS INT64), SAFE_CAST(y AS FLOAT64), CURRENT_TIMESTAMP() FROM t WHERE d = @day'),
      'SELECT * EXCLUDE (a), CAST(x AS BIGINT), TRY_CAST(y AS DOUBLE), CURRENT_TIMESTAMP FROM t WHERE d = $day',
    );
    assert.equal(bigQueryToDuckDb('SELECT a FROM t EXCEPT DISTINCT SELECT a FROM u'), 'SELECT a FROM t EXCEPT DISTINCT SELECT a FROM u');
  });

  it('drops a 2-part project.dataset prefix only for a known project', () => {
    assert.equal(bigQueryToDuckDb('CREATE SCHEMA IF NOT EXISTS `cbi-v14.training`', { projects: ['cbi-v14'] }), 'CREATE SCHEMA IF NOT EXISTS "training"');
    assert.equal(bigQueryToDuckDb('SELECT * FROM `training.t`', { projects: ['cbi-v14'] }), 'SELECT * FROM "training"."t"');
  });

  it('rewrites STRUCT expressions to struct_pack and leaves STRUCT types alone', () => {
    assert.equal(bigQueryToDuckDb('SELECT STRUCT(a AS x, b + 1 AS y) AS s FROM t'), 'SELECT struct_pack(x := a, y := b + 1) AS s FROM t');
    const typed = 'CREATE TABLE j (refs STRUCT(project_id VARCHAR, "key" VARCHAR, n DECIMAL(38, 9))[])';
    assert.equal(bigQueryToDuckDb(typed), typed);
  });
});
