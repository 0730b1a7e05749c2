/** The "Phases" view: phases → steps with status icons, derived from the journal; refreshed when it changes. */
import * as vscode from 'vscode';
import type { PhaseState, PhaseStatus, StepStatus } from '../../core/phases/types';
import type { ExtensionCtx } from '../context';

export type PhaseNode = { kind: 'phase'; phase: PhaseStatus } | { kind: 'step'; phase: PhaseStatus; step: StepStatus; title: string };

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
  /** Phase ids running in this window (spinner). */
  readonly running = new Set<string>();

  constructor(private readonly ctx: ExtensionCtx) {}

  async refresh(): Promise<void> {
    const loaded = this.ctx.manifest.loaded;
    if (!loaded) this.statuses = [];
    else {
      const { phaseStatuses, readJournal } = await import('../../core/phases/index.js');
      this.statuses = phaseStatuses(loaded, readJournal(loaded.root));
    }
    this.emitter.fire(undefined);
  }

  current(): PhaseStatus[] {
    return this.statuses;
  }

  getChildren(node?: PhaseNode): PhaseNode[] {
    if (!node) return this.statuses.map((phase) => ({ kind: 'phase', phase }));
    if (node.kind !== 'phase') return [];
    const manifestPhase = this.ctx.manifest.loaded?.manifest.phases.find((p) => p.id === node.phase.id);
    return node.phase.steps.map((step, i) => {
      const s = manifestPhase?.steps[i];
      const title = s?.title ?? (s?.run ? s.run : s?.sql ? `sql ${s.sql}` : s?.command ? `$ ${s.command}` : step.id);
      return { kind: 'step', phase: node.phase, step, title };
    });
  }

  getTreeItem(node: PhaseNode): vscode.TreeItem {
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

  dispose(): void {
    this.emitter.dispose();
  }
}
