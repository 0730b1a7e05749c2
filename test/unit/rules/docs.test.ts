import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ruleDocsMarkdown } from '../../../src/core/rules/docs';
import { ruleMetas } from '../../../src/core/rules/index';
import { RULE_IDS } from '../../../src/core/manifest/schema';
import { repoRoot } from '../lint/repo-root';

test('every rule has meta with docs, the index is sorted, and the manifest schema knows every id', () => {
  const ids = ruleMetas.map((m) => m.id);
  assert.deepEqual(ids, [...ids].sort());
  assert.deepEqual([...RULE_IDS].sort(), ids);
  for (const m of ruleMetas) {
    assert.match(m.docs, /\*\*Why:\*\*/, `${m.id} says why`);
    assert.match(m.docs, /\*\*Example/, `${m.id} has an example`);
    assert.equal(m.fixable, m.fixSafety !== 'none');
    assert.equal(m.fixSafety === 'sometimes', !!m.fixSafetyWhen, `${m.id}: a "sometimes" fix safety says when (fixSafetyWhen), and only then`);
  }
});

test('docs/core.md embeds the rules reference generated from the rules\' meta', () => {
  const doc = fs.readFileSync(path.join(repoRoot(), 'docs', 'core.md'), 'utf8');
  const section = /<!-- rules:start[^>]*-->\n([\s\S]*)<!-- rules:end -->/.exec(doc)?.[1];
  assert.equal(section, ruleDocsMarkdown(), 'regenerate the section with `node --import tsx scripts/gen-rule-docs.ts`');
});

test('src/core never imports vscode', () => {
  const bad: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && /from ['"]vscode['"]|require\(['"]vscode['"]\)/.test(fs.readFileSync(p, 'utf8'))) bad.push(p);
    }
  };
  walk(path.join(repoRoot(), 'src', 'core'));
  assert.deepEqual(bad, []);
});
