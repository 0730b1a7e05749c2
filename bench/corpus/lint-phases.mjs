#!/usr/bin/env node
// Where a cold lint's time goes, phase by phase, in one thread: the linter's own walk, stat + read, the byte
// checks (NUL, UTF-8), decoding (and, for comparison, the fatal decoder it replaced), the prefilter, `lintText`
// (scan + rules) of the texts it lets through, ESLint JSON rendering, and for comparison the exhaustive scan
// (no prefilter). Each phase runs over the whole corpus before the next (so each is timed alone) after one
// untimed warm-up pass; the sum is what one thread spends, to set against the CLI's wall time on its workers.
// Prints one JSON line. Usage: node bench/corpus/lint-phases.mjs <core bundle> <corpus folder>
import { createRequire } from 'node:module';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const [bundle, dir] = process.argv.slice(2);
const core = createRequire(import.meta.url)(path.resolve(bundle));
const manifestFile = path.resolve(dir, 'bqmigrate.json');
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
  for await (const f of core.walkFiles([path.resolve(dir)], { classify: core.createGlobClassifier(loaded) })) if (f !== manifestFile) files.push(f);
  phases.walk = Math.round(cpu() - t0);
}
const bufs = time('statAndRead', () => files.map((f) => (statSync(f), readFileSync(f))));
const families = files.map((f) => core.languageFor(f));
// Warm-up: every phase's code compiled before anything is timed.
for (let k = 0; k < bufs.length; k++) if (core.refuseBytes(bufs[k]) === undefined) linter.lintText(core.decodeChecked(bufs[k]).text, files[k]);
const ok = time('checkBytes', () => bufs.map((b) => core.refuseBytes(b) === undefined));
const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
time('decodeFatal (before)', () => bufs.forEach((b, k) => ok[k] && fatal.decode(b)));
const texts = time('decode', () => bufs.map((b, k) => (ok[k] ? core.decodeChecked(b).text : undefined)));
const pass = time('prefilter', () => texts.map((t, k) => t !== undefined && families[k] !== undefined && core.mightContainRefs(t, linter.scanOptions, families[k])));
const results = time('lintText', () => texts.map((t, k) => (t === undefined ? undefined : linter.lintText(t, files[k]))));
time('render', () => core.renderEslintJson(results.flatMap((r, k) => (r === undefined ? [] : [{ filePath: files[k], violations: r.violations, positions: core.positionsOf(texts[k], r.violations) }]))));
time('lintTextExhaustive', () => texts.forEach((t, k) => t !== undefined && exhaustive.lintText(t, files[k])));
console.log(
  JSON.stringify({
    files: files.length,
    bytes: bufs.reduce((n, b) => n + b.length, 0),
    prefilterPassed: pass.filter(Boolean).length,
    prefilterPassedBytes: bufs.reduce((n, b, k) => n + (pass[k] ? b.length : 0), 0),
    violations: results.reduce((n, r) => n + (r?.violations.length ?? 0), 0),
    cpuMs: phases,
  }),
);
