import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { main } from '../../../src/cli/main';
import { seedSampleWarehouse } from '../../../src/core/warehouse/sample';
import { startFakeBigQuery, type FakeBigQuery } from '../../fake-bigquery/server';
import { tempDir, writeManifest } from './helpers';

async function cli(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await main(argv, { stdout, stderr, cwd, env: process.env });
  return { code, out, err };
}

describe('warehouse CLI commands', () => {
  let dir: string;
  let fake: FakeBigQuery;
  before(async () => {
    dir = tempDir('bqm-cli-');
    writeManifest(dir);
    fake = await startFakeBigQuery();
    await seedSampleWarehouse(fake.engine.wh);
  });
  after(async () => {
    await fake.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('local seed, then query --format json prints an array of row objects', async () => {
    const seed = await cli(dir, 'local', 'seed');
    assert.equal(seed.code, 0, seed.err);
    assert.match(seed.out, /seeded 23 objects/);
    const q = await cli(dir, 'query', 'SELECT count(*) AS n FROM `cbi-v14.models_v4.production_training_data_3m`', '--format', 'json');
    assert.equal(q.code, 0, q.err);
    assert.deepEqual(JSON.parse(q.out), [{ n: 1475 }]);
  });

  it('local load rejects a hostile table name with exit 2 and loads a CSV', async () => {
    fs.writeFileSync(path.join(dir, 'p.csv'), 'd,v\n2024-01-01,1\n');
    const bad = await cli(dir, 'local', 'load', 'staging.x`; DROP TABLE y', 'p.csv');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /"`" \(U\+0060\)/);
    const ok = await cli(dir, 'local', 'load', 'staging.p', 'p.csv');
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /loaded 1 rows/);
  });

  it('inventory --out writes the CSV and reports findings (exit 1)', async () => {
    const r = await cli(dir, 'inventory', '--out', 'inventory.csv');
    assert.equal(r.code, 1);
    assert.match(r.err, /empty tables \(1\)/);
    assert.match(r.err, /soybean_oil_prices: forecasting_data_warehouse, models_v5/);
    assert.match(r.err, /models_v4\.gone_table_2019 \(mappings\[2\]\)/);
    assert.equal(fs.readFileSync(path.join(dir, 'inventory.csv'), 'utf8').split('\n')[0], 'dataset_name,table_name,table_type,row_count,created,modified,location,partitioning,clustering');
  });

  it('runs against BigQuery (the fake) with --api-endpoint: query, check-access with a denied permission', async () => {
    const q = await cli(dir, 'query', 'SELECT count(*) AS n FROM `cbi-v14.models_v4.crisis_2008_historical`', '--backend', 'bigquery', '--api-endpoint', fake.url, '--format', 'json');
    assert.equal(q.code, 0, q.err);
    assert.deepEqual(JSON.parse(q.out), [{ n: 261 }]);
    assert.match(q.err, /processed \d+ bytes/);
    const labels = (fake.jobBodies().at(-1)!.configuration as { labels: Record<string, string> }).labels;
    assert.equal(labels['bqmigrate-phase'], 'adhoc');
    assert.equal(labels['bqmigrate-step'], 'query');
    await fake.engine.wh.createDataset({ dataset: 'training' });
    fake.faults.add({ kind: 'accessDenied', permission: 'bigquery.tables.delete', match: { method: 'DELETE' }, times: Infinity });
    const c = await cli(dir, 'check-access', '--dataset', 'training', '--backend', 'bigquery', '--api-endpoint', fake.url);
    fake.faults.clear();
    assert.equal(c.code, 1);
    assert.match(c.out, /training\s+yes\s+US\s+ok\s+ok\s+failed\s+FAILED: missing bigquery\.tables\.delete/);
    assert.match(c.out, /remove training\._bqmigrate_probe_[0-9a-f]+ by hand/);
  });

  it('export writes parquet and journals each table; a dry run leaves no journal entry', async () => {
    const journal = path.join(dir, '.bqmigrate', 'journal.jsonl');
    const before = fs.existsSync(journal) ? fs.readFileSync(journal, 'utf8').split('\n').filter(Boolean).length : 0;
    const dry = await cli(dir, 'export', '--tables', 'models_v4.production_training_data_{horizon}', '--to', 'exports/{table}.parquet', '--dry-run');
    assert.equal(dry.code, 0, dry.err);
    assert.equal(fs.existsSync(journal) ? fs.readFileSync(journal, 'utf8').split('\n').filter(Boolean).length : 0, before);
    const r = await cli(dir, 'export', '--tables', 'models_v4.production_training_data_{horizon}', '--to', 'exports/{table}.parquet');
    assert.equal(r.code, 0, r.err);
    assert.ok(fs.existsSync(path.join(dir, 'exports', 'production_training_data_1m.parquet')));
    const events = fs.readFileSync(journal, 'utf8').split('\n').filter(Boolean).slice(before).map((l) => JSON.parse(l) as { event: string; action?: string; rows?: number; details?: { command?: string } });
    const ends = events.filter((e) => e.event === 'action-end' && e.details?.command === 'export');
    assert.equal(ends.length, 5);
    assert.ok(ends.every((e) => typeof e.rows === 'number' && e.rows > 0), JSON.stringify(ends));
  });

  it('rejects bad options as usage errors', async () => {
    assert.equal((await cli(dir, 'query', 'SELECT 1', '--format', 'xml')).code, 2);
    assert.equal((await cli(dir, 'inventory', '--backend', 'oracle')).code, 2);
    assert.equal((await cli(dir, 'export', '--tables', 'a.b')).code, 2);
    assert.equal((await cli(dir, 'query', 'SELECT 1', '--maximum-bytes-billed', '-5')).code, 2);
  });
});
