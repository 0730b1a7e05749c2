/**
 * `walkYields` (core/lint/walk.ts), what the editor asks of a file its watcher reports: for every file of a
 * tree with .gitignore files at several levels, dependency and VCS folders, exclude globs (of files and of
 * folders), bqmigrate temp files and binary files, it says exactly whether a walk of the tree hands it out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDirectoryExcluder, createGlobClassifier } from '../../../src/core/lint/globs';
import { walkEnters, walkFiles, walkYields } from '../../../src/core/lint/walk';
import { loadManifestOrThrow } from '../../../src/core/manifest/load';

const TREE: Record<string, string> = {
  '.gitignore': 'build/\n*.log.sql\n/top-only.sql\n',
  'a.sql': 'SELECT 1;',
  'top-only.sql': 'SELECT 1;',
  'deep/top-only.sql': 'SELECT 1;',
  'x.log.sql': 'SELECT 1;',
  'build/out.sql': 'SELECT 1;',
  'deep/build/out.sql': 'SELECT 1;',
  'deep/.gitignore': '!keep.log.sql\nlocal/\nsecret.py\n',
  'deep/keep.log.sql': 'SELECT 1;',
  'deep/other.log.sql': 'SELECT 1;',
  'deep/local/x.sql': 'SELECT 1;',
  'deep/secret.py': 'x = 1',
  'deep/ok.py': 'x = 1',
  'deep/er/ok.ts': 'const x = 1;',
  'node_modules/pkg/q.sql': 'SELECT 1;',
  'deep/node_modules/q.sql': 'SELECT 1;',
  '.git/config.sql': 'SELECT 1;',
  'vendor/v.sql': 'SELECT 1;',
  'deep/vendor/v.sql': 'SELECT 1;',
  'skipped/s.sql': 'SELECT 1;',
  'notes.excluded.md': 'hi',
  'img.png': 'PNG',
  '.a.sql.bqmigrate-1-abc.tmp': 'SELECT 1;',
  'never/x.sql': 'SELECT 1;',
};

test('walkYields says of every file of a tree whether the walk hands it out', async () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'bqmigrate-walk-yields-')));
  fs.mkdirSync(path.join(root, '.git'));
  for (const [rel, text] of Object.entries(TREE)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  const manifest = path.join(root, 'bqmigrate.json');
  fs.writeFileSync(manifest, JSON.stringify({ project: 'cbi-v14', datasets: { d: { description: 'd' } }, exclude: ['vendor', '**/vendor/**', '**/*.excluded.md', 'skipped/**'] }));
  const loaded = loadManifestOrThrow(manifest);
  // An extra folder check, as the editor passes one (the folders it never scans).
  const byManifest = createDirectoryExcluder(loaded);
  const opts = { classify: createGlobClassifier(loaded), excludedDirectory: (dir: string) => (path.basename(dir) === 'never' ? 'never scanned' : byManifest(dir)) };
  const walked = new Set<string>();
  for await (const f of walkFiles([root], opts)) walked.add(f);
  const all = [...Object.keys(TREE), 'bqmigrate.json'].map((rel) => path.join(root, rel));
  assert.ok(walked.size > 5 && walked.size < all.length - 10, `the tree leaves some files in and many out (${walked.size} of ${all.length})`);
  for (const f of all) assert.equal(walkYields(root, f, opts), walked.has(f), path.relative(root, f));
  assert.equal(walkYields(root, path.join(path.dirname(root), 'elsewhere.sql'), opts), false, 'a file outside the root');
  // walkEnters, for a folder the watcher reports made: of the tree's folders, only those the walk goes into
  // (not .gitignored, excluded, dependency, VCS or never-scanned, nor inside one).
  const folders = new Set<string>();
  for (const rel of Object.keys(TREE)) for (let d = path.dirname(rel); d !== '.'; d = path.dirname(d)) folders.add(d);
  const entered = [...folders].filter((rel) => walkEnters(root, path.join(root, rel), opts)).sort();
  assert.deepEqual(entered, ['deep', 'deep/er']);
  for (const rel of entered) {
    const walkedBelow = [...walked].some((f) => f.startsWith(path.join(root, rel) + path.sep));
    assert.ok(walkedBelow, `${rel}: the walk hands out a file below a folder it enters`);
  }
  assert.equal(walkEnters(root, root, opts), false, 'the root itself is not a folder inside it');
  assert.equal(walkEnters(root, path.join(path.dirname(root), 'elsewhere'), opts), false, 'a folder outside the root');
});
