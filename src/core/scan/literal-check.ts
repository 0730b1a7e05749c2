/**
 * The literal check: whether the scan of a JavaScript text may find a reference, decided from the strings and
 * templates that hold a keyword candidate alone. Code files name table keywords in strings far more often
 * than they hold a reference there (`` `Using the scope ${scope}` ``, `'… using Stack.create(n)'` in error
 * messages): the literal probe (literal-probe.ts) finds those literals on the bytes, and only their bytes are
 * decoded and read by the recogniser, as lexJavaScript hands them to it (a quoted string with the language's
 * placeholders, a template with its own holes). No reference in any of them means the scan of the whole text
 * finds none, so the file is neither decoded nor linted whole; one reference, and it is.
 *
 * The recogniser reads a region's characters and the one before it (the opening quote); each literal is
 * decoded with its quotes, so it sees what it sees in the whole text. test/unit/scan/literal-probe.test.ts
 * compares the answer with the whole scan on random texts, and test/corpus/prefilter-differential.ts with the
 * exhaustive linter on whole corpora.
 */
import { language } from './languages';
import { javascriptCandidateLiterals, type CandidateLiteral } from './literal-probe';
import { Mode, Recogniser, type Hole } from './recogniser';
import { literalsHoldCandidates, type Candidates } from './prefilter';
import type { LanguageId, ScanOptions } from './types';

/**
 * Whether one of the JavaScript strings or templates of `b` (from `from`, past any BOM) that hold a keyword
 * candidate holds a reference. Only for a text whose candidates are all keywords (a known name counts in
 * comments and code too, and pairs split fields).
 */
export function javascriptLiteralsHoldRefs(b: Uint8Array, from: number, keywords: readonly number[], opts: ScanOptions): boolean {
  const literals = javascriptCandidateLiterals(b, from, keywords);
  if (literals.length === 0) return false;
  const view = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  // One text of every literal with its delimiters, a line break between two, read by one recogniser.
  const parts: string[] = [];
  const regions: { start: number; end: number; holes: Map<number, Hole> | undefined }[] = [];
  let at = 0;
  for (const lit of literals) {
    const ws = lit.start - 1;
    const we = Math.min(b.length, lit.end + 1);
    const part = view.toString('utf8', ws, we);
    // ASCII (one unit per byte) unless the decoding is shorter than the bytes.
    const unit = part.length === we - ws ? (x: number) => at + x - ws : (x: number) => at + view.toString('utf8', ws, x).length;
    regions.push({ start: unit(lit.start), end: unit(lit.end), holes: holesOf(lit, unit) });
    parts.push(part);
    at += part.length + 1;
  }
  const rec = new Recogniser(parts.join('\n'), opts);
  rec.holeKinds = language('javascript').holes;
  for (const r of regions) {
    rec.scan(r.start, r.end, Mode.Str, r.holes);
    if (rec.refs.length > 0) return true;
  }
  return false;
}

/** A template's holes keyed by their start, in the joined text's offsets; undefined for a quoted string. */
function holesOf(lit: CandidateLiteral, unit: (x: number) => number): Map<number, Hole> | undefined {
  if (lit.holes === undefined) return undefined;
  const out = new Map<number, Hole>();
  for (const h of lit.holes) {
    const start = unit(h.start);
    out.set(start, { start, end: unit(h.end), exprStart: unit(h.exprStart), exprEnd: unit(h.exprEnd) });
  }
  return out;
}

/**
 * `literalsHoldCandidates`, and for JavaScript whether those literals hold a reference: false means the scan
 * of the text (the decoding of `bytes`) finds no reference.
 */
export function literalsMayHoldRefs(bytes: Uint8Array, id: LanguageId, found: Candidates, opts: ScanOptions): boolean {
  if (found.names.length > 0 || id !== 'javascript') return literalsHoldCandidates(bytes, id, found);
  const from = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return javascriptLiteralsHoldRefs(bytes, from, found.keywords, opts);
}
