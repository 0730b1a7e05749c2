import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commentSyntaxFor, suppressionComment } from '../../../src/extension/code-actions/comment-syntax';

test('suppression comments use each language\'s comment syntax', () => {
  const line = (lang: string, file: string) => suppressionComment(commentSyntaxFor(lang, file)!, 'bqmigrate-disable-next-line', 'legacy-reference');
  assert.equal(line('sql', 'a.sql'), '-- bqmigrate-disable-next-line legacy-reference');
  assert.equal(line('python', 'a.py'), '# bqmigrate-disable-next-line legacy-reference');
  assert.equal(line('typescriptreact', 'a.tsx'), '// bqmigrate-disable-next-line legacy-reference');
  assert.equal(line('markdown', 'a.md'), '<!-- bqmigrate-disable-next-line legacy-reference -->');
  assert.equal(line('yaml', 'a.yml'), '# bqmigrate-disable-next-line legacy-reference');
  assert.equal(line('shellscript', 'a.sh'), '# bqmigrate-disable-next-line legacy-reference');
  assert.equal(line('terraform', 'main.tf'), '# bqmigrate-disable-next-line legacy-reference');
  assert.equal(line('plaintext', 'x.sqlx'), '-- bqmigrate-disable-next-line legacy-reference');
  assert.equal(line('ini', 'setup.cfg'), '; bqmigrate-disable-next-line legacy-reference');
});

test('formats without comments get no suppression syntax; inside a Markdown fence the fence\'s language is used', () => {
  assert.equal(commentSyntaxFor('json', 'a.json'), undefined);
  assert.equal(commentSyntaxFor('json', 'a.ipynb'), undefined);
  const md = '# Notes\n\n```sql\nSELECT * FROM models_v4.t;\n```\nprose\n';
  assert.equal(commentSyntaxFor('markdown', 'a.md', md, md.indexOf('SELECT'))!.open, '--');
  assert.equal(commentSyntaxFor('markdown', 'a.md', md, md.indexOf('prose'))!.open, '<!--');
});

test('an unknown language id falls back to the file extension, then to #', () => {
  assert.equal(commentSyntaxFor('plaintext', 'model.bqsql')!.open, '--');
  assert.equal(commentSyntaxFor('plaintext', 'job.mjs')!.open, '//');
  assert.equal(commentSyntaxFor('plaintext', 'Makefile')!.open, '#');
});
