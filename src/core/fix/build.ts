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
  const halves = splitName(to);
  const dataset = halves[0];
  const table = halves[1];
  const d = ref.dataset.range;
  const t = ref.table.range;
  const datasetChanges = ref.dataset.text !== dataset;
  const tableChanges = ref.table.text !== table;
  // One array with one edit, built once (this runs for every legacy reference of every file).
  if (!datasetChanges) return tableChanges ? [{ start: t.start, end: t.end, text: table }] : [];
  if (!tableChanges) return [{ start: d.start, end: d.end, text: dataset }];
  // Both parts change: one edit that copies the separator between them as written.
  const separator = text.slice(d.end, t.start);
  return [{ start: d.start, end: t.end, text: separator === '.' ? to : dataset + separator + table }];
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
