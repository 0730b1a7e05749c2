import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseManifest, type ManifestProblem } from '../../../src/core/manifest/load';
import { ColumnCatalog } from '../../../src/core/columns/catalog';
import { cli } from '../phases/helpers';

/** A manifest with the production family mapped and the column mappings given, one per line from line 10. */
export const columnsManifest = (columns: string[]) => `{
  "project": "cbi-v14",
  "datasets": { "training": { "description": "t" }, "features": { "description": "f" } },
  "legacyDatasets": { "models_v4": { "description": "old" } },
  "variables": { "horizon": ["1w", "1m"] },
  "mappings": [
    { "from": "models_v4.production_training_data_{horizon}", "to": "training.zl_training_prod_allhistory_{horizon}" },
    { "from": "models_v4.trump_rich_2023_2025", "to": "training.zl_training_prod_trump2023_1m" },
    { "from": "models_v4.unmapped_scratch" },
${columns.map((c) => `    ${c}`).join(',\n')}
  ]
}`;

const parse = (columns: string[]) => parseManifest(columnsManifest(columns), 'bqmigrate.json');
const errors = (r: { problems: ManifestProblem[] }) => r.problems.filter((p) => p.severity !== 'warning');

test('one-to-one and many-to-one column mappings load, with status planned by default', () => {
  const r = parse([
    '{ "kind": "column", "table": "features.master_features_daily", "from": "news_sentiment_score_v2", "to": "sentiment_news_score" }',
    '{ "kind": "column", "table": "features.master_features_daily", "from": ["sentiment_avg", "avg_sentiment", "sentiment_mean_1d"], "to": "sentiment_score_mean", "combine": "coalesce" }',
    '{ "kind": "column", "table": "features.master_features_daily", "from": ["temp_max", "temp_min"], "to": "temp_mid", "combine": "sql", "expression": "(temp_max + temp_min) / 2" }',
  ]);
  assert.ok(r.ok, JSON.stringify(r.problems));
  const columns = r.loaded.manifest.mappings.filter((m) => m.kind === 'column');
  assert.equal(columns.length, 3);
  assert.deepEqual(columns.map((c) => c.status), ['planned', 'planned', 'planned']);
  assert.deepEqual(r.problems, []);
});

test('many-to-one without "combine", "sql" without "expression", and an unknown kind are errors at line:column', () => {
  const text = columnsManifest([
    '{ "kind": "column", "table": "features.f", "from": ["a", "b"], "to": "c" }',
    '{ "kind": "column", "table": "features.f", "from": ["d", "e"], "to": "g", "combine": "sql" }',
    '{ "kind": "col", "from": "x", "to": "y" }',
  ]);
  const r = parseManifest(text, 'bqmigrate.json');
  assert.equal(r.ok, false);
  const lines = text.split('\n');
  const combine = r.problems.find((p) => /need "combine"/.test(p.message))!;
  assert.ok(combine, JSON.stringify(r.problems));
  assert.deepEqual([combine.line, combine.column], [10, lines[9]!.indexOf('["a"') + 1]);
  const expression = r.problems.find((p) => /needs an "expression"/.test(p.message))!;
  assert.deepEqual([expression.line, expression.column], [11, lines[10]!.indexOf('"sql"') + 1]);
  const kind = r.problems.find((p) => /expected one of "table", "path", "column"/.test(p.message))!;
  assert.equal(kind.line, 12);
});

test('a "to" colliding with another mapping\'s column on the same table is refused at the "to", naming the other entry', () => {
  const text = columnsManifest([
    '{ "kind": "column", "table": "features.f", "from": "sentiment_avg", "to": "sentiment_mean" }',
    '{ "kind": "column", "table": "features.f", "from": "avg_sentiment", "to": "sentiment_mean" }',
  ]);
  const r = parseManifest(text, 'bqmigrate.json');
  assert.equal(r.ok, false);
  const [p] = errors(r);
  assert.match(p!.message, /"to" column "sentiment_mean" collides with mappings\[3\] \(line 10:/);
  assert.deepEqual([p!.line, p!.column], [11, text.split('\n')[10]!.lastIndexOf('"sentiment_mean"') + 1]);
  assert.match(p!.hint!, /one mapping with "combine"/);
});

test('a "to" that another mapping renames away, and a column mapped twice, are refused; other tables do not collide', () => {
  const chain = parse([
    '{ "kind": "column", "table": "features.f", "from": "a", "to": "b" }',
    '{ "kind": "column", "table": "features.f", "from": "b", "to": "c" }',
    '{ "kind": "column", "table": "features.other", "from": "x", "to": "b" }',
  ]);
  assert.equal(chain.ok, false);
  assert.deepEqual(errors(chain).map((p) => [p.path.join('.'), /chained or swapped/.test(p.message)]), [['mappings.3.to', true]]);

  const twice = parse([
    '{ "kind": "column", "table": "features.f", "from": ["a", "b"], "to": "ab", "combine": "coalesce" }',
    '{ "kind": "column", "table": "features.f", "from": "B", "to": "bee" }',
  ]);
  assert.deepEqual(errors(twice).map((p) => p.path.join('.')), ['mappings.4.from']);
  assert.match(errors(twice)[0]!.message, /column "B" is already mapped by mappings\[3\]/);

  // Consolidating into one of the sources' own names is allowed.
  assert.ok(parse(['{ "kind": "column", "table": "features.f", "from": ["a", "b"], "to": "a", "combine": "coalesce" }']).ok);
});

test('a collision is found across a legacy table and the table it is mapped to (the column mapping follows the table mapping)', () => {
  const r = parse([
    '{ "kind": "column", "table": "models_v4.production_training_data_{horizon}", "from": "px", "to": "price" }',
    '{ "kind": "column", "table": "training.zl_training_prod_allhistory_{horizon}", "from": "close", "to": "price" }',
  ]);
  assert.equal(r.ok, false);
  assert.deepEqual(errors(r).map((p) => p.path.join('.')), ['mappings.4.to']);
});

test('the catalog applies a column mapping to its templated table and to the table that legacy table is mapped to', () => {
  const r = parse([
    '{ "kind": "column", "table": "models_v4.production_training_data_{horizon}", "from": ["px", "px_close"], "to": "price", "combine": "coalesce" }',
    '{ "kind": "column", "table": "models_v4.trump_rich_2023_2025", "from": "Sent", "to": "sentiment" }',
    '{ "kind": "column", "table": "models_v4.unmapped_scratch", "from": "a", "to": "b" }',
  ]);
  assert.ok(r.ok, JSON.stringify(r.problems));
  const catalog = new ColumnCatalog(r.loaded.manifest);
  const names = (t: string) => [...catalog.forTable(t).values()].map((c) => `${c.from}→${c.to}${c.manyToOne ? '*' : ''}`);
  assert.deepEqual(names('models_v4.production_training_data_1m'), ['px→price*', 'px_close→price*']);
  assert.deepEqual(names('training.zl_training_prod_allhistory_1w'), ['px→price*', 'px_close→price*']);
  assert.deepEqual(names('MODELS_V4.production_training_data_1w'), ['px→price*', 'px_close→price*'], 'dataset names compare case-insensitively');
  assert.deepEqual(names('training.zl_training_prod_allhistory_3m'), [], '3m is not a horizon of this manifest');
  assert.deepEqual(names('training.zl_training_prod_trump2023_1m'), ['Sent→sentiment']);
  assert.equal(catalog.forTable('training.zl_training_prod_trump2023_1m').get('sent')?.to, 'sentiment', 'keys are lower-cased: BigQuery columns are case-insensitive');
  assert.deepEqual(names('models_v4.unmapped_scratch'), ['a→b']);
  assert.deepEqual(names('features.master_features_daily'), []);
});

test('explain-name and mappings list the column mappings of a table', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bqm-col-'));
  try {
    fs.writeFileSync(path.join(dir, 'bqmigrate.json'), columnsManifest([
      '{ "kind": "column", "table": "models_v4.production_training_data_{horizon}", "from": ["px", "px_close"], "to": "price", "combine": "coalesce" }',
      '{ "kind": "column", "table": "models_v4.production_training_data_{horizon}", "from": ["hi", "lo"], "to": "mid", "combine": "sql", "expression": "(hi + lo) / 2" }',
    ]));
    const explained = await cli(dir, ['explain-name', 'training.zl_training_prod_allhistory_1m', '--json']);
    const verdict = JSON.parse(explained.out);
    assert.deepEqual(verdict.columns.map((c: { from: string; to: string; mappingIndex: number }) => `${c.mappingIndex}:${c.from}→${c.to}`), ['3:px→price', '3:px_close→price', '4:hi→mid', '4:lo→mid']);
    const text = await cli(dir, ['explain-name', 'models_v4.production_training_data_1w']);
    assert.match(text.out, /column hi → mid \(sql: \(hi \+ lo\) \/ 2\): mappings\[4\] \(planned\)/);
    const listed = await cli(dir, ['mappings']);
    assert.equal(listed.code, 0, listed.err);
    assert.match(listed.out, /models_v4\.production_training_data_\{horizon\}\.\(px, px_close\)\s+price\s+planned\s+column \(coalesce\)/);
    assert.match(listed.out, /5 mappings/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
