import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadManifestFile, parseManifest, type ManifestProblem } from '../../../src/core/manifest/load';
import { manifestJsonSchemaText } from '../../../src/core/manifest/json-schema';
import { exampleManifest, repoRoot } from '../lint/repo-root';

const base = (mappings: string, extra = '') => `{
  "project": "cbi-v14",
  "datasets": { "training": { "description": "t" }, "raw_intelligence": { "description": "r" } },
  "variables": { "horizon": ["1w", "1m", "3m"] },${extra}
  "mappings": [
${mappings}
  ]
}`;

const problemsOf = (text: string): { ok: boolean; problems: ManifestProblem[] } => {
  const r = parseManifest(text, 'bqmigrate.json');
  return { ok: r.ok, problems: r.problems };
};

test('the committed JSON Schema is exactly what the zod schema generates (run the generator when this fails)', () => {
  const file = path.join(repoRoot(), 'schemas', 'bqmigrate.schema.json');
  const committed = fs.readFileSync(file, 'utf8');
  assert.equal(committed, manifestJsonSchemaText(), 'schemas/bqmigrate.schema.json is stale: run `node --import tsx scripts/gen-manifest-schema.ts`');
  const schema = JSON.parse(committed);
  assert.deepEqual(schema.required, ['project', 'datasets']);
  const [tableMapping, columnMapping] = schema.properties.mappings.items.oneOf;
  assert.ok(tableMapping.properties.shimmedOn);
  // Every field of a column mapping says what it is, for the editor's hover.
  for (const [field, spec] of Object.entries(columnMapping.properties as Record<string, { description?: string }>)) assert.ok(spec.description, `column mapping field ${field} has no description`);
  assert.deepEqual(columnMapping.required, ['kind', 'table', 'from', 'to']);
});

test('the sample workspace manifest loads without a single problem', () => {
  const r = loadManifestFile(exampleManifest());
  assert.ok(r.ok, JSON.stringify(r.problems));
  assert.deepEqual(r.problems, []);
  assert.equal(Object.keys(r.loaded.manifest.datasets).length, 7);
});

test('a slot in "to" that "from" never binds is an error at the "to" value', () => {
  const text = base(`    { "from": "models_v4.x_{horizon}", "to": "training.zl_{h}" }`);
  const { ok, problems } = problemsOf(text);
  assert.equal(ok, false);
  const p = problems.find((x) => x.severity === 'error')!;
  assert.deepEqual(p.path, ['mappings', 0, 'to']);
  assert.match(p.message, /\{h\} in "to" has no value/);
  assert.equal(p.line, 6);
  assert.equal(p.column, text.split('\n')[5]!.indexOf('"training.zl_{h}"') + 1);
});

test('column mappings listed before table mappings: each table mapping is checked as itself, at its own index', () => {
  const text = base(`    { "kind": "column", "table": "training.t", "from": "a", "to": "b" },
    { "from": "models_v4.ok_{horizon}", "to": "training.zl_ok_{horizon}" },
    { "kind": "column", "table": "training.t", "from": "c", "to": "d" },
    { "from": "models_v4.x_{horizon}", "to": "training.zl_{h}" }`);
  const { ok, problems } = problemsOf(text);
  assert.equal(ok, false);
  const errors = problems.filter((x) => x.severity === 'error');
  assert.deepEqual(errors.map((p) => p.path), [['mappings', 3, 'to']]);
  assert.match(errors[0]!.message, /\{h\} in "to" has no value: "from" \(models_v4\.x_\{horizon\}\)/);
});

test('a slot that looks like a misspelt variable is a warning suggesting it', () => {
  const { ok, problems } = problemsOf(base(`    { "from": "models_v4.x_{horizn}", "to": "training.zl_{horizn}" }`));
  assert.equal(ok, true);
  assert.match(problems[0]!.message, /\{horizn\} is not in "variables".*did you mean \{horizon\}/);
  assert.equal(problems[0]!.severity, 'warning');
});

test('two templates of equal precedence that match one name with different targets: an error naming both positions', () => {
  const text = base(`    { "from": "models_v4.x_{horizon}", "to": "training.a_{horizon}" },
    { "from": "models_v4.x_{h2}", "to": "training.b_{h2}" },
    { "from": "models_v4.x_{wild}", "to": "training.c_{wild}" }`, `\n  "legacyDatasets": { "models_v4": { "description": "old" } },`).replace('"horizon": ["1w", "1m", "3m"]', '"horizon": ["1w", "1m", "3m"], "h2": ["1m", "6m"]');
  const { ok, problems } = problemsOf(text);
  assert.equal(ok, false);
  const amb = problems.filter((p) => /both match/.test(p.message));
  assert.equal(amb.length, 1, JSON.stringify(problems));
  assert.deepEqual(amb[0]!.path, ['mappings', 1, 'from']);
  assert.match(amb[0]!.message, /mappings\[0\] \(line 7:15\) and mappings\[1\] \(here\) both match "models_v4\.x_1m"/);
  assert.equal(amb[0]!.line, 8);
});

test('exact beats templated beats wildcard: overlapping entries of different tiers are not ambiguous', () => {
  const { ok, problems } = problemsOf(base(`    { "from": "models_v4.x_1m", "to": "training.exact_1m" },
    { "from": "models_v4.x_{horizon}", "to": "training.t_{horizon}" },
    { "from": "models_v4.{table}", "to": "training.w_{table}" }`));
  assert.ok(ok, JSON.stringify(problems));
});

test('two wildcards with the same literal text overlap: ambiguous with a witness name', () => {
  const { ok, problems } = problemsOf(base(`    { "from": "fdw.{a}_prices", "to": "raw_intelligence.p_{a}" },
    { "from": "fdw.soy_{b}", "to": "raw_intelligence.s_{b}" }`));
  // literal lengths differ ("fdw._prices" vs "fdw.soy_"), so the longer literal wins: not ambiguous
  assert.ok(ok, JSON.stringify(problems));
  const r = problemsOf(base(`    { "from": "fdw.{a}_pric", "to": "raw_intelligence.p_{a}" },
    { "from": "fdw.soyb_{b}", "to": "raw_intelligence.s_{b}" }`));
  assert.equal(r.ok, false);
  assert.match(r.problems[0]!.message, /both match "fdw\.soyb_\w*pric"/);
});

test('an invalid segment regex is an error at the regex, not a crash', () => {
  const text = base('', `\n  "naming": { "training": { "pattern": "{a}_{b}", "segments": { "a": { "regex": "([" } } } },`);
  const { ok, problems } = problemsOf(text);
  assert.equal(ok, false);
  assert.deepEqual(problems[0]!.path, ['naming', 'training', 'segments', 'a', 'regex']);
  assert.match(problems[0]!.message, /invalid regular expression/);
});

test('a new name that fails its dataset convention, or is itself mapped, is a warning', () => {
  const text = base(`    { "from": "models_v4.x_{horizon}", "to": "training.zl_trainng_{horizon}" },
    { "from": "models_v4.y", "to": "models_v4.x_1m" }`, `\n  "naming": { "training": { "pattern": "zl_training_{horizon}" } },`);
  const { ok, problems } = problemsOf(text);
  assert.equal(ok, true);
  assert.ok(problems.some((p) => /new name training\.zl_trainng_1w does not follow zl_training_\{horizon\}/.test(p.message) && p.severity === 'warning'), JSON.stringify(problems));
  assert.ok(problems.some((p) => /new name models_v4\.x_1m is itself a legacy name \(mappings\[0\]/.test(p.message)));
});

test('a "to" longer than BigQuery allows is an error', () => {
  const long = 'a'.repeat(1030);
  const { ok, problems } = problemsOf(base(`    { "from": "models_v4.x", "to": "training.${long}" }`));
  assert.equal(ok, false);
  assert.match(problems.find((p) => p.severity === 'error')!.message, /at most 1024 characters/);
});

test('labels BigQuery would refuse are errors at their line:column, with what is wrong; legal ones load', () => {
  const text = `{
  "project": "cbi-v14",
  "datasets": {
    "training": { "description": "t", "labels": { "Team": "Data Science" } },
    "raw_intelligence": { "description": "r", "labels": { "team": "data-science", "région": "été_2019", "empty": "" } }
  },
  "mappings": [
    { "from": "models_v4.a", "to": "training.b", "metadata": { "labels": { "1owner": "x" } } },
    { "from": "models_v4.c", "to": "training.d", "metadata": { "labels": { "owner": "${'x'.repeat(64)}" } } }
  ]
}`;
  const { ok, problems } = problemsOf(text);
  assert.equal(ok, false);
  const labelProblems = problems.filter((p) => /label/.test(p.message));
  assert.deepEqual(
    labelProblems.map((p) => [p.line, p.path.join('.')]),
    [
      [4, 'datasets.training.labels.Team'],
      [8, 'mappings.0.metadata.labels.1owner'],
      [9, 'mappings.1.metadata.labels.owner'],
    ],
  );
  assert.match(labelProblems[0]!.message, /label key "Team" contains "T" \(U\+0054\) at position 1 \(labels are lowercase: "team"\)/);
  assert.equal(labelProblems[0]!.column, text.split('\n')[3]!.indexOf('"Data Science"') + 1);
  assert.match(labelProblems[1]!.message, /must start with a lowercase letter/);
  assert.match(labelProblems[2]!.message, /longer than 63 characters/);
  assert.ok(!problems.some((p) => p.path.includes('raw_intelligence')), 'lowercase, international characters and an empty value are legal');
});
