/**
 * The workspace scan's reading of closed files (src/extension/diagnostics/disk-scan.ts) with a lint cache:
 * the files that had findings are handed over before the walk, those changed since go to the worker pool
 * first, and one the walk no longer yields is taken back — after the pool's result for it is in, so that
 * neither the caller nor the cache keeps it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheKeyOf, LintCache } from '../../../src/core/lint/cache';
import type { FileLintResult } from '../../../src/core/lint/file-lint';
import { DEFAULT_MAX_FILE_BYTES } from '../../../src/core/lint/read';
import { parseManifest } from '../../../src/core/manifest/load';
import { scanDisk } from '../../../src/extension/diagnostics/disk-scan';
import type { Engine } from '../../../src/extension/diagnostics/engine';
import { repoRoot } from '../lint/repo-root';

const LEGACY = 'SELECT * FROM models_v4.production_training_data_1m;\n';
const TOOL = 'disk-scan-test';

function workspace(): { dir: string; engine: Engine; cacheFile: string; file: (name: string) => string } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'bqm-disk-scan-')));
  const manifest = path.join(dir, 'bqmigrate.json');
  fs.copyFileSync(path.join(repoRoot(), 'test', 'fixtures', 'cli', 'basic', 'bqmigrate.json'), manifest);
  const parsed = parseManifest(fs.readFileSync(manifest, 'utf8'), manifest);
  assert.ok(parsed.ok);
  const engine = { loaded: parsed.loaded, rules: {} } as unknown as Engine;
  return { dir, engine, cacheFile: path.join(dir, 'lintcache'), file: (name) => path.join(dir, name) };
}

async function scan(ws: ReturnType<typeof workspace>, walked: string[], events: string[]): Promise<void> {
  const summary = await scanDisk(
    async function* () {
      for (const f of walked) yield f;
    },
    {
      engine: ws.engine,
      cacheFile: ws.cacheFile,
      tool: TOOL,
      workers: 1,
      warn: (m) => assert.fail(`unexpected warning: ${m}`),
      stopped: () => false,
      showsDiagnostics: () => false,
      onResult: (r: FileLintResult) => events.push(`result ${path.basename(r.filePath)} ${r.violations.length}`),
      onCachedFindingsDone: () => void events.push('cached findings shown'),
      onNotWalked: (f) => void events.push(`not walked ${path.basename(f)}`),
    },
  );
  assert.ok(summary, 'the scan completed');
}

function cachedWithFindings(ws: ReturnType<typeof workspace>): string[] {
  const key = cacheKeyOf(ws.engine.loaded, { rules: ws.engine.rules, maxFileBytes: DEFAULT_MAX_FILE_BYTES, tool: TOOL });
  const cache = LintCache.open(ws.cacheFile, key, 'metadata', (m) => assert.fail(m));
  const files = cache.filesWithFindings().map((f) => path.basename(f));
  cache.close();
  return files;
}

test('files with cached findings come before the walk; one changed goes to the pool, one left out is taken back after its result', async () => {
  const ws = workspace();
  for (const n of ['a.sql', 'b.sql', 'c.sql']) fs.writeFileSync(ws.file(n), LEGACY);
  fs.writeFileSync(ws.file('clean.sql'), 'SELECT 1;\n');
  const all = ['a.sql', 'b.sql', 'c.sql', 'clean.sql'].map(ws.file);
  const first: string[] = [];
  await scan(ws, all, first);
  assert.deepEqual(first.filter((e) => !e.startsWith('result')), [], 'nothing was cached yet');
  assert.deepEqual(cachedWithFindings(ws), ['a.sql', 'b.sql', 'c.sql']);

  // b changed and is left out of the walk now (a branch switch that edits and ignores it); c changed and is walked.
  fs.writeFileSync(ws.file('b.sql'), `-- edited\n${LEGACY}${LEGACY}`);
  fs.writeFileSync(ws.file('c.sql'), `-- edited\n${LEGACY}${LEGACY}`);
  const events: string[] = [];
  await scan(ws, [ws.file('a.sql'), ws.file('c.sql'), ws.file('clean.sql')], events);
  // a came from the cache before the walk; b and c were linted (on the pool), c once; b was taken back after its result.
  assert.equal(events.indexOf('result a.sql 1'), 0);
  assert.equal(events[1], 'cached findings shown');
  assert.deepEqual(events.filter((e) => e.startsWith('result c.sql')), ['result c.sql 2']);
  const bResult = events.indexOf('result b.sql 2');
  assert.ok(bResult > 0 && events.indexOf('not walked b.sql') > bResult, events.join('\n'));
  assert.deepEqual(cachedWithFindings(ws), ['a.sql', 'c.sql'], 'the left-out file is not kept in the cache');
  fs.rmSync(ws.dir, { recursive: true, force: true });
});
