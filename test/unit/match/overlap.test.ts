import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseManifest } from '../../../src/core/manifest/load';
import { compileMapping } from '../../../src/core/match/resolver';
import { findAmbiguousPairs } from '../../../src/core/match/overlap';
import { matchTokens, parseTemplate, SEPARATOR, type SubjectUnit } from '../../../src/core/match/template';

const toUnits = (name: string): SubjectUnit[] => [...name].map((c) => (c === '.' ? SEPARATOR : c));

test('a witness of an ambiguous pair is matched by both entries', () => {
  const vars = { h: ['1m', '3m'] };
  fc.assert(
    fc.property(fc.constantFrom('ds.a_{x}', 'ds.{x}_b', 'ds.a_{h}', 'ds.{x}', 'ds.a_b', 'ds.{x}_{y}', 'ds.a{x}b'), fc.constantFrom('ds.a_{z}', 'ds.{z}_b', 'ds.a_1m', 'ds.{z}m', 'ds.a_{h}_b'), (f1, f2) => {
      const a = compileMapping({ from: f1, to: 'x.a', kind: 'table', status: 'planned' }, 0, vars);
      const b = compileMapping({ from: f2, to: 'x.b', kind: 'table', status: 'planned' }, 1, vars);
      for (const p of findAmbiguousPairs([a, b])) {
        assert.ok(matchTokens(parseTemplate(f1, vars), toUnits(p.witness)), `${f1} should match ${p.witness}`);
        assert.ok(matchTokens(parseTemplate(f2, vars), toUnits(p.witness)), `${f2} should match ${p.witness}`);
      }
    }),
  );
});

test('disjoint templates are never reported', () => {
  const r = parseManifest(JSON.stringify({ project: 'cbi-v14', datasets: {}, mappings: [{ from: 'ds.x_{a}_prices', to: 'ds2.p_{a}' }, { from: 'ds.y_{b}_prices', to: 'ds2.q_{b}' }] }), 'm.json');
  assert.ok(r.ok, JSON.stringify(r.problems));
});
