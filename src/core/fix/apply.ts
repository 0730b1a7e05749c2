/**
 * The one routine that applies edits: sort, drop overlapping ones (never merge), apply right to left.
 * An edit equal to the one before it (same range, same text: two split references sharing one dataset
 * field) is the same change and is applied once; edits marked `together` are dropped as a group.
 */
import { appendAll } from '../arrays';
import type { TextEdit } from './types';

export function applyEdits(text: string, edits: readonly TextEdit[]): { text: string; applied: TextEdit[]; dropped: TextEdit[] } {
  let pending = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const groupsDropped: TextEdit[] = [];
  for (;;) {
    const { applied, dropped } = sweep(text, pending);
    const broken = new Set(dropped.flatMap((e) => (e.together !== undefined ? [e.together] : [])));
    if (!applied.some((e) => e.together !== undefined && broken.has(e.together))) return { text: splice(text, applied), applied, dropped: [...groupsDropped, ...dropped] };
    // Take every edit of a broken group out and sweep again: the list shrinks, so this ends.
    appendAll(groupsDropped, pending.filter((e) => e.together !== undefined && broken.has(e.together)));
    pending = pending.filter((e) => e.together === undefined || !broken.has(e.together));
  }
}

function sweep(text: string, sorted: readonly TextEdit[]): { applied: TextEdit[]; dropped: TextEdit[] } {
  const applied: TextEdit[] = [];
  const dropped: TextEdit[] = [];
  let lastEnd = -1;
  let lastStart = -1;
  for (const e of sorted) {
    const valid = e.start >= 0 && e.end >= e.start && e.end <= text.length;
    const prev = applied[applied.length - 1];
    if (valid && prev !== undefined && e.start === prev.start && e.end === prev.end && e.text === prev.text && e.start !== e.end) continue;
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
  return { applied, dropped };
}

function splice(text: string, applied: readonly TextEdit[]): string {
  let out = '';
  let pos = 0;
  for (const e of applied) {
    out += text.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + text.slice(pos);
}
