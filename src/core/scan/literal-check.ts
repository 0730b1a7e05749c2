/**
 * The literal check: whether the scan of a JavaScript text may find a reference, decided from the strings,
 * templates and comments that hold a candidate alone. Code files name table keywords in strings, and known
 * dataset names (often plain words: `archive`, `features`) in strings and comments, far more often than they
 * hold a reference there (`` `Using the scope ${scope}` ``, `'… using Stack.create(n)'` in error messages,
 * `// the features.length` in a comment): the literal probe's walk (literal-probe.ts) finds those regions on
 * the bytes, and only their bytes are decoded and read by the recogniser, as lexJavaScript hands them to it
 * (a quoted string with the language's placeholders, a template with its own holes, a comment as comment
 * text), each as the walk finds it. No reference in any of them means the scan of the whole text finds
 * none, so the file is neither decoded nor linted whole; at the first reference the walk stops and the
 * file is linted whole.
 *
 * A known name right before a quote may be a split reference's dataset value (split.ts), which pairs string
 * fields the recogniser never reads: such a text is linted whole. The recogniser reads a region's characters
 * and the one before it (the opening quote, or the comment's delimiter); each region is decoded with its
 * delimiters, so it sees what it sees in the whole text. test/unit/scan/literal-probe.test.ts compares the
 * answer with the whole scan on random texts, and test/corpus/prefilter-differential.ts with the exhaustive
 * linter on whole corpora.
 */
import { language } from './languages';
import { visitCandidateLiterals, type CandidateLiteral } from './literal-probe';
import { literalsHoldCandidates, type Candidates } from './prefilter';
import { Mode, Recogniser, type Hole } from './recogniser';
import type { LanguageId, ScanOptions } from './types';

/**
 * `literalsHoldCandidates`, and for JavaScript whether the regions holding candidates hold a reference: false
 * means the scan of the text (the decoding of `bytes`, a BOM allowed) finds no reference.
 */
export function literalsMayHoldRefs(bytes: Uint8Array, id: LanguageId, found: Candidates, opts: ScanOptions): boolean {
  if (id !== 'javascript') return literalsHoldCandidates(bytes, id, found);
  if (found.names.length > 0 && quotedName(bytes, found.names)) return true;
  const from = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return javascriptRegionsHoldRefs(bytes, from, found, opts);
}

/** Whether a name at one of `names` (byte offsets) runs on to a quote: perhaps a split reference's dataset value. */
function quotedName(b: Uint8Array, names: readonly number[]): boolean {
  for (const s of names) {
    let j = s;
    while (j < b.length && NAME[b[j]!] === 1) j++;
    const c = b[j];
    if (c === 0x22 || c === 0x27 || c === 0x60) return true;
  }
  return false;
}

/** Bytes a dataset or project name is made of: [A-Za-z0-9_-]. */
const NAME = new Uint8Array(256);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-') NAME[c.charCodeAt(0)] = 1;

/**
 * Whether one of the regions of `b` (from `from`) holding a candidate holds a reference: each is decoded and
 * read as the walk finds it, so a text with a reference in its first such string costs a walk to there.
 */
function javascriptRegionsHoldRefs(b: Uint8Array, from: number, found: Candidates, opts: ScanOptions): boolean {
  const view = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const holeKinds = language('javascript').holes;
  return visitCandidateLiterals(b, from, found.keywords, found.names, (lit) => {
    // The region with its delimiters: the recogniser reads the character before a region.
    const ws = lit.start - 1;
    const we = Math.min(b.length, lit.end + 1);
    const text = view.toString('utf8', ws, we);
    // ASCII (one unit per byte) unless the decoding is shorter than the bytes.
    const unit = text.length === we - ws ? (x: number) => x - ws : (x: number) => view.toString('utf8', ws, x).length;
    const rec = new Recogniser(text, opts);
    rec.holeKinds = holeKinds;
    rec.scan(unit(lit.start), unit(lit.end), lit.comment ? Mode.Comment : Mode.Str, holesOf(lit, unit));
    return rec.refs.length > 0;
  });
}

/** A template's holes keyed by their start, in the joined text's offsets; undefined for a quoted string or a comment. */
function holesOf(lit: CandidateLiteral, unit: (x: number) => number): Map<number, Hole> | undefined {
  if (lit.holes === undefined) return undefined;
  const out = new Map<number, Hole>();
  for (const h of lit.holes) {
    const start = unit(h.start);
    out.set(start, { start, end: unit(h.end), exprStart: unit(h.exprStart), exprEnd: unit(h.exprEnd) });
  }
  return out;
}
