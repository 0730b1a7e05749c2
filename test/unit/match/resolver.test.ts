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
      datasets: { training: { description: 't' }, raw_intelligence: { description: 'r' }, market_data: { description: 'm' }, monitoring: { description: 'm' } },
      variables: { horizon: ['1w', '1m', '3m', '6m', '12m'], regime: ['allhistory', 'trump_2023_2025'] },
      mappings: [
        { from: 'models_v4.production_training_data_{horizon}', to: 'training.zl_training_prod_allhistory_{horizon}' },
        { from: 'models_v4.production_training_data_1m', to: 'training.special_1m' },
        { from: 'forecasting_data_warehouse.{table}', to: 'raw_intelligence.fdw_{table}' },
        { from: 'forecasting_data_warehouse.soybean_oil_prices', to: 'raw_intelligence.prices_soybean_oil_daily' },
        { from: 'models_v4.{a}_{regime}_copy', to: 'training.{regime}_{a}' },
        { from: 'yahoo_finance_comprehensive.{table}', to: 'market_data.yahoo_historical_{table}' },
        { from: 'legacy_scratch.{table}', to: 'training.{table}_v2' },
        { from: 'monitoring_v1.metrics_{horizon}', to: 'monitoring.zl_metrics_{horizon}' },
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

const cases: { name: string; ref: TableRef; to: string | undefined; index?: number; unfixable?: RegExp; dataset?: boolean }[] = [
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
  { name: 'a placeholder inside a wildcard slot: amplified_{symbol_prefix}', ref: ref('yahoo_finance_comprehensive', 'amplified_{symbol_prefix}'), to: 'market_data.yahoo_historical_amplified_{symbol_prefix}' },
  { name: 'text and placeholders mixed in a wildcard slot', ref: ref('yahoo_finance_comprehensive', '{a}_x_${b}'), to: 'market_data.yahoo_historical_{a}_x_${b}' },
  { name: 'dataset metadata follows a whole-dataset mapping, the table part kept', ref: ref('forecasting_data_warehouse', 'INFORMATION_SCHEMA.COLUMNS', { meta: 'INFORMATION_SCHEMA' }), to: 'raw_intelligence.INFORMATION_SCHEMA.COLUMNS', dataset: true },
  { name: '__TABLES__ too', ref: ref('yahoo_finance_comprehensive', '__TABLES__', { meta: '__TABLES__' }), to: 'market_data.__TABLES__', dataset: true },
  { name: 'metadata of a dataset no one mapping moves: flagged, no rewrite', ref: ref('models_v4', 'INFORMATION_SCHEMA.TABLES', { meta: 'INFORMATION_SCHEMA' }), to: undefined, dataset: true, unfixable: /no mapping moves all of models_v4 \(its tables move to training\)/ },
  { name: 'metadata of an unknown dataset resolves to nothing', ref: ref('other', '__TABLES_SUMMARY__', { meta: '__TABLES_SUMMARY__' }), to: undefined },
  { name: 'a wildcard table whose * ends the slot that ends the new name', ref: ref('forecasting_data_warehouse', 'commodity_*', { wildcard: true }), to: 'raw_intelligence.fdw_commodity_*' },
  { name: 'a whole-dataset wildcard', ref: ref('yahoo_finance_comprehensive', '*', { wildcard: true }), to: 'market_data.yahoo_historical_*' },
  { name: 'a wildcard over a table an exact entry sends elsewhere: flagged, no rewrite', ref: ref('forecasting_data_warehouse', '*', { wildcard: true }), to: undefined, unfixable: /also reads forecasting_data_warehouse\.soybean_oil_prices, which moves to raw_intelligence\.prices_soybean_oil_daily/ },
  { name: 'a wildcard over a variable slot, one value sent elsewhere: flagged', ref: ref('models_v4', 'production_training_data_*', { wildcard: true }), to: undefined, unfixable: /special_1m/ },
  { name: 'a wildcard over part of a variable slot', ref: ref('monitoring_v1', 'metrics_1*', { wildcard: true }), to: 'monitoring.zl_metrics_1*' },
  { name: 'a wildcard another wildcard mapping of the dataset could also match: flagged', ref: ref('models_v4', 'production_training_data_3*', { wildcard: true }), to: undefined, unfixable: /also reads models_v4\.\{a\}_\{regime\}_copy/ },
  { name: 'a wildcard that covers more than one slot tail: flagged, no rewrite', ref: ref('models_v4', 'production_*', { wildcard: true }), to: undefined, unfixable: /also covers other tables/ },
  { name: 'a wildcard whose slot does not end the new name: flagged, no rewrite', ref: ref('legacy_scratch', 'tmp_*', { wildcard: true }), to: undefined, unfixable: /does not end in \{table\}/ },
  { name: 'an unknown dataset resolves to nothing', ref: ref('other', 'production_training_data_1m'), to: undefined },
];

for (const c of cases) {
  test(`resolve: ${c.name}`, () => {
    const r = resolver.resolve(c.ref);
    assert.equal(r?.to, c.to);
    if (c.index !== undefined) assert.equal(r!.mappingIndex, c.index);
    if (c.unfixable) assert.match(r?.unfixable ?? '', c.unfixable);
    else assert.equal(r?.unfixable, undefined);
    assert.equal(r?.dataset, c.dataset);
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
