/** Runs the BUILT binary (bin/bqmigrate.js → dist/cli.js) on fixture workspaces copied to a temp folder. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../lint/repo-root';

let built = false;

/** Newest modification time under a folder. */
function newestUnder(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestUnder(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Builds dist/ unless it is newer than every source (as after `npm test`'s own build). Test files run in
 * parallel processes: rebuilding an up-to-date dist/cli.js while another file's test runs it would hand
 * that run a half-written bundle.
 */
export function buildOnce(): void {
  if (built) return;
  const root = repoRoot();
  const dist = ['cli.js', 'lint-cli.js', 'lint-worker.js'].map((f) => path.join(root, 'dist', f));
  if (dist.every((f) => fs.existsSync(f)) && Math.min(...dist.map((f) => fs.statSync(f).mtimeMs)) > newestUnder(path.join(root, 'src'))) {
    built = true;
    return;
  }
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot(), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`esbuild failed: ${r.stderr}`);
  built = true;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in its own process: a lint server someone left running is not used unless `env` clears BQMIGRATE_NO_SERVER. */
export function bqmigrate(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliRun {
  const r = spawnSync(process.execPath, [path.join(repoRoot(), 'bin', 'bqmigrate.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', METADATA_SERVER_DETECTION: 'none', BQMIGRATE_NO_SERVER: '1', ...env },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh copy of test/fixtures/cli/<name>, so fix and import tests never touch the committed fixture. */
export function copyFixture(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bqmigrate-cli-${name}-`));
  fs.cpSync(path.join(repoRoot(), 'test', 'fixtures', 'cli', name), dir, { recursive: true });
  return dir;
}

/** Contents and mtimes of every file under dir: proof that a command wrote nothing. */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.set(path.relative(dir, p), `${fs.statSync(p).mtimeMs}:${fs.readFileSync(p).toString('base64')}`);
    }
  };
  walk(dir);
  return out;
}
