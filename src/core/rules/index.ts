/** Every rule, one per file, sorted by id. Add a rule: a file exporting `meta` and `rule`, one line here, its id in RULE_IDS. */
import * as archivedReference from './archived-reference';
import * as legacyColumn from './legacy-column';
import * as legacyReference from './legacy-reference';
import * as namingConvention from './naming-convention';
import * as shimReference from './shim-reference';
import * as unknownDataset from './unknown-dataset';
import type { Rule, RuleMeta } from './types';

// Ids are lower-case ASCII: code-unit order is their order, without localeCompare, whose first call loads ICU's collator (10–40 ms of every CLI start).
export const rules: readonly Rule[] = [archivedReference.rule, legacyColumn.rule, legacyReference.rule, namingConvention.rule, shimReference.rule, unknownDataset.rule].sort((a, b) =>
  a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0,
);

export const ruleMetas: RuleMeta[] = rules.map((r) => r.meta);

/** Rules whose findings mean "this names a table the manifest renames": a definition reading it still reads a legacy name. */
export const LEGACY_NAME_RULES: ReadonlySet<string> = new Set(['legacy-reference', 'shim-reference'] satisfies RuleMeta['id'][]);

export function ruleMeta(id: string): RuleMeta | undefined {
  return ruleMetas.find((m) => m.id === id);
}

export type { Rule, RuleMeta, RuleId, Violation, RuleContext, RuleSubject, Finding, ActiveSeverity } from './types';
