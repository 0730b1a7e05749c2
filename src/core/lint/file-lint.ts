/** Lints one file on disk into a FileLintResult (used in-process and inside the worker threads). */
import type { Violation } from '../rules/types';
import { LineIndex } from '../text/positions';
import type { Linter, LintResult } from './linter';
import { decodeChecked, ReadBuffer, readSourceBytes, startsWithBom, type ReadIdentity } from './read';
import type { UnscannedReason } from './unscanned';

export interface ViolationPosition {
  /** 1-based, as editors and ESLint print them. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface FileLintResult {
  filePath: string;
  violations: Violation[];
  /** One per violation, same order. */
  positions: ViolationPosition[];
  /** Set when the file was skipped (binary, not UTF-8, too large, unreadable), with `unscanned`. */
  note?: string;
  unscanned?: UnscannedReason;
  /** The file starts with a UTF-8 BOM; violation offsets are into the text after it. */
  bom?: boolean;
  /** Every reference a mapping resolves (asked for with `withReferences`: the editor counts and lists them without the text). */
  references?: ResolvedReference[];
}

/** A reference a mapping resolves, with 1-based positions (the editor's reference counts, tree and Find All References). */
export interface ResolvedReference {
  mappingIndex: number;
  /** Concrete legacy `dataset.table` (or path) as written. */
  from: string;
  to: string | undefined;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** 1-based positions of violations (sorted by start, so the index walks forward and stops at the last one). */
export function positionsOf(text: string, violations: readonly Violation[]): ViolationPosition[] {
  if (violations.length === 0) return [];
  const index = new LineIndex(text);
  return violations.map((v) => {
    const s = index.positionAt(v.range.start);
    const e = index.positionAt(v.range.end);
    return { line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
  });
}

/** Files are read into one buffer per thread: their bytes are done with when `lintFile` returns. */
const readBuffer = new ReadBuffer();

/** What fstat said of `file` before this thread's last `lintFile` read it, when that lint was of `file`. */
export function readIdentityOf(file: string): ReadIdentity | undefined {
  const last = readBuffer.last;
  return last !== undefined && last.file === file ? last : undefined;
}

/** `withReferences` adds the resolved references (`references`), which the editor's workspace scan needs. */
export function lintFile(linter: Linter, filePath: string, maxFileBytes?: number, withReferences = false): FileLintResult {
  const bytes = readSourceBytes(filePath, maxFileBytes, readBuffer);
  if (!bytes.ok) return { filePath, violations: [], positions: [], note: bytes.note, unscanned: bytes.reason };
  // Most files of a repository hold nothing the rules look at: those are neither decoded nor lexed.
  const verdict = linter.mayFind(bytes.bytes, filePath);
  if (verdict === false) {
    const nothing: FileLintResult = { filePath, violations: [], positions: [], bom: startsWithBom(bytes.bytes) };
    if (withReferences) nothing.references = [];
    return nothing;
  }
  const src = decodeChecked(bytes.bytes);
  try {
    const result = linter.lintText(src.text, filePath, undefined, verdict);
    // Refs are left out here: results cross thread boundaries and reporters need only ranges and fixes.
    // New objects rather than `delete v.ref`, which would put every violation in V8's slow dictionary mode.
    const violations: Violation[] = result.violations.map((v) => ({
      ruleId: v.ruleId,
      severity: v.severity,
      message: v.message,
      range: v.range,
      fix: v.fix,
      deprecated: v.deprecated,
      mappingIndex: v.mappingIndex,
    }));
    const out: FileLintResult = { filePath, violations, positions: positionsOf(src.text, violations), bom: src.bom };
    if (withReferences) out.references = resolvedReferencesOf(src.text, result.refs);
    return out;
  } catch (err) {
    return { filePath, violations: [], positions: [], note: `could not be linted: ${(err as Error).message}`, unscanned: 'unreadable' };
  }
}

/** The resolved references of a lint, in the order the linter lists them, with their positions. */
function resolvedReferencesOf(text: string, refs: LintResult['refs']): ResolvedReference[] {
  const out: ResolvedReference[] = [];
  let index: LineIndex | undefined;
  for (const r of refs) {
    const res = r.resolution;
    if (!res) continue;
    index ??= new LineIndex(text);
    const s = index.positionAt(r.ref.range.start);
    const e = index.positionAt(r.ref.range.end);
    out.push({ mappingIndex: res.mappingIndex, from: res.from, to: res.to, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 });
  }
  return out;
}
