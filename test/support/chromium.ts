import { existsSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { DEFAULT_CHROMIUM_PATH } from '../../src/adapters/richmenu/richmenu-image.js';

export { launchChromium } from '../../src/adapters/richmenu/richmenu-image.js';

/** The browser the browser tests drive (CI installs Debian's chromium); they are skipped, loudly, without it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM_PATH;
export const chromiumAvailable = existsSync(CHROMIUM);

/**
 * Clicks a button that posts a form and waits until the browser arrives at the page the post redirects to. The wait
 * starts before the click and ends at the commit: the console's script drops the one-visit `?m=…` from the address
 * before `load`, so waiting afterwards for `load` at that address can miss it (it did, under load, in CI).
 */
export async function submitAndArrive(page: Page, button: Locator, url: string | RegExp): Promise<void> {
  await Promise.all([page.waitForURL(url, { waitUntil: 'commit' }), button.click()]);
}
