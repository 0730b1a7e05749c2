#!/usr/bin/env node
// The floor of `lint --cache` with nothing changed, for any implementation in node of the ESLint cache
// convention (a file's entry holds while its size and mtime do): start node, stat every folder of the corpus
// (a folder's mtime says its list of entries still holds, so none is read) and every file, read the stored
// output and write it to stdout. No cache format to parse, no module to load, no check of the stored bytes.
// Usage: node bench/corpus/warm-floor.mjs <paths file: one folder or file per line> <output file>
import { readFileSync, statSync, writeSync } from 'node:fs';

const paths = readFileSync(process.argv[2], 'utf8').split('\n');
let x = 0;
for (const p of paths) if (p) x += statSync(p).mtimeMs;
const out = readFileSync(process.argv[3]);
for (let at = 0; at < out.length; ) at += writeSync(1, out, at, out.length - at);
if (Number.isNaN(x)) process.exitCode = 2;
