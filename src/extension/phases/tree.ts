/**
 * The "Phases" view: phases → steps with status icons, from the state `bqmigrate status` reads
 * (`ctx.migrationState`: the warehouse history merged with the journal, or the journal with a
 * warning), above them the runs in progress — anyone's, with who, where, since when and the step —
 * and the warning when the warehouse could not be read.
 */
import * as vscode from 'vscode';
import type { MigrationState, RunInProgress } from '../../core/history/team';
import type { PhaseState, PhaseStatus, StepStatus } from '../../core/phases/types';
import type { ExtensionCtx } from '../context';
import { RUN_STATE_TEXT, runAuthor } from '../../protocol/messages';

export type PhaseNode =
  | { kind: 'phase'; phase: PhaseStatus }
  | { kind: 'step'; phase: PhaseStatus; step: StepStatus; title: string }
  | { kind: 'run'; run: RunInProgress; holdsLock: boolean }
  | { kind: 'warning'; text: string };

const ICONS: Record<PhaseState, [string, string | undefined]> = {
  'not-started': ['circle-large-outline', undefined],
  'in-progress': ['sync', 'charts.yellow'],
  complete: ['pass-filled', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
};

function icon(state: PhaseState, running: boolean): vscode.ThemeIcon {
  if (running) return new vscode.ThemeIcon('loading~spin');
  const [id, color] = ICONS[state];
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}


export class PhasesTreeProvider implements vscode.TreeDataProvider<PhaseNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<PhaseNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private statuses: PhaseStatus[] = [];
  private state: MigrationState | undefined;
  /** Phase ids running in this window (spinner). */
  readonly running = new Set<string>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly ctx: ExtensionCtx) {
    this.subscription = ctx.migrationState.onDidChange((s) => void this.update(s));
  }

  /** The journal changed (or a command wants the latest): re-merge it with the last warehouse read. */
  async refresh(): Promise<void> {
    await this.ctx.migrationState.journalChanged();
  }

  private async update(state: MigrationState | undefined): Promise<void> {
    const loaded = this.ctx.manifest.loaded;
    this.state = loaded ? state : undefined;
    if (!loaded || !state) this.statuses = [];
    else {
      const { phaseStatuses } = await import('../../core/phases/index.js');
      this.statuses = phaseStatuses(loaded, state.shared.events);
    }
    this.emitter.fire(undefined);
  }

  current(): PhaseStatus[] {
    return this.statuses;
  }

  /** The state the view shows (host tests read it). */
  migrationState(): MigrationState | undefined {
    return this.state;
  }

  getChildren(node?: PhaseNode): PhaseNode[] {
    if (!node) {
      const top: PhaseNode[] = [];
      if (this.state?.warning) top.push({ kind: 'warning', text: this.state.warning });
      for (const run of this.state?.runs ?? []) top.push({ kind: 'run', run, holdsLock: this.state?.lock?.runId === run.runId });
      return [...top, ...this.statuses.map((phase): PhaseNode => ({ kind: 'phase', phase }))];
    }
    if (node.kind !== 'phase') return [];
    const manifestPhase = this.ctx.manifest.loaded?.manifest.phases.find((p) => p.id === node.phase.id);
    return node.phase.steps.map((step, i) => {
      const s = manifestPhase?.steps[i];
      const title = s?.title ?? (s?.run ? s.run : s?.sql ? `sql ${s.sql}` : s?.command ? `$ ${s.command}` : step.id);
      return { kind: 'step', phase: node.phase, step, title };
    });
  }

  getTreeItem(node: PhaseNode): vscode.TreeItem {
    if (node.kind === 'warning') {
      const item = new vscode.TreeItem('Warehouse history not read', vscode.TreeItemCollapsibleState.None);
      item.id = 'history:warning';
      item.description = 'showing this machine\'s journal only';
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
      item.tooltip = node.text;
      item.contextValue = 'historyWarning';
      return item;
    }
    if (node.kind === 'run') return this.runItem(node.run, node.holdsLock);
    if (node.kind === 'phase') {
      const p = node.phase;
      const item = new vscode.TreeItem(p.title, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `phase:${p.id}`;
      item.description = `${p.id} · ${p.state.replace('-', ' ')}${p.rolledBackAt ? ' (rolled back)' : ''}`;
      item.iconPath = icon(p.state, this.running.has(p.id));
      item.contextValue = `phase:${p.state}`;
      item.tooltip = new vscode.MarkdownString(`**${p.title}** (\`${p.id}\`)\n\n${p.state}${p.start ? `\n\nstarted ${p.start}` : ''}${p.end ? `\n\nended ${p.end}` : ''}${p.runId ? `\n\nrun \`${p.runId}\`` : ''}`);
      return item;
    }
    const item = new vscode.TreeItem(node.title, vscode.TreeItemCollapsibleState.None);
    item.id = `step:${node.phase.id}/${node.step.id}`;
    item.description = node.step.state.replace('-', ' ');
    item.iconPath = icon(node.step.state, false);
    item.contextValue = 'phaseStep';
    item.tooltip = node.step.error ?? `${node.step.id}: ${node.step.state}`;
    return item;
  }

  private runItem(run: RunInProgress, holdsLock: boolean): vscode.TreeItem {
    const what = `${run.kind === 'rollback' ? 'rollback of ' : ''}${run.phases.join(', ') || '(phases unknown)'}`;
    const item = new vscode.TreeItem(`${runAuthor(run)}: ${what}`, vscode.TreeItemCollapsibleState.None);
    item.id = `run:${run.runId}`;
    item.description = `${RUN_STATE_TEXT[run.state]} since ${run.since}${run.step ? ` · ${run.step}` : ''}${holdsLock ? ' · holds the lock' : ''}`;
    item.iconPath = run.state === 'running' ? new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.yellow')) : new vscode.ThemeIcon(run.state === 'stale' ? 'warning' : 'debug-pause', new vscode.ThemeColor('list.warningForeground'));
    item.contextValue = `run:${run.state}`;
    const lock = holdsLock && this.state?.lock ? `\n\nholds the migration lock since ${this.state.lock.started}, last heartbeat ${this.state.lock.heartbeat}${this.state.lock.stale ? ' (stale: `bqmigrate unlock --run ' + run.runId + '` takes it)' : ''}` : '';
    const next = run.state === 'interrupted' ? '\n\n`bqmigrate run --resume` continues it' : '';
    item.tooltip = new vscode.MarkdownString(`run \`${run.runId}\` by ${runAuthor(run)}\n\n${what}, ${RUN_STATE_TEXT[run.state]} since ${run.since}${run.step ? `, in step ${run.step}` : ''}; last event ${run.lastEvent}${lock}${next}`);
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
