/**
 * The npm package as a user gets it: `npm pack` (prepack builds the production CLI), then the
 * README's install snippet in a fresh project that has nothing else, then the CLI from there:
 * `lint` finds a legacy reference (exit 1), `--version` is package.json's, the lint server serves
 * it, and the local warehouse works through the DuckDB dependency. Also: what the tarball holds, and that the
 * package depends only on what the bundles leave external.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { legacyProject, packedTarball, PKG, readmeSnippet, ROOT, sh, shellCommands, tempDir } from './helpers';

let tarball: ReturnType<typeof packedTarball>;
let project: string;
let lintCommand: string;

/** Runs one README command in the project, the package name replaced by the tarball. */
function runReadmeCommand(line: string) {
  const words = line.split(/\s+/).map((w) => (w === PKG.name && /^npm (i|install)\b/.test(line) ? tarball.file : w));
  return sh(words[0]!, words.slice(1), { cwd: project, env: { npm_config_prefer_offline: 'true' } });
}

before(() => {
  tarball = packedTarball();
  project = tempDir('bqm-npm-user-');
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'team-warehouse', version: '1.0.0', private: true }, null, 2));
  legacyProject(project);
  const commands = shellCommands(readmeSnippet('install-npm'));
  const install = commands.filter((c) => /^npm (i|install)\b/.test(c));
  assert.equal(install.length, 1, `the README's npm snippet has one install command: ${commands.join(' | ')}`);
  const r = runReadmeCommand(install[0]!);
  assert.equal(r.status, 0, `${install[0]} (with ${path.basename(tarball.file)}) failed:\n${r.all.slice(-3000)}`);
  lintCommand = commands.find((c) => /\bbqmigrate lint\b/.test(c)) ?? '';
  assert.ok(lintCommand, `the README's npm snippet runs bqmigrate lint: ${commands.join(' | ')}`);
});

describe('npm package', () => {
  test('the tarball carries the built CLI and what it needs at run time, nothing else', () => {
    const files = new Set(tarball.files);
    for (const f of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'bin/bqmigrate.js', 'dist/cli.js', 'dist/lint-cli.js', 'dist/lint-client.js', 'dist/lint-worker.js', 'dist/sql-parser-cst.js', 'dist/lezer-python.js', 'dist/bigquery-client.js', 'dist/data-transfer-client.js', 'schemas/bqmigrate.schema.json']) {
      assert.ok(files.has(f), `${f} is in the tarball (has: ${[...files].join(', ')})`);
    }
    const stray = [...files].filter((f) => /^(src|test|out|webview|bench|scripts|examples|node_modules)\/|\.map$|\.vsix$|^dist\/(extension|webview)\./.test(f));
    assert.deepEqual(stray, [], 'no sources, tests, source maps or editor bundles');
    console.log(`# tarball ${path.basename(tarball.file)}: ${(tarball.bytes / 1024).toFixed(0)} KiB, ${files.size} files`);
    assert.ok(tarball.bytes < 3 * 1024 * 1024, `the tarball stays small: ${tarball.bytes} bytes`);
  });

  test('installed from the tarball alone, `npx bqmigrate --version` is package.json\'s', () => {
    assert.ok(fs.existsSync(path.join(project, 'node_modules', '.bin', 'bqmigrate')), 'npm linked the bin');
    const r = sh('npx', ['--no-install', 'bqmigrate', '--version'], { cwd: project });
    assert.equal(r.status, 0, r.all);
    assert.equal(r.stdout.trim(), PKG.version);
  });

  test('the README\'s lint command finds the legacy reference and exits 1', () => {
    const r = runReadmeCommand(lintCommand);
    assert.equal(r.status, 1, `${lintCommand}: exit ${r.status}\n${r.all}`);
    assert.match(r.stdout, /models_v4\.production_training_data_1m/);
    assert.match(r.stdout, /training\.zl_training_prod_allhistory_1m/);
    assert.match(r.stdout, /legacy-reference/);
    assert.match(r.stdout, /features\.sql/);
  });

  test('the installed CLI\'s lint server runs the README\'s lint and prints what a lint on its own prints', () => {
    const env = { TMPDIR: tempDir('bqm-npm-srv-'), BQMIGRATE_NO_SERVER: '' };
    const npx = (args: string[], extra: NodeJS.ProcessEnv = {}) => sh('npx', ['--no-install', 'bqmigrate', ...args], { cwd: project, env: { ...env, ...extra } });
    const start = npx(['lint-server', 'start']);
    assert.equal(start.status, 0, start.all);
    try {
      const args = lintCommand.split(/\s+/).slice(2);
      const served = npx(args);
      const alone = npx(args, { BQMIGRATE_NO_SERVER: '1' });
      assert.equal(served.status, 1, served.all);
      assert.equal(served.stdout, alone.stdout);
      assert.equal(served.stderr, alone.stderr);
      assert.match(npx(['lint-server', 'status']).stdout, /runs\s+1\n/, 'the lint went to the server');
    } finally {
      assert.equal(npx(['lint-server', 'stop']).status, 0);
    }
  });

  test('column mappings: the installed CLI parses SQL and follows pandas frames (parsers loaded from their own files)', () => {
    const dir = tempDir('bqm-npm-columns-');
    const manifest = JSON.parse(fs.readFileSync(path.join(project, 'bqmigrate.json'), 'utf8'));
    manifest.mappings.push({ kind: 'column', table: 'training.zl_training_prod_allhistory_1m', from: 'temp_max_c', to: 'temp_high_c' });
    fs.writeFileSync(path.join(dir, 'bqmigrate.json'), JSON.stringify(manifest, null, 2));
    const job = ['def load(client):', '    df = client.query("SELECT temp_max_c FROM training.zl_training_prod_allhistory_1m").to_dataframe()', '    return df["temp_max_c"].mean()', ''];
    fs.writeFileSync(path.join(dir, 'job.py'), job.join('\n'));
    const r = sh('npx', ['--no-install', 'bqmigrate', 'lint', dir, '--format', 'stylish'], { cwd: project });
    assert.equal(r.status, 0, r.all); // a planned column mapping warns
    // Line 2: the column in the SQL string (sql-parser-cst); line 3: the frame's column (@lezer/python).
    assert.match(r.stdout, /^\s+2:\d+\s+warning\s.*temp_max_c.*legacy-column$/m, r.all);
    assert.match(r.stdout, /^\s+3:\d+\s+info\s.*temp_max_c.*legacy-column$/m, r.all);
  });

  test('the local warehouse answers through the installed DuckDB dependency', () => {
    const r = sh('npx', ['--no-install', 'bqmigrate', 'query', 'SELECT 40 + 2 AS answer', '--format', 'json'], { cwd: project });
    assert.equal(r.status, 0, r.all);
    assert.deepEqual(JSON.parse(r.stdout), [{ answer: 42 }]);
  });

  test('the bundles carry zod\'s English messages and none of its other locales', () => {
    // `import { z } from 'zod'` makes esbuild keep zod's whole namespace, every locale in it: 600 KB more in
    // each bundle, which each start of the CLI and of the extension reads and compiles. `import * as z` does not.
    const german = /verb: ?"zu haben"/;
    const bundles = ['dist/cli.js', 'dist/lint-cli.js', 'dist/extension.js'];
    for (const f of bundles) {
      const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
      assert.match(text, /Invalid input/, `${f} validates with zod's English messages`);
      assert.doesNotMatch(text, german, `${f} carries zod's German locale`);
    }
  });

  test('dependencies are exactly the modules the bundles leave external (the rest is bundled)', () => {
    const builtins = new Set(require('node:module').builtinModules as string[]);
    const external = new Set<string>();
    for (const f of ['dist/cli.js', 'dist/lint-cli.js', 'dist/lint-client.js', 'dist/lint-worker.js', 'dist/sql-parser-cst.js', 'dist/lezer-python.js', 'dist/bigquery-client.js', 'dist/data-transfer-client.js', 'dist/extension.js']) {
      const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
      for (const m of text.matchAll(/require\("([^"./][^"]*)"\)/g)) {
        const id = m[1]!.replace(/^node:/, '');
        const name = id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : id.split('/')[0]!;
        if (!builtins.has(name) && name !== 'vscode') external.add(name);
      }
    }
    assert.deepEqual(
      Object.keys(PKG.dependencies).sort(),
      [...external].sort(),
      'package.json dependencies: what dist/*.js requires at run time; a library esbuild bundles belongs in devDependencies (users of the npm package would install it for nothing)',
    );
  });
});
