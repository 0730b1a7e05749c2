import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LANGUAGES, languageFor, languageIdOf, mightContainRefs, scanText } from '../../../src/core/scan/index';
import type { LanguageId } from '../../../src/core/scan/types';
import { opts } from './cases';

test('language by file name, extension and VS Code language id', () => {
  const want: [string, string | undefined][] = [
    ['q.sql', 'sql'], ['a/b/Q.SQL', 'sql'], ['x.bqsql', 'sql'], ['train.py', 'python'], ['t.pyi', 'python'],
    ['a.ts', 'javascript'], ['a.tsx', 'javascript'], ['a.mjs', 'javascript'], ['a.jsx', 'javascript'], ['c:\\w\\a.cjs', 'javascript'],
    ['README.md', 'markdown'], ['c.yaml', 'yaml'], ['c.json', 'json'], ['run.sh', 'shell'], ['a/Makefile', 'makefile'], ['a/.env', 'dotenv'],
    ['a/.env.production', 'dotenv'], ['deploy/Dockerfile', 'dockerfile'], ['Dockerfile.worker', 'dockerfile'], ['x/explore.ipynb', 'notebook'],
    ['infra/main.tf', 'terraform'], ['prod.tfvars', 'terraform'], ['definitions/x.sqlx', 'dataform'], ['pyproject.toml', 'toml'],
    ['setup.cfg', 'ini'], ['a/tox.ini', 'ini'], ['notes.txt', 'plain'], ['LICENSE', 'plain'],
    ['data.parquet', undefined], ['img.png', undefined], ['model.pkl', undefined],
    ['sql', 'sql'], ['python', 'python'], ['typescriptreact', 'javascript'], ['markdown', 'markdown'], ['yaml', 'yaml'], ['shellscript', 'shell'],
    ['terraform', 'terraform'], ['dockerfile', 'dockerfile'], ['something-else', 'plain'],
  ];
  for (const [input, id] of want) assert.equal(languageIdOf(input), id, input);
});

test('a file is read by its name unless that is plain text and the editor says otherwise', () => {
  assert.equal(languageFor('/w/q.sql', 'plaintext'), 'sql');
  assert.equal(languageFor('/w/notes.txt', 'sql'), 'sql');
  assert.equal(languageFor('/w/notes.txt', 'plaintext'), 'plain');
  assert.equal(languageFor('/w/nb.ipynb', 'json'), 'notebook');
  assert.equal(languageFor('/w/a.parquet'), undefined);
  assert.equal(languageFor('/w/untitled', 'python'), 'python');
});

test('the language table: one row per id, no extension, file name, language id or fence name claimed twice', () => {
  const ids = LANGUAGES.map((l) => l.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const key of ['extensions', 'fileNames', 'languageIds', 'fenceNames'] as const) {
    const seen = new Map<string, LanguageId>();
    for (const l of LANGUAGES) {
      for (const v of l[key] ?? []) {
        assert.equal(seen.get(v), undefined, `${key} ${v} is claimed by ${seen.get(v)} and ${l.id}`);
        seen.set(v, l.id);
      }
    }
  }
  for (const l of LANGUAGES) assert.equal(typeof l.lex, 'function', l.id);
});

test('prefilter: false for text with nothing to find, true when a reference is there', () => {
  assert.equal(mightContainRefs('print("hello world")\nx = a.b', opts, 'python'), false);
  assert.equal(mightContainRefs('x = "MODELS_V4.t"', opts, 'python'), true);
  assert.equal(mightContainRefs('q = "SELECT * FROM other.t"', opts, 'python'), true);
  assert.equal(mightContainRefs('# plain prose about other.t', opts, 'plain'), false);
  assert.equal(mightContainRefs('see cbi-v14:x.y', opts, 'plain'), true);
  assert.equal(mightContainRefs('SELECT `a.b`', opts, 'sql'), true);
  assert.equal(mightContainRefs('SELECT `a.b`', opts), true);
  assert.equal(mightContainRefs('anything', { knownDatasets: new Set() }, 'plain'), false);
});

test('prefilter agrees with the scanner on the cases it must not miss', () => {
  const samples: [string, 'sql' | 'python' | 'javascript' | 'plain'][] = [
    ['SELECT 1 FROM x.y', 'sql'], ['select 1 from `x.y`', 'sql'], ['SELECT [p:d.t]', 'sql'], ['q = f"{P}.training.t"', 'python'],
    ['const q = `DELETE FROM ${p}.other.t`', 'javascript'], ['Moved to cbi-v14.newds.t', 'plain'],
  ];
  for (const [text, family] of samples) {
    assert.ok(scanText(text, family, opts).refs.length > 0, `scanner finds a reference in ${text}`);
    assert.equal(mightContainRefs(text, opts, family), true, text);
  }
});
