/**
 * What the phase commands do in the editor: pick a phase, preview its plan, run it (or roll it
 * back, or resume) under a cancellable progress notification with a modal for destructive
 * steps, log to the "bqmigrate Phases" output channel (`ctx.phasesOutput`), and show plans and
 * validation as report documents (`ctx.reports`).
 * core/phases and the warehouse are imported lazily: nothing loads until a command runs.
 */
import * as vscode from 'vscode';
import type { PhasePlan, ValidationReport } from '../../core/phases/types';
import type { ExtensionCtx } from '../context';
import type { PhaseNode, PhasesTreeProvider } from './tree';

/** The Phases view's provider; registerPhases sets it before any command can run. */
export function phasesTree(ctx: ExtensionCtx): PhasesTreeProvider {
  if (!ctx.views.phases) throw new Error('the Phases feature is not registered');
  return ctx.views.phases;
}

function loadedOrThrow(ctx: ExtensionCtx) {
  const loaded = ctx.manifest.loaded;
  if (!loaded) throw new Error('no valid bqmigrate.json is loaded; open or create one first');
  if (ctx.manifest.current.stale) throw new Error('bqmigrate.json has problems; fix them (see the Problems view) before touching the warehouse');
  return loaded;
}

/** The phase id from a tree node, a string argument, or a quick pick. */
export async function pickPhase(ctx: ExtensionCtx, arg: unknown, verb: string): Promise<string | undefined> {
  if (typeof arg === 'string') return arg;
  const node = arg as PhaseNode | { phase: string } | undefined;
  if (node && typeof node === 'object' && 'phase' in node) return typeof node.phase === 'string' ? node.phase : node.phase.id;
  const loaded = loadedOrThrow(ctx);
  if (loaded.manifest.phases.length === 0) throw new Error('bqmigrate.json has no "phases"');
  const tree = phasesTree(ctx);
  await tree.refresh();
  const state = new Map(tree.current().map((p) => [p.id, p.state]));
  const pick = await vscode.window.showQuickPick(
    loaded.manifest.phases.map((p) => ({ label: p.title, description: p.id, detail: `${p.steps.length} step(s) · ${state.get(p.id) ?? 'not-started'}`, id: p.id })),
    { placeHolder: `Phase to ${verb}` },
  );
  return pick?.id;
}

function planMarkdown(plan: PhasePlan, bytes: Map<string, number | string>, formatBytes: (n: number) => string, backend: string): string {
  const out = [`# ${plan.title} (\`${plan.phase}\`)`, '', `Backend: **${backend}**. Nothing has run; this is exactly what \`run\` would execute.`, ''];
  for (const step of plan.steps) {
    out.push(`## ${step.id} — ${step.title}${step.destructive ? ' ⚠️ destructive (asks for confirmation)' : ''}`, '');
    for (const n of step.notes) out.push(`> ${n}`, '');
    if (step.actions.length === 0) out.push('_Nothing to do._', '');
    for (const a of step.actions) {
      const b = bytes.get(`${step.id}/${a.id}`);
      out.push(`### ${a.title}${b !== undefined ? ` — dry run: ${typeof b === 'number' ? formatBytes(b) : b}` : ''}`, '', '```sql', ...a.sql, '```', '');
    }
  }
  return out.join('\n');
}

export async function previewPhase(ctx: ExtensionCtx, arg: unknown, rollback = false): Promise<string | undefined> {
  ctx.requireTrust('Preview Phase');
  const phase = await pickPhase(ctx, arg, rollback ? 'preview the rollback of' : 'preview');
  if (!phase) return undefined;
  const loaded = loadedOrThrow(ctx);
  const core = await import('../../core/phases/index.js');
  const wh = await ctx.openWarehouse();
  try {
    const { plan, bytes } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `bqmigrate: planning ${phase}…` }, () => core.previewPhase(wh, loaded, phase, { rollback }));
    const md = planMarkdown(plan, bytes, core.formatBytes, wh.kind);
    await ctx.reports.show(`plan-${rollback ? 'rollback-' : ''}${phase}`, md);
    return md;
  } finally {
    await wh.close();
  }
}

async function confirmDestructive(steps: string[], verb: string): Promise<boolean> {
  const ok = `${verb} (drops or replaces objects)`;
  const answer = await vscode.window.showWarningMessage(
    `bqmigrate: ${verb} will drop or replace warehouse objects`,
    { modal: true, detail: `Steps: ${steps.join(', ')}.\n\nEvery legacy table is replaced only after its archive copy is verified with the same row count. Preview the phase to see the exact SQL.` },
    ok,
  );
  return answer === ok;
}

/** A command step in the editor: a VS Code task in the manifest folder; its output stays in the task terminal. */
function taskRunner(): (command: string, cwd: string, signal?: AbortSignal) => Promise<{ exitCode: number; output: string }> {
  return async (command, cwd, signal) => {
    const task = new vscode.Task({ type: 'bqmigrate', command }, vscode.TaskScope.Workspace, command, 'bqmigrate', new vscode.ShellExecution(command, { cwd }));
    const execution = await vscode.tasks.executeTask(task);
    return new Promise((resolve) => {
      const done = vscode.tasks.onDidEndTaskProcess((e) => {
        if (e.execution !== execution) return;
        done.dispose();
        resolve({ exitCode: e.exitCode ?? 1, output: '(output in the task terminal)' });
      });
      signal?.addEventListener('abort', () => execution.terminate(), { once: true });
    });
  };
}

export type PhaseRunKind = 'run' | 'rollback' | 'resume';

export async function runPhaseCommand(ctx: ExtensionCtx, kind: PhaseRunKind, arg: unknown): Promise<string | undefined> {
  const verb = kind === 'rollback' ? 'Roll Back Phase' : kind === 'resume' ? 'Resume Run' : 'Run Phase';
  ctx.requireTrust(verb);
  const phase = kind === 'resume' ? undefined : await pickPhase(ctx, arg, kind === 'rollback' ? 'roll back' : 'run');
  if (kind !== 'resume' && !phase) return undefined;
  const loaded = loadedOrThrow(ctx);
  const tree = phasesTree(ctx);
  const output = ctx.phasesOutput;
  const core = await import('../../core/phases/index.js');
  const wh = await ctx.openWarehouse();
  // `{ phase, confirm: true }` (or `yes: true`) skips the modal; an explicit `confirm: false` refuses without asking.
  const given = typeof arg === 'object' && arg !== null ? (arg as { yes?: boolean; confirm?: boolean }) : {};
  const yesArg = given.confirm === true || given.yes === true;
  const noModal = given.confirm === false || given.yes === false;
  try {
    const attempt = (yes: boolean) =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `bqmigrate: ${verb.toLowerCase()} ${phase ?? ''}`, cancellable: true }, async (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        if (phase) tree.running.add(phase);
        void tree.refresh();
        output.show(true);
        const log = (line: string) => output.appendLine(line);
        const onEvent = (e: { event: string; action?: string; phase?: string; step?: string }) => {
          if (e.event === 'action-end' || e.event === 'action-error') progress.report({ message: `${e.phase}/${e.step}: ${e.action}` });
          if (e.event === 'step-end' || e.event === 'step-error') void tree.refresh();
        };
        const opts = { wh, loaded, yes, resume: kind === 'resume', signal: controller.signal, log, onEvent, runCommand: taskRunner() };
        try {
          // Resume continues whatever was interrupted: a run, or a rollback.
          const pending = kind === 'resume' ? core.unfinishedRun(core.readJournal(loaded.root)) : undefined;
          if (kind === 'rollback' || pending?.details?.kind === 'rollback') {
            return await core.rollbackPhase({ ...opts, phase: phase ?? String((pending?.details?.phases as string[] | undefined)?.[0] ?? '') });
          }
          return await core.runPhases({ ...opts, phases: phase ? [phase] : undefined });
        } finally {
          if (phase) tree.running.delete(phase);
          void tree.refresh();
        }
      });
    let result;
    try {
      result = await attempt(yesArg);
    } catch (err) {
      if (!(err instanceof core.ConfirmationRequired)) throw err;
      if (noModal || !(await confirmDestructive(err.steps, verb))) return 'not confirmed';
      result = await attempt(true);
    }
    const message = `bqmigrate: ${verb.toLowerCase()} ${phase ?? result.runId}: ${result.status}${result.error ? ` — ${result.error}` : ''}`;
    if (result.status === 'ok') void vscode.window.showInformationMessage(message);
    else void vscode.window.showErrorMessage(message, 'Resume Run', 'Show Log').then((pick) => {
      if (pick === 'Resume Run') void vscode.commands.executeCommand('bqmigrate.phases.resume');
      if (pick === 'Show Log') output.show();
    });
    return result.status;
  } finally {
    await wh.close();
  }
}

export async function validateCommand(ctx: ExtensionCtx): Promise<ValidationReport> {
  ctx.requireTrust('Validate Migration');
  const loaded = loadedOrThrow(ctx);
  const core = await import('../../core/phases/index.js');
  const wh = await ctx.openWarehouse();
  try {
    const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'bqmigrate: validating the migration…', cancellable: true }, (_p, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return core.validateMigration(wh, loaded, { signal: controller.signal });
    });
    ctx.phasesOutput.appendLine(core.formatValidationTable(report));
    await ctx.reports.show('validation', `# Migration validation\n\n${report.ts} · ${report.backend} warehouse · written to \`.bqmigrate/validation-latest.json\`\n\n${core.formatValidationTable(report, true)}\n`);
    return report;
  } finally {
    await wh.close();
  }
}
