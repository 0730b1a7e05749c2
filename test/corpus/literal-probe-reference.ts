/**
 * The literal probe's specification: the language's own lexer (lexJavaScript, lexJson) run over the decoded
 * text, with a recogniser that only asks whether the region it is handed holds a candidate — what the real
 * recogniser asks before reading a region. src/core/scan/literal-probe.ts walks the bytes instead and must give
 * the same answer on every text (test/unit/scan/literal-probe.test.ts).
 */
import { CandidateRegions, type Candidates } from '../../src/core/scan/prefilter';
import { language } from '../../src/core/scan/languages';
import type { LexContext } from '../../src/core/scan/lexer';
import { Mode } from '../../src/core/scan/path-parser';
import type { LanguageId, Span } from '../../src/core/scan/types';

const HOLDS = { holds: true };

/** Whether the lexer of `id` hands the recogniser a string or comment of `text` (the decoding of `bytes`) that holds one of `found`'s candidates. */
export function lexerLiteralsHold(text: string, bytes: Uint8Array, id: LanguageId, found: Candidates): boolean {
  const regions = new CandidateRegions(bytes, text, found);
  const comments: Span[] = [];
  const ctx = {
    text,
    rec: {
      scan(s: number, e: number, mode: Mode): void {
        if (mode === Mode.SqlCode || regions.holdsAny(s, e, mode === Mode.Str)) throw HOLDS;
      },
    },
    sup: {
      comments,
      comment(start: number, end: number): void {
        comments.push({ start, end });
      },
    },
    fields: { literal(): void {} },
    embed(): void {
      throw HOLDS;
    },
    scanOther(): never {
      throw HOLDS;
    },
  };
  try {
    // JavaScript's and JSON's lexers use only these members of the context.
    language(id).lex(ctx as unknown as LexContext, 0, text.length);
  } catch (err) {
    if (err !== HOLDS) throw err;
    return true;
  }
  return false;
}
