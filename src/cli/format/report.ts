/** What the formatters receive: every linted file's result plus the notes of skipped ones, sorted by path. */
import type { FileLintResult } from '../../core/lint/file-lint';
import type { Unscanned } from '../../core/lint/unscanned';
import type { Violation } from '../../core/rules/types';

export interface LintReport {
  cwd: string;
  results: FileLintResult[];
  /** Files and folders the walk did not read (SARIF lists them as notifications). */
  unscanned?: readonly Unscanned[];
}

export interface Counts {
  errors: number;
  warnings: number;
  infos: number;
  fixableErrors: number;
  fixableWarnings: number;
}

export const isSafeFix = (v: Violation) => v.fix?.safety === 'safe' && v.fix.edits.length > 0;

export const emptyCounts = (): Counts => ({ errors: 0, warnings: 0, infos: 0, fixableErrors: 0, fixableWarnings: 0 });

export function countViolations(results: readonly FileLintResult[], c: Counts = emptyCounts()): Counts {
  for (const r of results) {
    for (const v of r.violations) {
      if (v.severity === 'error') {
        c.errors++;
        if (isSafeFix(v)) c.fixableErrors++;
      } else if (v.severity === 'warning') {
        c.warnings++;
        if (isSafeFix(v)) c.fixableWarnings++;
      } else c.infos++;
    }
  }
  return c;
}

/** One edit standing for a fix (rename fixes have one; several are spanned by one replacement of the text between). */
export function singleEdit(v: Violation, text?: string): { range: [number, number]; text: string } | undefined {
  const edits = v.fix?.edits ?? [];
  if (edits.length === 1) return { range: [edits[0]!.start, edits[0]!.end], text: edits[0]!.text };
  if (edits.length === 0 || text === undefined) return undefined;
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let out = '';
  let pos = sorted[0]!.start;
  for (const e of sorted) {
    out += text.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return { range: [sorted[0]!.start, pos], text: out };
}
