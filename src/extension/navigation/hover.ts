/** Hover on a table reference: legacy → new, status, dataset descriptions, the naming verdict of the new name. */
import * as vscode from 'vscode';
import { explainName } from '../../core/index';
import type { Manifest } from '../../core/manifest/schema';
import type { ExtensionCtx } from '../context';
import { referenceAt } from './reference-at';
import { formatVerdict } from '../verdict';

export class ReferenceHover implements vscode.HoverProvider {
  constructor(private readonly ctx: ExtensionCtx) {}

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const hit = referenceAt(this.ctx, doc, position);
    const loaded = this.ctx.manifest.loaded;
    if (!hit || !loaded) return undefined;
    const manifest = loaded.manifest;
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: ['bqmigrate.mapping.openInManifest', 'bqmigrate.mapping.revealReferences'] };
    const { resolution } = hit;
    if (resolution) {
      const mapping = resolution.mapping;
      md.appendMarkdown(`**bqmigrate** · legacy reference\n\n`);
      md.appendMarkdown(`\`${resolution.from}\` → ${resolution.to ? `\`${resolution.to}\`` : '_not mapped yet_'}\n\n`);
      md.appendMarkdown(`Status: **${mapping.status}**${mapping.shimmedOn ? ` (shimmed on ${mapping.shimmedOn})` : ''}${mapping.note ? ` — ${escape(mapping.note)}` : ''}\n\n`);
      appendDataset(md, manifest, resolution.from, 'Legacy dataset');
      if (resolution.to) {
        appendDataset(md, manifest, resolution.to, 'New dataset');
        md.appendMarkdown(`\n**Naming** ${formatVerdict(explainName(manifest, resolution.to))}\n\n`);
      }
      const args = encodeURIComponent(JSON.stringify([resolution.mappingIndex]));
      md.appendMarkdown(`[Open mapping](command:bqmigrate.mapping.openInManifest?${args}) · [References](command:bqmigrate.mapping.revealReferences?${args})`);
    } else {
      const name = `${hit.ref.dataset.text}.${hit.ref.table.text}`;
      md.appendMarkdown(`**bqmigrate** · \`${name}\`\n\n`);
      appendDataset(md, manifest, name, 'Dataset');
      md.appendMarkdown(`\n**Naming** ${formatVerdict(explainName(manifest, name))}\n`);
    }
    return new vscode.Hover(md, hit.range);
  }
}

function appendDataset(md: vscode.MarkdownString, manifest: Manifest, name: string, label: string): void {
  const ds = name.split('.')[0] ?? '';
  const entry = manifest.datasets[ds] ?? manifest.legacyDatasets[ds];
  md.appendMarkdown(`${label} \`${ds}\`: ${entry ? escape(entry.description) : '_not described in the manifest_'}\n\n`);
}

function escape(text: string): string {
  return text.replace(/([\\`*_{}[\]()#+\-.!|<>])/g, '\\$1');
}
