import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { RULE_IDS } from '../../../src/core/manifest/schema';
import { ruleMetas } from '../../../src/core/rules/index';
import { repoRoot } from '../lint/repo-root';
import { rejectedSettings, SettingsSchema } from '../../../src/extension/settings-schema';

test('empty settings parse to the documented defaults', () => {
  const s = SettingsSchema.parse({});
  assert.deepEqual(s, {
    manifest: '',
    lint: { run: 'onType', debounceMs: 150, exclude: [], workspaceScan: true, cache: true },
    rules: {},
    bigquery: { backend: 'local', keyFile: '', apiEndpoint: '', maximumBytesBilled: 0 },
    history: { pollSeconds: 15, maxPollSeconds: 300 },
  });
});

test('the history polling settings: package.json declares the schema\'s defaults; a bad value falls back to its default alone', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default?: unknown; description?: string }> } } };
  const props = pkg.contributes.configuration.properties;
  const defaults = SettingsSchema.parse({}).history;
  assert.equal(props['bqmigrate.history.pollSeconds']?.default, defaults.pollSeconds);
  assert.equal(props['bqmigrate.history.maxPollSeconds']?.default, defaults.maxPollSeconds);
  assert.match(props['bqmigrate.history.pollSeconds']?.description ?? '', /dashboard or the Phases view/);
  const raw = { history: { pollSeconds: -1, maxPollSeconds: 60 } };
  const s = SettingsSchema.parse(raw);
  assert.deepEqual(s.history, { pollSeconds: 15, maxPollSeconds: 60 });
  assert.deepEqual(rejectedSettings(raw, s), ['bqmigrate.history.pollSeconds = -1']);
});

test('a bad value falls back to its default and is reported with its key; good values next to it stay', () => {
  const raw = { lint: { run: 'always', debounceMs: 40, exclude: ['vendor/**'] }, bigquery: { backend: 'bigquery', maximumBytesBilled: -5 } };
  const s = SettingsSchema.parse(raw);
  assert.equal(s.lint.run, 'onType');
  assert.equal(s.lint.debounceMs, 40);
  assert.deepEqual(s.lint.exclude, ['vendor/**']);
  assert.equal(s.bigquery.backend, 'bigquery');
  assert.equal(s.bigquery.maximumBytesBilled, 0);
  assert.deepEqual(rejectedSettings(raw, s).sort(), ['bqmigrate.bigquery.maximumBytesBilled = -5', 'bqmigrate.lint.run = "always"']);
});

test('rule overrides keep valid entries and drop a misspelt rule or severity only', () => {
  const raw = { rules: { 'naming-convention': 'off', 'legacy-refrence': 'error', 'unknown-dataset': 'loud', 'shim-reference': 'info' } };
  const s = SettingsSchema.parse(raw);
  assert.deepEqual(s.rules, { 'naming-convention': 'off', 'shim-reference': 'info' });
  assert.equal(rejectedSettings(raw, s).length, 1);
  assert.match(rejectedSettings(raw, s)[0]!, /^bqmigrate\.rules = /);
});

test('a wrong type for a whole section falls back to that section\'s defaults', () => {
  const s = SettingsSchema.parse({ lint: 'fast', rules: ['x'] });
  assert.equal(s.lint.run, 'onType');
  assert.deepEqual(s.rules, {});
});

test('the rule ids are one list: the manifest schema, the rule index and package.json settings agree', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { properties?: Record<string, unknown> }> } } };
  const sorted = (a: Iterable<string>) => [...a].sort();
  assert.deepEqual(sorted(ruleMetas.map((m) => m.id)), sorted(RULE_IDS));
  assert.deepEqual(sorted(Object.keys(pkg.contributes.configuration.properties['bqmigrate.rules']!.properties ?? {})), sorted(RULE_IDS));
  for (const id of RULE_IDS) assert.deepEqual(SettingsSchema.parse({ rules: { [id]: 'off' } }).rules, { [id]: 'off' }, id);
});
