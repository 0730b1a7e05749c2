/** Core violations → VS Code diagnostics (source, code with its docs link, severity, Deprecated tag). */
import * as vscode from 'vscode';
import type { Violation } from '../../core/rules/types';
import { ruleDocsUri } from './rule-docs';
import { TextPositions, type OffsetConverter } from '../positions';

export const DIAGNOSTIC_SOURCE = 'bqmigrate';

const SEVERITY: Record<Violation['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toRange(span: { start: number; end: number }, at: OffsetConverter): vscode.Range {
  return new vscode.Range(at.positionAt(span.start), at.positionAt(span.end));
}

/**
 * `code` (the rule id with its docs link) per rule, built once: a diagnostic's code is read, never
 * changed, so all diagnostics of a rule share one object and one Uri (whose string form VS Code
 * then computes once per rule when it sends the diagnostics to the window, not once per diagnostic).
 */
const codes = new Map<string, { value: string; target: vscode.Uri }>();
function codeOf(ruleId: string): { value: string; target: vscode.Uri } {
  let code = codes.get(ruleId);
  if (!code) codes.set(ruleId, (code = { value: ruleId, target: ruleDocsUri(ruleId) }));
  return code;
}
const DEPRECATED = [vscode.DiagnosticTag.Deprecated];

export function toDiagnostic(v: Violation, at: OffsetConverter | vscode.Range): vscode.Diagnostic {
  const d = new vscode.Diagnostic(at instanceof vscode.Range ? at : toRange(v.range, at), v.message, SEVERITY[v.severity]);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = codeOf(v.ruleId);
  if (v.deprecated) d.tags = DEPRECATED;
  return d;
}

/** What a file's diagnostics were made from, kept to reuse them on the next lint. */
export interface PublishedDiagnostics {
  violations: readonly Violation[];
  diagnostics: readonly vscode.Diagnostic[];
}

/**
 * The diagnostics for `violations`, reusing the previous lint's Diagnostic objects where nothing
 * changed: a keystroke changes one place in a file, so the violations before it (and, when the
 * line count stays, after it) convert to the same diagnostics as last time. Matched from both
 * ends in order (violations come sorted by offset); a violation is reused only when rule,
 * severity, message, the Deprecated tag and the converted range are all equal.
 */
export function toDiagnostics(violations: readonly Violation[], at: OffsetConverter, previous?: PublishedDiagnostics): vscode.Diagnostic[] {
  const n = violations.length;
  const out = new Array<vscode.Diagnostic>(n);
  let head = 0;
  let tail = 0;
  if (previous && previous.violations.length === previous.diagnostics.length) {
    const pv = previous.violations;
    const pd = previous.diagnostics;
    const m = pv.length;
    while (head < n && head < m && same(violations[head]!, pv[head]!, pd[head]!, at)) {
      out[head] = pd[head]!;
      head++;
    }
    while (tail < n - head && tail < m - head && same(violations[n - 1 - tail]!, pv[m - 1 - tail]!, pd[m - 1 - tail]!, at)) {
      out[n - 1 - tail] = pd[m - 1 - tail]!;
      tail++;
    }
  }
  for (let i = head; i < n - tail; i++) out[i] = toDiagnostic(violations[i]!, at);
  return out;
}

function same(v: Violation, was: Violation, d: vscode.Diagnostic, at: OffsetConverter): boolean {
  if (v.ruleId !== was.ruleId || v.severity !== was.severity || v.message !== was.message || !v.deprecated !== !was.deprecated) return false;
  if (at instanceof TextPositions) return at.sameRange(v.range, d.range);
  return toRange(v.range, at).isEqual(d.range);
}

/** The rule id of a diagnostic this extension produced, if it is one. */
export function ruleIdOf(d: vscode.Diagnostic): string | undefined {
  if (d.source !== DIAGNOSTIC_SOURCE) return undefined;
  const code = d.code;
  if (typeof code === 'object' && code !== null) return String(code.value);
  return code === undefined ? undefined : String(code);
}
