/**
 * The editor's running reference totals (src/extension/diagnostics/reference-counts.ts): whatever order
 * files are linted, replaced and dropped in, the tally equals the counts of the files kept, summed afresh.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countReferences, ReferenceTally, sumCounts, type ReferenceCounts, type ReferenceTotals } from '../../../src/extension/diagnostics/reference-counts';
import type { Violation } from '../../../src/core/rules/types';

/** A small deterministic generator (the same sequence on every run). */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

function someCounts(next: () => number): ReferenceCounts {
  const refs = Array.from({ length: Math.floor(next() * 5) }, () => {
    const mappingIndex = Math.floor(next() * 4);
    return { mappingIndex, from: `${['models_v4', 'raw', 'staging'][mappingIndex % 3]}.t${mappingIndex}` };
  });
  const violations = Array.from({ length: Math.floor(next() * 3) }, () => ({ ruleId: next() < 0.5 ? 'legacy-column' : 'unknown-dataset', mappingIndex: Math.floor(next() * 3) }) as unknown as Violation);
  return countReferences(refs, violations);
}

/** Totals in a form deepEqual compares regardless of insertion order. */
function canonical(t: ReferenceTotals): unknown {
  const sorted = <K>(m: Map<K, number>) => [...m].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  return { ...t, byMapping: sorted(t.byMapping), warehouseByMapping: sorted(t.warehouseByMapping), columnsByMapping: sorted(t.columnsByMapping), byDataset: Object.entries(t.byDataset).sort() };
}

test('the running tally equals a fresh sum after any sequence of files kept, replaced and dropped', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const next = random(seed);
    const tally = new ReferenceTally();
    const kept = new Map<string, { counts: ReferenceCounts; pulled: boolean }>();
    for (let step = 0; step < 400; step++) {
      const file = `f${Math.floor(next() * 30)}`;
      const old = kept.get(file);
      if (old) tally.remove(old.counts, old.pulled);
      if (next() < 0.25) kept.delete(file);
      else {
        const rec = { counts: someCounts(next), pulled: next() < 0.2 };
        kept.set(file, rec);
        tally.add(rec.counts, rec.pulled);
      }
      if (step % 50 === 0) assert.deepEqual(canonical(tally.totals()), canonical(sumCounts(kept.values())), `seed ${seed}, step ${step}`);
    }
    assert.deepEqual(canonical(tally.totals()), canonical(sumCounts(kept.values())));
    assert.equal(tally.totals().files, kept.size);
  }
});

test('counts that go back to zero leave no entry behind; totals handed out do not change afterwards', () => {
  const tally = new ReferenceTally();
  const a = countReferences([{ mappingIndex: 2, from: 'models_v4.x' }], [{ ruleId: 'legacy-column', mappingIndex: 1 } as unknown as Violation]);
  tally.add(a, true);
  const before = tally.totals();
  assert.deepEqual([...before.warehouseByMapping], [[2, 1]]);
  tally.remove(a, true);
  const after = tally.totals();
  assert.deepEqual(canonical(after), canonical({ total: 0, byMapping: new Map(), warehouseByMapping: new Map(), byDataset: {}, columnsByMapping: new Map(), files: 0 }));
  assert.equal(before.total, 1, 'a copy, not the live tally');
  assert.deepEqual(before.byDataset, { models_v4: 1 });
});

test('a file without legacy references or column findings counts as one file and nothing else, with no maps of its own', () => {
  const unknown = { ruleId: 'unknown-dataset', mappingIndex: undefined } as unknown as Violation;
  const none = countReferences([], []);
  const onlyUnknown = countReferences([], [unknown]);
  // Most files of a workspace: the scan keeps one counts object for all of them instead of three maps each.
  assert.equal(onlyUnknown, none);
  assert.deepEqual([none.total, none.byMapping.size, none.byDataset.size, none.columnsByMapping.size], [0, 0, 0, 0]);
  assert.notEqual(countReferences([], [{ ruleId: 'legacy-column', mappingIndex: 0 } as unknown as Violation]), none, 'a column finding is counted');
  const tally = new ReferenceTally();
  tally.add(none, false);
  tally.add(onlyUnknown, true);
  tally.add(countReferences([{ mappingIndex: 0, from: 'models_v4.x' }], []), false);
  assert.deepEqual(canonical(tally.totals()), canonical(sumCounts([{ counts: none, pulled: false }, { counts: onlyUnknown, pulled: true }, { counts: countReferences([{ mappingIndex: 0, from: 'models_v4.x' }], []), pulled: false }])));
  assert.equal(tally.totals().files, 3);
  tally.remove(none, false);
  assert.equal(tally.totals().files, 2);
  assert.equal(tally.totals().total, 1);
});
