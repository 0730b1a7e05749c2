import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { openWarehouse } from '../../../src/core/warehouse/index';
import { backoffDelay, classifyError, isRetryable } from '../../../src/core/warehouse/retry';
import { startFakeBigQuery } from '../../fake-bigquery/server';
import { repoRoot, tempDir, writeManifest } from './helpers';

const loadedModules = (fragment: string) => Object.keys(require.cache).filter((k) => k.includes(fragment));

describe('lazy loading of the BigQuery client', () => {
  it('opening the warehouse module loads neither the BigQuery client nor DuckDB until a warehouse is opened', async () => {
    assert.deepEqual(loadedModules(`@google-cloud${path.sep}bigquery`), []);
    const fake = await startFakeBigQuery(); // the fake itself loads DuckDB, not the client
    try {
      assert.deepEqual(loadedModules(`@google-cloud${path.sep}bigquery`), []);
      const wh = await openWarehouse({ backend: 'bigquery', loaded: writeManifest(tempDir()), bigquery: { apiEndpoint: fake.url } });
      assert.ok(loadedModules(`@google-cloud${path.sep}bigquery`).length > 0);
      assert.ok(loadedModules('bigquery-client').length > 0);
      assert.deepEqual(await wh.listDatasets(), []);
    } finally {
      await fake.close();
    }
  });

  it('keeps the client out of the CLI bundle (dist/bigquery-client.js is separate)', { skip: fs.existsSync(path.join(repoRoot(), 'dist', 'cli.js')) ? false : 'dist/ not built (npm run build)' }, () => {
    const cli = fs.readFileSync(path.join(repoRoot(), 'dist', 'cli.js'), 'utf8');
    assert.ok(!cli.includes('mergeSchemaWithRows_'), 'the BigQuery client library is not bundled into cli.js');
    assert.match(cli, /require\("\.\/bigquery-client\.js"\)/);
    const client = fs.readFileSync(path.join(repoRoot(), 'dist', 'bigquery-client.js'), 'utf8');
    assert.ok(client.includes('mergeSchemaWithRows_'));
  });
});

describe('retry policy', () => {
  it('backs off exponentially with bounded jitter', () => {
    for (let attempt = 0; attempt < 8; attempt++) {
      const exp = Math.min(32_000, 500 * 2 ** attempt);
      assert.equal(backoffDelay(attempt, { random: () => 0 }), exp / 2);
      assert.equal(backoffDelay(attempt, { random: () => 0.999999 }), Math.round(exp / 2 + 0.999999 * (exp / 2)));
    }
  });

  it('classifies by BigQuery reason and retries only transient failures', () => {
    const api = (code: number, reason: string) => Object.assign(new Error(reason), { code, errors: [{ reason, message: reason }] });
    assert.equal(isRetryable(classifyError(api(403, 'rateLimitExceeded'), 'x')), true);
    assert.equal(isRetryable(classifyError(api(503, 'backendError'), 'x')), true);
    assert.equal(isRetryable(classifyError(api(500, 'internalError'), 'x')), true);
    assert.equal(isRetryable(classifyError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'x')), true);
    assert.equal(isRetryable(classifyError(Object.assign(new Error('Bad gateway'), { code: 502 }), 'x')), true);
    for (const [code, reason] of [[400, 'invalidQuery'], [404, 'notFound'], [403, 'accessDenied'], [409, 'duplicate']] as const) {
      const e = classifyError(api(code, reason), 'x');
      assert.equal(e.reason, reason);
      assert.equal(isRetryable(e), false, reason);
    }
    const denied = classifyError(api(403, 'accessDenied'), 'x');
    assert.equal(denied.details.permission, undefined);
    const named = classifyError(Object.assign(new Error('Access Denied: Table cbi-v14:training.t: User does not have bigquery.tables.get permission for table cbi-v14:training.t.'), { code: 403, errors: [{ reason: 'accessDenied' }] }), 'x');
    assert.equal(named.details.permission, 'bigquery.tables.get');
  });
});

describe('lazy loading of the Data Transfer client (scheduled queries)', () => {
  it('opening a BigQuery warehouse does not load it; the first scheduled-query call does, from its own bundle', async () => {
    process.env.METADATA_SERVER_DETECTION = 'none';
    const fake = await startFakeBigQuery();
    try {
      const wh = await openWarehouse({ backend: 'bigquery', loaded: writeManifest(tempDir()), bigquery: { apiEndpoint: fake.url } });
      assert.deepEqual(loadedModules('bigquery-data-transfer'), []);
      assert.deepEqual(loadedModules('data-transfer-client'), []);
      assert.deepEqual(await wh.listScheduledQueries(), []);
      assert.ok(loadedModules('data-transfer-client').length > 0);
      assert.ok(fake.requests.some((r) => r.path.startsWith('/v1/') && r.headers.authorization === undefined), 'the REST call went to the fake without credentials');
      await wh.close();
    } finally {
      await fake.close();
    }
  });

  it('keeps the Data Transfer client out of the CLI and extension bundles', { skip: fs.existsSync(path.join(repoRoot(), 'dist', 'cli.js')) ? false : 'dist/ not built (npm run build)' }, () => {
    for (const bundle of ['cli.js', 'extension.js']) {
      const text = fs.readFileSync(path.join(repoRoot(), 'dist', bundle), 'utf8');
      assert.ok(!text.includes('DataTransferServiceClient'), `${bundle} does not bundle the Data Transfer client`);
      assert.match(text, /require\("\.\/data-transfer-client\.js"\)/);
    }
    assert.ok(fs.readFileSync(path.join(repoRoot(), 'dist', 'data-transfer-client.js'), 'utf8').includes('DataTransferServiceClient'));
  });
});
