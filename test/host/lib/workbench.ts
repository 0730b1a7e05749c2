/**
 * The browser side of a host run: a Chromium page on code-server's workbench, with
 * the smoke-test driver's hooks (codeAutomationExit / codeAutomationLog) exposed.
 */
import type { Browser, Page } from 'playwright-core';
import { withTimeout, type Progress } from './progress';

export async function newWorkbenchPage(browser: Browser, progress: Progress, prefix: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.on('console', (msg) => {
    const text = msg.text();
    // Styled "%c" lines repeat what codeAutomationLog already recorded.
    if (!text.startsWith('%c')) progress.log(`${prefix} ${text}`);
    const m = text.match(/\[bqmigrate-host\] (pass|fail|pending): (.*)/);
    if (m) console.log(`  ${m[1] === 'pass' ? '✔' : m[1] === 'fail' ? '✘' : '-'} ${m[2]}`);
  });
  page.on('pageerror', (err) => progress.log(`${prefix} page error: ${err.message}`));
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) =>
    progress.log(`[workbench ${type}] ${(args ?? []).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`),
  );
  return page;
}

/**
 * Opens `url` (a workbench URL whose payload names an extensionTestsPath) and resolves
 * with the exit code the workbench reports when the test runner's run() settles.
 */
export async function runExtensionTests(page: Page, url: string, timeoutS: number, progress: Progress): Promise<number> {
  let exit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (exit = resolve));
  await page.exposeFunction('codeAutomationExit', (code: number) => exit(code));
  await page.goto(url);
  return withTimeout(exited, timeoutS, progress);
}
