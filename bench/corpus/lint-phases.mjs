#!/usr/bin/env node
// Where a cold lint's time goes, phase by phase, in one thread, as a lint worker spends it: the linter's own
// walk (the CLI's main thread), stat + read (and, for comparison, one open, fstat and read into a reused
// buffer), the byte checks (NUL, UTF-8), the prefilter on the bytes, decoding what it lets through, `lintText`
// (scan + rules) of those texts, and ESLint JSON rendering; for comparison, decoding and scanning every file
// whole (the exhaustive linter). Each phase runs over the whole corpus before the next (so each is timed
// alone) after one untimed warm-up pass; CPU milliseconds. Prints one JSON line. With --cold there is no
// warm-up pass: each phase then also pays for V8 compiling and optimising its code, as each lint worker does.
// Usage: node bench/corpus/lint-phases.mjs [corpus folder, default bench/.corpus/real] [--cold]
import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { bundleAndLoad } from './bundle.mjs';

const root = path.resolve(import.meta.dirname, '..', '..');
const args = process.argv.slice(2);
const cold = args.includes('--cold');
const dir = path.resolve(args.find((a) => a !== '--cold') ?? path.join(root, 'bench', '.corpus', 'real'));
const core = await bundleAndLoad(
  [
    "export { createLinter, parseManifest } from './src/core/index';",
    "export { walkFiles } from './src/core/lint/walk';",
    "export { createGlobClassifier } from './src/core/lint/globs';",
    "export { decodeChecked, refuseBytes } from './src/core/lint/read';",
    "export { positionsOf } from './src/core/lint/file-lint';",
    "export { renderEslintJson } from './src/core/lint/worker';",
  ],
  path.join(root, 'bench', '.corpus', '.build', 'phases.cjs'),
);

const manifestFile = path.join(dir, 'bqmigrate.json');
const parsed = core.parseManifest(readFileSync(manifestFile, 'utf8'), manifestFile);
if (!parsed.ok) throw new Error(`manifest invalid: ${JSON.stringify(parsed.problems)}`);
const loaded = parsed.loaded;
const linter = core.createLinter(loaded);
const exhaustive = core.createLinter(loaded, { exhaustive: true });
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const phases = {};
const time = (name, f) => {
  const t0 = cpu();
  const r = f();
  phases[name] = Math.round(cpu() - t0);
  return r;
};

const files = [];
{
  const t0 = cpu();
  for await (const f of core.walkFiles([dir], { classify: core.createGlobClassifier(loaded) })) if (f !== manifestFile) files.push(f);
  phases.walk = Math.round(cpu() - t0);
}
const bufs = time('statAndRead', () => files.map((f) => (statSync(f), readFileSync(f))));
let scratch = Buffer.allocUnsafe(1 << 20);
time('openFstatRead (reused buffer)', () => {
  for (const f of files) {
    const fd = openSync(f, 'r');
    const size = fstatSync(fd).size;
    if (size > scratch.length) scratch = Buffer.allocUnsafe(size);
    for (let got = 0; got < size; ) {
      const n = readSync(fd, scratch, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    closeSync(fd);
  }
});
// Warm-up: every phase's code compiled before anything is timed (not with --cold).
for (let k = 0; k < (cold ? 0 : bufs.length); k++) {
  if (core.refuseBytes(bufs[k]) !== undefined) continue;
  const v = linter.mayFind(bufs[k], files[k]);
  if (v !== false) linter.lintText(core.decodeChecked(bufs[k]).text, files[k], undefined, v);
}
const ok = time('checkBytes', () => bufs.map((b) => core.refuseBytes(b) === undefined));
const verdicts = time('prefilter (bytes)', () => bufs.map((b, k) => ok[k] && linter.mayFind(b, files[k])));
const texts = time('decode (passed)', () => bufs.map((b, k) => (verdicts[k] ? core.decodeChecked(b).text : undefined)));
const results = time('lintText (passed)', () => texts.map((t, k) => (t === undefined ? undefined : linter.lintText(t, files[k], undefined, verdicts[k]))));
time('render', () => core.renderEslintJson(results.flatMap((r, k) => (r === undefined ? [] : [{ filePath: files[k], violations: r.violations, positions: core.positionsOf(texts[k], r.violations) }]))));
time('decode + lintText, exhaustive (every file whole)', () => bufs.forEach((b, k) => ok[k] && exhaustive.lintText(core.decodeChecked(b).text, files[k])));
const passed = verdicts.map((v) => v !== false);
console.log(
  JSON.stringify({
    files: files.length,
    bytes: bufs.reduce((n, b) => n + b.length, 0),
    prefilterPassed: passed.filter(Boolean).length,
    prefilterPassedBytes: bufs.reduce((n, b, k) => n + (passed[k] ? b.length : 0), 0),
    violations: results.reduce((n, r) => n + (r?.violations.length ?? 0), 0),
    cpuMs: phases,
  }),
);
