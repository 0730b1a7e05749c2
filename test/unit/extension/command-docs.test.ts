import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { commandTableMarkdown, whenInWords } from '../../../src/extension/command-docs';
import { repoRoot } from '../lint/repo-root';

test('docs/extension.md embeds the commands table generated from package.json', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8'));
  const doc = fs.readFileSync(path.join(repoRoot(), 'docs', 'extension.md'), 'utf8');
  const section = /<!-- commands:start[^>]*-->\n([\s\S]*)<!-- commands:end -->/.exec(doc)?.[1];
  assert.equal(section, commandTableMarkdown(pkg), 'regenerate the table with `node --import tsx scripts/gen-command-docs.ts`');
  for (const c of pkg.contributes.commands as { command: string }[]) assert.ok(section!.includes(`\`${c.command}\``), c.command);
});

test('when-clauses read as words; a term without wording is an error naming it', () => {
  assert.equal(whenInWords('isWorkspaceTrusted && bqmigrate.hasManifest'), 'a manifest, **trusted workspace only**');
  assert.equal(whenInWords('false'), 'hidden: Mappings view item or internal');
  assert.throws(() => whenInWords('bqmigrate.hasManifest && resourceLangId == sql'), /"resourceLangId == sql" has no wording/);
});
