import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifest } from '../../../src/core/manifest/load';
import { MappingResolver } from '../../../src/core/match/resolver';
import { compilePathMatcher, findPathRefs } from '../../../src/core/match/paths';
import type { NamePart, TableRef } from '../../../src/core/scan/types';

const manifest = (() => {
  const r = parseManifest(
    JSON.stringify({
      project: 'cbi-v14',
      datasets: { training: { description: 't' }, raw_intelligence: { description: 'r' } },
      variables: { horizon: ['1w', '1m', '3m', '6m', '12m'], regime: ['allhistory', 'trump_2023_2025'] },
      mappings: [
        { from: 'models_v4.production_training_data_{horizon}', to: 'training.zl_training_prod_allhistory_{horizon}' },
        { from: 'models_v4.production_training_data_1m', to: 'training.special_1m' },
        { from: 'forecasting_data_warehouse.{table}', to: 'raw_intelligence.fdw_{table}' },
        { from: 'forecasting_data_warehouse.soybean_oil_prices', to: 'raw_intelligence.prices_soybean_oil_daily' },
        { from: 'models_v4.{a}_{regime}_copy', to: 'training.{regime}_{a}' },
        { from: 'production_training_data_{horizon}.parquet', to: 'zl_training_prod_allhistory_{horizon}.parquet', kind: 'path' },
      ],
    }),
    'bqmigrate.json',
  );
  assert.ok(r.ok, JSON.stringify(r.problems));
  return r.loaded.manifest;
})();
const resolver = new MappingResolver(manifest);

/** A hand-built reference: `{x}` / `${x}` in a part become host placeholders, as the scanners report them. */
function ref(dataset: string, table: string, extra: Partial<TableRef> = {}): TableRef {
  let offset = 0;
  const part = (text: string): NamePart => {
    const start = offset;
    offset += text.length + 1;
    const placeholders = [...text.matchAll(/\$?\{([^}]*)\}/g)].map((m) => ({ text: m[0], expr: m[1]!, range: { start: start + m.index!, end: start + m.index! + m[0].length } }));
    return { text, range: { start, end: start + text.length }, placeholders };
  };
  const d = part(dataset);
  const t = part(table);
  return { range: { start: 0, end: offset - 1 }, context: 'code', form: 'bare', dataset: d, table: t, wildcard: false, ...extra };
}

const cases: { name: string; ref: TableRef; to: string | undefined; index?: number }[] = [
  { name: 'templated over a variable', ref: ref('models_v4', 'production_training_data_3m'), to: 'training.zl_training_prod_allhistory_3m', index: 0 },
  { name: 'exact wins over templated', ref: ref('models_v4', 'production_training_data_1m'), to: 'training.special_1m', index: 1 },
  { name: 'a value outside the variable does not match', ref: ref('models_v4', 'production_training_data_2y'), to: undefined },
  { name: 'whole identifiers only: x_1m never matches x_1m_backup', ref: ref('models_v4', 'production_training_data_1m_backup'), to: undefined },
  { name: 'wildcard carries the same text into "to"', ref: ref('forecasting_data_warehouse', 'corn_prices'), to: 'raw_intelligence.fdw_corn_prices', index: 2 },
  { name: 'exact wins over wildcard', ref: ref('forecasting_data_warehouse', 'soybean_oil_prices'), to: 'raw_intelligence.prices_soybean_oil_daily', index: 3 },
  { name: 'dataset names compare case-insensitively', ref: ref('MODELS_V4', 'production_training_data_6m'), to: 'training.zl_training_prod_allhistory_6m' },
  { name: 'a host placeholder fills a variable slot and is carried verbatim', ref: ref('models_v4', 'production_training_data_{h}'), to: 'training.zl_training_prod_allhistory_{h}' },
  { name: 'JS placeholders too', ref: ref('models_v4', 'production_training_data_${horizon}'), to: 'training.zl_training_prod_allhistory_${horizon}' },
  { name: 'a wildcard and a variable with underscores in values: backtracking', ref: ref('models_v4', 'zl_x_trump_2023_2025_copy'), to: 'training.trump_2023_2025_zl_x' },
  { name: 'a wildcard slot bound to a placeholder', ref: ref('forecasting_data_warehouse', '{name}'), to: 'raw_intelligence.fdw_{name}' },
  { name: 'meta tables never resolve', ref: ref('models_v4', 'production_training_data_1m', { meta: 'INFORMATION_SCHEMA' }), to: undefined },
  { name: 'wildcard tables never resolve', ref: ref('models_v4', 'production_training_data_*', { wildcard: true }), to: undefined },
  { name: 'an unknown dataset resolves to nothing', ref: ref('other', 'production_training_data_1m'), to: undefined },
];

for (const c of cases) {
  test(`resolve: ${c.name}`, () => {
    const r = resolver.resolve(c.ref);
    assert.equal(r?.to, c.to);
    if (c.index !== undefined) assert.equal(r!.mappingIndex, c.index);
    if (r) assert.equal(r.from, `${c.ref.dataset.text}.${c.ref.table.text}`);
  });
}

test('resolveName takes concrete names', () => {
  assert.equal(resolver.resolveName('models_v4.production_training_data_12m')?.to, 'training.zl_training_prod_allhistory_12m');
  assert.equal(resolver.resolveName('training.zl_training_prod_allhistory_12m'), undefined);
});

test('path mappings match whole tokens in any text, values or placeholders', () => {
  const matchers = resolver.paths.map(compilePathMatcher);
  const text = [
    'read data/production_training_data_1m.parquet then',
    "f'production_training_data_{h}.parquet'",
    'old_production_training_data_1m.parquet production_training_data_1m.parquet.bak production_training_data_9m.parquet',
    'see production_training_data_12m.parquet.',
  ].join('\n');
  const found = findPathRefs(text, matchers, () => 'code');
  assert.deepEqual(found.map((f) => [f.ref.text, f.resolution.to]), [
    ['production_training_data_1m.parquet', 'zl_training_prod_allhistory_1m.parquet'],
    ['production_training_data_{h}.parquet', 'zl_training_prod_allhistory_{h}.parquet'],
    ['production_training_data_12m.parquet', 'zl_training_prod_allhistory_12m.parquet'],
  ]);
  assert.equal(text.slice(found[0]!.ref.range.start, found[0]!.ref.range.end), 'production_training_data_1m.parquet');
});
