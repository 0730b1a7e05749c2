#!/usr/bin/env node
// The differential check of the prefilter's recall on whole corpora (test/corpus/prefilter-differential.ts):
// every file linted by the default linter and by an exhaustive one (every text scanned whole, no prefilter),
// results, ESLint JSON, the linter's references and findings compared. Runs on the given corpus folders (each with
// its bqmigrate.json), by default the realistic and the synthetic bench corpora, test/corpus written out,
// and the fixture workspaces. Exits 1 on any difference, or when a folder yields no file to compare. Usage: node bench/corpus/lint-differential.mjs [folder…]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleAndLoad } from './bundle.mjs';
import { ensureCorpus } from './generate.mjs';
import { ensureRealCorpus } from './real.mjs';

const root = path.resolve(import.meta.dirname, '..', '..');
const core = await bundleAndLoad(
  [
    "export { compareWithExhaustive } from './test/corpus/prefilter-differential';",
    "export { buildCorpus, writeCorpus } from './test/corpus/corpus';",
    "export { parseManifest } from './src/core/index';",
    "export { walkFiles } from './src/core/lint/walk';",
    "export { createGlobClassifier } from './src/core/lint/globs';",
  ],
  path.join(root, 'bench', '.corpus', '.build', 'differential.cjs'),
);

let folders = process.argv.slice(2);
let temp;
if (folders.length === 0) {
  temp = mkdtempSync(path.join(os.tmpdir(), 'bqmigrate-differential-'));
  core.writeCorpus(root, temp, core.buildCorpus(root, 3));
  folders = [
    path.join(root, 'bench', '.corpus', 'real'),
    path.join(root, 'bench', '.corpus', 'workspace'),
    temp,
    path.join(root, 'test', 'fixtures', 'workspace'),
    path.join(root, 'test', 'fixtures', 'cli', 'basic'),
  ];
  ensureRealCorpus(folders[0], console.log);
  ensureCorpus(folders[1], console.log);
}
let failed = 0;
for (const dir of folders) {
  const manifestFile = path.resolve(dir, 'bqmigrate.json');
  const parsed = core.parseManifest(readFileSync(manifestFile, 'utf8'), manifestFile);
  if (!parsed.ok) throw new Error(`${manifestFile}: ${JSON.stringify(parsed.problems)}`);
  const files = [];
  for await (const f of core.walkFiles([path.resolve(dir)], { classify: core.createGlobClassifier(parsed.loaded) })) if (f !== manifestFile) files.push(f);
  const t0 = performance.now();
  const r = core.compareWithExhaustive(files, parsed.loaded);
  const name = temp && dir === temp ? 'test/corpus (3 copies)' : path.relative(root, dir);
  console.log(`${name}: ${r.files} files, ${r.findings} findings, ${r.scanned} texts scanned, ${r.rejected} rejected by the prefilter, ${r.differences.length} differences (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  for (const d of r.differences.slice(0, 20)) console.log(`  ${path.relative(dir, d.file)}: ${d.what}`);
  failed += r.differences.length;
  if (r.files === 0) {
    // A folder that yields no file (a .gitignore above it, a wrong path) proves nothing: it fails the check.
    console.log(`  no file of ${dir} was linted: nothing was compared`);
    failed++;
  }
}
if (temp) rmSync(temp, { recursive: true, force: true });
process.exit(failed > 0 ? 1 : 0);
