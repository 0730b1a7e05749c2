/**
 * Formatters at scale: a million findings in one file go through stylish, json and sarif as a stream of
 * small chunks (no spread of the findings into a call, no single string of the whole output), and the
 * output is whole: every finding is there and json / sarif parse.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileLintResult } from '../../../src/core/lint/file-lint';
import { SarifWriter, writeJson, writeStylishFile } from '../../../src/cli/format/index';
import { repoRoot } from '../lint/repo-root';

const N = 1_000_000;

function millionFindings(): FileLintResult {
  const r: FileLintResult = { filePath: '/w/big.sql', violations: [], positions: [] };
  for (let i = 0; i < N; i++) {
    const start = i * 46 + 14;
    r.violations.push({
      ruleId: 'legacy-reference',
      severity: 'error',
      message: 'models_v4.t was renamed to training.t',
      range: { start, end: start + 11 },
      fix: { title: 'Rename to training.t', safety: 'safe', edits: [{ start, end: start + 9, text: 'training' }] },
    });
    r.positions.push({ line: i + 1, column: 15, endLine: i + 1, endColumn: 26 });
  }
  return r;
}

/** Counts what is written without keeping it; remembers the largest single write. */
function countingOut(probe?: (s: string) => void) {
  const o = { writes: 0, bytes: 0, largest: 0, newlines: 0, write(s: string) {
    o.writes++;
    o.bytes += s.length;
    o.largest = Math.max(o.largest, s.length);
    for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) o.newlines++;
    probe?.(s);
  } };
  return o;
}

const big = millionFindings();

test('stylish writes a million findings of one file row by row, in small chunks', () => {
  const out = countingOut();
  writeStylishFile(out, big, '/w');
  assert.equal(out.newlines, N + 2, 'a blank line, the file name, then one row per finding');
  assert.ok(out.largest < 1 << 20, `largest write ${out.largest} characters`);
  assert.ok(out.writes > 100);
});

test('json streams a million findings and the text parses back to all of them', () => {
  const parts: string[] = [];
  const out = countingOut((s) => parts.push(s));
  writeJson(out, { cwd: '/w', results: [big] });
  assert.ok(out.largest < 4 << 20, `largest write ${out.largest} characters`);
  const parsed = JSON.parse(parts.join('')) as { messages: unknown[]; errorCount: number; fixableErrorCount: number }[];
  assert.equal(parsed[0]!.messages.length, N);
  assert.equal(parsed[0]!.errorCount, N);
  assert.equal(parsed[0]!.fixableErrorCount, N);
});

test('sarif streams a million findings as one document: each result parses, and so does the rest around them', () => {
  // The whole document is over V8's string limit (that is the point): read it line by line instead.
  const kept: string[] = [];
  let results = 0;
  let pending = '';
  const onLine = (line: string) => {
    if (!line.startsWith('        {"ruleId"')) return void kept.push(line);
    results++;
    if (results % 100_000 === 1) assert.equal((JSON.parse(line.replace(/,$/, '')) as { ruleIndex: number }).ruleIndex >= 0, true);
  };
  const out = countingOut((s) => {
    const lines = (pending + s).split('\n');
    pending = lines.pop()!;
    for (const l of lines) onLine(l);
  });
  const w = new SarifWriter(out, '/w', '0.0.0');
  w.addFile(big);
  w.addFile({ filePath: '/w/b.bin', violations: [], positions: [], note: 'binary file', unscanned: 'binary' });
  w.finish([{ path: '/w/vendor', folder: true, reason: 'excluded', detail: 'exclude glob vendor/**' }]);
  onLine(pending);
  assert.ok(out.largest < 4 << 20, `largest write ${out.largest} characters`);
  assert.equal(results, N);
  const doc = JSON.parse(kept.join('\n')) as { runs: { results: unknown[]; invocations: { toolExecutionNotifications: unknown[] }[] }[] };
  assert.deepEqual(doc.runs[0]!.results, []);
  assert.equal(doc.runs[0]!.invocations[0]!.toolExecutionNotifications.length, 2);
});

/** Every .ts file under a folder. */
function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

test('no spread of an array into Math.max / Math.min anywhere in src, nor into push in the lint, fix, scan, rules and CLI code', () => {
  const root = path.join(repoRoot(), 'src');
  const found: string[] = [];
  // validate.ts is being reworked separately; its table has one row per validation check.
  const exempt = new Set([path.join(root, 'core', 'phases', 'validate.ts')]);
  const pushChecked = ['core/lint', 'core/fix', 'core/scan', 'core/rules', 'core/match', 'core/text', 'cli'].map((d) => path.join(root, d) + path.sep);
  for (const file of sources(root)) {
    if (exempt.has(file)) continue;
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (/^\s*(\*|\/\/)/.test(line)) return; // comments may name what they forbid
      const where = `${path.relative(root, file)}:${i + 1}: ${line.trim()}`;
      if (/Math\.(max|min)\([^)]*\.\.\./.test(line)) found.push(where);
      if (pushChecked.some((d) => file.startsWith(d)) && /\.(push|unshift)\(\s*\.\.\./.test(line)) found.push(where);
    });
  }
  assert.deepEqual(found, [], 'use maxOf / minOf / appendAll from src/core/arrays.ts: a spread of ~100,000 elements overflows the stack');
});
