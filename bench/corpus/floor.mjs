#!/usr/bin/env node
// The floor any JavaScript linter pays on the corpus: start node, start one worker thread per core, and have
// them read, UTF-8-decode (fatal, as the linter does) and touch every character of every file — no lexing.
// Usage: node bench/corpus/floor.mjs <dir> [workers]; prints the checksum so the work cannot be skipped.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';

if (isMainThread) {
  const files = [];
  (function walk(dir) {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === '.git') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else files.push(p);
    }
  })(process.argv[2]);
  const n = Number(process.argv[3] ?? availableParallelism());
  let sum = 0;
  let done = 0;
  for (let w = 0; w < n; w++) {
    const worker = new Worker(new URL(import.meta.url), { workerData: files.filter((_, k) => k % n === w) });
    worker.on('message', (x) => {
      sum = (sum + x) | 0;
      if (++done === n) console.log(`checksum ${sum}`);
    });
  }
} else {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let x = 0;
  for (const f of workerData) {
    const t = decoder.decode(readFileSync(f));
    for (let i = 0; i < t.length; i++) x = (x + t.charCodeAt(i)) | 0;
  }
  parentPort.postMessage(x);
}
