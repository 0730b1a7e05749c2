import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManifestSchema, type Mapping } from '../../../src/core/manifest/schema';
import { attachColumns, columnLabel, columnPasses, combineLabel, groupMappings, mappingLabel, passes, readersBadge, readersByMapping, readersTooltip, referencesDescription, type MappingEntry } from '../../../src/extension/mapping-tree/model';

const m = (from: string, to: string | undefined, status: Mapping['status'], kind: Mapping['kind'] = 'table'): Mapping => ({ from, to, status, kind });
const entries: MappingEntry[] = [
  { index: 0, mapping: m('models_v4.production_training_data_{horizon}', 'training.zl_training_prod_allhistory_{horizon}', 'migrated'), references: 6 },
  { index: 1, mapping: m('models_v4.trump_rich_2023_2025', 'training.zl_training_prod_trump2023_1m', 'planned'), references: 1 },
  { index: 2, mapping: m('forecasting_data_warehouse.soybean_oil_prices', 'features.zl_prices_daily', 'shimmed'), references: 0 },
  { index: 3, mapping: m('models_v4.vertex_ai_training_1m_base', undefined, 'planned'), references: 2 },
  { index: 4, mapping: m('production_training_data_{horizon}.parquet', 'zl_training_prod_allhistory_{horizon}.parquet', 'planned', 'path'), references: 1 },
];

test('groups by legacy dataset, sorted, paths last, with reference totals', () => {
  const groups = groupMappings(entries, 'legacyDataset', 'all');
  assert.deepEqual(groups.map((g) => [g.label, g.entries.map((e) => e.index), g.references]), [
    ['forecasting_data_warehouse', [2], 0],
    ['models_v4', [0, 1, 3], 9],
    ['(paths)', [4], 1],
  ]);
});

test('groups by status in lifecycle order and by target dataset with unmapped last', () => {
  assert.deepEqual(groupMappings(entries, 'status', 'all').map((g) => g.label), ['planned', 'migrated', 'shimmed']);
  assert.deepEqual(groupMappings(entries, 'targetDataset', 'all').map((g) => g.label), ['features', 'training', '(paths)', '(unmapped)']);
});

test('filters: unmapped only, with references left, by status', () => {
  assert.deepEqual(entries.filter((e) => passes(e, 'unmapped')).map((e) => e.index), [3]);
  assert.deepEqual(entries.filter((e) => passes(e, 'withReferences')).map((e) => e.index), [0, 1, 3, 4]);
  assert.deepEqual(entries.filter((e) => passes(e, 'status:shimmed')).map((e) => e.index), [2]);
  assert.deepEqual(groupMappings(entries, 'legacyDataset', 'unmapped').map((g) => g.label), ['models_v4']);
});

test('labels', () => {
  assert.equal(mappingLabel(entries[3]!.mapping), 'models_v4.vertex_ai_training_1m_base → (unmapped)');
  assert.equal(referencesDescription(0), 'no references left');
  assert.equal(referencesDescription(1), '1 reference left');
  assert.equal(referencesDescription(6), '6 references left');
  // Pulled warehouse definitions are counted apart from code.
  assert.equal(referencesDescription(6, 0), '6 references left');
  assert.equal(referencesDescription(6, 2), '4 in code · 2 in the warehouse');
  assert.equal(referencesDescription(2, 2), '0 in code · 2 in the warehouse');
});

test('readers: a mapping whose legacy names were read is "still read", its readers in the tooltip; nobody seen but unverified is "reads not verified"', () => {
  const reader = { principal: 'alice@example.com', project: 'cbi-v14', jobs: 2, lastRead: '2026-11-22T09:00:00.000Z', sampleJobId: 'bquxjob_1', cacheHits: 1, via: ['query text' as const] };
  const name = (n: string, mappingIndex: number, readers: (typeof reader)[], quiet: boolean) => ({ name: n, mappingIndex, to: 't.x', shim: true, exists: true, readers, jobs: readers.reduce((k, r) => k + r.jobs, 0), ...(readers[0] ? { lastRead: readers[0].lastRead } : {}), otherProjects: quiet ? ('verified' as const) : ('not verified' as const), quiet });
  const byMapping = readersByMapping({
    version: 1,
    generatedAt: '2026-11-23T15:30:00.000Z',
    backend: 'bigquery',
    project: 'cbi-v14',
    days: 7,
    since: '2026-11-16T15:30:00.000Z',
    jobsScanned: 2,
    cacheHitJobs: 1,
    coverage: { ownProject: 'JOBS', otherProjects: 'not verified', otherProjectsReason: 'no bigquery.jobs.listAll' },
    names: [name('m.a_1m', 0, [reader], false), name('m.a_3m', 0, [], false), name('m.b', 1, [], false), name('m.c', 2, [], true)],
    notes: [],
  });
  assert.equal(readersBadge(byMapping.get(0)), 'still read');
  assert.equal(readersBadge(byMapping.get(1)), 'reads not verified');
  assert.equal(readersBadge(byMapping.get(2)), undefined, 'quiet and verified: no badge');
  assert.equal(readersBadge(undefined), undefined, 'no report: no badge');
  const tip = readersTooltip(byMapping.get(0)!);
  assert.match(tip, /- `m\.a_1m` \(shim\): still read, 2 job\(s\)\n  - alice@example\.com: 2 job\(s\) \(1 cache hit\(s\)\), last 2026-11-22, e\.g\. job `bquxjob_1`/);
  assert.match(tip, /- `m\.a_3m` \(shim\): no reads seen, not verified for other projects/);
  assert.match(tip, /Not verified for other projects: no bigquery\.jobs\.listAll\./);
});

test('column mappings nest under the table mapping of their table; tables no mapping moves get rows of their own', () => {
  const manifest = ManifestSchema.parse({
    project: 'cbi-v14',
    datasets: { training: { description: 't' }, features: { description: 'f' } },
    variables: { horizon: ['1m', '3m'] },
    mappings: [
      { from: 'models_v4.production_training_data_{horizon}', to: 'training.zl_training_prod_allhistory_{horizon}' },
      { from: 'models_v4.trump_rich_2023_2025', to: 'training.zl_training_prod_trump2023_1m' },
      { kind: 'column', table: 'models_v4.production_training_data_{horizon}', from: 'feature_sentiment', to: 'sentiment_score' },
      { kind: 'column', table: 'training.zl_training_prod_allhistory_{horizon}', from: ['zl_price_lag1', 'zl_price_lag7'], to: 'zl_price_lag', combine: 'coalesce', status: 'migrated' },
      { kind: 'column', table: 'models_v4.trump_rich_2023_2025', from: 'vix_close', to: 'vix', combine: 'sql', expression: 'ROUND(vix_close, 1)' },
      { kind: 'column', table: 'features.master_features_daily', from: 'news_sentiment_score_v2', to: 'sentiment_news_score' },
    ],
  });
  const tables: MappingEntry[] = [0, 1].map((index) => ({ index, mapping: manifest.mappings[index] as Mapping, references: 0 }));
  const columns = [2, 3, 4, 5].map((index) => ({ index, mapping: manifest.mappings[index] as never, references: index === 2 ? 3 : 0 }));
  const { tables: out, columnTables } = attachColumns(manifest, tables, columns);
  assert.deepEqual(out.map((t) => (t.columns ?? []).map((c) => c.index)), [[2, 3], [4]], 'by the legacy name, by the new name, by a concrete name');
  assert.deepEqual(columnTables.map((t) => [t.table, t.columns.map((c) => c.index)]), [['features.master_features_daily', [5]]]);
  assert.equal(columnLabel(columns[1]!.mapping), 'zl_price_lag1, zl_price_lag7 → zl_price_lag');
  assert.deepEqual(columns.map((c) => combineLabel(c.mapping)), ['rename', 'coalesce', 'sql: ROUND(vix_close, 1)', 'rename']);
  assert.deepEqual(columns.filter((c) => columnPasses(c, 'withReferences')).map((c) => c.index), [2]);
  assert.deepEqual(columns.filter((c) => columnPasses(c, 'status:migrated')).map((c) => c.index), [3]);
  assert.equal(columns.filter((c) => columnPasses(c, 'unmapped')).length, 0);
});
