import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import { bqmigrate, buildOnce, copyFixture, snapshot } from './cli-helpers';
import { repoRoot } from '../lint/repo-root';

let ws: string;
before(() => {
  buildOnce();
  ws = copyFixture('basic');
});

test('--version and --help list the commands', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8'));
  assert.equal(bqmigrate(['--version'], ws).stdout.trim(), pkg.version);
  const help = bqmigrate(['--help'], ws);
  assert.equal(help.code, 0);
  for (const c of ['lint', 'fix', 'mappings', 'explain-name', 'import-inventory']) assert.match(help.stdout, new RegExp(`\\n  ${c} `));
  assert.match(bqmigrate(['lint', '--help'], ws).stdout, /--max-warnings N/);
});

test('lint (stylish): findings per file, the manifest and excluded folders skipped, exit 1 on errors, writes nothing', () => {
  const before = snapshot(ws);
  const r = bqmigrate(['lint'], ws);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /\nqueries\/daily\.sql\n {2}3:6 {2}error {4}models_v4\.production_training_data_1m was renamed to training\.zl_training_prod_allhistory_1m \(fixable\) {2}legacy-reference\n/);
  assert.match(r.stdout, /queries\/naming\.sql\n {2}1:15 {2}warning {2}.*segment \{regime\} is "trump2023"/);
  assert.doesNotMatch(r.stdout, /bqmigrate\.json|vendor\/ignored\.sql|clean\.sql/);
  assert.match(r.stdout, /✖ 8 problems \(7 errors, 1 warning\)\n {2}6 errors and 0 warnings fixable with `bqmigrate fix`\./);
  assert.doesNotMatch(r.stderr, /files…/, 'no progress when stderr is not a terminal');
  assert.deepEqual(snapshot(ws), before);
});

test('lint --format json has ESLint\'s shape exactly, with 1-based positions and applicable fixes', () => {
  const r = bqmigrate(['lint', '--format', 'json'], ws);
  assert.equal(r.code, 1);
  const results = JSON.parse(r.stdout) as any[];
  for (const f of results) {
    // Files not read are listed too, with why: an ESLint result without messages and an "unscanned" reason.
    assert.deepEqual(Object.keys(f).sort(), ['errorCount', 'filePath', 'fixableErrorCount', 'fixableWarningCount', 'messages', 'warningCount', ...(f.unscanned ? ['unscanned'] : [])].sort());
    if (f.unscanned) assert.deepEqual(Object.keys(f.unscanned), ['reason', 'detail', 'folder']);
    assert.ok(path.isAbsolute(f.filePath));
    assert.equal(f.errorCount, f.messages.filter((m: any) => m.severity === 2).length);
    assert.equal(f.warningCount, f.messages.filter((m: any) => m.severity === 1).length);
    for (const m of f.messages) {
      assert.deepEqual(Object.keys(m).filter((k) => k !== 'fix').sort(), ['column', 'endColumn', 'endLine', 'line', 'message', 'ruleId', 'severity']);
      assert.ok(m.severity === 1 || m.severity === 2);
    }
  }
  const daily = results.find((f) => f.filePath.endsWith(path.join('queries', 'daily.sql')));
  const text = fs.readFileSync(daily.filePath, 'utf8');
  const m = daily.messages[0];
  assert.equal(text.split('\n')[m.line - 1]!.slice(m.column - 1, m.endColumn - 1), '`cbi-v14.models_v4.production_training_data_1m`');
  assert.deepEqual(m.fix.range.map((o: number) => text.slice(0, o).split('\n').length), [3, 3]);
  assert.equal(text.slice(m.fix.range[0], m.fix.range[1]), 'models_v4.production_training_data_1m');
  assert.equal(m.fix.text, 'training.zl_training_prod_allhistory_1m');
  const train = results.find((f) => f.filePath.endsWith('train.py'));
  assert.equal(train.messages.find((x: any) => /corn_prices/.test(x.message)).fix, undefined, 'a planned mapping has no safe fix');
  assert.equal(train.fixableErrorCount, 2);
});

test('lint --format sarif validates against the SARIF 2.1.0 schema', () => {
  const schemaFile = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false }) // the published schema has a pattern that is invalid under the u flag;
  const validate = ajv.compile(schema);
  const r = bqmigrate(['lint', '--format', 'sarif'], ws);
  assert.equal(r.code, 1);
  assert.ok(r.stdout.length > 0, `code ${r.code} stderr: ${r.stderr}`);
  const log = JSON.parse(r.stdout);
  assert.ok(validate(JSON.parse(r.stdout)), JSON.stringify(validate.errors, null, 2));
  assert.equal(log.version, '2.1.0');
  const run = log.runs[0];
  assert.deepEqual(run.tool.driver.rules.map((x: any) => x.id), ['archived-reference', 'legacy-column', 'legacy-reference', 'naming-convention', 'shim-reference', 'unknown-dataset']);
  const legacyRule = run.tool.driver.rules.find((x: any) => x.id === 'legacy-reference');
  assert.equal(legacyRule.properties.fixSafety, 'sometimes');
  assert.match(legacyRule.properties.fixSafetyWhen, /unsafe while it is `planned`/);
  assert.equal(run.results.length, 8);
  const first = run.results.find((x: any) => x.locations[0].physicalLocation.artifactLocation.uri === 'queries/daily.sql');
  assert.deepEqual(first.locations[0].physicalLocation.region, { startLine: 3, startColumn: 6, endLine: 3, endColumn: 53, charOffset: 50, charLength: 47 });
  assert.equal(first.fixes[0].artifactChanges[0].replacements[0].insertedContent.text, 'training.zl_training_prod_allhistory_1m');
  // A broken log must fail the same validator: the test can fail.
  delete log.runs[0].tool;
  assert.equal(validate(JSON.parse(JSON.stringify(log))), false);
});

test('--max-warnings and --rule decide the exit code', () => {
  const naming = path.join('queries', 'naming.sql');
  assert.equal(bqmigrate(['lint', naming], ws).code, 0);
  const over = bqmigrate(['lint', naming, '--max-warnings', '0'], ws);
  assert.equal(over.code, 1);
  assert.match(over.stderr, /1 warnings, more than --max-warnings 0/);
  assert.equal(bqmigrate(['lint', naming, '--rule', 'naming-convention:error'], ws).code, 1);
  assert.equal(bqmigrate(['lint', 'queries/daily.sql', '--rule', 'legacy-reference:off'], ws).code, 0);
  assert.equal(bqmigrate(['lint', path.join('queries', 'clean.sql'), '--max-warnings', '0'], ws).code, 0);
});

test('usage errors exit 2 with the command usage', () => {
  const bad = bqmigrate(['lint', '--rule', 'no-such-rule:error'], ws);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown rule "no-such-rule"/);
  assert.match(bad.stderr, /usage: bqmigrate lint/);
  assert.equal(bqmigrate(['lint', '--format', 'xml'], ws).code, 2);
  assert.equal(bqmigrate(['lint', '--frobnicate'], ws).code, 2);
  assert.equal(bqmigrate(['no-such-command'], ws).code, 2);
});

test('a malformed manifest: exit 2 with file:line:column and what was expected', () => {
  const dir = copyFixture('basic');
  const file = path.join(dir, 'bqmigrate.json');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"status": "planned"', '"status": "later"'));
  const r = bqmigrate(['lint'], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /bqmigrate\.json:14:\d+: mappings\.2\.status: expected one of "planned", "migrated", "shimmed", "archived", "dropped"/);
  fs.writeFileSync(file, '{ "project": "cbi-v14", ');
  assert.match(bqmigrate(['lint'], dir).stderr, /bqmigrate\.json:1:\d+: invalid JSON/);
  const none = fs.mkdtempSync(path.join(fs.realpathSync(require('node:os').tmpdir()), 'bqmigrate-none-'));
  const missing = bqmigrate(['lint'], none);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no bqmigrate\.json/);
});

test('bad input files: NUL bytes, non-UTF-8, a 50 MB one-line file, a missing path — notes, and the run continues', () => {
  const dir = copyFixture('basic');
  fs.writeFileSync(path.join(dir, 'queries', 'nul.sql'), Buffer.from('SELECT 1\0'));
  fs.writeFileSync(path.join(dir, 'queries', 'latin1.sql'), Buffer.from([0x2d, 0x2d, 0xe9, 0x0a]));
  fs.writeFileSync(path.join(dir, 'big.sql'), `${'SELECT 1 AS x, '.repeat(50 * 1024 * 1024 / 15)}models_v4.trump_rich_2023_2025`);
  fs.symlinkSync(path.join(dir, 'nowhere.sql'), path.join(dir, 'queries', 'dangling.sql'));
  const before = snapshot(dir);
  const r = bqmigrate(['lint', '.', 'missing.sql', '--format', 'json'], dir);
  assert.equal(r.code, 2, 'a named path that cannot be read is an error');
  assert.match(r.stderr, /missing\.sql: no such file or folder \(check the path\)\n/);
  assert.match(r.stderr, /queries\/nul\.sql:1:9: a NUL byte: a binary file, skipped/);
  assert.match(r.stderr, /queries\/latin1\.sql: not UTF-8 text, skipped/);
  const results = JSON.parse(r.stdout) as any[];
  const unscanned = Object.fromEntries(results.filter((f) => f.unscanned).map((f) => [path.relative(dir, f.filePath), f.unscanned.reason]));
  assert.deepEqual(unscanned, { 'bqmigrate.json': 'manifest', 'queries/dangling.sql': 'unreadable', 'queries/latin1.sql': 'not-utf8', 'queries/nul.sql': 'binary', vendor: 'excluded' });
  const big = results.find((f) => f.filePath.endsWith('big.sql'));
  assert.equal(big.messages[0].ruleId, 'legacy-reference');
  assert.equal(big.messages[0].line, 1);
  assert.ok(results.some((f) => f.filePath.endsWith('daily.sql') && f.errorCount === 2), 'the other files are still linted');
  assert.deepEqual(snapshot(dir), before, 'lint writes nothing');
  const capped = bqmigrate(['lint', 'big.sql', '--max-file-size', '10'], dir);
  assert.match(capped.stderr, /big\.sql: file is 50\.0 MB, over the 10 MB limit, skipped/);
});

test('a run big enough for the worker pool gives the same json, stylish and sarif output, notes and exit code as in-process', () => {
  const dir = copyFixture('basic');
  const sources = ['queries', 'pipelines'].flatMap((d) => fs.readdirSync(path.join(dir, d)).map((f) => path.join(dir, d, f)));
  for (let i = 0; i < 90; i++) {
    const src = sources[i % sources.length]!;
    const sub = path.join(dir, 'many', `p${i % 4}`);
    fs.mkdirSync(sub, { recursive: true });
    // Non-ASCII names and text, quotes and backslashes: the workers write the JSON as UTF-8 bytes.
    fs.writeFileSync(path.join(sub, `f${i}-ü${path.extname(src)}`), `-- "é😀" \\ ${i}\n${fs.readFileSync(src, 'utf8')}`);
  }
  fs.writeFileSync(path.join(dir, 'many', 'nul.sql'), Buffer.from('SELECT 1\0'));
  for (const format of ['json', 'stylish', 'sarif']) {
    const pooled = bqmigrate(['lint', '--format', format, '--workers', '2'], dir);
    const inline = bqmigrate(['lint', '--format', format, '--workers', '0'], dir);
    assert.equal(pooled.code, 1, pooled.stderr);
    assert.equal(pooled.code, inline.code);
    assert.equal(pooled.stdout, inline.stdout, format);
    assert.equal(pooled.stderr, inline.stderr, format);
    assert.match(pooled.stderr, /many\/nul\.sql:1:9: a NUL byte: a binary file/);
  }
  const results = JSON.parse(bqmigrate(['lint', '--format', 'json'], dir).stdout) as { filePath: string; errorCount: number }[];
  assert.ok(results.length > 90);
  assert.ok(results.filter((f) => /many\/p\d\/f\d+-ü\./.test(f.filePath) && f.errorCount > 0).length >= 40);
});
