/** What a section renderer may do besides drawing into its own container. */
import type { WebviewMessage } from '../../src/protocol/messages';

export interface SectionContext {
  post(message: WebviewMessage): void;
  /** The short text next to the section heading (e.g. "3 of 9 complete"). */
  setSummary(text: string): void;
  now(): Date;
}
