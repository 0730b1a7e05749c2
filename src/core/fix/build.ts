/**
 * Builds rename edits that keep a reference's own form: only the dataset and
 * table parts are replaced, so quotes (whole or per part), the project prefix
 * or its placeholder, separators, template placeholders and decorators stay
 * exactly as written.
 */
import type { PathRef, TableRef } from '../scan/types';
import type { TextEdit } from './types';

/** One edit over dataset…table of `ref`, or none when the name is already `to`. */
export function renameTableEdits(text: string, ref: TableRef, to: string): TextEdit[] {
  const [dataset, table] = splitName(to);
  const edits: TextEdit[] = [];
  if (ref.dataset.text !== dataset) edits.push({ start: ref.dataset.range.start, end: ref.dataset.range.end, text: dataset });
  if (ref.table.text !== table) edits.push({ start: ref.table.range.start, end: ref.table.range.end, text: table });
  if (edits.length < 2) return edits;
  // Both parts change: one edit that copies the separator between them as written.
  const separator = text.slice(ref.dataset.range.end, ref.table.range.start);
  return [{ start: ref.dataset.range.start, end: ref.table.range.end, text: separator === '.' ? to : dataset + separator + table }];
}

/** `to` split at its first dot; the same few targets repeat across every file, so the halves are kept. */
const halves = new Map<string, [string, string]>();
function splitName(to: string): [string, string] {
  let h = halves.get(to);
  if (h === undefined) {
    const dot = to.indexOf('.');
    h = [to.slice(0, dot), to.slice(dot + 1)];
    if (halves.size > 10_000) halves.clear();
    halves.set(to, h);
  }
  return h;
}

export function renamePathEdits(ref: PathRef, to: string): TextEdit[] {
  return ref.text === to ? [] : [{ start: ref.range.start, end: ref.range.end, text: to }];
}
