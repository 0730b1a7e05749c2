/**
 * Shared by the package tests (what users install): the repo root, the README's install
 * snippets (the tests run exactly those), the packed npm tarball and the built VSIXes — made
 * once per `npm test` run in BQMIGRATE_PACK_DIR (test-all.mjs sets it), or in a temp folder.
 */
import { spawnSync, type SpawnSyncOptions, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function repoRoot(): string {
  let dir = __dirname;
  while (!(fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'tsconfig.json')))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

export const ROOT = repoRoot();
export const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  publisher: string;
  dependencies: Record<string, string>;
  engines: { vscode: string };
  [k: string]: unknown;
};

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * The fenced block that follows `<!-- snippet: name -->` in README.md: the README's install
 * instructions are the text the tests run, so they cannot drift apart.
 */
export function readmeSnippet(name: string): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const m = new RegExp(`<!-- snippet: ${name} -->\\s*\\n\`\`\`[a-z]*\\n([\\s\\S]*?)\\n\`\`\``).exec(readme);
  if (!m) throw new Error(`README.md has no "<!-- snippet: ${name} -->" followed by a fenced block`);
  return m[1]!;
}

/** The lines of a shell snippet that are commands (comments stripped). */
export function shellCommands(snippet: string): string[] {
  return snippet
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l && !l.startsWith('#'));
}

export function packDir(): string {
  const dir = process.env.BQMIGRATE_PACK_DIR ?? path.join(os.tmpdir(), `bqmigrate-pack-${process.pid}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Runs a command; the result carries everything it printed, for assertion messages. */
export function sh(cmd: string, args: string[], opts: SpawnSyncOptions = {}): SpawnSyncReturns<string> & { all: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, METADATA_SERVER_DETECTION: 'none', npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false', ...(opts.env ?? {}) };
  delete env.NODE_TEST_CONTEXT;
  delete env.GOOGLE_APPLICATION_CREDENTIALS;
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 600_000, ...opts, env }) as SpawnSyncReturns<string>;
  if (r.error) throw r.error;
  return Object.assign(r, { all: `${r.stdout ?? ''}${r.stderr ?? ''}` });
}

/** `npm pack` of this repository (prepack builds the production CLI), once per run. */
export function packedTarball(): { file: string; bytes: number; files: string[] } {
  const dir = packDir();
  const file = path.join(dir, `${PKG.name}-${PKG.version}.tgz`);
  const listing = path.join(dir, 'npm-pack.json');
  if (!fs.existsSync(file) || !fs.existsSync(listing)) {
    const r = sh('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT });
    if (r.status !== 0) throw new Error(`npm pack failed (exit ${r.status}):\n${r.all.slice(-3000)}`);
    const json = r.stdout.slice(r.stdout.indexOf('['));
    fs.writeFileSync(listing, json);
  }
  const info = (JSON.parse(fs.readFileSync(listing, 'utf8')) as { size: number; files: { path: string }[] }[])[0]!;
  return { file, bytes: info.size, files: info.files.map((f) => f.path) };
}

/** A project folder with a manifest and one SQL file holding a legacy reference; the finding it must produce. */
export function legacyProject(dir: string): { file: string; legacy: string; renamed: string } {
  fs.writeFileSync(
    path.join(dir, 'bqmigrate.json'),
    JSON.stringify(
      {
        project: 'cbi-v14',
        location: 'US',
        datasets: { training: { description: 'training tables' } },
        legacyDatasets: { models_v4: { description: 'legacy' } },
        mappings: [{ from: 'models_v4.production_training_data_1m', to: 'training.zl_training_prod_allhistory_1m', status: 'migrated' }],
      },
      null,
      2,
    ),
  );
  fs.mkdirSync(path.join(dir, 'sql'), { recursive: true });
  const file = path.join('sql', 'features.sql');
  fs.writeFileSync(path.join(dir, file), 'SELECT date, close\nFROM `cbi-v14.models_v4.production_training_data_1m`\nWHERE date > "2024-01-01";\n');
  return { file, legacy: 'models_v4.production_training_data_1m', renamed: 'training.zl_training_prod_allhistory_1m' };
}
