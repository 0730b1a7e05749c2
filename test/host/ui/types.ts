/** What a UI test gets: the code-server page with the extension loaded on a fresh copy of the fixture workspace. */
import type { Page } from 'playwright-core';

export interface UiContext {
  page: Page;
  /** Absolute path of this run's copy of test/fixtures/workspace (safe to modify). */
  workspace: string;
  /** Saves a PNG of the page (or of one element) to test-results/screenshots/<name>.png; returns the path. */
  screenshot(name: string, target?: { locator: import('playwright-core').Locator }): Promise<string>;
  log(message: string): void;
}

export interface UiTest {
  name: string;
  run(ctx: UiContext): Promise<void>;
}
