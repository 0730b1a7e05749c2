/** The Mappings view (on `ctx.views.mappings`) and its commands: reveal, fix, copy, open, set target / status, group, filter. */
import * as vscode from 'vscode';
import { explainName } from '../../core/index';
import { MAPPING_STATUSES } from '../../core/manifest/schema';
import type { CommandSpec, ExtensionCtx } from '../context';
import { mappingIndexArg } from '../args';
import { mappingLocation } from '../manifest/locations';
import { editMappingField } from '../manifest/write';
import { verdictProblem } from '../verdict';
import { GROUPING_LABELS, type Grouping, type MappingFilter } from './model';
import { MappingTreeProvider } from './provider';

export function registerMappingTree(ctx: ExtensionCtx): void {
  const tree = ctx.track(new MappingTreeProvider(ctx));
  const treeView = ctx.track(vscode.window.createTreeView('bqmigrate.mappings', { treeDataProvider: tree, showCollapseAll: true }));
  ctx.views.mappings = { provider: tree, view: treeView };
  const update = () => {
    tree.refresh();
    const { total } = ctx.linter.totals();
    treeView.badge = total > 0 ? { value: total, tooltip: `${total} legacy reference${total === 1 ? '' : 's'} left` } : undefined;
    const state = ctx.manifest.current;
    treeView.message = state.stale ? `bqmigrate.json has ${state.problems.length} problem(s); showing the last good version.` : undefined;
  };
  ctx.track(ctx.linter.onDidChange(update));
  ctx.track(ctx.manifest.onDidChange(update));
  ctx.track(ctx.manifest.onDidChangeProblems(update));
  // `bqmigrate readers` writes the report the tree's "still read" badges come from.
  const readersWatcher = ctx.track(vscode.workspace.createFileSystemWatcher('**/.bqmigrate/readers.json'));
  ctx.track(readersWatcher.onDidCreate(update));
  ctx.track(readersWatcher.onDidChange(update));
  ctx.track(readersWatcher.onDidDelete(update));
  update();
}

/** Selects and focuses a mapping's row (the dashboard's links); a filter that hides it is cleared first. */
async function revealMapping(ctx: ExtensionCtx, arg: unknown): Promise<number> {
  const index = requireIndex(ctx, arg);
  if (!ctx.views.mappings) throw new Error('the Mappings view is not registered');
  const { provider: tree, view } = ctx.views.mappings;
  if (!tree.nodeOf(index)) tree.setFilter('all');
  const node = tree.nodeOf(index);
  if (!node) throw new Error(`mapping ${index} is not in the Mappings view`);
  await view.reveal(node, { select: true, focus: true, expand: true });
  return index;
}

function requireIndex(ctx: ExtensionCtx, arg: unknown): number {
  const index = mappingIndexArg(arg);
  const mapping = index === undefined ? undefined : ctx.manifest.loaded?.manifest.mappings[index];
  if (index === undefined || !mapping) throw new Error('pick a mapping in the Mappings view');
  return index;
}

async function setTarget(ctx: ExtensionCtx, arg: unknown, given?: string): Promise<string | undefined> {
  const index = requireIndex(ctx, arg);
  const loaded = ctx.manifest.loaded!;
  const mapping = loaded.manifest.mappings[index]!;
  const validate = (value: string): vscode.InputBoxValidationMessage | undefined => {
    const name = value.trim();
    if (!name) return { message: 'enter dataset.table', severity: vscode.InputBoxValidationSeverity.Error };
    if (mapping.kind === 'path') return undefined;
    if (!/^[A-Za-z0-9_{}]+\.[A-Za-z0-9_{}]+$/.test(name)) return { message: `"${name}" is not dataset.table`, severity: vscode.InputBoxValidationSeverity.Error };
    const dataset = name.split('.')[0]!;
    if (!/[{]/.test(name)) {
      const problem = verdictProblem(explainName(loaded.manifest, name));
      if (problem) return { message: problem, severity: vscode.InputBoxValidationSeverity.Error };
    }
    if (!loaded.manifest.datasets[dataset]) return { message: `dataset "${dataset}" is not among the manifest's approved datasets`, severity: vscode.InputBoxValidationSeverity.Warning };
    return undefined;
  };
  const value =
    given ??
    (await vscode.window.showInputBox({
      title: `New name for ${mapping.from}`,
      value: mapping.to ?? '',
      prompt: 'dataset.table following the naming convention, e.g. training.zl_training_prod_allhistory_1m',
      validateInput: validate,
    }));
  if (value === undefined) return undefined;
  const problem = validate(value);
  if (problem && problem.severity === vscode.InputBoxValidationSeverity.Error) throw new Error(problem.message);
  await editMappingField(ctx, index, 'to', value.trim());
  return value.trim();
}

async function setStatus(ctx: ExtensionCtx, arg: unknown, given?: string): Promise<string | undefined> {
  const index = requireIndex(ctx, arg);
  const mapping = ctx.manifest.loaded!.manifest.mappings[index]!;
  const status =
    given ??
    (await vscode.window.showQuickPick(
      MAPPING_STATUSES.map((s) => ({ label: s, description: s === mapping.status ? 'current' : undefined })),
      { title: `Status of ${mapping.from}` },
    ))?.label;
  if (!status) return undefined;
  if (!(MAPPING_STATUSES as readonly string[]).includes(status)) throw new Error(`"${status}" is not a status; expected one of ${MAPPING_STATUSES.join(', ')}`);
  await editMappingField(ctx, index, 'status', status);
  return status;
}

const FILTERS: { filter: MappingFilter; label: string }[] = [
  { filter: 'all', label: 'All mappings' },
  { filter: 'unmapped', label: 'Unmapped only' },
  { filter: 'withReferences', label: 'With references left' },
  ...MAPPING_STATUSES.map((s) => ({ filter: `status:${s}` as MappingFilter, label: `Status: ${s}` })),
];

export const mappingTreeCommands: CommandSpec[] = [
  { id: 'bqmigrate.mappings.refresh', title: 'Refresh Mappings', category: 'bqmigrate', when: 'bqmigrate.hasManifest', run: async (ctx) => {
    await ctx.manifest.reload();
    ctx.views.mappings?.provider.refresh();
  } },
  {
    id: 'bqmigrate.mappings.groupBy',
    title: 'Group Mappings By…',
    category: 'bqmigrate',
    when: 'bqmigrate.hasManifest',
    run: async (ctx, given?: Grouping) => {
      const tree = ctx.views.mappings?.provider;
      const pick = given ?? (await vscode.window.showQuickPick(Object.entries(GROUPING_LABELS).map(([id, label]) => ({ id: id as Grouping, label, description: id === tree?.currentGrouping ? 'current' : undefined })), { title: 'Group mappings by' }))?.id;
      if (!pick || !(pick in GROUPING_LABELS)) return undefined;
      tree?.setGrouping(pick);
      return pick;
    },
  },
  {
    id: 'bqmigrate.mappings.filter',
    title: 'Filter Mappings…',
    category: 'bqmigrate',
    when: 'bqmigrate.hasManifest',
    run: async (ctx, given?: MappingFilter) => {
      const tree = ctx.views.mappings?.provider;
      const pick = given ?? (await vscode.window.showQuickPick(FILTERS.map((f) => ({ ...f, description: f.filter === tree?.currentFilter ? 'current' : undefined })), { title: 'Show mappings' }))?.filter;
      if (!pick || !FILTERS.some((f) => f.filter === pick)) return undefined;
      tree?.setFilter(pick);
      return pick;
    },
  },
  { id: 'bqmigrate.mappings.clearFilter', title: 'Clear Mapping Filter', category: 'bqmigrate', when: 'bqmigrate.mappingsFiltered', run: (ctx) => ctx.views.mappings?.provider.setFilter('all') },
  {
    id: 'bqmigrate.mapping.revealReferences',
    title: 'Reveal References',
    category: 'bqmigrate',
    when: 'false',
    run: async (ctx, arg: unknown) => {
      const index = requireIndex(ctx, arg);
      await ctx.linter.whenIdle();
      const refs = ctx.linter.referencesOf(index);
      const at = mappingLocation(ctx.manifest.loaded!, index, 'from');
      if (refs.length === 0 || !at) {
        void vscode.window.showInformationMessage(`bqmigrate: no references left to ${ctx.manifest.loaded!.manifest.mappings[index]!.from}.`);
        return [];
      }
      const locations = refs.map((r) => new vscode.Location(r.uri, r.range));
      await vscode.commands.executeCommand('editor.action.showReferences', at.uri, at.range.start, locations);
      return locations;
    },
  },
  {
    id: 'bqmigrate.mapping.copyNewName',
    title: 'Copy New Name',
    category: 'bqmigrate',
    when: 'false',
    run: async (ctx, arg: unknown) => {
      const to = ctx.manifest.loaded!.manifest.mappings[requireIndex(ctx, arg)]!.to;
      if (!to) throw new Error('this mapping has no new name yet; use "Set Target Name…"');
      await vscode.env.clipboard.writeText(to);
      return to;
    },
  },
  {
    id: 'bqmigrate.mapping.openInManifest',
    title: 'Open Mapping in Manifest',
    category: 'bqmigrate',
    when: 'false',
    run: async (ctx, arg: unknown) => {
      const loc = mappingLocation(ctx.manifest.loaded!, requireIndex(ctx, arg));
      if (!loc) throw new Error('the mapping is not in the manifest any more; refresh the view');
      await vscode.window.showTextDocument(loc.uri, { selection: loc.range });
      return loc;
    },
  },
  { id: 'bqmigrate.mapping.reveal', title: 'Reveal Mapping in the Mappings View', category: 'bqmigrate', when: 'false', run: (ctx, arg: unknown) => revealMapping(ctx, arg) },
  { id: 'bqmigrate.mapping.setTarget', title: 'Set Target Name…', category: 'bqmigrate', when: 'false', run: (ctx, arg: unknown, given?: string) => setTarget(ctx, arg, given) },
  { id: 'bqmigrate.mapping.setStatus', title: 'Set Status…', category: 'bqmigrate', when: 'false', run: (ctx, arg: unknown, given?: string) => setStatus(ctx, arg, given) },
];
