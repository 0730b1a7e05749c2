/** Navigation feature: hover, Go to Definition, Find All References, Rename, Explain Name. */
import * as vscode from 'vscode';
import { explainName } from '../../core/index';
import type { CommandSpec, ExtensionCtx } from '../context';
import { ReferenceHover } from './hover';
import { MappingDefinition, MappingReferences, MappingRename } from './definition';
import { formatVerdict } from '../verdict';

const SELECTOR: vscode.DocumentSelector = [{ scheme: 'file' }];

export function registerNavigation(ctx: ExtensionCtx): void {
  ctx.track(vscode.languages.registerHoverProvider(SELECTOR, new ReferenceHover(ctx)));
  ctx.track(vscode.languages.registerDefinitionProvider(SELECTOR, new MappingDefinition(ctx)));
  ctx.track(vscode.languages.registerReferenceProvider(SELECTOR, new MappingReferences(ctx)));
  ctx.track(vscode.languages.registerRenameProvider(SELECTOR, new MappingRename(ctx)));
}

export const navigationCommands: CommandSpec[] = [
  {
    id: 'bqmigrate.explainName',
    title: 'Explain a Table Name…',
    category: 'bqmigrate',
    when: 'bqmigrate.hasManifest',
    run: async (ctx, given?: string) => {
      const loaded = ctx.manifest.loaded;
      if (!loaded) throw new Error('no valid bqmigrate.json is loaded');
      const name = given ?? (await vscode.window.showInputBox({ title: 'Explain a table name', prompt: 'dataset.table, e.g. training.zl_training_prod_allhistory_1m' }));
      if (!name) return undefined;
      const verdict = explainName(loaded.manifest, name.trim());
      if (given === undefined) void vscode.window.showInformationMessage(`${name}: ${formatVerdict(verdict).replace(/[`*]/g, '')}`, { modal: false });
      return verdict;
    },
  },
];
