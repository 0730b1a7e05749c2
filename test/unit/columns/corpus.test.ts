/**
 * legacy-column on the generated corpus (test/corpus/columns.ts): precision and recall of its fixes and
 * possible references against the generator's truth, decoys left alone, fixes byte-identical to the
 * expected rewrite, a second lint with nothing left to fix — and the differential check: an independent
 * word finder sees exactly the truth plus the decoys, so no spelled legacy column escapes the truth.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../../src/core/fix/apply';
import { createLinter } from '../../../src/core/lint/linter';
import { parseManifest } from '../../../src/core/manifest/load';
import { buildColumnCorpus, COLUMN_CORPUS_MANIFEST, naiveColumnWords, readMarks } from '../../corpus/columns';

const key = ([s, e]: [number, number]) => `${s}:${e}`;

test('legacy-column on the generated corpus: precision ≥ 99 %, decoys untouched, fixes exact, differential with the word finder', () => {
  const r = parseManifest(COLUMN_CORPUS_MANIFEST, '/corpus/bqmigrate.json');
  assert.ok(r.ok, JSON.stringify(r.problems));
  const linter = createLinter(r.loaded);
  const files = buildColumnCorpus(40);
  const t = { fixes: 0, fixTrue: 0, renames: 0, possibleFound: 0, possibleTrue: 0, possible: 0, decoys: 0, decoyHits: 0, fixedExact: 0 };
  const wrong: string[] = [];
  for (const f of files) {
    const m = readMarks(f.marked);
    // Differential: every spelled legacy column is in the truth (rename, possible) or is a decoy.
    const naive = new Set(naiveColumnWords(m.text).map(key));
    const marked = new Set([...m.renames, ...m.possible, ...m.decoys].map(key));
    assert.deepEqual([...naive].sort(), [...marked].sort(), `${f.rel}: the word finder and the truth disagree`);

    const found = linter.lintText(m.text, f.rel).violations.filter((v) => v.ruleId === 'legacy-column');
    const renames = new Set(m.renames.map(key));
    const possible = new Set(m.possible.map(key));
    const decoys = new Set(m.decoys.map(key));
    t.renames += renames.size;
    t.possible += possible.size;
    t.decoys += decoys.size;
    for (const v of found) {
      const k = `${v.range.start}:${v.range.end}`;
      if (decoys.has(k)) t.decoyHits++;
      if (v.fix) {
        t.fixes++;
        if (renames.has(k)) t.fixTrue++;
        else wrong.push(`${f.rel}: fix at ${k} "${m.text.slice(v.range.start, v.range.end)}" (${v.message})`);
      } else {
        t.possibleFound++;
        if (possible.has(k)) t.possibleTrue++;
        else if (!renames.has(k)) wrong.push(`${f.rel}: possible at ${k} "${m.text.slice(v.range.start, v.range.end)}" (${v.message})`);
      }
    }
    const edits = found.flatMap((v) => v.fix?.edits ?? []);
    const fixed = applyEdits(m.text, edits).text;
    if (fixed === m.fixed) t.fixedExact++;
    const again = linter.lintText(fixed, f.rel).violations.filter((v) => v.ruleId === 'legacy-column' && v.fix);
    assert.equal(again.length, 0, `${f.rel}: a second lint still has fixes`);
  }
  const precision = t.fixTrue / t.fixes;
  const recall = t.fixTrue / t.renames;
  // Figures for the README (printed so the run shows them).
  console.log(`legacy-column corpus: ${files.length} files, ${t.renames} references, ${t.possible} possible, ${t.decoys} decoys; fix precision ${(precision * 100).toFixed(2)} %, recall ${(recall * 100).toFixed(2)} %; possible found ${t.possibleTrue}/${t.possible} (${t.possibleFound} reported); decoys flagged ${t.decoyHits}; fixed byte-identical ${t.fixedExact}/${files.length}`);
  assert.deepEqual(wrong.slice(0, 10), [], 'no wrong finding');
  assert.ok(precision >= 0.99, `precision ${precision}`);
  assert.equal(t.decoyHits, 0, 'no decoy is flagged');
  assert.ok(recall >= 0.95, `recall ${recall}`);
  assert.equal(t.fixedExact, files.length, 'every fixed file is the expected rewrite');
});
