/**
 * RuleTester in the spirit of ESLint's: per rule, `valid` texts produce no
 * finding of that rule, `invalid` texts produce exactly the listed findings
 * and, when `output` is given, applying that rule's safe fixes yields it — and
 * fixing the output again changes nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadManifestFile } from '../../../src/core/manifest/load';
import { applyEdits } from '../../../src/core/fix/apply';
import { createLinter, type Linter } from '../../../src/core/lint/linter';
import type { RuleId } from '../../../src/core/rules/types';
import { exampleManifest } from '../lint/repo-root';

export interface ValidCase {
  code: string;
  /** File name deciding the language (default query.sql). */
  file?: string;
}
export interface InvalidCase extends ValidCase {
  errors: { message: RegExp; severity?: 'error' | 'warning' | 'info' }[];
  /** Text after the rule's safe fixes; omit when the rule offers none here. */
  output?: string;
}

let shared: Linter | undefined;
export function exampleLinter(today = new Date('2025-12-01T12:00:00Z')): Linter {
  if (!shared || today.getTime() !== new Date('2025-12-01T12:00:00Z').getTime()) {
    const r = loadManifestFile(exampleManifest());
    assert.ok(r.ok, JSON.stringify(r.problems));
    const l = createLinter(r.loaded, { today });
    if (today.getTime() !== new Date('2025-12-01T12:00:00Z').getTime()) return l;
    shared = l;
  }
  return shared;
}

function fixRule(linter: Linter, ruleId: RuleId, text: string, file: string): string {
  const edits = linter.lintText(text, file).violations.filter((v) => v.ruleId === ruleId && v.fix?.safety === 'safe').flatMap((v) => v.fix!.edits);
  return applyEdits(text, edits).text;
}

export function ruleTester(ruleId: RuleId, cases: { valid: ValidCase[]; invalid: InvalidCase[] }, linter: () => Linter = () => exampleLinter()): void {
  cases.valid.forEach((c, i) => {
    test(`${ruleId} valid #${i + 1}: ${c.code.slice(0, 60).replace(/\n/g, '⏎')}`, () => {
      const found = linter().lintText(c.code, c.file ?? 'query.sql').violations.filter((v) => v.ruleId === ruleId);
      assert.deepEqual(found.map((v) => v.message), []);
    });
  });
  cases.invalid.forEach((c, i) => {
    test(`${ruleId} invalid #${i + 1}: ${c.code.slice(0, 60).replace(/\n/g, '⏎')}`, () => {
      const file = c.file ?? 'query.sql';
      const found = linter().lintText(c.code, file).violations.filter((v) => v.ruleId === ruleId);
      assert.equal(found.length, c.errors.length, `found: ${JSON.stringify(found.map((v) => v.message))}`);
      c.errors.forEach((e, k) => {
        assert.match(found[k]!.message, e.message);
        if (e.severity) assert.equal(found[k]!.severity, e.severity);
      });
      const fixed = fixRule(linter(), ruleId, c.code, file);
      assert.equal(fixed, c.output ?? c.code);
      assert.equal(fixRule(linter(), ruleId, fixed, file), fixed, 'fixing twice changes nothing');
    });
  });
}
