/**
 * Finding table references: one lexer per language family (sql, python, javascript, plain) feeding a
 * shared recogniser. Pure functions over text; imports nothing outside this folder but types.
 */
import { languageFamilyOf } from './family';
import { lexJavaScript } from './javascript';
import { lexPlain } from './plain';
import { mightContainRefs } from './prefilter';
import { lexPython } from './python';
import { Recogniser } from './recogniser';
import { lexSql } from './sql';
import { SuppressionCollector } from './suppressions';
import type { LanguageFamily, ScanOptions, ScanResult, Span, TableRef } from './types';

export * from './types';
export { languageFamilyOf, mightContainRefs };

/** Every table reference in `text`, sorted by start, non-overlapping, plus comments and suppression directives. */
export function scanText(text: string, family: LanguageFamily, opts: ScanOptions): ScanResult {
  const rec = new Recogniser(text, opts);
  const sup = new SuppressionCollector(text);
  switch (family) {
    case 'sql':
      lexSql(text, rec, sup);
      break;
    case 'python':
      lexPython(text, rec, sup);
      break;
    case 'javascript':
      lexJavaScript(text, rec, sup);
      break;
    default:
      lexPlain(text, rec, sup);
  }
  return {
    refs: nonOverlapping(rec.refs),
    suppressions: sup.suppressions.sort((a, b) => a.range.start - b.range.start),
    comments: sortSpans(sup.comments),
  };
}

function sortSpans(spans: Span[]): Span[] {
  for (let k = 1; k < spans.length; k++) if (spans[k]!.start < spans[k - 1]!.start) return spans.sort((a, b) => a.start - b.start);
  return spans;
}

/** Lexers emit in text order except around template holes; sort, and keep the outer of overlapping refs. */
function nonOverlapping(refs: TableRef[]): TableRef[] {
  let sorted = true;
  for (let k = 1; k < refs.length; k++) if (refs[k]!.range.start < refs[k - 1]!.range.end) sorted = false;
  if (sorted) return refs;
  refs.sort((a, b) => a.range.start - b.range.start || b.range.end - a.range.end);
  const out: TableRef[] = [];
  for (const r of refs) if (out.length === 0 || r.range.start >= out[out.length - 1]!.range.end) out.push(r);
  return out;
}
