#!/usr/bin/env node
// `npm run package`: production bundles, then one VSIX per platform, from this one machine.
// DuckDB is native, so each platform's VSIX carries that platform's binding, fetched from the
// npm registry (`npm pack @duckdb/node-bindings-<target>@<version>`, cached under
// ~/.cache/bqmigrate-duckdb/<version>/) into a staging folder that holds only what the VSIX
// ships; vsce packs the staging folder. The universal VSIX carries no DuckDB: the BigQuery
// backend only, and a message saying so when the local warehouse is asked for.
//
//   node scripts/package.mjs                       this machine's platform → bqmigrate-<target>.vsix
//   node scripts/package.mjs --target darwin-arm64 [--out file.vsix]
//   node scripts/package.mjs --target universal    no DuckDB
//   node scripts/package.mjs --all-targets [--out-dir dir]   every target below, and universal
//
// Checks each file list against an allowlist before packing and prints each VSIX's size.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** VS Code target → the DuckDB binding package that runs there (DuckDB's own naming). */
export const VSIX_TARGETS = {
  'darwin-arm64': '@duckdb/node-bindings-darwin-arm64',
  'darwin-x64': '@duckdb/node-bindings-darwin-x64',
  'linux-x64': '@duckdb/node-bindings-linux-x64',
  'linux-arm64': '@duckdb/node-bindings-linux-arm64',
  'win32-x64': '@duckdb/node-bindings-win32-x64',
};
export const UNIVERSAL = 'universal';
/** What a VSIX holds besides package.json and README.md (vsce adds those). */
const SHIPPED = ['dist', 'media', 'syntaxes', 'schemas', 'LICENSE', 'CHANGELOG.md', '.vscodeignore'];
/** The packages a platform VSIX carries in node_modules: DuckDB's API, its loader and the loader's one dependency. */
const DUCKDB_PACKAGES = ['@duckdb/node-api', '@duckdb/node-bindings', 'detect-libc'];

export const vsixName = (target) => `bqmigrate-${target}.vsix`;

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env: { ...process.env, METADATA_SERVER_DETECTION: 'none' }, ...opts });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${(r.stdout ?? '') + (r.stderr ?? '')}`.trim());
  return r.stdout ?? '';
}

const npmCli = () => path.join(path.dirname(run('readlink', ['-f', run('which', ['npm']).trim()]).trim()), 'npm-cli.js');

/** The binding package for `target`, unpacked once into the cache; returns its folder. */
function fetchBinding(target, version, log) {
  const name = VSIX_TARGETS[target];
  const cache = path.join(process.env.BQMIGRATE_DUCKDB_CACHE ?? path.join(os.homedir(), '.cache', 'bqmigrate-duckdb'), version);
  const dir = path.join(cache, target);
  if (existsSync(path.join(dir, 'package.json'))) return dir;
  log(`package: fetching ${name}@${version} from the npm registry`);
  mkdirSync(cache, { recursive: true });
  const tmp = mkdtempSync(path.join(cache, '.fetch-'));
  try {
    const tgz = run(process.execPath, [npmCli(), 'pack', `${name}@${version}`, '--silent'], { cwd: tmp }).trim().split('\n').pop();
    run('tar', ['-xzf', path.join(tmp, tgz), '-C', tmp]);
    const pkg = JSON.parse(readFileSync(path.join(tmp, 'package', 'package.json'), 'utf8'));
    if (pkg.name !== name || pkg.version !== version) throw new Error(`npm pack ${name}@${version} gave ${pkg.name}@${pkg.version}`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(path.join(tmp, 'package'), dir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}

/** The folder vsce packs: package.json, README and what SHIPPED names, plus DuckDB for a platform target. */
function stage(target, log) {
  const staging = mkdtempSync(path.join(os.tmpdir(), `bqmigrate-vsix-${target}-`));
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  for (const f of ['README.md', ...SHIPPED]) if (existsSync(path.join(root, f))) cpSync(path.join(root, f), path.join(staging, f), { recursive: true });
  // Development-only fields stay out of the shipped manifest; dependencies are the staged ones.
  delete pkg.devDependencies;
  delete pkg.scripts;
  delete pkg.allowScripts;
  delete pkg.files;
  if (target === UNIVERSAL) {
    delete pkg.dependencies;
  } else {
    const modules = path.join(staging, 'node_modules');
    for (const name of DUCKDB_PACKAGES) cpSync(path.join(root, 'node_modules', name), path.join(modules, name), { recursive: true, dereference: true });
    const bindingsVersion = JSON.parse(readFileSync(path.join(root, 'node_modules', '@duckdb', 'node-bindings', 'package.json'), 'utf8')).version;
    cpSync(fetchBinding(target, bindingsVersion, log), path.join(modules, VSIX_TARGETS[target]), { recursive: true });
    pkg.dependencies = { '@duckdb/node-api': pkg.dependencies['@duckdb/node-api'] };
  }
  writeFileSync(path.join(staging, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  return staging;
}

const ALLOWED = /^(package\.json|README\.md|LICENSE(\.md)?|CHANGELOG\.md|dist\/[^/]+\.(js|css|ttf|woff2)|media\/.*|syntaxes\/.*|schemas\/.*|node_modules\/(@duckdb\/(node-api|node-bindings|node-bindings-[a-z0-9-]+)|detect-libc)\/.*)$/;

/** Packs one target into `out`; returns { out, bytes, files }. */
export function packageTarget(target, out, log = console.log) {
  if (target !== UNIVERSAL && !VSIX_TARGETS[target]) throw new Error(`unknown target "${target}"; expected one of ${[...Object.keys(VSIX_TARGETS), UNIVERSAL].join(', ')}`);
  const staging = stage(target, log);
  try {
    const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
    const files = run(process.execPath, [vsce, 'ls', '--dependencies'], { cwd: staging }).split('\n').filter(Boolean);
    const required = ['package.json', 'dist/extension.js', 'dist/cli.js', 'dist/lint-cli.js', 'dist/lint-client.js', 'dist/lint-worker.js', 'syntaxes/bqmigrate.injection.tmLanguage.json', 'media/icon.png', 'CHANGELOG.md'];
    if (target !== UNIVERSAL) required.push('node_modules/@duckdb/node-api/package.json', `node_modules/${VSIX_TARGETS[target]}/duckdb.node`);
    const missing = required.filter((f) => !files.includes(f));
    const unexpected = files.filter((f) => !ALLOWED.test(f));
    const otherBindings = files.filter((f) => /^node_modules\/@duckdb\/node-bindings-/.test(f) && !f.startsWith(`node_modules/${VSIX_TARGETS[target]}/`));
    if (missing.length || unexpected.length || otherBindings.length) {
      throw new Error(
        [
          missing.length && `missing from the ${target} VSIX: ${missing.join(', ')}`,
          unexpected.length && `not on the allowlist: ${unexpected.slice(0, 20).join(', ')}`,
          otherBindings.length && `another platform's DuckDB binding: ${otherBindings.slice(0, 5).join(', ')}`,
          'Fix .vscodeignore (an allowlist) or build first.',
        ].filter(Boolean).join('\n'),
      );
    }
    const targetFlags = target === UNIVERSAL ? [] : ['--target', target];
    const logText = run(process.execPath, [vsce, 'package', '--dependencies', ...targetFlags, '--out', out], { cwd: staging });
    for (const line of logText.split('\n')) if (/WARNING|ERROR/.test(line)) log(line.trim());
    const bytes = statSync(out).size;
    log(`package: ${path.relative(process.cwd(), out) || out} ${(bytes / 1024 / 1024).toFixed(1)} MB (${bytes} bytes, ${files.length} files, target ${target})`);
    return { out, bytes, files };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

export function buildProduction() {
  run(process.execPath, ['esbuild.mjs', '--production'], { cwd: root, stdio: 'inherit' });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const all = process.argv.includes('--all-targets');
  const here = `${process.platform}-${process.arch}`;
  const targets = all ? [...Object.keys(VSIX_TARGETS), UNIVERSAL] : [arg('--target') ?? (VSIX_TARGETS[here] ? here : UNIVERSAL)];
  try {
    buildProduction();
    const outDir = path.resolve(arg('--out-dir') ?? root);
    mkdirSync(outDir, { recursive: true });
    for (const t of targets) packageTarget(t, !all && arg('--out') ? path.resolve(arg('--out')) : path.join(outDir, vsixName(t)));
  } catch (err) {
    console.error(`package: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
