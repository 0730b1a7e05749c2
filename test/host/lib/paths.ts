/**
 * Where things are for the host tests: the repo root (found by walking up to
 * package.json + tsconfig.json, so this works from test/host/*.ts and from
 * out/test/host/*.js even when tsc copies package.json into out/)
 * and the cached VS Code hosts that scripts/vscode-host.mjs installs.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export function repoRoot(from: string = __dirname): string {
  let dir = path.resolve(from);
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && fs.existsSync(path.join(dir, 'tsconfig.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no bqmigrate package.json above ${from}`);
    dir = parent;
  }
}

export interface VsCodeHost {
  /** Which of test/host/vscode-hosts.json: "oldest" or "current". */
  name: string;
  /** The Node binary that runs this code-server (its own major, not the project's). */
  node: string;
  /** code-server's package folder (…/node_modules/code-server). */
  codeServerDir: string;
  /** `node <entry>` starts code-server. */
  entry: string;
  codeServerVersion: string;
  vscodeVersion: string;
  /** The code-server arguments that make the workbench run an extension test payload. */
  smokeTestDriverArgs: string[];
}

/** The VS Code builds the host suite runs on, by name (test/host/vscode-hosts.json). */
export function vsCodeHostNames(root = repoRoot()): string[] {
  return Object.keys(JSON.parse(fs.readFileSync(path.join(root, 'test', 'host', 'vscode-hosts.json'), 'utf8'))).filter((k) => !k.startsWith('$'));
}

/**
 * Where host `name` is installed; scripts/vscode-host.mjs owns the layout (and installs it:
 * `npm test` does that on its first run).
 */
export function findVsCodeHost(name = process.env.BQMIGRATE_VSCODE_HOST ?? 'current', root = repoRoot()): VsCodeHost {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'vscode-host.mjs'), '--print', name], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scripts/vscode-host.mjs --print ${name}: ${r.stderr.trim()}`);
  const p = JSON.parse(r.stdout) as { node: string; codeServerDir: string; entry: string; codeServer: string; vscode: string; smokeTestDriverArgs: string[] };
  for (const f of [p.node, p.entry]) {
    if (!fs.existsSync(f)) {
      throw new Error(`VS Code host "${name}" (VS Code ${p.vscode}) is not installed: ${f} is missing. \`npm test\` installs it on its first run, or \`node scripts/vscode-host.mjs ${name}\` (≈3 min, see docs/host-testing.md).`);
    }
  }
  return { name, node: p.node, codeServerDir: p.codeServerDir, entry: p.entry, codeServerVersion: p.codeServer, vscodeVersion: p.vscode, smokeTestDriverArgs: p.smokeTestDriverArgs };
}
