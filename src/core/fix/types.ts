import type { Span } from '../scan/types';

/** A text replacement over [start, end) of the original text. */
export interface TextEdit extends Span {
  text: string;
  /**
   * Edits that stand or fall together (the two fields of a split reference): when one is dropped as
   * overlapping, so are the others, so a table field is never renamed without its dataset field.
   */
  together?: object;
}

/** How safe a fix is to apply without a person looking (ruff's Applicability). */
export type FixSafety = 'safe' | 'unsafe' | 'display-only';

export interface Fix {
  title: string;
  safety: FixSafety;
  edits: TextEdit[];
  /** A rename inside a mapping cycle (A → B → A): unsafe, as applying it twice undoes it; `bqmigrate fix --swap-cycles` applies it once. */
  cycle?: true;
}
