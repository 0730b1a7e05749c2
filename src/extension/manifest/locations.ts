/** Where things are inside bqmigrate.json: a mapping's object or one of its fields, as VS Code ranges. */
import * as jsonc from 'jsonc-parser';
import * as vscode from 'vscode';
import type { LoadedManifest } from '../../core/manifest/load';
import { TextPositions } from '../positions';

export function mappingLocation(loaded: LoadedManifest, index: number, field?: 'from' | 'to' | 'status'): vscode.Location | undefined {
  if (!loaded.tree) return undefined;
  const node = jsonc.findNodeAtLocation(loaded.tree, field ? ['mappings', index, field] : ['mappings', index]) ?? jsonc.findNodeAtLocation(loaded.tree, ['mappings', index]);
  if (!node) return undefined;
  const at = new TextPositions(loaded.text);
  return new vscode.Location(vscode.Uri.file(loaded.file), new vscode.Range(at.positionAt(node.offset), at.positionAt(node.offset + node.length)));
}

/** The index of the mapping whose object contains `offset` in the manifest text, if any. */
export function mappingIndexAtOffset(text: string, offset: number): number | undefined {
  const location = jsonc.getLocation(text, offset);
  const p = location.path;
  if (p[0] === 'mappings' && typeof p[1] === 'number') return p[1];
  return undefined;
}
