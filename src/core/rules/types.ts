import type { Severity } from '../manifest/schema';
import type { Fix, FixSafety } from '../fix/types';
import type { Span, TableRef, PathRef } from '../scan/types';

/** The rule ids, listed once in the manifest schema (which validates `rules` keys). */
export type RuleId = (typeof import('../manifest/schema').RULE_IDS)[number];
export type ActiveSeverity = Exclude<Severity, 'off'>;

export interface RuleMeta {
  id: RuleId;
  defaultSeverity: Severity;
  fixable: boolean;
  /**
   * How safe the rule's fixes are: one level for all of them, `none` when it has no fix, or
   * `sometimes` (ruff's FixAvailability::Sometimes) when each fix carries its own level;
   * `fixSafetyWhen` then says which is which.
   */
  fixSafety: FixSafety | 'sometimes' | 'none';
  fixSafetyWhen?: string;
  /** One line. */
  description: string;
  /** Markdown: what it flags, why, an example, how safe its fix is. The CLI, README and hover read this. */
  docs: string;
}

export interface Violation {
  ruleId: RuleId;
  severity: ActiveSeverity;
  message: string;
  /** Offsets into the linted text. */
  range: Span;
  fix?: Fix;
  /** Legacy and archived references are rendered struck through in the editor. */
  deprecated?: boolean;
  ref?: TableRef | PathRef;
  /** Index into manifest.mappings of the mapping that produced this, when one did. */
  mappingIndex?: number;
}

/** What a rule looks at: one table or path reference with its resolution. */
export type RuleSubject =
  | { kind: 'table'; ref: TableRef; resolution?: import('../match/resolver').Resolution }
  | { kind: 'path'; ref: PathRef; resolution: import('../match/resolver').Resolution };

export interface RuleContext {
  readonly manifest: import('../manifest/schema').Manifest;
  readonly naming: import('../naming/explain').NamingChecker;
  /** Lower-cased approved datasets. */
  readonly approvedDatasets: ReadonlySet<string>;
  /** Lower-cased approved + legacy + mapped + archive datasets. */
  readonly knownDatasets: ReadonlySet<string>;
  readonly today: Date;
  readonly text: string;
  /** The severity configured for a rule (manifest `rules`, then CLI/editor overrides). */
  severityOf(id: RuleId): Severity;
}

/** A rule's finding before the engine attaches rule id and configured severity. */
export interface Finding {
  message: string;
  range?: Span;
  fix?: Fix;
  /** Overrides the configured severity (e.g. shim-reference escalates over time). */
  severity?: ActiveSeverity;
  deprecated?: boolean;
  mappingIndex?: number;
}

export interface Rule {
  meta: RuleMeta;
  /**
   * Which subjects the rule can flag: only resolved ones (a mapping matched) or only unresolved ones. The linter skips the
   * others; `check` still answers for any. `columns`: the rule reads a file's column references instead (legacy-column).
   */
  subjects: 'resolved' | 'unresolved' | 'columns';
  check(subject: RuleSubject, ctx: RuleContext): Finding | undefined;
}
