/**
 * Two copies of the local warehouse code in one process (the extension's bundle and a host test's
 * compiled sources, say) share one DuckDB instance per file: each copy keeps its tables on the
 * process, not on its module, so neither opens the file a second time (two instances of one file in
 * one process overwrite each other's blocks). The file closes after the last holder of either copy.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { it } from 'node:test';

type Local = typeof import('../../../src/core/warehouse/local');
type Share = typeof import('../../../src/core/warehouse/local-share');

/** A fresh copy of the local warehouse modules, as a second bundle would load them. */
function freshCopy(): { local: Local; share: Share } {
  const dir = path.dirname(require.resolve('../../../src/core/warehouse/local'));
  for (const key of Object.keys(require.cache)) if (key.startsWith(dir + path.sep)) delete require.cache[key];
  return { local: require('../../../src/core/warehouse/local') as Local, share: require('../../../src/core/warehouse/local-share') as Share };
}

it('a second copy of the module opens the same file through the first copy\'s instance; the rows one writes the other reads', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bqm-share-'));
  const file = path.join(dir, 'local.duckdb');
  try {
    const a = freshCopy();
    const b = freshCopy();
    assert.notEqual(a.local, b.local, 'two module copies');
    const first = await a.local.openLocalWarehouse({ file, project: 'p' });
    assert.ok(b.share.isHeldHere(file), 'the second copy sees the first copy\'s open file before it opens it');
    const second = await b.local.openLocalWarehouse({ file, project: 'p' });
    try {
      await first.query('CREATE TABLE main.t AS SELECT 1 AS x');
      assert.deepEqual((await second.query('SELECT x FROM main.t')).rows, [{ x: 1 }]);
    } finally {
      await first.close();
    }
    assert.ok(a.share.isHeldHere(file), 'still held by the second copy');
    await second.close();
    assert.ok(!a.share.isHeldHere(file) && !b.share.isHeldHere(file), 'closed after the last holder of either copy');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
