import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commentSyntaxFor, suppressionComment } from '../../../src/extension/code-actions/comment-syntax';

test('suppression comments use each language\'s comment syntax', () => {
  const line = (lang: string, file: string) => suppressionComment(commentSyntaxFor(lang, file), 'bqmigrate-disable-next-line', 'legacy-reference');
  assert.equal(line('sql', 'a.sql'), '-- bqmigrate-disable-next-line legacy-reference');
  assert.equal(line('python', 'a.py'), '# bqmigrate-disable-next-line legacy-reference');
  assert.equal(line('typescriptreact', 'a.tsx'), '// bqmigrate-disable-next-line legacy-reference');
  assert.equal(line('markdown', 'a.md'), '<!-- bqmigrate-disable-next-line legacy-reference -->');
  assert.equal(line('yaml', 'a.yml'), '# bqmigrate-disable-next-line legacy-reference');
  assert.equal(line('shellscript', 'a.sh'), '# bqmigrate-disable-next-line legacy-reference');
});

test('an unknown language id falls back to the file extension, then to #', () => {
  assert.equal(commentSyntaxFor('plaintext', 'model.bqsql').open, '--');
  assert.equal(commentSyntaxFor('plaintext', 'job.mjs').open, '//');
  assert.equal(commentSyntaxFor('plaintext', 'Makefile').open, '#');
});
