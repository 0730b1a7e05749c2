/**
 * ESLint's JSON formatter shape (one object per file, 1-based positions, severity 1 warning / 2 error,
 * `fix` for safe single-edit fixes, counts; ESLint has no info level, so info findings are left out),
 * and the per-file counts the CLI keeps. In core so the lint workers can write the CLI's `--format
 * json` output themselves: JSON.stringify of these objects is faster than any hand-written serializer.
 */
import type { FileLintResult } from './file-lint';

export interface EslintMessage {
  ruleId: string;
  severity: 1 | 2;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fix?: { range: [number, number]; text: string };
}

export interface EslintResult {
  filePath: string;
  messages: EslintMessage[];
  errorCount: number;
  warningCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
}

export function toEslintResult(r: FileLintResult): EslintResult {
  const out: EslintResult = { filePath: r.filePath, messages: [], errorCount: 0, warningCount: 0, fixableErrorCount: 0, fixableWarningCount: 0 };
  const vs = r.violations;
  for (let i = 0; i < vs.length; i++) {
    const v = vs[i]!;
    if (v.severity === 'info') continue;
    const p = r.positions[i]!;
    const m: EslintMessage = { ruleId: v.ruleId, severity: v.severity === 'error' ? 2 : 1, message: v.message, line: p.line, column: p.column, endLine: p.endLine, endColumn: p.endColumn };
    // ESLint's fix is one edit: a safe fix of several edits (there are none today) gets none.
    const edits = v.fix?.safety === 'safe' ? v.fix.edits : undefined;
    const fix = edits?.length === 1 ? { range: [edits[0]!.start, edits[0]!.end] as [number, number], text: edits[0]!.text } : undefined;
    if (fix) m.fix = fix;
    out.messages.push(m);
    if (v.severity === 'error') {
      out.errorCount++;
      if (fix) out.fixableErrorCount++;
    } else {
      out.warningCount++;
      if (fix) out.fixableWarningCount++;
    }
  }
  return out;
}

/**
 * The text of `JSON.stringify(toEslintResult(r))`, byte for byte, in pieces of at most `chunk` messages:
 * a file with a million findings never becomes one string (V8 strings end at ~512 MB).
 */
export function* eslintJsonPieces(r: FileLintResult, chunk = 4096): Generator<string> {
  const e = toEslintResult(r);
  if (e.messages.length <= chunk) {
    yield JSON.stringify(e); // the common case: one string, no slicing
    return;
  }
  yield `{"filePath":${JSON.stringify(e.filePath)},"messages":[`;
  for (let i = 0; i < e.messages.length; i += chunk) {
    const part = JSON.stringify(e.messages.slice(i, i + chunk));
    yield i === 0 ? part.slice(1, -1) : `,${part.slice(1, -1)}`;
  }
  yield `],"errorCount":${e.errorCount},"warningCount":${e.warningCount},"fixableErrorCount":${e.fixableErrorCount},"fixableWarningCount":${e.fixableWarningCount}}`;
}

/** errors, warnings, infos, fixable errors, fixable warnings — `Counts` of src/cli/format/report.ts, in that order. */
export const COUNT_FIELDS = 5;

/** Adds a file's counts to `counts` from `at`, as `countViolations` counts (any safe fix with edits is fixable). */
export function countInto(r: FileLintResult, counts: Int32Array | number[], at: number): void {
  for (const v of r.violations) {
    const fixable = v.fix?.safety === 'safe' && v.fix.edits.length > 0;
    if (v.severity === 'error') {
      counts[at]!++;
      if (fixable) counts[at + 3]!++;
    } else if (v.severity === 'warning') {
      counts[at + 1]!++;
      if (fixable) counts[at + 4]!++;
    } else counts[at + 2]!++;
  }
}
