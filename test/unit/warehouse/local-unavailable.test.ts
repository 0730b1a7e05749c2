/** The message when the local warehouse's DuckDB is not in the build (the universal VSIX) or has no binding here. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WarehouseError } from '../../../src/core/warehouse/errors';
import { loadDuckDb, LOCAL_WAREHOUSE_PLATFORMS } from '../../../src/core/warehouse/local';

const missing = (what: string) => () => {
  throw Object.assign(new Error(`Cannot find module '${what}'\nRequire stack:\n- /x/dist/extension.js`), { code: 'MODULE_NOT_FOUND' });
};

test('a missing @duckdb module says the local warehouse is not in this build, and what to do', () => {
  for (const what of ['@duckdb/node-api', '@duckdb/node-bindings-linux-x64-musl/duckdb.node']) {
    assert.throws(() => loadDuckDb(missing(what)), (err: unknown) => {
      assert.ok(err instanceof WarehouseError);
      assert.match(err.message, /the local warehouse \(DuckDB\) is not available in this build of bqmigrate/);
      assert.ok(err.message.includes(`Cannot find module '${what}'`), err.message);
      assert.doesNotMatch(err.message, /Require stack/);
      assert.match(err.message, /"bqmigrate\.bigquery\.backend": "bigquery"/);
      assert.match(err.message, /--backend bigquery/);
      assert.ok(err.message.includes(LOCAL_WAREHOUSE_PLATFORMS.join(', ')));
      return true;
    });
  }
});

test('other load errors are not disguised', () => {
  assert.throws(() => loadDuckDb(missing('zod')), /Cannot find module 'zod'/);
  assert.throws(() => loadDuckDb(() => { throw new Error('invalid ELF header'); }), /invalid ELF header/);
});

test('the real DuckDB loads here', () => {
  assert.equal(typeof loadDuckDb().DuckDBInstance.create, 'function');
});
