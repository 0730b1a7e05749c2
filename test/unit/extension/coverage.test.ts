import assert from 'node:assert/strict';
import { test } from 'node:test';
import { folderCoverage } from '../../../src/extension/manifest/coverage';

test('folder coverage: which workspace folders the manifest governs, in part, or not at all', () => {
  const folders = [
    { name: 'repo', fsPath: '/w/repo' },
    { name: 'sql', fsPath: '/w/repo/warehouse/sql' },
    { name: 'other', fsPath: '/w/other' },
    { name: 'w', fsPath: '/w' },
  ];
  const c = folderCoverage(folders, '/w/repo/bqmigrate.json');
  assert.deepEqual(c.map((f) => f.governed), ['all', 'all', 'none', 'part']);
  assert.match(c[2]!.message, /other: not linted — it lies outside \/w\/repo.*bqmigrate lint --manifest \/w\/repo\/bqmigrate.json \/w\/other/);
  assert.match(c[3]!.message, /only repo\/ is linted/);
  assert.deepEqual(folderCoverage(folders.slice(0, 1), undefined).map((f) => f.governed), ['none']);
  assert.match(folderCoverage(folders.slice(0, 1), undefined)[0]!.message, /no bqmigrate.json governs it/);
  // A sibling whose name merely starts with the manifest's folder name is outside it.
  assert.equal(folderCoverage([{ name: 'repo2', fsPath: '/w/repo2' }], '/w/repo/bqmigrate.json')[0]!.governed, 'none');
});
