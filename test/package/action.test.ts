/**
 * The GitHub Action (action.yml), run by a local runner of its steps (action-runner.ts) on the
 * README's workflow: its `run:` steps (npm ci of a team project that depends on the packed
 * tarball), then this action with the workflow's inputs. No network: the code-scanning upload
 * is checked (it would run, with the SARIF file the lint wrote, which validates against the
 * SARIF 2.1.0 schema and holds the finding), not run.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import Ajv from 'ajv-draft-04';
import { parse as parseYaml } from 'yaml';
import { runAction, type ActionRun } from './action-runner';
import { legacyProject, packedTarball, PKG, readmeSnippet, ROOT, sh, tempDir } from './helpers';

interface WorkflowStep {
  uses?: string;
  run?: string;
  with?: Record<string, string | number>;
}

const workflow = parseYaml(readmeSnippet('github-workflow')) as { jobs: Record<string, { steps: WorkflowStep[] }> };
const steps = Object.values(workflow.jobs)[0]!.steps;
const ours = steps.find((s) => s.uses?.startsWith(`${PKG.publisher}/${PKG.name}@`));
let tarball: ReturnType<typeof packedTarball>;

function validateSarif(file: string): { ruleId: string; uri: string; line: number; message: string }[] {
  const schema = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
  const validate = ajv.compile(schema);
  const sarif = JSON.parse(fs.readFileSync(file, 'utf8')) as { runs: { results: any[] }[] };
  assert.ok(validate(sarif), `SARIF 2.1.0 schema: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
  return sarif.runs.flatMap((r: { results: any[] }) =>
    r.results.map((x) => ({
      ruleId: x.ruleId,
      uri: x.locations?.[0]?.physicalLocation?.artifactLocation?.uri,
      line: x.locations?.[0]?.physicalLocation?.region?.startLine,
      message: x.message?.text,
    })),
  );
}

/** A team repository as the workflow sees it after its `run:` steps (npm ci). */
function teamWorkspace(withDependency: boolean): string {
  const ws = tempDir('bqm-action-ws-');
  const pkg: Record<string, unknown> = { name: 'team-warehouse', version: '1.0.0', private: true };
  if (withDependency) pkg.devDependencies = { bqmigrate: `file:${tarball.file}` };
  fs.writeFileSync(path.join(ws, 'package.json'), JSON.stringify(pkg, null, 2));
  legacyProject(ws);
  if (withDependency) {
    // The lockfile a team commits; then the workflow's own steps.
    const lock = sh('npm', ['install', '--package-lock-only', '--prefer-offline'], { cwd: ws });
    assert.equal(lock.status, 0, lock.all);
    for (const s of steps.filter((x) => x.run)) {
      const r = sh('bash', ['-eo', 'pipefail', '-c', s.run!], { cwd: ws, env: { npm_config_prefer_offline: 'true' } });
      assert.equal(r.status, 0, `workflow step "${s.run}":\n${r.all.slice(-2000)}`);
    }
  }
  return ws;
}

function run(ws: string, inputs: Record<string, string>): ActionRun {
  const temp = tempDir('bqm-action-runner-');
  return runAction(ROOT, inputs, ws, temp, { ...process.env, npm_config_prefer_offline: 'true' });
}

const readmeInputs = () => Object.fromEntries(Object.entries(ours?.with ?? {}).map(([k, v]) => [k, String(v)]));

before(() => {
  tarball = packedTarball();
});

describe('GitHub Action', () => {
  test('the README workflow uses this action at the package version, after checkout, Node and npm ci', () => {
    assert.ok(ours, `a step uses ${PKG.publisher}/${PKG.name}@…: ${JSON.stringify(steps)}`);
    assert.equal(ours!.uses, `${PKG.publisher}/${PKG.name}@v${PKG.version}`);
    const at = steps.indexOf(ours!);
    assert.ok(steps.slice(0, at).some((s) => s.uses?.startsWith('actions/checkout@')), 'checks out the repository first');
    assert.ok(steps.slice(0, at).some((s) => s.uses?.startsWith('actions/setup-node@')), 'sets up Node first');
    assert.ok(steps.slice(0, at).some((s) => s.run === 'npm ci'), 'installs the workspace first');
  });

  test('findings: SARIF written and valid, the upload would send it, the job fails', () => {
    const ws = teamWorkspace(true);
    const r = run(ws, readmeInputs());
    const byLabel = Object.fromEntries(r.steps.map((s) => [s.label, s]));
    assert.match(byLabel['Find or install bqmigrate']!.log, new RegExp(`bqmigrate ${PKG.version.replace(/\./g, '\\.')} from the workspace`), r.log);
    assert.equal(r.outputs['exit-code'], '1', r.log);
    const sarifFile = path.resolve(ws, r.outputs['sarif-file']!);
    const results = validateSarif(sarifFile);
    assert.ok(results.some((x) => x.ruleId === 'legacy-reference' && /features\.sql$/.test(x.uri) && x.line === 2 && /models_v4\.production_training_data_1m/.test(x.message)), JSON.stringify(results));
    const upload = r.steps.find((s) => s.uses);
    assert.equal(upload?.status, 'not run (uses)', 'the upload step would run');
    assert.match(upload!.uses!, /^github\/codeql-action\/upload-sarif@v\d+$/);
    assert.equal(path.resolve(ws, upload!.with!.sarif_file!), sarifFile, 'it uploads the file the lint wrote');
    assert.equal(byLabel['Fail on findings']!.status, 'failure');
    assert.equal(r.failed, true, 'the job fails while findings are left');
  });

  test('clean workspace: exit code 0, the report still uploaded, the job passes', () => {
    const ws = teamWorkspace(true);
    const fix = sh(path.join(ws, 'node_modules', '.bin', 'bqmigrate'), ['fix'], { cwd: ws });
    assert.equal(fix.status, 0, fix.all);
    const r = run(ws, readmeInputs());
    assert.equal(r.outputs['exit-code'], '0', r.log);
    assert.deepEqual(validateSarif(path.resolve(ws, r.outputs['sarif-file']!)), []);
    assert.equal(r.steps.find((s) => s.uses)?.status, 'not run (uses)');
    assert.equal(r.steps.find((s) => s.label === 'Fail on findings')?.status, 'skipped');
    assert.equal(r.failed, false, r.log);
  });

  test('no bqmigrate in the workspace: installs the `version` spec (here the tarball) and lints', () => {
    const ws = teamWorkspace(false);
    const r = run(ws, { ...readmeInputs(), version: tarball.file, 'fail-on-findings': 'false' });
    assert.match(r.steps[0]!.log, /installed from/, r.log);
    assert.equal(r.outputs['exit-code'], '1', r.log);
    assert.equal(r.failed, false, 'fail-on-findings: false only reports');
  });

  test('a broken manifest: exit code 2, an error annotation, no upload, the job fails', () => {
    const ws = teamWorkspace(true);
    fs.writeFileSync(path.join(ws, 'bqmigrate.json'), '{ "project": "cbi-v14", "mappings": [ { "from": 42 } ] }');
    const r = run(ws, readmeInputs());
    assert.equal(r.outputs['exit-code'], '2', r.log);
    assert.match(r.log, /::error title=bqmigrate::bqmigrate lint could not run \(exit 2\)/);
    assert.match(r.log, /bqmigrate\.json:1:/, 'the CLI said where the manifest is wrong');
    assert.equal(r.steps.find((s) => s.uses)?.status, 'skipped');
    assert.equal(r.failed, true);
  });
});
