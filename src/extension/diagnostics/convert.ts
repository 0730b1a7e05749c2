/** Core violations → VS Code diagnostics (source, code with its docs link, severity, Deprecated tag). */
import * as vscode from 'vscode';
import type { Violation } from '../../core/rules/types';
import { ruleDocsUri } from '../rule-docs';

export const DIAGNOSTIC_SOURCE = 'bqmigrate';

export interface OffsetConverter {
  positionAt(offset: number): vscode.Position;
}

const SEVERITY: Record<Violation['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toRange(span: { start: number; end: number }, at: OffsetConverter): vscode.Range {
  return new vscode.Range(at.positionAt(span.start), at.positionAt(span.end));
}

export function toDiagnostic(v: Violation, at: OffsetConverter): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(v.range, at), v.message, SEVERITY[v.severity]);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = { value: v.ruleId, target: ruleDocsUri(v.ruleId) };
  if (v.deprecated) d.tags = [vscode.DiagnosticTag.Deprecated];
  return d;
}

/** The rule id of a diagnostic this extension produced, if it is one. */
export function ruleIdOf(d: vscode.Diagnostic): string | undefined {
  if (d.source !== DIAGNOSTIC_SOURCE) return undefined;
  const code = d.code;
  if (typeof code === 'object' && code !== null) return String(code.value);
  return code === undefined ? undefined : String(code);
}
