#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is bundled by esbuild into dist/cli.js (built by `npm ci` through `prepare`).
const path = require('node:path');
const fs = require('node:fs');
const Module = require('node:module');
const dist = path.join(__dirname, '..', 'dist');
const full = path.join(dist, 'cli.js');
// `lint` has a bundle of its own without the other commands' code (a warm `lint --cache` is mostly start-up),
// and `lint-server` runs that same bundle.
const lintOnly = path.join(dist, 'lint-cli.js');
const cli = (process.argv[2] === 'lint' || process.argv[2] === 'lint-server') && fs.existsSync(lintOnly) ? lintOnly : full;
// The lint server's client and the private temp folder it and the code cache below share: a small bundle
// of node's own modules.
const client = () => require(path.join(dist, 'lint-client.js'));
if (!fs.existsSync(cli)) {
  process.stderr.write(`bqmigrate: ${cli} is missing; run \`npm run build\` (or \`npm ci\`) in ${path.dirname(__dirname)} first.\n`);
  process.exit(2);
}

/**
 * Loads dist/cli.js with a V8 code cache, so a run does not compile the bundle again (a warm
 * `lint --cache` is mostly start-up). Node 22+ has its own (module.enableCompileCache); on Node 20 the
 * bundle is compiled through vm.Script with the cache kept in a folder of the OS temp dir that only this
 * user owns, one file per bundle path whose name changes with its size and mtime and Node's version. V8
 * checks the cache against the source and rejects one that does not match (then it is written anew).
 * BQMIGRATE_NO_COMPILE_CACHE=1, or anything unexpected, loads the bundle plainly.
 */
function loadCli() {
  if (typeof Module.enableCompileCache === 'function') {
    try {
      Module.enableCompileCache();
    } catch {
      // a read-only temp dir: compile as usual
    }
    return require(cli);
  }
  if (process.env.BQMIGRATE_NO_COMPILE_CACHE) return require(cli);
  let source;
  let file;
  try {
    source = fs.readFileSync(cli, 'utf8');
    file = compileCacheFile();
  } catch {
    return require(cli);
  }
  const vm = require('node:vm');
  let cachedData;
  try {
    cachedData = file ? fs.readFileSync(file) : undefined;
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: cli, cachedData });
  const mod = new Module(cli, module);
  mod.filename = cli;
  mod.paths = Module._nodeModulePaths(path.dirname(cli));
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(cli), mod, cli, path.dirname(cli));
  mod.loaded = true;
  if (file && (cachedData === undefined || script.cachedDataRejected)) {
    // Written at exit: the functions the run compiled are in the cache too.
    process.once('exit', () => {
      try {
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(tmp, file);
        // The caches of earlier builds of this same bundle are of no use any more.
        const dir = path.dirname(file);
        const bundle = `${path.basename(file).split('-')[0]}-`;
        for (const f of fs.readdirSync(dir)) if (f.startsWith(bundle) && f.endsWith('.bin') && f !== path.basename(file)) fs.rmSync(path.join(dir, f), { force: true });
      } catch {
        // no cache this time
      }
    });
  }
  return mod.exports;
}

/** The code cache's file for this bundle and Node, in a folder only this user can write; undefined when there is none. */
function compileCacheFile() {
  const dir = client().userFolder('compile-cache'); // undefined when someone else's folder: never trust it
  if (dir === undefined) return undefined;
  const bundle = fs.statSync(cli);
  const hash = (text) => require('node:crypto').createHash('sha256').update(text).digest('hex').slice(0, 16);
  // <this bundle's path>-<its build and Node>: a rebuild replaces its own cache file, never another checkout's.
  return path.join(dir, `${hash(cli)}-${hash([bundle.size, bundle.mtimeMs, process.version, process.arch].join('\0'))}.bin`);
}

/** V8 flags for the lint code, set before it loads (a lint the server runs has the server's, set the same way when it started). */
function setV8Flags() {
  // The lint workers' code runs cold in each worker, and V8 optimises hot functions on a background thread
  // that competes with the two workers for the cores: optimising on the worker's own thread gets the lint code
  // fast sooner (a cold `lint` about 5 % less CPU; docs/bench.md). Read when an isolate starts, so it applies to
  // the workers started after this; the main thread is unaffected.
  require('node:v8').setFlagsFromString('--no-concurrent-recompilation');
  // Each lint worker optimises the lexers and the recogniser on its own, and on Node 20 a cold `lint` spends a
  // good part of its CPU in TurboFan re-optimising large functions whose inlined callees met new types. Inlining
  // less per function (100 bytes of bytecode instead of 920) makes each optimisation cheaper: a cold `lint` of
  // the bench corpus 6–9 % faster, a warm one unchanged (docs/bench.md). Optimising later (an interrupt budget
  // of 264 KiB of bytecode run, 4× V8's default) leaves the short-lived functions to the baseline tiers and
  // optimises the rest fewer times, having seen more of their types (a one-thread cold lint: 298 → 185
  // optimisations taking 760 → 534 ms, 74 → 46 deoptimisations): a cold `lint` of the realistic bench corpus
  // another 7–11 % faster, the synthetic one (a reference every 260 bytes) and a warm one unchanged. Node 22 and
  // later tier up through Maglev first, gained nothing from the first and have no such budget (V8 prints an
  // error for a flag it does not know: Node 21's has none either); other commands were not measured.
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  if (cli === lintOnly && nodeMajor < 22) require('node:v8').setFlagsFromString('--max-inlined-bytecode-size-cumulative=100');
  if (cli === lintOnly && nodeMajor === 20) require('node:v8').setFlagsFromString('--interrupt-budget=270336');
}

/**
 * `bqmigrate lint …` goes to the lint server for this installation when `bqmigrate lint-server start` left
 * one running (dist/lint-client.js); otherwise, and for every other command, the CLI runs here.
 */
async function run(argv) {
  if (cli === lintOnly && argv[0] === 'lint') {
    const code = await client().lintThroughServer(lintOnly, argv.slice(1), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });
    if (code !== undefined) return code;
  }
  setV8Flags();
  return loadCli().main(argv);
}

run(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err) => {
  process.stderr.write(`bqmigrate: internal error: ${err && err.stack ? err.stack : err}\n`);
  process.exitCode = 2;
});
