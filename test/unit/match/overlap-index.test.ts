import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Mapping } from '../../../src/core/manifest/schema';
import { expandGlobs, findAmbiguousPairs, intersectGlobs, type AmbiguousPair } from '../../../src/core/match/overlap';
import { compileMapping, MappingResolver, type CompiledMapping } from '../../../src/core/match/resolver';

/** The plain quadratic finder the indexed one replaced: every pair, in list order. Kept here as the reference. */
function quadraticPairs(compiled: readonly CompiledMapping[]): AmbiguousPair[] {
  const lead = (c: CompiledMapping) => (c.from[0]?.kind === 'lit' ? c.from[0].text : '');
  const pairs: AmbiguousPair[] = [];
  for (let x = 0; x < compiled.length; x++) {
    for (let y = x + 1; y < compiled.length; y++) {
      const a = compiled[x]!;
      const b = compiled[y]!;
      if (a.mapping.kind !== b.mapping.kind || a.tier !== b.tier || a.literal !== b.literal) continue;
      if (!lead(a).startsWith(lead(b)) && !lead(b).startsWith(lead(a))) continue;
      let witness: string | undefined;
      for (const ga of expandGlobs(a.from)) {
        for (const gb of expandGlobs(b.from)) {
          witness = intersectGlobs(ga, gb);
          if (witness !== undefined) break;
        }
        if (witness !== undefined) break;
      }
      if (witness !== undefined) pairs.push({ first: a.index < b.index ? a : b, second: a.index < b.index ? b : a, witness });
    }
  }
  return pairs;
}

const variables = { h: ['1', 'a', 'ab'], g: ['b', 'a_b'] };
// Few distinct pieces, so random manifests are full of shared prefixes, suffixes, duplicates and real overlaps.
const piece = fc.constantFrom('a', 'b', '_', 'ab', 'a_', '1', '{x}', '{y}', '{h}', '{g}');
const part = fc.array(piece, { minLength: 1, maxLength: 4 }).map((ps) => ps.join(''));
const mapping: fc.Arbitrary<Mapping> = fc.record({
  dataset: fc.constantFrom('ds', 'Ds', 'dt', 'd{x}', '{y}'),
  table: part,
  to: fc.constantFrom('n.a', 'n.b', undefined),
  kind: fc.constantFrom<'table' | 'path'>('table', 'table', 'table', 'path'),
}).map(({ dataset, table, to, kind }) => ({ from: `${dataset}.${table}`, ...(to ? { to } : {}), kind, status: 'planned' }));

const summary = (pairs: AmbiguousPair[]) => pairs.map((p) => `${p.first.index}/${p.second.index}:${p.witness}`);

test('the indexed ambiguous-pair finder reports exactly what comparing every pair reports, in the same order', () => {
  fc.assert(
    fc.property(fc.array(mapping, { minLength: 0, maxLength: 40 }), fc.infiniteStream(fc.nat()), (mappings, order) => {
      const compiled = mappings.map((m, i) => compileMapping(m, i, variables));
      assert.deepEqual(summary(findAmbiguousPairs(compiled)), summary(quadraticPairs(compiled)));
      // The precedence-sorted list the resolver holds, too: positions and manifest indexes then differ.
      const shuffled = compiled.map((c) => ({ c, k: order.next().value as number })).sort((a, b) => a.k - b.k).map((x) => x.c);
      assert.deepEqual(summary(findAmbiguousPairs(shuffled)), summary(quadraticPairs(shuffled)));
    }),
    { numRuns: 400 },
  );
});

test('random manifests produce ambiguous pairs, so the comparison above is not vacuous', () => {
  const samples = fc.sample(fc.array(mapping, { minLength: 10, maxLength: 40 }), { numRuns: 50, seed: 7 });
  const found = samples.reduce((n, ms) => n + quadraticPairs(ms.map((m, i) => compileMapping(m, i, variables))).length, 0);
  assert.ok(found > 50, `only ${found} pairs in 50 random manifests`);
});

test('the resolver finds exact entries by lookup with the same precedence as matching every entry', () => {
  fc.assert(
    fc.property(fc.array(mapping, { minLength: 1, maxLength: 30 }), fc.array(fc.tuple(fc.constantFrom('ds', 'DS', 'Ds', 'dt', 'dab'), fc.array(fc.constantFrom('a', 'b', '_', '1'), { minLength: 1, maxLength: 6 })), { maxLength: 20 }), (mappings, names) => {
      const tables = mappings.filter((m) => m.kind === 'table').map((m) => ({ ...m, from: m.from.replace(/\{[xy]\}/g, 'a') }));
      const resolver = new MappingResolver({ mappings: tables, variables } as never);
      // Every exact entry's own name, plus random names, against the first entry in precedence order that matches.
      for (const name of [...tables.map((m) => m.from), ...names.map(([d, t]) => `${d}.${t.join('')}`)]) {
        const got = resolver.resolveName(name)?.mappingIndex;
        const want = resolver.tables.find((c) => resolverMatches(c, name))?.index;
        assert.equal(got, want, name);
      }
    }),
    { numRuns: 300 },
  );
});

/** Does a compiled table mapping match `dataset.table` (dataset case-insensitive)? By its globs, independently of the resolver. */
function resolverMatches(c: CompiledMapping, name: string): boolean {
  const dot = name.indexOf('.');
  const subject = `${name.slice(0, dot).toLowerCase()}${name.slice(dot)}`;
  return expandGlobs(c.from).some((g) => intersectGlobs(g, [...subject]) === subject);
}
