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

/** A SQL scan of part of a text, with what an incremental re-lint needs to splice it into a whole. */
export interface SqlRangeScan extends ScanResult {
  /** Offsets of the `;` read as code, ascending: each resets the SQL state (where `restartable` says so). */
  semicolons: number[];
}

/**
 * Scans [from, to) of a SQL text, starting from the state at the text's start, which is also the state
 * just after any `;` read as code: so a range that starts there scans exactly as the whole text does.
 */
export function scanSqlRange(text: string, opts: ScanOptions, from = 0, to = text.length): SqlRangeScan {
  const rec = new Recogniser(text, opts);
  const sup = new SuppressionCollector(text);
  lexSql(text, rec, sup, from, to);
  return {
    refs: nonOverlapping(rec.refs),
    suppressions: sup.suppressions.sort((a, b) => a.range.start - b.range.start),
    comments: sortSpans(sup.comments),
    semicolons: rec.semicolons,
  };
}

/**
 * Whether a `;` read as code is a safe place to restart: no backtick before it on its line. Quoted names
 * never span lines, but an unterminated or escaped one is read differently by the lexer (a token to the
 * line end) and the recogniser (text it reads on); a `;` with no backtick before it is outside both.
 */
export function restartable(text: string, at: number): boolean {
  for (let k = at - 1, n = 0; k >= 0; k--, n++) {
    const c = text.charCodeAt(k);
    if (c === 10 || c === 13) return true;
    if (c === 96 || n > 4000) return false;
  }
  return true;
}

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
