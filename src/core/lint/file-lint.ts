/** Lints one file on disk into a FileLintResult (used in-process and inside the worker threads). */
import type { Violation } from '../rules/types';
import { LineIndex } from '../text/positions';
import type { Linter } from './linter';
import { readSourceFile } from './read';
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
}

/** 1-based positions of violations sorted by start, in one forward pass (no full line table). */
export function positionsOf(text: string, violations: readonly Violation[]): ViolationPosition[] {
  if (violations.length === 0) return [];
  let line = 0;
  let lineStart = 0;
  let scanned = 0;
  const advance = (offset: number) => {
    // Counts \n, \r\n and lone \r as line breaks, like LineIndex.
    for (let i = scanned; i < offset; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
        line++;
        lineStart = i + 1;
      }
    }
    scanned = Math.max(scanned, offset);
  };
  const at = (offset: number) => {
    if (offset < scanned) {
      const index = new LineIndex(text);
      const p = index.positionAt(offset);
      return { line: p.line + 1, column: p.character + 1 };
    }
    advance(offset);
    return { line: line + 1, column: offset - lineStart + 1 };
  };
  return violations.map((v) => {
    const s = at(v.range.start);
    const snapshot = { line, lineStart, scanned };
    const e = at(v.range.end);
    // The next violation may start before this one's end: rewind to its start.
    ({ line, lineStart, scanned } = snapshot);
    return { line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  });
}

export function lintFile(linter: Linter, filePath: string, maxFileBytes?: number): FileLintResult {
  const src = readSourceFile(filePath, maxFileBytes);
  if (!src.ok) return { filePath, violations: [], positions: [], note: src.note, unscanned: src.reason };
  try {
    // Refs are left out here: results cross thread boundaries and reporters need only ranges and fixes.
    // New objects rather than `delete v.ref`, which would put every violation in V8's slow dictionary mode.
    const violations: Violation[] = linter.lintText(src.text, filePath).violations.map((v) => ({
      ruleId: v.ruleId,
      severity: v.severity,
      message: v.message,
      range: v.range,
      fix: v.fix,
      deprecated: v.deprecated,
      mappingIndex: v.mappingIndex,
    }));
    return { filePath, violations, positions: positionsOf(src.text, violations), bom: src.bom };
  } catch (err) {
    return { filePath, violations: [], positions: [], note: `could not be linted: ${(err as Error).message}`, unscanned: 'unreadable' };
  }
}
