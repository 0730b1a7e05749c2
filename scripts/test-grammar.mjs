#!/usr/bin/env node
// Grammar tests: runs every test/grammar/*.syntax-test file (vscode-tmgrammar-test format)
// against syntaxes/bqmigrate.injection.tmLanguage.json injected into the base grammars in
// test/grammar/base/. Each scope assertion (a `^^^` line) counts as one test. Writes
// test-results/grammar.json { passed, failed, tests } and prints `N passed, N failed`.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { createRegistry } = require('vscode-tmgrammar-test/dist/common/index.js');
const { parseGrammarTestCase, missingScopes_ } = require('vscode-tmgrammar-test/dist/unit/index.js');

const root = path.resolve(import.meta.dirname, '..');
const grammarDir = path.join(root, 'test', 'grammar');
const baseDir = path.join(grammarDir, 'base');
const resultsDir = process.env.BQMIGRATE_TEST_RESULTS ?? path.join(root, 'test-results');

// The injection grammar's injectTo comes from package.json, as VS Code reads it.
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const contributed = (pkg.contributes?.grammars ?? []).filter((g) => g.injectTo);
if (contributed.length === 0) {
  console.error('package.json contributes no injection grammar (contributes.grammars[].injectTo)');
  process.exit(1);
}
const grammars = [
  ...contributed.map((g) => ({ path: path.join(root, g.path), scopeName: g.scopeName, injectTo: g.injectTo })),
  ...readdirSync(baseDir)
    .filter((f) => f.endsWith('.tmLanguage.json'))
    .map((f) => {
      const p = path.join(baseDir, f);
      return { path: p, scopeName: JSON.parse(readFileSync(p, 'utf8')).scopeName };
    }),
];
const registry = createRegistry(grammars);

const tests = [];
const cases = readdirSync(grammarDir).filter((f) => f.endsWith('.syntax-test')).sort();
for (const file of cases) {
  const rel = path.join('test', 'grammar', file);
  let testCase;
  try {
    testCase = parseGrammarTestCase(readFileSync(path.join(grammarDir, file), 'utf8'));
  } catch (err) {
    tests.push({ title: `${rel}: parse`, state: 'failed', error: String(err?.message ?? err) });
    continue;
  }
  const grammar = await registry.loadGrammar(testCase.metadata.scope);
  if (!grammar) {
    tests.push({ title: `${rel}: load`, state: 'failed', error: `no grammar for scope ${testCase.metadata.scope}` });
    continue;
  }
  // Tokenize every line in order (rule stacks carry over), then check each assertion on its own.
  let ruleStack = null;
  const tokensByLine = testCase.source.map((line) => {
    const r = grammar.tokenizeLine(line, ruleStack);
    ruleStack = r.ruleStack;
    return r.tokens;
  });
  for (const line of testCase.assertions) {
    const source = testCase.source[line.sourceLineNumber];
    for (const a of line.scopeAssertions) {
      const title = `${rel}:${line.testCaseLineNumber + 1} "${source.slice(a.from, a.to)}" ${[...a.scopes, ...a.exclude.map((s) => `-${s}`)].join(' ')}`;
      const tokens = tokensByLine[line.sourceLineNumber].filter((t) => a.from < t.endIndex && a.to > t.startIndex);
      const problems = [];
      if (tokens.length === 0) problems.push('no token at these columns');
      for (const t of tokens) {
        const missing = missingScopes_(a.scopes, t.scopes);
        const unexpected = a.exclude.filter((s) => t.scopes.includes(s));
        if (missing.length || unexpected.length) {
          problems.push(`"${source.slice(t.startIndex, t.endIndex)}"${missing.length ? ` missing ${missing.join(' ')}` : ''}${unexpected.length ? ` unexpected ${unexpected.join(' ')}` : ''}; actual ${t.scopes.join(' ')}`);
        }
      }
      tests.push(problems.length ? { title, state: 'failed', error: `source: ${source}\n${problems.join('\n')}` } : { title, state: 'passed' });
    }
  }
}
if (cases.length === 0) tests.push({ title: 'test/grammar', state: 'failed', error: 'no *.syntax-test files found' });

const passed = tests.filter((t) => t.state === 'passed').length;
const failed = tests.length - passed;
for (const t of tests.filter((x) => x.state === 'failed')) console.log(`✘ ${t.title}\n${t.error.replace(/^/gm, '    ')}`);
mkdirSync(resultsDir, { recursive: true });
const out = path.join(resultsDir, 'grammar.json');
writeFileSync(`${out}.tmp`, JSON.stringify({ passed, failed, tests }, null, 2));
renameSync(`${out}.tmp`, out);
console.log(`grammar: ${cases.length} files`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
