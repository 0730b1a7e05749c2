/**
 * What every lexer receives: the text, the recogniser it feeds, the suppression collector, and a way to
 * hand part of the text to another language's lexer (a Markdown fence, a heredoc body, a YAML block
 * scalar, a Terraform heredoc) or to scan a separate text (a notebook cell's decoded source).
 */
import type { Recogniser } from './recogniser';
import type { SplitFields } from './split';
import type { SuppressionCollector } from './suppressions';
import type { LanguageId, ScanResult } from './types';

export interface LexContext {
  readonly text: string;
  readonly rec: Recogniser;
  readonly sup: SuppressionCollector;
  /** Key–value fields seen by the lexer, paired into `split` references when the scan ends. */
  readonly fields: SplitFields;
  /** Lexes [from, to) of the same text as `language` (its placeholders apply there). */
  embed(language: LanguageId, from: number, to: number): void;
  /** Scans another text as `language` with the same options (a notebook cell's decoded source). */
  scanOther(text: string, language: LanguageId): ScanResult;
}

/** Lexes [from, to) of `ctx.text`, handing each region to `ctx.rec` and each comment to `ctx.sup`. */
export type Lexer = (ctx: LexContext, from: number, to: number) => void;
