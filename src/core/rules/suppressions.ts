/**
 * Suppression comments, in each language's own comment syntax (the scanner finds them):
 * `bqmigrate-disable-next-line <rule> -- reason`, `bqmigrate-disable-line`, file-level `bqmigrate-disable`.
 * No rule list means every rule.
 */
import type { SuppressionComment } from '../scan/types';
import type { Violation } from './types';

export function applySuppressions(violations: Violation[], suppressions: readonly SuppressionComment[], lineOf: (offset: number) => number): Violation[] {
  if (suppressions.length === 0) return violations;
  const covers = (s: SuppressionComment, v: Violation) => s.rules.length === 0 || s.rules.includes(v.ruleId);
  const fileWide = suppressions.filter((s) => s.kind === 'disable');
  const byLine = new Map<number, SuppressionComment[]>();
  for (const s of suppressions) {
    if (s.kind === 'disable') continue;
    const line = s.kind === 'disable-line' ? s.line : s.line + 1;
    byLine.set(line, [...(byLine.get(line) ?? []), s]);
  }
  return violations.filter((v) => {
    if (fileWide.some((s) => covers(s, v))) return false;
    const here = byLine.get(lineOf(v.range.start));
    return !here?.some((s) => covers(s, v));
  });
}
