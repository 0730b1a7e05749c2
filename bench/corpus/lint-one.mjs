#!/usr/bin/env node
// One 10,000-line SQL file, linted again and again in a fresh process (as an editor or `bqmigrate lint` on
// one file would): medians of `scanText` alone, of `lintText` (scan + every rule) and of a bare charCodeAt
// loop over the same text (the machine's speed in this run). Prints one JSON line.
// Usage: node bench/corpus/lint-one.mjs <core bundle> <bqmigrate.json> [runs]
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tenThousandLineSql } from './generate.mjs';

const [bundle, manifestFile, runsArg] = process.argv.slice(2);
const core = createRequire(import.meta.url)(path.resolve(bundle));
const loaded = core.parseManifest(readFileSync(manifestFile, 'utf8'), manifestFile);
if (!loaded.ok) throw new Error(`manifest invalid: ${JSON.stringify(loaded.problems)}`);
const linter = core.createLinter(loaded.loaded);
const sql = tenThousandLineSql();
const file = path.join(path.dirname(manifestFile), 'ten_thousand_lines.sql');
const runs = Number(runsArg ?? 100);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const now = () => performance.now();
let sink = 0;
const bare = () => {
  let x = 0;
  for (let i = 0; i < sql.length; i++) x = (x + sql.charCodeAt(i)) | 0;
  sink ^= x;
};
const scan = [];
const lint = [];
const loop = [];
let violations = 0;
for (let k = 0; k < runs + 10; k++) {
  let t0 = now();
  bare();
  if (k >= 10) loop.push(now() - t0);
  t0 = now();
  core.scanText(sql, 'sql', linter.scanOptions);
  if (k >= 10) scan.push(now() - t0);
  t0 = now();
  violations = linter.lintText(sql, file).violations.length;
  if (k >= 10) lint.push(now() - t0);
}
console.log(JSON.stringify({
  bytes: Buffer.byteLength(sql),
  lines: sql.split('\n').length,
  violations,
  runs,
  loopMedianMs: median(loop),
  scanMedianMs: median(scan),
  scanMinMs: Math.min(...scan),
  lintMedianMs: median(lint),
  lintMinMs: Math.min(...lint),
  sink: sink === 0.5 ? 1 : 0,
}));
