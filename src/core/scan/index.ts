/**
 * Finding table references: one lexer per language (the rows of languages.ts) feeding a shared
 * recogniser, then the pairing of split fields (split.ts). Pure functions over text; imports nothing
 * outside this folder but jsonc-parser (notebooks). What lives here:
 *
 *   languages.ts      the language table — every consumer reads it
 *   lexer.ts          what a lexer receives (LexContext)
 *   sql.ts python.ts javascript.ts shell.ts markdown.ts yaml.ts json.ts notebook.ts hcl.ts sqlx.ts
 *   config.ts plain.ts                                       the lexers
 *   recogniser.ts path-parser.ts keywords.ts aliases.ts     reading dotted paths, deciding references
 *   placeholders.ts   `{x}`, `${x}`, `$X`, `{{ x }}` … found in any text
 *   split.ts          dataset and table in separate fields → one `split` reference
 *   suppressions.ts   bqmigrate-disable comments;  prefilter.ts  the cheap "may hold a reference" test
 */
import { embeddedLanguageAt, language, languageIdOf, languageOfFile, languageOfId, LANGUAGES, type CommentSyntax, type Language } from './languages';
import type { LexContext } from './lexer';
import { bytesCandidates, bytesMightContainRefs, CandidateRegions, literalsHoldCandidates, mightContainRefs, type Candidates } from './prefilter';
import { literalsMayHoldRefs } from './literal-check';
import { Recogniser } from './recogniser';
import { SplitFields } from './split';
import { lexSql } from './sql';
import { SuppressionCollector } from './suppressions';
import type { LanguageId, ScanOptions, ScanResult, Span, TableRef } from './types';

export * from './types';
export { mightContainRefs, bytesMightContainRefs, bytesCandidates, literalsHoldCandidates, literalsMayHoldRefs, CandidateRegions, type Candidates, languageIdOf, language, embeddedLanguageAt, LANGUAGES, type Language, type CommentSyntax };

/**
 * The language a file is read as: its file name's row, unless that is plain text and the editor's
 * language id names another row (a `.txt` file set to SQL). Undefined for a known binary format.
 */
export function languageFor(filePath: string, languageId?: string): LanguageId | undefined {
  const byFile = languageOfFile(filePath);
  if (byFile !== undefined && byFile.id !== 'plain') return byFile.id;
  const byId = languageId !== undefined ? languageOfId(languageId) : undefined;
  if (byId !== undefined) return byId.id;
  return byFile?.id ?? (languageId !== undefined ? 'plain' : undefined);
}

/** A SQL scan of part of a text, with what an incremental re-lint needs to splice it into a whole. */
export interface SqlRangeScan extends ScanResult {
  /** Offsets of the `;` read as code, ascending: each resets the SQL state (where `restartable` says so). */
  semicolons: number[];
}

function context(text: string, opts: ScanOptions, id: LanguageId, regions?: CandidateRegions): LexContext {
  const rec = new Recogniser(text, opts);
  rec.holeKinds = language(id).holes;
  rec.regions = regions;
  const sup = new SuppressionCollector(text);
  const ctx: LexContext = {
    text,
    rec,
    sup,
    // A split reference's dataset value is a known name the prefilter finds (a quoted one, where the text has a dataset field).
    fields: new SplitFields(text, regions === undefined || regions.hasNames),
    embed: (lang, from, to) => language(lang).lex(ctx, from, to),
    scanOther: (other, lang) => scanText(other, lang, opts),
  };
  return ctx;
}

function result(ctx: LexContext, opts: ScanOptions, id: LanguageId): ScanResult {
  const split = ctx.fields.references(id, opts, ctx.sup.comments);
  return {
    refs: nonOverlapping(split.length > 0 ? ctx.rec.refs.concat(split) : ctx.rec.refs),
    suppressions: ctx.sup.suppressions.sort((a, b) => a.range.start - b.range.start),
    comments: sortSpans(ctx.sup.comments),
  };
}

/**
 * Scans [from, to) of a SQL text, starting from the state at the text's start, which is also the state
 * just after any `;` read as code: so a range that starts there scans exactly as the whole text does.
 */
export function scanSqlRange(text: string, opts: ScanOptions, from = 0, to = text.length): SqlRangeScan {
  const ctx = context(text, opts, 'sql');
  lexSql(ctx, from, to);
  return { ...result(ctx, opts, 'sql'), semicolons: ctx.rec.semicolons };
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

/**
 * Every table reference in `text`, sorted by start, non-overlapping, plus comments and suppression directives.
 * `regions`: the prefilter's candidates in the text (a `strings` language): regions without one are not read.
 */
export function scanText(text: string, id: LanguageId, opts: ScanOptions, regions?: CandidateRegions): ScanResult {
  const ctx = context(text, opts, id, regions);
  language(id).lex(ctx, 0, text.length);
  return result(ctx, opts, id);
}

function sortSpans(spans: Span[]): Span[] {
  for (let k = 1; k < spans.length; k++) if (spans[k]!.start < spans[k - 1]!.start) return spans.sort((a, b) => a.start - b.start);
  return spans;
}

/** Lexers emit in text order except around template holes and embedded texts; sort, and keep the outer of overlapping refs. */
function nonOverlapping(refs: TableRef[]): TableRef[] {
  let sorted = true;
  for (let k = 1; k < refs.length; k++) if (refs[k]!.range.start < refs[k - 1]!.range.end) sorted = false;
  if (sorted) return refs;
  refs.sort((a, b) => a.range.start - b.range.start || b.range.end - a.range.end);
  const out: TableRef[] = [];
  for (const r of refs) if (out.length === 0 || r.range.start >= out[out.length - 1]!.range.end) out.push(r);
  return out;
}
