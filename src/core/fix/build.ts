/**
 * Builds rename edits that keep a reference's own form: only the dataset and
 * table parts are replaced, so quotes (whole or per part), the project prefix
 * or its placeholder, separators, template placeholders and decorators stay
 * exactly as written.
 */
import type { PathRef, TableRef } from '../scan/types';
import type { TextEdit } from './types';

/**
 * One edit over dataset…table of `ref` (two for a `split` reference, one per field), or none when the name
 * is already `to`. Inside a notebook cell (`escape: 'json'`) the new text is written JSON-escaped.
 */
export function renameTableEdits(text: string, ref: TableRef, to: string): TextEdit[] {
  const halves = splitName(to);
  const dataset = ref.escape === 'json' ? jsonEscape(halves[0]) : halves[0];
  const table = ref.escape === 'json' ? jsonEscape(halves[1]) : halves[1];
  const d = ref.dataset.range;
  const t = ref.table.range;
  const datasetChanges = ref.dataset.text !== halves[0];
  const tableChanges = ref.table.text !== halves[1];
  // One array with one edit, built once (this runs for every legacy reference of every file).
  if (!datasetChanges) return tableChanges ? [{ start: t.start, end: t.end, text: table }] : [];
  if (!tableChanges) return [{ start: d.start, end: d.end, text: dataset }];
  if (ref.form === 'split') {
    const together = {};
    return [{ start: d.start, end: d.end, text: dataset, together }, { start: t.start, end: t.end, text: table, together }];
  }
  // Both parts change: one edit that copies the separator between them as written.
  const separator = text.slice(d.end, t.start);
  return [{ start: d.start, end: t.end, text: separator === '.' ? `${dataset}.${table}` : dataset + separator + table }];
}

/** The inside of a JSON string holding `s`. */
function jsonEscape(s: string): string {
  return /["\\\u0000-\u001f]/.test(s) ? JSON.stringify(s).slice(1, -1) : s;
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
