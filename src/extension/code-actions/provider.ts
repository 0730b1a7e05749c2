/**
 * Code actions for bqmigrate diagnostics: the preferred QuickFix per violation,
 * "Fix all bqmigrate problems in this file", `source.fixAll.bqmigrate` for
 * editor.codeActionsOnSave (safe fixes only), and suppression comments.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Violation } from '../../core/rules/types';
import type { ExtensionCtx } from '../context';
import { ruleIdOf } from '../diagnostics/convert';
import { commentSyntaxFor, suppressionComment } from './comment-syntax';
import { fileEdits, toVscodeEdits } from './fixes';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('bqmigrate');

export class BqmigrateCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  constructor(private readonly ctx: ExtensionCtx) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const rec = this.ctx.linter.recordFor(doc);
    if (!rec) return [];
    if (context.only && !context.only.contains(vscode.CodeActionKind.QuickFix)) {
      if (context.only.contains(FIX_ALL_KIND) || FIX_ALL_KIND.contains(context.only)) {
        const action = this.fixAllInFile(doc, 'safe', FIX_ALL_KIND);
        return action ? [action] : [];
      }
      return [];
    }
    const actions: vscode.CodeAction[] = [];
    const ours = context.diagnostics.filter((d) => ruleIdOf(d) !== undefined);
    const seenRules = new Set<string>();
    for (const diagnostic of ours) {
      const violation = this.violationAt(doc, rec.result.violations, diagnostic);
      if (violation?.fix && violation.fix.safety !== 'display-only' && violation.fix.edits.length > 0) {
        const action = new vscode.CodeAction(violation.fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.isPreferred = true;
        action.edit = new vscode.WorkspaceEdit();
        action.edit.set(doc.uri, toVscodeEdits(violation.fix.edits, doc));
        actions.push(action);
      }
      const rule = ruleIdOf(diagnostic)!;
      if (!seenRules.has(rule)) {
        seenRules.add(rule);
        actions.push(...this.suppressions(doc, diagnostic, rule));
      }
    }
    if (ours.length > 0) {
      const all = this.fixAllInFile(doc, 'unsafe', vscode.CodeActionKind.QuickFix);
      if (all && rec.result.violations.filter((v) => v.fix && v.fix.safety !== 'display-only').length > 1) actions.push(all);
    }
    return actions;
  }

  /** All fixes of a file in one action; `safety` 'safe' is what fix-on-save applies. */
  fixAllInFile(doc: vscode.TextDocument, safety: 'safe' | 'unsafe', kind: vscode.CodeActionKind): vscode.CodeAction | undefined {
    const rec = this.ctx.linter.recordFor(doc);
    if (!rec) return undefined;
    const edits = fileEdits(rec.text, rec.result, { safety });
    if (edits.length === 0) return undefined;
    const action = new vscode.CodeAction('Fix all bqmigrate problems in this file', kind);
    action.edit = new vscode.WorkspaceEdit();
    action.edit.set(doc.uri, toVscodeEdits(edits, doc));
    return action;
  }

  private violationAt(doc: vscode.TextDocument, violations: Violation[], d: vscode.Diagnostic): Violation | undefined {
    const rule = ruleIdOf(d);
    const start = doc.offsetAt(d.range.start);
    const end = doc.offsetAt(d.range.end);
    return violations.find((v) => v.ruleId === rule && v.range.start === start && v.range.end === end);
  }

  private suppressions(doc: vscode.TextDocument, d: vscode.Diagnostic, rule: string): vscode.CodeAction[] {
    const syntax = commentSyntaxFor(doc.languageId, doc.fileName, doc.getText(), doc.offsetAt(d.range.start));
    if (syntax === undefined) return []; // JSON and notebooks have no comments to write a directive in
    const fileSyntax = commentSyntaxFor(doc.languageId, doc.fileName) ?? syntax;
    const line = doc.lineAt(d.range.start.line);
    const indent = line.text.slice(0, line.firstNonWhitespaceCharacterIndex);
    const forLine = new vscode.CodeAction(`Disable bqmigrate ${rule} for this line`, vscode.CodeActionKind.QuickFix);
    forLine.diagnostics = [d];
    forLine.edit = new vscode.WorkspaceEdit();
    forLine.edit.insert(doc.uri, new vscode.Position(line.lineNumber, 0), `${indent}${suppressionComment(syntax, 'bqmigrate-disable-next-line', rule)}${eol(doc)}`);
    const forFile = new vscode.CodeAction(`Disable bqmigrate ${rule} for the entire file`, vscode.CodeActionKind.QuickFix);
    forFile.diagnostics = [d];
    forFile.edit = new vscode.WorkspaceEdit();
    forFile.edit.insert(doc.uri, new vscode.Position(fileHeaderLine(doc), 0), `${suppressionComment(fileSyntax, 'bqmigrate-disable', rule)}${eol(doc)}`);
    return [forLine, forFile];
  }
}

function eol(doc: vscode.TextDocument): string {
  return doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
}

/** First line after a shebang / Python encoding line / YAML document start, where a file-level comment belongs. */
function fileHeaderLine(doc: vscode.TextDocument): number {
  let line = 0;
  const text = (n: number) => (n < doc.lineCount ? doc.lineAt(n).text : '');
  if (text(line).startsWith('#!')) line++;
  if (/^#.*coding[:=]/.test(text(line))) line++;
  if (path.extname(doc.fileName) === '.md' && text(0) === '---') {
    // Keep Markdown front matter first.
    for (let n = 1; n < doc.lineCount; n++) if (text(n) === '---') return n + 1;
  }
  return line;
}
