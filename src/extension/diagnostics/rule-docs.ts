/**
 * Rule documentation for diagnostics' `code.target` and the hover: each rule's docs
 * live in its own file in the core (RuleMeta.docs); the extension serves them as
 * read-only Markdown documents under the `bqmigrate-docs:` scheme so the link works
 * offline and shows exactly what the CLI prints.
 */
import * as vscode from 'vscode';
import { fixSafetyText, ruleMetas } from '../../core/index';

export const DOCS_SCHEME = 'bqmigrate-docs';

export function ruleDocsUri(ruleId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: DOCS_SCHEME, path: `/rules/${ruleId}.md` });
}

export function ruleDocsMarkdown(ruleId: string): string | undefined {
  const meta = ruleMetas.find((m) => m.id === ruleId);
  if (!meta) return undefined;
  const fix = meta.fixable ? `Fix: ${fixSafetyText(meta)}.` : 'No automatic fix.';
  return `# ${meta.id}\n\n${meta.description}\n\nDefault severity: ${meta.defaultSeverity}. ${fix}\n\n${meta.docs}\n`;
}

export function registerRuleDocs(track: <T extends vscode.Disposable>(d: T) => T): void {
  track(
    vscode.workspace.registerTextDocumentContentProvider(DOCS_SCHEME, {
      provideTextDocumentContent(uri) {
        const id = uri.path.replace(/^\/rules\//, '').replace(/\.md$/, '');
        return ruleDocsMarkdown(id) ?? `# Unknown rule "${id}"\n\nKnown rules: ${ruleMetas.map((m) => m.id).join(', ')}.\n`;
      },
    }),
  );
}
