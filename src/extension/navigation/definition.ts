/**
 * Go to Definition from a reference to its mapping in bqmigrate.json; Find All
 * References from a mapping in the manifest to every reference in the workspace;
 * Rename (F2) on a legacy reference renames its target everywhere and updates the
 * mapping's "to" in the manifest.
 */
import * as vscode from 'vscode';
import { setMappingField } from '../../core/manifest/edit';
import { explainName } from '../../core/index';
import type { ExtensionCtx } from '../context';
import { mappingIndexAtOffset, mappingLocation } from '../manifest/locations';
import { referenceAt } from './reference-at';
import { verdictProblem } from '../verdict';

export class MappingDefinition implements vscode.DefinitionProvider {
  constructor(private readonly ctx: ExtensionCtx) {}
  provideDefinition(doc: vscode.TextDocument, position: vscode.Position): vscode.Location[] | undefined {
    const hit = referenceAt(this.ctx, doc, position);
    const loaded = this.ctx.manifest.loaded;
    if (!hit?.resolution || !loaded) return undefined;
    const loc = mappingLocation(loaded, hit.resolution.mappingIndex);
    return loc ? [loc] : undefined;
  }
}

export class MappingReferences implements vscode.ReferenceProvider {
  constructor(private readonly ctx: ExtensionCtx) {}
  async provideReferences(doc: vscode.TextDocument, position: vscode.Position, context: vscode.ReferenceContext): Promise<vscode.Location[] | undefined> {
    const loaded = this.ctx.manifest.loaded;
    let index: number | undefined;
    if (this.ctx.manifest.isManifest(doc.uri)) index = mappingIndexAtOffset(doc.getText(), doc.offsetAt(position));
    else index = referenceAt(this.ctx, doc, position)?.resolution?.mappingIndex;
    if (index === undefined || !loaded) return undefined;
    await this.ctx.linter.whenIdle();
    const out = this.ctx.linter.referencesOf(index).map((r) => new vscode.Location(r.uri, r.range));
    if (context.includeDeclaration) {
      const decl = mappingLocation(loaded, index, 'from');
      if (decl) out.unshift(decl);
    }
    return out;
  }
}

export class MappingRename implements vscode.RenameProvider {
  constructor(private readonly ctx: ExtensionCtx) {}

  prepareRename(doc: vscode.TextDocument, position: vscode.Position): { range: vscode.Range; placeholder: string } {
    const hit = referenceAt(this.ctx, doc, position);
    if (!hit?.resolution) throw new Error('bqmigrate renames legacy table references that a mapping resolves; this is not one');
    const mapping = hit.resolution.mapping;
    if (mapping.kind !== 'table' || /[{*]/.test(mapping.from) || (mapping.to !== undefined && /[{*]/.test(mapping.to))) {
      throw new Error(`mapping "${mapping.from}" is a template; edit its "to" in bqmigrate.json instead`);
    }
    const range = new vscode.Range(doc.positionAt(hit.ref.dataset.range.start), doc.positionAt(hit.ref.table.range.end));
    return { range, placeholder: hit.resolution.to ?? `${hit.ref.dataset.text}.${hit.ref.table.text}` };
  }

  async provideRenameEdits(doc: vscode.TextDocument, position: vscode.Position, newName: string): Promise<vscode.WorkspaceEdit> {
    const hit = referenceAt(this.ctx, doc, position);
    const loaded = this.ctx.manifest.loaded;
    if (!hit?.resolution || !loaded) throw new Error('no legacy reference here');
    const name = newName.trim();
    const parts = name.split('.');
    if (parts.length !== 2 || !parts.every((p) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) throw new Error(`"${name}" is not dataset.table`);
    const problem = verdictProblem(explainName(loaded.manifest, name));
    if (problem) throw new Error(`"${name}" breaks the naming convention: ${problem}`);
    const [dataset, table] = parts as [string, string];
    const index = hit.resolution.mappingIndex;
    await this.ctx.linter.whenIdle();
    const edit = new vscode.WorkspaceEdit();
    for (const rec of this.ctx.linter.files.values()) {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === rec.uri.toString());
      const current = open ? this.ctx.linter.recordFor(open) : rec;
      // Counted without the text: only files with a reference of this mapping are read.
      if (!current || !current.counts.byMapping.has(index)) continue;
      const at = open ?? (await vscode.workspace.openTextDocument(rec.uri));
      for (const r of current.result.refs) {
        if (r.resolution?.mappingIndex !== index || !('dataset' in r.ref)) continue;
        edit.replace(rec.uri, new vscode.Range(at.positionAt(r.ref.dataset.range.start), at.positionAt(r.ref.dataset.range.end)), dataset);
        edit.replace(rec.uri, new vscode.Range(at.positionAt(r.ref.table.range.start), at.positionAt(r.ref.table.range.end)), table);
      }
    }
    const manifestDoc = await vscode.workspace.openTextDocument(vscode.Uri.file(loaded.file));
    const text = manifestDoc.getText();
    const next = setMappingField(text, index, 'to', name);
    edit.replace(manifestDoc.uri, new vscode.Range(manifestDoc.positionAt(0), manifestDoc.positionAt(text.length)), next);
    return edit;
  }
}
