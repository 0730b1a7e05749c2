#!/usr/bin/env node
// `npm run package`: production bundles, then `vsce package` into bqmigrate.vsix.
// Works offline: vsce collects dependencies with `npm list` (no registry), and
// .vscodeignore (an allowlist) keeps only the bundles, assets and the native DuckDB
// binding. Checks the file list before packaging and prints the .vsix size.
//   node scripts/package.mjs [--out bqmigrate.vsix] [--target linux-x64]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
process.chdir(root);
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const out = path.resolve(arg('--out', 'bqmigrate.vsix'));
// The DuckDB binary in node_modules is this machine's; the .vsix says so.
const target = arg('--target', `${process.platform}-${process.arch}`);
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', env: { ...process.env, METADATA_SERVER_DETECTION: 'none' }, ...opts });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    process.stdout.write(r.stdout ?? '');
    console.error(`package: ${cmd} ${args.join(' ')} failed (exit ${r.status})`);
    process.exit(1);
  }
  return r.stdout ?? '';
}

run(process.execPath, ['esbuild.mjs', '--production'], { stdio: 'inherit' });

// vsce would stop at an interactive prompt for these; answer them with flags instead.
const flags = ['--allow-missing-repository', `--target`, target];
if (!existsSync('LICENSE') && !existsSync('LICENSE.md')) flags.push('--skip-license');
// Without a repository URL vsce cannot rewrite README's relative links (it would stop);
// they keep working inside VS Code because media/ ships in the .vsix.
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
if (!pkg.repository) flags.push('--no-rewrite-relative-links');

const files = run(process.execPath, [vsce, 'ls', '--dependencies']).split('\n').filter(Boolean);
const required = ['package.json', 'dist/extension.js', 'syntaxes/bqmigrate.injection.tmLanguage.json', 'node_modules/@duckdb/node-api/package.json'];
const allowed = /^(package\.json|README\.md|LICENSE(\.md)?|CHANGELOG\.md|dist\/[^/]+\.(js|css|ttf|woff2)|media\/.*|syntaxes\/.*|schemas\/.*|node_modules\/(@duckdb\/(node-api|node-bindings|node-bindings-[a-z0-9-]+)|detect-libc)\/.*)$/;
const missing = required.filter((f) => !files.includes(f));
const unexpected = files.filter((f) => !allowed.test(f));
if (missing.length || unexpected.length) {
  if (missing.length) console.error(`package: missing from the .vsix: ${missing.join(', ')}`);
  if (unexpected.length) console.error(`package: not on the allowlist: ${unexpected.slice(0, 20).join(', ')}${unexpected.length > 20 ? ', …' : ''}`);
  console.error('Fix .vscodeignore (an allowlist) or build first.');
  process.exit(1);
}

// vsce prints the whole file tree; keep only its warnings and the summary line.
const log = run(process.execPath, [vsce, 'package', '--dependencies', ...flags, '--out', out]);
for (const line of log.split('\n')) if (/WARNING|DONE|ERROR|large/.test(line)) console.log(line.trim());
const bytes = statSync(out).size;
console.log(`package: ${path.relative(root, out)} ${(bytes / 1024 / 1024).toFixed(1)} MB (${bytes} bytes, ${files.length} files, target ${target})`);
