/**
 * The dashboard page's HTML. Pure (no `vscode` import) so the browser test serves
 * exactly this shell, with exactly this CSP, from its loopback server.
 */
import { randomBytes } from 'node:crypto';

export interface DashboardHtmlOptions {
  /** `webview.cspSource` (or the test server's origin). */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  /** Extra stylesheets (the browser test's theme variables); same CSP applies. */
  extraStyles?: string[];
  /** A classic script run before the bundle (the browser test's `acquireVsCodeApi` stub); nonce'd like the bundle. */
  preludeScriptUri?: string;
}

export function makeNonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

export function dashboardCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    // The elements use constructable stylesheets (adoptedStyleSheets), which style-src does not govern.
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function dashboardHtml(o: DashboardHtmlOptions): string {
  const styles = [o.styleUri, ...(o.extraStyles ?? [])];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(dashboardCsp(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles.map((href, i) => `<link rel="stylesheet" href="${escapeAttr(href)}"${i === 0 ? ' id="vscode-codicon-stylesheet"' : ''}>`).join('\n')}
<title>bqmigrate dashboard</title>
</head>
<body>
<main id="app"></main>
${o.preludeScriptUri ? `<script nonce="${escapeAttr(o.nonce)}" src="${escapeAttr(o.preludeScriptUri)}"></script>\n` : ''}<script type="module" nonce="${escapeAttr(o.nonce)}" src="${escapeAttr(o.scriptUri)}"></script>
</body>
</html>
`;
}
