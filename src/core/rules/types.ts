import type { Severity } from '../manifest/schema';
import type { Fix, FixSafety } from '../fix/types';
import type { Span, TableRef, PathRef } from '../scan/types';

export type RuleId = 'legacy-reference' | 'naming-convention' | 'unknown-dataset' | 'archived-reference' | 'shim-reference';
export type ActiveSeverity = Exclude<Severity, 'off'>;

export interface RuleMeta {
  id: RuleId;
  defaultSeverity: Severity;
  fixable: boolean;
  fixSafety: FixSafety | 'none';
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
