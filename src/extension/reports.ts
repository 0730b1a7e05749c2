/**
 * Read-only virtual documents (`bqmigrate-report:`) for phase plans, validation, access checks and
 * export plans, opened as a markdown preview. One instance per window lives on the ExtensionCtx
 * (`ctx.reports`), created and registered as a content provider at activation.
 */
import * as vscode from 'vscode';

export const REPORT_SCHEME = 'bqmigrate-report';

export class ReportDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.path) ?? '';
  }

  /** Sets the document's markdown and opens its preview (to the side). */
  async show(name: string, markdown: string): Promise<vscode.Uri> {
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${name}.md` });
    this.contents.set(uri.path, markdown);
    this.emitter.fire(uri);
    await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
    return uri;
  }

  text(name: string): string | undefined {
    return this.contents.get(`/${name}.md`);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
