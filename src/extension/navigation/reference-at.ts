/** The table reference under the cursor in a linted document, with what it resolves to. */
import * as vscode from 'vscode';
import type { Resolution } from '../../core/index';
import type { TableRef, PathRef } from '../../core/scan/types';
import type { ExtensionCtx } from '../context';

export interface ReferenceHit {
  ref: TableRef;
  resolution: Resolution | undefined;
  range: vscode.Range;
}

function isTableRef(ref: TableRef | PathRef): ref is TableRef {
  return (ref as TableRef).dataset !== undefined;
}

export function referenceAt(ctx: ExtensionCtx, doc: vscode.TextDocument, position: vscode.Position): ReferenceHit | undefined {
  const rec = ctx.linter.recordFor(doc);
  if (!rec) return undefined;
  const offset = doc.offsetAt(position);
  for (const r of rec.result.refs) {
    if (!isTableRef(r.ref)) continue;
    if (offset >= r.ref.range.start && offset <= r.ref.range.end) {
      return { ref: r.ref, resolution: r.resolution, range: new vscode.Range(doc.positionAt(r.ref.range.start), doc.positionAt(r.ref.range.end)) };
    }
  }
  return undefined;
}
