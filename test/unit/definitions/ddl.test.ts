/** The DDL of views, materialized views and routines: parse what BigQuery accepts, render one canonical statement, round-trip exactly. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { normalizeSignature, parseDefinitionStatement, parseDropStatement, renderDefinition, sameDefinition, splitScript } from '../../../src/core/definitions/ddl';
import { formatFileProblem, readDefinitionFile } from '../../../src/core/definitions/files';
import { stringValue } from '../../../src/core/definitions/tokens';
import { bigQueryLiteral } from '../../../src/core/warehouse/identifiers';
import type { Definition } from '../../../src/core/warehouse/types';

function parse(text: string) {
  const r = parseDefinitionStatement(text);
  if (!r.ok) assert.fail(`expected to parse, got ${r.problem.message} at ${r.problem.offset}`);
  return r.parsed;
}

/** Each statement is refused with a message matching its pattern, at the offset where `at` stands. */
function assertRefused(cases: readonly [string, RegExp, string][]): void {
  for (const [text, message, at] of cases) {
    const r = parseDefinitionStatement(text);
    assert.equal(r.ok, false, text);
    if (r.ok) continue;
    assert.match(r.problem.message, message, text);
    assert.equal(text.slice(r.problem.offset, r.problem.offset + at.length), at, `${text}: offset ${r.problem.offset}`);
  }
}

describe('parseDefinitionStatement', () => {
  it('reads a view with options, keeping the query exactly as written (comments too)', () => {
    const text = "-- a leading comment\nCREATE OR REPLACE VIEW `cbi-v14.models_v4.v_recent`\nOPTIONS(description=\"Recent \\\"rows\\\"\", friendly_name='Recent', labels=[(\"team\", \"data\"), ('tier','gold')])\nAS\nSELECT date -- the day\nFROM `cbi-v14.models_v4.production_training_data_1m`  \n  -- trailing note\n;\n";
    const p = parse(text);
    assert.equal(p.replace, true);
    assert.deepEqual(p.nameParts, ['cbi-v14', 'models_v4', 'v_recent']);
    assert.equal(p.definition.kind, 'VIEW');
    assert.equal(p.definition.body, 'SELECT date -- the day\nFROM `cbi-v14.models_v4.production_training_data_1m`  \n  -- trailing note');
    assert.deepEqual(p.definition.options, { description: 'Recent "rows"', friendlyName: 'Recent', labels: { team: 'data', tier: 'gold' } });
    assert.equal(text.slice(p.nameAt, p.nameAt + 1), '`');
  });

  it('reads every routine kind: SQL and JavaScript functions, table functions, procedures', () => {
    const fn = parse('CREATE FUNCTION models_v4.plus(x INT64, y ARRAY<STRUCT<a INT64, b STRING>>) RETURNS INT64 OPTIONS (description = "adds") AS ((x + 1) * IF(y IS NULL, 1, 2))').definition;
    assert.equal(fn.kind, 'FUNCTION');
    assert.equal(fn.arguments, 'x INT64, y ARRAY<STRUCT<a INT64, b STRING>>');
    assert.equal(fn.returns, 'INT64');
    assert.equal(fn.body, '(x + 1) * IF(y IS NULL, 1, 2)');
    const js = parse('CREATE OR REPLACE FUNCTION `p-roject.d.f`(s STRING) RETURNS STRING LANGUAGE js OPTIONS (library = ["gs://b/lib.js"]) AS r"""\n  return s + ";";\n"""').definition;
    assert.equal(js.language, 'js');
    assert.equal(js.body, '\n  return s + ";";\n');
    assert.deepEqual(js.options.library, ['gs://b/lib.js']);
    const tvf = parse('CREATE TABLE FUNCTION d.since(x DATE) AS SELECT * FROM `p.d.t` WHERE date >= x').definition;
    assert.equal(tvf.kind, 'TABLE_FUNCTION');
    assert.equal(tvf.body, 'SELECT * FROM `p.d.t` WHERE date >= x');
    const proc = parse('CREATE PROCEDURE d.refresh(IN n INT64, OUT m INT64)\nBEGIN\n  DECLARE x INT64 DEFAULT 0;\n  IF n > 0 THEN SET x = 1; END IF;\n  SET m = CASE WHEN x = 1 THEN 2 ELSE 3 END;\nEND;').definition;
    assert.equal(proc.kind, 'PROCEDURE');
    assert.equal(proc.arguments, 'IN n INT64, OUT m INT64');
    assert.equal(proc.body, 'BEGIN\n  DECLARE x INT64 DEFAULT 0;\n  IF n > 0 THEN SET x = 1; END IF;\n  SET m = CASE WHEN x = 1 THEN 2 ELSE 3 END;\nEND');
    const mv = parse('CREATE MATERIALIZED VIEW d.mv PARTITION BY date CLUSTER BY a, b OPTIONS (enable_refresh = true, refresh_interval_minutes = 30) AS SELECT date, a, b, COUNT(*) AS n FROM d.t GROUP BY 1, 2, 3').definition;
    assert.equal(mv.kind, 'MATERIALIZED_VIEW');
    assert.equal(mv.partitionBy, 'date');
    assert.equal(mv.clusterBy, 'a, b');
    assert.deepEqual(mv.options, { enableRefresh: true, refreshIntervalMinutes: 30 });
  });

  it('says where a text is not one CREATE of a definition', () => {
    const cases: [string, RegExp, string][] = [
      ['SELECT 1', /expected a CREATE statement/, 'SELECT'],
      ['CREATE TABLE d.t AS SELECT 1', /expected VIEW, MATERIALIZED VIEW, FUNCTION/, 'TABLE'],
      ['CREATE VIEW v AS SELECT 1', /dataset\.name/, 'v'],
      ['CREATE VIEW d.v AS SELECT 1;\nDROP TABLE d.t', /only one statement/, 'DROP'],
      ['CREATE VIEW d.v OPTIONS (kms_key_name = "k") AS SELECT 1', /kms_key_name is not one bqmigrate reads back/, 'kms_key_name'],
      ['CREATE FUNCTION d.f(x INT64) AS x + 1', /expression in parentheses/, 'x'],
      ['CREATE PROCEDURE d.p() BEGIN SELECT 1;', /no matching END/, 'BEGIN'],
      ['CREATE TEMP FUNCTION f() AS (1)', /temporary/, 'TEMP'],
    ];
    assertRefused(cases);
  });

  it('reads a view column list with descriptions (quoted names, NULL, comments between)', () => {
    const p = parse("CREATE OR REPLACE VIEW d.v (a OPTIONS(description=\"price in USD\"), `b` /* no description */, c OPTIONS (DESCRIPTION = NULL), d OPTIONS())\nOPTIONS(description = 'the view') AS SELECT 1, 2, 3, 4");
    assert.deepEqual(p.definition.columns, [{ name: 'a', description: 'price in USD' }, { name: 'b' }, { name: 'c' }, { name: 'd' }]);
    assert.deepEqual(p.definition.options, { description: 'the view' });
    assert.equal(p.definition.body, 'SELECT 1, 2, 3, 4');
  });

  it('says where a view column list is malformed', () => {
    const cases: [string, RegExp, string][] = [
      ['CREATE VIEW d.v (a, ) AS SELECT 1', /expected a column name in the view's column list, found "\)"/, ')'],
      ['CREATE VIEW d.v () AS SELECT 1', /expected a column name/, ')'],
      ['CREATE VIEW d.v (a b) AS SELECT 1', /expected "," or "\)" in the column list, found "b"/, 'b'],
      ['CREATE VIEW d.v (a OPTIONS(description = 1)) AS SELECT 1', /a column description must be a string literal, found "1"/, '1'],
      ['CREATE VIEW d.v (a OPTIONS(policy_tags = "x")) AS SELECT 1', /option policy_tags is not one a view column takes \(description\)/, 'policy_tags'],
      ['CREATE VIEW d.v (a OPTIONS(description "x")) AS SELECT 1', /expected "=" after description/, '"x"'],
      ['CREATE VIEW d.v (a, A) AS SELECT 1', /column A is named twice/, 'A'],
      ['CREATE VIEW d.v (`a-b`) AS SELECT 1', /column name "a-b" contains "-"/, '`a-b`'],
      ['CREATE VIEW d.v (a, b', /never closed/, '('],
      ['CREATE MATERIALIZED VIEW d.mv (a) AS SELECT 1 AS a', /CREATE MATERIALIZED VIEW takes no column list/, '('],
    ];
    assertRefused(cases);
  });

  it('reports a malformed column list in a file at its line and column', () => {
    const text = '-- bqmigrate-disable-next-line legacy-reference -- x\nCREATE OR REPLACE VIEW `cbi-v14.d.v` (\n  `a` OPTIONS (description = \'ok\'),\n  `b` OPTIONS (description = \'ok\')\n  `c`\n)\nAS\nSELECT 1, 2, 3';
    const r = readDefinitionFile('warehouse/d/v.sql', text, { dataset: 'd', name: 'v', project: 'cbi-v14' });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(formatFileProblem(r.problem).split(' — ')[0], 'warehouse/d/v.sql:5:3: expected "," or ")" in the column list, found "`c`"');
  });

  it('reads DROP of a definition and nothing else', () => {
    assert.deepEqual(parseDropStatement('DROP VIEW IF EXISTS `p.d.v`'), { kind: 'VIEW', parts: ['p', 'd', 'v'], ifExists: true });
    assert.deepEqual(parseDropStatement('drop table function d.f;'), { kind: 'TABLE_FUNCTION', parts: ['d', 'f'], ifExists: false });
    assert.equal(parseDropStatement('DROP TABLE d.t'), undefined);
  });
});

describe('splitScript', () => {
  it('splits on ; outside strings and comments, and keeps a procedure body whole', () => {
    const parts = splitScript("SELECT ';' AS a; -- x;\nCREATE PROCEDURE d.p() BEGIN SELECT 1; SELECT 2; END;\nSELECT 3");
    assert.deepEqual(parts.map((p) => p.text), ["SELECT ';' AS a", '-- x;\nCREATE PROCEDURE d.p() BEGIN SELECT 1; SELECT 2; END', 'SELECT 3']);
  });
});

describe('renderDefinition', () => {
  it('renders a view column list, one column a line, and reads it back the same', () => {
    const def: Definition = { kind: 'VIEW', dataset: 'd', name: 'v', columns: [{ name: 'a', description: "price in USD, it's \"net\"" }, { name: 'from' }], body: 'SELECT 1 AS x, 2 AS y', options: {} };
    const text = renderDefinition(def, 'cbi-v14');
    assert.equal(text, "CREATE OR REPLACE VIEW `cbi-v14.d.v` (\n  `a` OPTIONS (description = 'price in USD, it\\'s \"net\"'),\n  `from`\n)\nAS\nSELECT 1 AS x, 2 AS y");
    const back = parse(text).definition;
    assert.deepEqual(back.columns, def.columns);
    assert.ok(sameDefinition(back, def));
    assert.equal(renderDefinition(back, 'cbi-v14'), text);
  });

  it('compares column lists as BigQuery keeps them: names and descriptions count, a list without descriptions is still a list', () => {
    const base: Definition = { kind: 'VIEW', dataset: 'd', name: 'v', body: 'SELECT 1 AS a, 2 AS b', options: {} };
    // BigQuery marks a view created with a list useExplicitColumnNames and keeps the names: a renaming list is no list's equal.
    assert.ok(!sameDefinition(base, { ...base, columns: [{ name: 'a' }, { name: 'b' }] }));
    assert.ok(!sameDefinition({ ...base, columns: [{ name: 'x' }, { name: 'y' }] }, { ...base, columns: [{ name: 'a' }, { name: 'b' }] }));
    assert.ok(sameDefinition({ ...base, columns: [{ name: 'x' }, { name: 'y' }] }, { ...base, columns: [{ name: 'x' }, { name: 'y' }], explicitColumnNames: true }));
    assert.equal(renderDefinition({ ...base, columns: [{ name: 'x' }, { name: 'y' }] }, 'cbi-v14').split('\n').slice(0, 4).join('\n'), 'CREATE OR REPLACE VIEW `cbi-v14.d.v` (\n  `x`,\n  `y`\n)', 'a list without descriptions is rendered');
    assert.ok(!sameDefinition(base, { ...base, columns: [{ name: 'a', description: 'x' }, { name: 'b' }] }));
    assert.ok(!sameDefinition({ ...base, columns: [{ name: 'a', description: 'x' }, { name: 'b' }] }, { ...base, columns: [{ name: 'a', description: 'y' }, { name: 'b' }] }));
    assert.ok(sameDefinition({ ...base, columns: [{ name: 'a', description: 'x' }, { name: 'b' }] }, { ...base, columns: [{ name: 'a', description: 'x' }, { name: 'b' }] }));
    assert.equal(renderDefinition(base, 'cbi-v14').split('\n')[0], 'CREATE OR REPLACE VIEW `cbi-v14.d.v`', 'no list, no parentheses');
  });

  it('renders the canonical statement that parses back to the same definition', () => {
    const def: Definition = { kind: 'VIEW', dataset: 'models_v4', name: 'v', body: "SELECT 'a\\'' AS x -- c", options: { description: "it's\nmultiline", labels: { b: '2', a: '1' }, expirationTimestamp: '2027-01-01T00:00:00.000Z' } };
    const text = renderDefinition(def, 'cbi-v14');
    assert.equal(text, "CREATE OR REPLACE VIEW `cbi-v14.models_v4.v`\nOPTIONS (\n  description = 'it\\'s\\nmultiline',\n  labels = [('a', '1'), ('b', '2')],\n  expiration_timestamp = TIMESTAMP '2027-01-01T00:00:00.000Z'\n)\nAS\nSELECT 'a\\'' AS x -- c");
    const back = parse(text).definition;
    assert.ok(sameDefinition({ ...back }, def));
  });

  const ident = fc.stringMatching(/^[a-z_][a-z0-9_]{0,12}$/);
  const text = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n', "'", '"', '\\', '`', '-', '(', ')', ';', 'é', '\t', '*', '/') , maxLength: 40 });
  const options = fc.record({ description: fc.option(text, { nil: undefined }), friendlyName: fc.option(text, { nil: undefined }), labels: fc.option(fc.dictionary(ident, ident, { maxKeys: 3 }), { nil: undefined }) }, { requiredKeys: [] });

  it('round-trips any view, SQL function or JavaScript function exactly (property)', () => {
    const clean = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
    fc.assert(
      fc.property(ident, ident, options, fc.constantFrom('VIEW', 'FUNCTION', 'JS'), fc.string({ unit: fc.constantFrom('a', '1', ' ', '\n', '+', 'x', '"', "'"), maxLength: 30 }), (dataset, name, opts, kind, noise) => {
        // A view's query is kept without trailing whitespace (as a pulled file ends it).
        const body = kind === 'VIEW' ? `SELECT ${JSON.stringify(noise).replace(/"/g, "'").replace(/\\/g, '')} AS c -- ${noise.replace(/\n/g, ' ')}`.trimEnd() : kind === 'FUNCTION' ? `x + ${noise.length}` : `return "${noise.replace(/["\\\n]/g, '')}";\n`;
        const def: Definition = kind === 'VIEW'
          ? { kind: 'VIEW', dataset, name, body, options: clean(opts) }
          : { kind: 'FUNCTION', dataset, name, arguments: 'x INT64', returns: 'INT64', ...(kind === 'JS' ? { language: 'js' } : {}), body, options: clean(opts) };
        const rendered = renderDefinition(def, 'cbi-v14');
        const back = parseDefinitionStatement(rendered);
        assert.ok(back.ok, rendered);
        if (!back.ok) return;
        assert.ok(sameDefinition(back.parsed.definition, def), `${rendered}\n→ ${JSON.stringify(back.parsed.definition)}`);
        assert.equal(renderDefinition(back.parsed.definition, 'cbi-v14'), rendered);
      }),
      { numRuns: 300 },
    );
  });

  it('string literals decode what they encode', () => {
    fc.assert(fc.property(fc.string(), (s) => stringValue(bigQueryLiteral(s)) === s), { numRuns: 500 });
  });

  it('compares signatures without whitespace and case', () => {
    assert.equal(normalizeSignature('x int64,y  ARRAY< string >'), normalizeSignature('x INT64, y ARRAY<STRING>'));
  });
});
