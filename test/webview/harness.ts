/**
 * The browser test host: serves the bundled dashboard (dist/webview.js, .css,
 * codicon font) inside the same HTML shell and CSP the extension uses, from a
 * loopback HTTP server, with an `acquireVsCodeApi` stub that records posted
 * messages and keeps setState in sessionStorage (so a reload restores like
 * VS Code does); drives the test browser (test/lib/browser.ts) through playwright-core.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { dashboardHtml, makeNonce } from '../../src/extension/dashboard/html';
import { launchBrowser } from '../lib/browser';

// Page-side callbacks run in Chromium, where these exist; Node's lib has no DOM.
declare const window: any, document: any;

export const THEMES = ['light', 'dark', 'high-contrast'] as const;
export type Theme = (typeof THEMES)[number];

/** The repository root: works from test/webview/*.ts and out/test/webview/*.js alike. */
export function repoRoot(): string {
  let dir = __dirname;
  // out/ holds a copy of package.json (resolveJsonModule), so look for tsconfig.json too.
  while (!(fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'tsconfig.json')))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

const ROOT = repoRoot();
const THEME_CLASS: Record<Theme, string> = { light: 'vscode-light', dark: 'vscode-dark', 'high-contrast': 'vscode-high-contrast' };

/** The stub VS Code puts in a webview as `acquireVsCodeApi`, recording instead of sending. */
const TEST_HOST_JS = `
(() => {
  const params = new URLSearchParams(location.search);
  const theme = params.get('theme') || 'dark';
  const kinds = ${JSON.stringify(THEME_CLASS)};
  document.documentElement.dataset.theme = theme;
  window.__posted = [];
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
  document.addEventListener('DOMContentLoaded', () => { document.body.classList.add(kinds[theme]); document.body.dataset.vscodeThemeKind = kinds[theme]; });
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi may be called only once');
    acquired = true;
    return {
      postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
      getState: () => { const s = sessionStorage.getItem('vscode-state'); return s ? JSON.parse(s) : undefined; },
      setState: (s) => sessionStorage.setItem('vscode-state', JSON.stringify(s)),
    };
  };
})();
`;

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.map': 'application/json', '.html': 'text/html' };

export interface DashboardServer {
  url: string;
  close(): Promise<void>;
}

export async function startDashboardServer(): Promise<DashboardServer> {
  const dist = path.join(ROOT, 'dist');
  if (!fs.existsSync(path.join(dist, 'webview.js')) || !fs.existsSync(path.join(dist, 'webview.css'))) {
    throw new Error(`${dist}/webview.js is missing: run "node esbuild.mjs" (npm test does) before the webview tests`);
  }
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = `http://${req.headers.host}`;
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (url.pathname === '/') {
      const theme = (THEMES as readonly string[]).includes(url.searchParams.get('theme') ?? '') ? url.searchParams.get('theme')! : 'dark';
      return send(200, 'text/html', dashboardHtml({ cspSource: origin, nonce: makeNonce(), scriptUri: '/dist/webview.js', styleUri: '/dist/webview.css', extraStyles: [`/themes/${theme}.css`], preludeScriptUri: '/test-host.js' }));
    }
    if (url.pathname === '/test-host.js') return send(200, 'text/javascript', TEST_HOST_JS);
    const file = url.pathname.startsWith('/dist/')
      ? path.join(dist, path.basename(url.pathname))
      : url.pathname.startsWith('/themes/')
        ? path.join(ROOT, 'test', 'webview', 'themes', path.basename(url.pathname))
        : undefined;
    if (!file || !fs.existsSync(file)) return send(404, 'text/plain', 'not found');
    send(200, TYPES[path.extname(file)] ?? 'application/octet-stream', fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export function launchChromium(): Promise<Browser> {
  return launchBrowser((line) => console.log(`# ${line}`));
}

export interface DashboardPage {
  page: Page;
  /** Console warnings and errors, and uncaught page errors. */
  logs: string[];
  pageErrors: string[];
  posted(): Promise<unknown[]>;
  send(message: unknown): Promise<void>;
  waitForReady(count?: number): Promise<void>;
}

export async function openDashboard(browser: Browser, server: DashboardServer, theme: Theme = 'dark'): Promise<DashboardPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: theme === 'light' ? 'light' : 'dark' });
  const logs: string[] = [];
  const pageErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'warning' || m.type() === 'error') logs.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${server.url}/?theme=${theme}`);
  const dp: DashboardPage = {
    page,
    logs,
    pageErrors,
    posted: () => page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted),
    // VS Code delivers host messages to the page as window "message" events.
    send: (message) => page.evaluate((m) => window.postMessage(m, '*'), message),
    waitForReady: async (count = 1) => {
      await page.waitForFunction((n) => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'ready').length >= n, count);
    },
  };
  return dp;
}

/** Loads recorded host messages: fixtures/host-messages.json (the rehearsal) or demo-messages.json (`npm run demo`). */
export function recordedMessages(file = 'host-messages.json'): { source: string; state: { type: 'state'; state: any }; afterScan: { type: string; [k: string]: any }[] } {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'webview', 'fixtures', file), 'utf8'));
}

export function screenshotDir(): string {
  const dir = path.join(process.env.BQMIGRATE_TEST_RESULTS ?? path.join(ROOT, 'test-results'), 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export { ROOT };
