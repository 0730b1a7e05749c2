/**
 * What a person does in the workbench, by keyboard and ARIA names only (no CSS classes
 * that change between VS Code releases): open a file, go to a line, run a command.
 */
import type { Page } from 'playwright-core';

/** Waits until the workbench has rendered and the extension host has had time to start. */
export async function waitForWorkbench(page: Page): Promise<void> {
  await page.getByRole('tab', { name: /^Explorer/ }).waitFor({ timeout: 60_000 });
}

/** Quick Open (Ctrl+P): types the file name and opens the match whose row names `relPath`. */
export async function openFile(page: Page, relPath: string): Promise<void> {
  const base = relPath.split('/').pop()!;
  const folder = relPath.split('/').slice(-2, -1)[0];
  await page.keyboard.press('Control+P');
  await page.getByRole('textbox', { name: /Search files by name/ }).waitFor();
  await page.keyboard.type(base, { delay: 20 });
  const row = page.getByRole('option', { name: new RegExp(`^${escape(base)}${folder ? `.*${escape(folder)}` : ''}`) }).first();
  await row.waitFor({ timeout: 15_000 });
  await row.click();
  await page.getByRole('tab', { name: new RegExp(`^${escape(base)}`) }).waitFor();
}

/** Ctrl+G to a 1-based line and column. */
export async function goTo(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press('Control+G');
  await page.getByRole('option', { name: /Go to line|Type a line number/i }).first().waitFor();
  await page.keyboard.type(`${line}:${column}`, { delay: 20 });
  await page.getByRole('option', { name: new RegExp(`Go to line ${line}, column ${column}`) }).waitFor();
  await page.keyboard.press('Enter');
  // Keys sent before the box has closed and the editor has the cursor would go astray under load.
  await page.getByText(`Ln ${line}, Col ${column}`, { exact: true }).waitFor({ timeout: 10_000 });
  await waitForEditorFocus(page);
}

/** Until the keyboard is in an editor (its text area is the focused element). */
export async function waitForEditorFocus(page: Page): Promise<void> {
  await pollUntil('an editor to have the keyboard', async () =>
    (await page.getByRole('code').evaluateAll((editors) => editors.some((e) => e.contains(e.ownerDocument.activeElement)))) || undefined,
  10_000);
}

/** The command palette (F1): runs the command whose row names `title`. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  await page.getByRole('textbox', { name: /Type the name of a command/ }).waitFor();
  await page.keyboard.type(title, { delay: 10 });
  const row = page.getByRole('option', { name: new RegExp(`^${escape(title)}`) }).first();
  await row.waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
}

/** Problems in the workspace, from the status bar's item ("Errors: 9, Warnings: 1, Infos: 1"), always visible. */
export async function problemsTotal(page: Page): Promise<number> {
  const item = page.getByRole('button', { name: /^Errors: \d+, Warnings: \d+/ }).first();
  const label = (await item.getAttribute('aria-label', { timeout: 10_000 })) ?? '';
  return [...label.matchAll(/(?:Errors|Warnings|Infos): (\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
}

/** The Problems tab's own total ("Problems (Ctrl+Shift+M) - Total 11 Problems"); the panel must be open. */
export async function problemsTabTotal(page: Page): Promise<number> {
  const label = (await page.getByRole('tab', { name: /^Problems/ }).getAttribute('aria-label', { timeout: 10_000 })) ?? '';
  const m = label.match(/Total (\d+) Problems?/);
  return m ? Number(m[1]) : 0;
}

export async function pollUntil<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
