/** The one routine that applies edits: sort, drop overlapping ones (never merge), apply right to left. */
import type { TextEdit } from './types';

export function applyEdits(text: string, edits: readonly TextEdit[]): { text: string; applied: TextEdit[]; dropped: TextEdit[] } {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const applied: TextEdit[] = [];
  const dropped: TextEdit[] = [];
  let lastEnd = -1;
  let lastStart = -1;
  for (const e of sorted) {
    const valid = e.start >= 0 && e.end >= e.start && e.end <= text.length;
    // Two inserts at one point, or ranges that share text, conflict: keep the first.
    const overlaps = e.start < lastEnd || (e.start === lastStart && e.start === e.end) || (applied.length > 0 && e.start === lastEnd && e.start === e.end && lastStart === lastEnd);
    if (!valid || overlaps) {
      dropped.push(e);
      continue;
    }
    applied.push(e);
    lastStart = e.start;
    lastEnd = e.end;
  }
  let out = '';
  let pos = 0;
  for (const e of applied) {
    out += text.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  out += text.slice(pos);
  return { text: out, applied, dropped };
}
