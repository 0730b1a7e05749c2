/**
 * The `bqmigrate.mappings` tree: groups → mappings, each with a status icon and the references left;
 * a table's column mappings nest under its row, and column mappings of tables no mapping moves get a
 * row per table after the groups.
 */
import { isColumnMapping, tableAndPathMappings } from '../../core/manifest/schema';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionCtx } from '../context';
import { READERS_FILE, readReadersFile } from '../../core/readers/report';
import { attachColumns, columnLabel, columnPasses, combineLabel, GROUPING_LABELS, groupMappings, isMapped, mappingLabel, readersBadge, readersByMapping, readersTooltip, referencesDescription, type ColumnEntry, type ColumnTable, type Grouping, type MappingEntry, type MappingFilter, type MappingGroup, type MappingReaders } from './model';

export type MappingTreeNode =
  | { kind: 'group'; group: MappingGroup }
  | ({ kind: 'mapping' } & MappingEntry)
  | ({ kind: 'column'; parent: { mapping: number } | { table: string } } & ColumnEntry)
  | ({ kind: 'columnTable' } & ColumnTable);

const STATUS_ICON: Record<string, [string, string | undefined]> = {
  planned: ['circle-large-outline', undefined],
  shimmed: ['debug-step-over', 'charts.yellow'],
  migrated: ['pass', 'testing.iconPassed'],
  archived: ['archive', 'descriptionForeground'],
  dropped: ['trash', 'descriptionForeground'],
};

export class MappingTreeProvider implements vscode.TreeDataProvider<MappingTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<MappingTreeNode | undefined | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private grouping: Grouping;
  private filter: MappingFilter;

  constructor(private readonly ctx: ExtensionCtx) {
    this.grouping = ctx.extension.workspaceState.get<Grouping>('bqmigrate.mappings.grouping', 'legacyDataset');
    this.filter = ctx.extension.workspaceState.get<MappingFilter>('bqmigrate.mappings.filter', 'all');
    void vscode.commands.executeCommand('setContext', 'bqmigrate.mappingsFiltered', this.filter !== 'all');
  }

  get currentGrouping(): Grouping {
    return this.grouping;
  }
  get currentFilter(): MappingFilter {
    return this.filter;
  }

  setGrouping(g: Grouping): void {
    this.grouping = g;
    void this.ctx.extension.workspaceState.update('bqmigrate.mappings.grouping', g);
    this.refresh();
  }

  setFilter(f: MappingFilter): void {
    this.filter = f;
    void this.ctx.extension.workspaceState.update('bqmigrate.mappings.filter', f);
    void vscode.commands.executeCommand('setContext', 'bqmigrate.mappingsFiltered', f !== 'all');
    this.refresh();
  }

  /**
   * The last `bqmigrate readers` report of the manifest's folder, read again on refresh or when the
   * file's stamp changes: a watcher drops a create followed closely by a delete, so the stamp is the truth.
   */
  private readers: { root: string; stamp: string; byMapping: Map<number, MappingReaders> } | undefined;

  refresh(): void {
    this.readers = undefined;
    this.changed.fire();
  }

  private readersOf(root: string): Map<number, MappingReaders> {
    const stat = fs.statSync(path.join(root, READERS_FILE), { throwIfNoEntry: false });
    const stamp = stat ? `${stat.mtimeMs}:${stat.size}` : '';
    if (this.readers?.root !== root || this.readers.stamp !== stamp) {
      // A broken report is named on the dashboard; the tree just shows no readers.
      const { report } = readReadersFile(root);
      this.readers = { root, stamp, byMapping: report ? readersByMapping(report) : new Map() };
    }
    return this.readers.byMapping;
  }

  entries(): MappingEntry[] {
    return this.model().tables;
  }

  /** Column mappings of tables no table mapping moves, by table. */
  columnTables(): ColumnTable[] {
    return this.model().columnTables;
  }

  private model(): { tables: MappingEntry[]; columnTables: ColumnTable[] } {
    const loaded = this.ctx.manifest.loaded;
    if (!loaded) return { tables: [], columnTables: [] };
    const totals = this.ctx.linter.totals();
    const readers = this.readersOf(loaded.root);
    const tables = tableAndPathMappings(loaded.manifest).map(({ mapping, index }) => {
      const read = readers.get(index);
      return { index, mapping, references: totals.byMapping.get(index) ?? 0, warehouseReferences: totals.warehouseByMapping.get(index) ?? 0, ...(read ? { readers: read } : {}) };
    });
    const columns: ColumnEntry[] = [];
    loaded.manifest.mappings.forEach((mapping, index) => {
      if (isColumnMapping(mapping)) columns.push({ index, mapping, references: totals.columnsByMapping.get(index) ?? 0 });
    });
    return attachColumns(loaded.manifest, tables, columns);
  }

  getChildren(node?: MappingTreeNode): MappingTreeNode[] {
    if (!node) {
      const groups: MappingTreeNode[] = groupMappings(this.entries(), this.grouping, this.filter).map((group) => ({ kind: 'group', group }));
      for (const t of this.columnTables()) {
        const shown = t.columns.filter((c) => columnPasses(c, this.filter));
        if (shown.length) groups.push({ kind: 'columnTable', table: t.table, columns: shown });
      }
      return groups;
    }
    if (node.kind === 'group') return node.group.entries.map((e) => ({ kind: 'mapping', ...e }));
    if (node.kind === 'mapping') return (node.columns ?? []).map((c) => ({ kind: 'column', parent: { mapping: node.index }, ...c }));
    if (node.kind === 'columnTable') return node.columns.map((c) => ({ kind: 'column', parent: { table: node.table }, ...c }));
    return [];
  }

  /** TreeView.reveal walks up through this: a mapping's parent is the group it falls in now, a column's its table row. */
  getParent(node: MappingTreeNode): MappingTreeNode | undefined {
    if (node.kind === 'group' || node.kind === 'columnTable') return undefined;
    if (node.kind === 'column') {
      const parent = node.parent;
      if ('mapping' in parent) return this.nodeOf(parent.mapping);
      const t = this.columnTables().find((x) => x.table === parent.table);
      return t ? { kind: 'columnTable', table: t.table, columns: t.columns.filter((c) => columnPasses(c, this.filter)) } : undefined;
    }
    const group = groupMappings(this.entries(), this.grouping, this.filter).find((g) => g.entries.some((e) => e.index === node.index));
    return group ? { kind: 'group', group } : undefined;
  }

  /** The mapping's node as the tree shows it, or undefined when the filter hides it. */
  nodeOf(index: number): MappingTreeNode | undefined {
    for (const g of groupMappings(this.entries(), this.grouping, this.filter)) {
      const e = g.entries.find((x) => x.index === index);
      if (e) return { kind: 'mapping', ...e };
    }
    return undefined;
  }

  getTreeItem(node: MappingTreeNode): vscode.TreeItem {
    if (node.kind === 'group') {
      const item = new vscode.TreeItem(node.group.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `group:${this.grouping}:${node.group.key}`;
      item.description = `${node.group.entries.length} mapping${node.group.entries.length === 1 ? '' : 's'} · ${referencesDescription(node.group.references)}`;
      item.contextValue = 'group';
      item.iconPath = new vscode.ThemeIcon(this.grouping === 'status' ? 'symbol-enum' : 'database');
      item.tooltip = `${GROUPING_LABELS[this.grouping]}: ${node.group.label}`;
      return item;
    }
    if (node.kind === 'columnTable') return this.columnTableItem(node);
    if (node.kind === 'column') return this.columnItem(node);
    const m = node.mapping;
    const columns = node.columns?.length ?? 0;
    const item = new vscode.TreeItem(mappingLabel(m), columns ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = `mapping:${node.index}:${m.from}`;
    const badge = readersBadge(node.readers);
    item.description = `${referencesDescription(node.references, node.warehouseReferences)}${badge ? ` · ${badge}` : ''}${columns ? ` · ${columns} column mapping${columns === 1 ? '' : 's'}` : ''}`;
    const [icon, color] = isMapped(m) ? STATUS_ICON[m.status] ?? ['circle-large-outline', undefined] : ['question', 'list.warningForeground'];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.contextValue = `mapping:${m.status}:${isMapped(m) ? 'mapped' : 'unmapped'}`;
    const tip = new vscode.MarkdownString(`**${m.from}** → ${isMapped(m) ? `**${m.to}**` : '_not mapped yet_'}\n\nStatus: ${m.status}${m.note ? `\n\n${m.note}` : ''}\n\n${referencesDescription(node.references)}${node.warehouseReferences ? ` (${node.references - node.warehouseReferences} in code, ${node.warehouseReferences} in pulled warehouse definitions)` : ''}${node.readers ? `\n\n${readersTooltip(node.readers)}` : ''}`);
    item.tooltip = tip;
    item.accessibilityInformation = { label: `${m.from} to ${isMapped(m) ? m.to : 'unmapped'}, ${m.status}, ${referencesDescription(node.references)}${badge ? `, ${badge}` : ''}` };
    item.command = { command: 'bqmigrate.mapping.revealReferences', title: 'Reveal References', arguments: [{ index: node.index }] };
    return item;
  }

  private columnTableItem(node: ColumnTable): vscode.TreeItem {
    const item = new vscode.TreeItem(node.table, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `columns:${node.table}`;
    const refs = node.columns.reduce((n, c) => n + c.references, 0);
    item.description = `columns only · ${node.columns.length} column mapping${node.columns.length === 1 ? '' : 's'} · ${referencesDescription(refs)}`;
    item.contextValue = 'columnTable';
    item.iconPath = new vscode.ThemeIcon('table');
    item.tooltip = `${node.table} keeps its name: no table mapping moves it, so no phase builds its new columns (the create-targets plan says so). Map the table to a new name, or rename the columns with a sql step.`;
    return item;
  }

  private columnItem(node: ColumnEntry): vscode.TreeItem {
    const m = node.mapping;
    const item = new vscode.TreeItem(columnLabel(m), vscode.TreeItemCollapsibleState.None);
    item.id = `column:${node.index}:${m.table}:${m.to}`;
    item.description = `${combineLabel(m)} · ${referencesDescription(node.references)}`;
    const [icon, color] = STATUS_ICON[m.status] ?? ['circle-large-outline', undefined];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.contextValue = `column:${m.status}`;
    item.tooltip = new vscode.MarkdownString(`Column mapping on **${m.table}**: ${columnLabel(m)}\n\nCombine: ${combineLabel(m)}\n\nStatus: ${m.status}${m.note ? `\n\n${m.note}` : ''}\n\n${referencesDescription(node.references)} (\`legacy-column\` findings)`);
    item.accessibilityInformation = { label: `column ${columnLabel(m).replace('→', 'to')} on ${m.table}, ${m.status}, ${referencesDescription(node.references)}` };
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
