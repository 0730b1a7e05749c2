import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanText } from '../../../src/core/scan/index';
import { opts } from './cases';

/** An nbformat 4 notebook as Jupyter writes it: one JSON string per source line. */
export function notebook(cells: { type: 'code' | 'markdown'; source: string; outputs?: string[] }[]): string {
  return JSON.stringify(
    {
      cells: cells.map((c) => ({
        cell_type: c.type,
        metadata: {},
        source: c.source.split(/(?<=\n)/),
        ...(c.type === 'code' ? { execution_count: 1, outputs: (c.outputs ?? []).map((t) => ({ name: 'stdout', output_type: 'stream', text: [t] })) } : {}),
      })),
      metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } },
      nbformat: 4,
      nbformat_minor: 5,
    },
    null,
    1,
  );
}

test('notebook: each cell read in its language, ranges in the JSON text, marked for JSON escaping', () => {
  const text = notebook([
    { type: 'markdown', source: '# Training data\nReads `models_v4.production_training_data_{horizon}`.\n' },
    { type: 'code', source: 'q = f"SELECT * FROM `{PROJECT}.models_v4.production_training_data_{h}`"\nd = {"k": "v"}  # "quoted" training.c\n', outputs: ['loaded models_v4.production_training_data_1m\n'] },
    { type: 'code', source: '%%bigquery df\nSELECT * FROM other.t\n' },
  ]);
  const refs = scanText(text, 'notebook', opts).refs;
  const raw = refs.map((r) => text.slice(r.range.start, r.range.end));
  assert.deepEqual(raw, [
    '`models_v4.production_training_data_{horizon}`',
    '`{PROJECT}.models_v4.production_training_data_{h}`',
    'training.c',
    'other.t',
  ]);
  const [md, code, comment, bq] = refs;
  assert.equal(md!.escape, 'json');
  assert.deepEqual(code!.table.placeholders.map((p) => p.text), ['{h}']);
  assert.equal(code!.context, 'string');
  assert.equal(comment!.context, 'comment');
  // The output line 'loaded models_v4.production_training_data_1m' is not read: outputs record an earlier run.
  assert.equal(bq!.context, 'code', 'a %%bigquery cell is SQL: unknown datasets in table position are found');
  for (const r of refs) for (const part of [r.dataset, r.table]) assert.equal(text.slice(part.range.start, part.range.end), part.text);
});

test('notebook: escapes inside a cell map to their JSON offsets', () => {
  const text = notebook([{ type: 'code', source: 'q = "SELECT \\"x\\" FROM models_v4.t\\tWHERE a"\nr = f"{d[\\"p\\"]}.models_v4.u"\n' }]);
  const refs = scanText(text, 'notebook', opts).refs;
  assert.deepEqual(
    refs.map((r) => text.slice(r.range.start, r.range.end)),
    ['models_v4.t', '{d[\\\\\\"p\\\\\\"]}.models_v4.u'],
  );
  assert.equal(refs[1]!.project!.text, '{d[\\"p\\"]}', 'part texts are the decoded source');
});

test('notebook: not a notebook (broken JSON) is read as JSON', () => {
  const refs = scanText('{"cells": [ "models_v4.t" ', 'notebook', opts).refs;
  assert.equal(refs.length, 1);
});
