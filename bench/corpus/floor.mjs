#!/usr/bin/env node
// The floor any JavaScript linter pays on the corpus: start node, start one worker thread per core, walk the
// corpus meanwhile and hand each worker its share; each worker reads every file of it, and then
//   decode (default): UTF-8-decodes it (fatal, as the linter does) and touches every character with a
//                     `charCodeAt` loop — what any linter that lexes the decoded text pays;
//   bytes:            nothing more — what even a scanner of the raw bytes (native or WebAssembly) pays in node.
// No lexing, no rules, no output. Usage: node bench/corpus/floor.mjs <dir> [decode|bytes] [workers];
// prints a checksum so the work cannot be skipped.
import { closeSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';

if (isMainThread) {
  const mode = process.argv[3] ?? 'decode';
  if (mode !== 'decode' && mode !== 'bytes') throw new Error(`floor.mjs: mode must be decode or bytes, not ${mode}`);
  const n = Number(process.argv[4] ?? availableParallelism());
  // The workers start first: their start overlaps the walk, as the linter's pool does.
  const workers = Array.from({ length: n }, () => new Worker(new URL(import.meta.url)));
  const files = [];
  (function walk(dir) {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === '.git') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else files.push(p);
    }
  })(process.argv[2]);
  let sum = 0;
  let done = 0;
  workers.forEach((worker, w) => {
    worker.on('message', (x) => {
      sum = (sum + x) | 0;
      if (++done === n) {
        console.log(`checksum ${sum}`);
        for (const v of workers) v.unref();
      }
    });
    worker.postMessage({ mode, files: files.filter((_, k) => k % n === w) });
  });
} else {
  parentPort.once('message', ({ mode, files }) => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let buf = Buffer.allocUnsafe(1 << 20);
    let x = 0;
    for (const f of files) {
      const fd = openSync(f, 'r');
      try {
        const size = fstatSync(fd).size;
        if (size > buf.length) buf = Buffer.allocUnsafe(2 * size);
        let got = 0;
        for (let r = 1; got < size && r > 0; got += r) r = readSync(fd, buf, got, size - got, got);
        if (mode === 'bytes') {
          x = (x + got + buf[got >> 1]) | 0;
          continue;
        }
        const t = decoder.decode(buf.subarray(0, got));
        for (let i = 0; i < t.length; i++) x = (x + t.charCodeAt(i)) | 0;
      } finally {
        closeSync(fd);
      }
    }
    parentPort.postMessage(x);
  });
}
