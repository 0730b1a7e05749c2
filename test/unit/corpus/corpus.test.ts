/**
 * The realistic corpus, measured through the built CLI (see test/corpus): recall, precision and
 * byte-identical fixes against the hand-written truth, a second fix that changes nothing, Python that
 * still compiles, notebooks that stay JSON — and the differential test against the naive finder, where
 * every disagreement is a listed decision.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { buildOnce } from '../cli/cli-helpers';
import { buildCorpus, unmark } from '../../corpus/corpus';
import { DECISIONS } from '../../corpus/decisions';
import { measure, summary, type Figures, type Found } from '../../corpus/measure';
import { naiveFinder } from '../../corpus/naive-finder';
import { repoRoot } from '../lint/repo-root';

let fig: Figures;
before(() => {
  buildOnce();
  fig = measure(20);
});

test('the corpus: every template yields distinct copies whose truth spans hold the legacy text', () => {
  const files = buildCorpus(repoRoot(), 3);
  assert.ok(new Set(files.map((f) => f.template)).size >= 20, 'at least 20 templates');
  assert.equal(new Set(files.map((f) => f.rel)).size, files.length, 'no two copies share a path');
  for (const f of files) {
    assert.ok(f.truth.length > 0, `${f.rel} holds references`);
    // A split reference's truth is its table field; the legacy dataset is in the other field, within 400 characters.
    for (const [s, e] of f.truth) assert.match(f.input.slice(s, e).includes('.') ? f.input.slice(s, e) : f.input.slice(Math.max(0, s - 400), e + 400), /models_v4|forecasting_data_warehouse|yahoo_finance_comprehensive/, f.rel);
  }
  assert.deepEqual(unmark('a «x.y→p.q» b «u.v→u.v»'), { input: 'a x.y b u.v', expected: 'a p.q b u.v', truth: [[2, 5], [8, 11]] });
  assert.throws(() => unmark('a «x.y b'), /not closed/);
  assert.deepEqual(unmark('d = "‹x→p›" t = "«y→q»"'), { input: 'd = "x" t = "y"', expected: 'd = "p" t = "q"', truth: [[13, 14]] }, 'a rewrite-only part is no finding');
});

test('the naive finder: plain regular expressions over the mappings, any quoting, placeholders and wildcards', () => {
  const find = naiveFinder('{"variables": {"h": ["1m", "12m"]}, "mappings": [{"from": "m.t_{h}", "to": "n.t_{h}"}, {"from": "w.{x}", "to": "n.w_{x}"}]}');
  const text = 'm.t_12m `p.m.t_1m` m\\`.\\`t_{h} m.t_2m xm.t_1m w.a_${b} w.INFORMATION_SCHEMA.COLUMNS m.__TABLES__ m.t_1m_rows';
  assert.deepEqual(find(text).map(([s, e]) => text.slice(s, e)), ['m.t_12m', 'm.t_1m', 'm\\`.\\`t_{h}', 'w.a_${b}', 'w.INFORMATION_SCHEMA', 'm.__TABLES__']);
  const split = 'dataset_id = "m"\ntable_id = "t_1m"\nc.dataset("w").table("any")\nSRC_DATASET=m\nSRC_TABLE=t_2m\n';
  assert.deepEqual(find(split).map(([s, e]) => split.slice(s, e)), ['t_1m', 'any'], 'split fields: a mapped pair is found at its table field');
});

test(`recall and precision on the realistic corpus are at least 99.5 %`, (t) => {
  for (const line of summary(fig).split('\n')) t.diagnostic(line);
  assert.equal(fig.lintExit, 1, 'lint exits 1 on the legacy references');
  const show = (xs: Found[]) => xs.slice(0, 10).map((x) => `${x.rel}@${x.start}: ${x.text}`).join('\n');
  assert.ok(fig.references >= 2000, `the corpus holds ${fig.references} references`);
  assert.ok(fig.found / fig.references >= 0.995, `recall ${fig.found}/${fig.references}; missed:\n${show(fig.misses)}`);
  assert.ok(fig.correctFindings / fig.findings >= 0.995, `precision ${fig.correctFindings}/${fig.findings}; false positives:\n${show(fig.falsePositives)}`);
});

test('fix: the fixed files are byte-identical to the hand-written rewrite in at least 99 % of files; a second fix changes nothing', () => {
  assert.ok(fig.identical / fig.files >= 0.99, `${fig.identical}/${fig.files} identical; not: ${fig.notIdentical.slice(0, 10).join(', ')}\n${fig.fixStderr}`);
  assert.deepEqual(fig.secondFixChanged, []);
});

test('fix: every Python file still compiles and every notebook is still JSON', { skip: spawnSync('python3', ['--version']).error ? 'python3 is not installed: the compile check needs it' : false }, () => {
  assert.ok(fig.pythonFiles >= 40);
  assert.deepEqual(fig.pythonErrors, []);
  assert.ok(fig.notebooks >= 20);
  assert.deepEqual(fig.notebookErrors, []);
});

test('differential: the scanner and the naive finder agree on every file but the listed decisions', () => {
  const explained = (x: Found, only: 'scanner' | 'naive') => DECISIONS.find((d) => d.only === only && d.template === x.template && d.text.test(x.text));
  const unexplained = [...fig.scannerOnly.filter((x) => !explained(x, 'scanner')).map((x) => `scanner only: ${x.rel}@${x.start}: ${x.text}`), ...fig.naiveOnly.filter((x) => !explained(x, 'naive')).map((x) => `naive only: ${x.rel}@${x.start}: ${x.text}`)];
  assert.deepEqual(unexplained.slice(0, 20), []);
  for (const d of DECISIONS) {
    const seen = (d.only === 'scanner' ? fig.scannerOnly : fig.naiveOnly).some((x) => x.template === d.template && d.text.test(x.text));
    assert.ok(seen, `the decision "${d.why}" (${d.template}) no longer happens: remove it`);
  }
});
