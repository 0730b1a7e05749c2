/**
 * The pre-commit hook, run by the pre-commit framework itself: this repository (its working
 * tree, committed into a temporary hook repository) is the hook repo of a team repository
 * that installed bqmigrate as the README says (`npm i -D`, here the packed tarball) and whose
 * .pre-commit-config.yaml is the README's snippet; `git commit` of a file with a legacy
 * reference is refused with the finding, and goes through once the reference is fixed.
 *
 * The framework is Python; PyPI is not reachable here, so it comes from Debian's `pre-commit`
 * package (the same framework, 3.0.4), which `npm test` installs with apt-get when it runs as
 * root. Without it this test is reported as skipped, with that reason — never as passed.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { legacyProject, packedTarball, PKG, readmeSnippet, ROOT, sh, shellCommands, tempDir } from './helpers';

const git = (cwd: string, ...args: string[]) => {
  const r = sh('git', ['-c', 'user.name=bqmigrate test', '-c', 'user.email=test@bqmigrate.invalid', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    env: { GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' },
  });
  assert.equal(r.status, 0, `git ${args.join(' ')}:\n${r.all}`);
  return r.stdout.trim();
};

/** The working tree as a git repository with one commit, as pre-commit clones a hook repository. */
function hookRepository(): { dir: string; rev: string } {
  const files = sh('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT }).stdout.split('\0').filter((f) => f && fs.existsSync(path.join(ROOT, f)));
  const dir = tempDir('bqm-hook-repo-');
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
  }
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'bqmigrate working tree');
  return { dir, rev: git(dir, 'rev-parse', 'HEAD') };
}

const framework = sh('pre-commit', ['--version'], {}).status === 0 ? sh('pre-commit', ['--version']).stdout.trim() : undefined;

describe('pre-commit hook', () => {
  test('.pre-commit-hooks.yaml defines the bqmigrate hook the README uses', () => {
    const hooks = parseYaml(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; language: string; language_version?: string }[];
    const config = parseYaml(readmeSnippet('pre-commit-config')) as { repos: { repo: string; rev: string; hooks: { id: string }[] }[] };
    const ours = config.repos.find((r) => r.hooks.some((h) => h.id === 'bqmigrate'));
    assert.ok(ours, 'the README config uses the bqmigrate hook');
    assert.equal(ours!.rev, `v${PKG.version}`, 'the README pins the released version');
    const hook = hooks.find((h) => h.id === 'bqmigrate');
    assert.ok(hook);
    assert.equal(hook!.entry, 'npx --no-install bqmigrate lint', 'the repository\'s own bqmigrate, never a download at commit time');
    assert.equal(hook!.language, 'system');
  });

  test('the framework refuses a commit with a legacy reference and accepts it once fixed', { skip: framework ? false : 'the pre-commit framework is not installed (Debian: `apt-get install pre-commit`; `npm test` does that when run as root — PyPI is not reachable here)' }, () => {
    console.log(`# ${framework}`);
    const hookRepo = hookRepository();
    const team = tempDir('bqm-precommit-team-');
    git(team, 'init', '-q');
    fs.writeFileSync(path.join(team, 'package.json'), JSON.stringify({ name: 'team-warehouse', version: '1.0.0', private: true }, null, 2));
    fs.writeFileSync(path.join(team, '.gitignore'), 'node_modules/\n');
    // The README's npm install, with the packed tarball for the package name.
    const install0 = shellCommands(readmeSnippet('install-npm')).find((c) => /^npm (i|install)\b/.test(c))!;
    const tarball = packedTarball().file;
    const words = install0.split(/\s+/).map((w) => (w === PKG.name ? tarball : w));
    const npmInstall = sh(words[0]!, words.slice(1), { cwd: team, env: { npm_config_prefer_offline: 'true' } });
    assert.equal(npmInstall.status, 0, npmInstall.all);
    const { file, renamed } = legacyProject(team);
    // The README's configuration, pointed at the local hook repository at the working tree's commit.
    const config = parseYaml(readmeSnippet('pre-commit-config')) as { repos: { repo: string; rev: string }[] };
    config.repos[0]!.repo = hookRepo.dir;
    config.repos[0]!.rev = hookRepo.rev;
    fs.writeFileSync(path.join(team, '.pre-commit-config.yaml'), stringifyYaml(config));
    const env: NodeJS.ProcessEnv = {
      PRE_COMMIT_HOME: tempDir('bqm-precommit-home-'),
      GIT_AUTHOR_NAME: 'bqmigrate test',
      GIT_AUTHOR_EMAIL: 'test@bqmigrate.invalid',
      GIT_COMMITTER_NAME: 'bqmigrate test',
      GIT_COMMITTER_EMAIL: 'test@bqmigrate.invalid',
    };
    const install = sh('pre-commit', ['install', '--install-hooks'], { cwd: team, env });
    assert.equal(install.status, 0, `pre-commit install --install-hooks:\n${install.all.slice(-4000)}`);

    git(team, 'add', '-A');
    const refused = sh('git', ['commit', '-m', 'features from the legacy table'], { cwd: team, env });
    assert.notEqual(refused.status, 0, `the commit went through:\n${refused.all}`);
    assert.match(refused.all, /bqmigrate lint\.+Failed/);
    assert.match(refused.all, /models_v4\.production_training_data_1m/);
    assert.match(refused.all, /legacy-reference/);

    fs.writeFileSync(path.join(team, file), fs.readFileSync(path.join(team, file), 'utf8').replace('models_v4.production_training_data_1m', renamed));
    git(team, 'add', '-A');
    const accepted = sh('git', ['commit', '-m', 'features from the new table'], { cwd: team, env });
    assert.equal(accepted.status, 0, accepted.all);
    assert.match(accepted.all, /bqmigrate lint\.+Passed/);
  });
});
