/**
 * Table-driven scan cases. Expected references are marked «like.this» in the input; the markers are
 * removed before scanning and their positions become the expected ranges.
 */
import assert from 'node:assert/strict';
import { scanText } from '../../../src/core/scan/index';
import type { LanguageId, ScanOptions, TableRef } from '../../../src/core/scan/types';

export const opts: ScanOptions = {
  knownDatasets: new Set(['models_v4', 'training', 'archive', 'forecasting_data_warehouse', 'features']),
  project: 'cbi-v14',
};

export interface Expect {
  form?: TableRef['form'];
  context?: TableRef['context'];
  project?: string;
  dataset?: string;
  table?: string;
  placeholders?: string[];
  decorator?: string;
  wildcard?: boolean;
  meta?: TableRef['meta'];
  routine?: boolean;
}

export interface Case {
  name: string;
  input: string;
  expect?: Expect[];
}

export function unmark(marked: string): { text: string; spans: [number, number][] } {
  let text = '';
  const spans: [number, number][] = [];
  let open = -1;
  for (const ch of marked) {
    if (ch === '«') open = text.length;
    else if (ch === '»') {
      spans.push([open, text.length]);
      open = -1;
    } else text += ch;
  }
  return { text, spans };
}

/** Every part and placeholder range must slice to its own text. */
export function assertPartRanges(text: string, r: TableRef): void {
  for (const part of [r.project, r.dataset, r.table]) {
    if (part === undefined) continue;
    assert.equal(text.slice(part.range.start, part.range.end), part.text, 'part range slices to its text');
    if (r.form !== 'split' || part !== r.dataset) assert.ok(part.range.start >= r.range.start && part.range.end <= r.range.end, 'part inside the reference');
    for (const p of part.placeholders) {
      assert.equal(text.slice(p.range.start, p.range.end), p.text);
      assert.ok(p.range.start >= part.range.start && p.range.end <= part.range.end, 'placeholder inside its part');
    }
  }
}

export function runCase(family: LanguageId, c: Case): void {
  const { text, spans } = unmark(c.input);
  const refs = scanText(text, family, opts).refs;
  const got = refs.map((r) => text.slice(r.range.start, r.range.end));
  const want = spans.map(([s, e]) => text.slice(s, e));
  assert.deepEqual(got, want, 'references found');
  refs.forEach((r, k) => {
    assert.deepEqual([r.range.start, r.range.end], spans[k], `range of ${want[k]}`);
    assertPartRanges(text, r);
    const e = c.expect?.[k];
    if (e === undefined) return;
    if (e.form !== undefined) assert.equal(r.form, e.form, 'form');
    if (e.context !== undefined) assert.equal(r.context, e.context, 'context');
    if (e.project !== undefined) assert.equal(r.project?.text, e.project, 'project');
    if (e.dataset !== undefined) assert.equal(r.dataset.text, e.dataset, 'dataset');
    if (e.table !== undefined) assert.equal(r.table.text, e.table, 'table');
    if (e.placeholders !== undefined) {
      const all = [...(r.project?.placeholders ?? []), ...r.dataset.placeholders, ...r.table.placeholders].map((p) => `${p.text}=${p.expr}`);
      assert.deepEqual(all, e.placeholders, 'placeholders');
    }
    if (e.decorator !== undefined) assert.equal(r.decorator, e.decorator, 'decorator');
    if (e.wildcard !== undefined) assert.equal(r.wildcard, e.wildcard, 'wildcard');
    if ('routine' in e) assert.equal(r.routine, e.routine, 'routine');
    if (e.meta !== undefined) assert.equal(r.meta, e.meta, 'meta');
  });
}
