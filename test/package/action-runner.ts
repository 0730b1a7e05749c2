/**
 * A local runner for a composite GitHub Action's steps, for tests without network: `run:` steps
 * run in bash with what GitHub gives them (GITHUB_ACTION_PATH, GITHUB_WORKSPACE, GITHUB_OUTPUT,
 * RUNNER_TEMP, the step's env), `if:` is evaluated, step outputs are collected, and `uses:` steps
 * are recorded with their evaluated `with:` instead of run. Expressions: `${{ … }}` with
 * inputs.*, steps.<id>.outputs.*, string literals, == != && || !, always() success() failure().
 * Anything else is an error, so an action that outgrows the runner fails its test loudly.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';

interface ActionStep {
  id?: string;
  name?: string;
  if?: string;
  run?: string;
  shell?: string;
  uses?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}

export interface ActionDefinition {
  inputs: Record<string, { default?: string; description?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

export interface StepResult {
  label: string;
  status: 'success' | 'failure' | 'skipped' | 'not run (uses)';
  exitCode?: number;
  outputs: Record<string, string>;
  log: string;
  uses?: string;
  with?: Record<string, string>;
}

export interface ActionRun {
  steps: StepResult[];
  outputs: Record<string, string>;
  /** What GitHub would show: failed when a step that ran failed. */
  failed: boolean;
  log: string;
}

interface Context {
  inputs: Record<string, string>;
  steps: Record<string, { outputs: Record<string, string>; outcome: string }>;
  failed: boolean;
}

export function loadAction(file: string): ActionDefinition {
  const action = parseYaml(fs.readFileSync(file, 'utf8')) as ActionDefinition;
  if (action.runs?.using !== 'composite') throw new Error(`${file}: runs.using is ${action.runs?.using}, expected composite`);
  return action;
}

/** Evaluates one expression (without the `${{ }}`) to a string or boolean. */
export function evaluate(expr: string, ctx: Context): string | boolean {
  const tokens = expr.match(/'(?:[^']|'')*'|==|!=|&&|\|\||[()!]|[A-Za-z_][\w.-]*(?:\(\))?|\S/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];
  const truthy = (v: string | boolean) => v !== false && v !== '' && v !== 'false';
  const primary = (): string | boolean => {
    const t = next();
    if (t === undefined) throw new Error(`unexpected end of expression "${expr}"`);
    if (t === '(') {
      const v = or();
      if (next() !== ')') throw new Error(`missing ) in "${expr}"`);
      return v;
    }
    if (t === '!') return !truthy(primary());
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    if (t === 'always()') return true;
    if (t === 'success()') return !ctx.failed;
    if (t === 'failure()') return ctx.failed;
    if (t === 'true' || t === 'false') return t === 'true';
    const m = /^(inputs)\.([\w-]+)$|^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(t);
    if (!m) throw new Error(`the local action runner does not understand "${t}" in "${expr}"`);
    if (m[1]) {
      if (!(m[2]! in ctx.inputs)) throw new Error(`inputs.${m[2]} is not an input of the action`);
      return ctx.inputs[m[2]!]!;
    }
    return ctx.steps[m[3]!]?.outputs[m[4]!] ?? '';
  };
  const comparison = (): string | boolean => {
    let left = primary();
    while (peek() === '==' || peek() === '!=') {
      const op = next();
      const right = primary();
      const eq = String(left).toLowerCase() === String(right).toLowerCase();
      left = op === '==' ? eq : !eq;
    }
    return left;
  };
  const and = (): string | boolean => {
    let left = comparison();
    while (peek() === '&&') {
      next();
      const right = comparison();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const or = (): string | boolean => {
    let left = and();
    while (peek() === '||') {
      next();
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const value = or();
  if (i !== tokens.length) throw new Error(`unexpected "${tokens[i]}" in "${expr}"`);
  return value;
}

function interpolate(text: string, ctx: Context): string {
  return text.replace(/\$\{\{\s*([\s\S]*?)\s*\}\}/g, (_, e: string) => String(evaluate(e, ctx)));
}

function readOutputs(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fs.existsSync(file)) return out;
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([\w-]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const body: string[] = [];
      while (++i < lines.length && lines[i] !== heredoc[2]) body.push(lines[i]!);
      out[heredoc[1]!] = body.join('\n');
    } else {
      const eq = line.indexOf('=');
      if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return out;
}

/**
 * Runs the action at `actionDir` (its action.yml) with `with` inputs in `workspace`.
 * `env` is the runner's environment (PATH and the like).
 */
export function runAction(actionDir: string, inputs: Record<string, string>, workspace: string, runnerTemp: string, env: NodeJS.ProcessEnv = process.env): ActionRun {
  const action = loadAction(path.join(actionDir, 'action.yml'));
  const unknown = Object.keys(inputs).filter((k) => !(k in (action.inputs ?? {})));
  if (unknown.length) throw new Error(`not inputs of the action: ${unknown.join(', ')}`);
  const ctx: Context = {
    inputs: Object.fromEntries(Object.entries(action.inputs ?? {}).map(([k, v]) => [k, inputs[k] ?? String(v.default ?? '')])),
    steps: {},
    failed: false,
  };
  const steps: StepResult[] = [];
  let log = '';
  action.runs.steps.forEach((step, n) => {
    const label = step.name ?? step.id ?? step.uses ?? `step ${n + 1}`;
    const condition = step.if ? step.if.replace(/^\$\{\{\s*([\s\S]*?)\s*\}\}$/, '$1') : 'success()';
    const go = evaluate(condition, ctx);
    if (go === false || go === '' || go === 'false') {
      steps.push({ label, status: 'skipped', outputs: {}, log: '', ...(step.uses ? { uses: step.uses } : {}) });
      if (step.id) ctx.steps[step.id] = { outputs: {}, outcome: 'skipped' };
      return;
    }
    if (step.uses) {
      const withValues = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), ctx)]));
      steps.push({ label, status: 'not run (uses)', outputs: {}, log: '', uses: step.uses, with: withValues });
      if (step.id) ctx.steps[step.id] = { outputs: {}, outcome: 'success' };
      return;
    }
    if (step.shell !== 'bash') throw new Error(`${label}: shell "${step.shell}" (a composite run step needs one; this runner has bash)`);
    const outputFile = path.join(runnerTemp, `output-${n}`);
    fs.writeFileSync(outputFile, '');
    const stepEnv: NodeJS.ProcessEnv = {
      ...env,
      GITHUB_ACTION_PATH: actionDir,
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: outputFile,
      GITHUB_ACTIONS: 'true',
      RUNNER_TEMP: runnerTemp,
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(String(v), ctx)])),
    };
    delete stepEnv.NODE_TEST_CONTEXT;
    // GitHub runs bash steps as `bash --noprofile --norc -eo pipefail {0}`.
    const script = path.join(runnerTemp, `step-${n}.sh`);
    fs.writeFileSync(script, interpolate(step.run ?? '', ctx));
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: workspace, env: stepEnv, encoding: 'utf8', timeout: 600_000 });
    const stepLog = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    log += `::group::${label}\n${stepLog}::endgroup::\n`;
    const outputs = readOutputs(outputFile);
    const ok = r.status === 0;
    if (!ok) ctx.failed = true;
    steps.push({ label, status: ok ? 'success' : 'failure', exitCode: r.status ?? -1, outputs, log: stepLog });
    if (step.id) ctx.steps[step.id] = { outputs, outcome: ok ? 'success' : 'failure' };
  });
  const outputs = Object.fromEntries(Object.entries(action.outputs ?? {}).map(([k, v]) => [k, interpolate(String(v.value), ctx)]));
  return { steps, outputs, failed: ctx.failed, log };
}
