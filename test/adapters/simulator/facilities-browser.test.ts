import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, chromiumAvailable } from '../../support/chromium.js';
import { SIMULATOR_WAIT, simulatorRig } from '../../support/simulator-rig.js';

/**
 * The facility directory in the simulator page, in headless Chromium against the real app: a parent's question →
 * signed webhook → core → carousel of facility cards drawn by the simulator's Flex renderer, with tel: and maps links.
 * Screenshots go to SIMULATOR_SCREENSHOTS, or scratch/screenshots/ (git-ignored) in the repository.
 */

const title = chromiumAvailable
  ? 'the facility directory in the simulator (headless Chromium)'
  : `the facility directory in the simulator (headless Chromium) — SKIPPED: ${CHROMIUM} does not exist (apt-get install chromium)`;
if (!chromiumAvailable) console.warn(title);

const SCREENSHOTS = process.env.SIMULATOR_SCREENSHOTS ?? path.resolve(import.meta.dirname, '../../../scratch/screenshots');

describe.skipIf(!chromiumAvailable)(title, () => {
  const sim = simulatorRig();

  async function ask(page: Page, text: string) {
    const box = page.getByRole('textbox', { name: 'メッセージ' });
    await box.fill(text);
    await box.press('Enter');
    await page.locator('.row.user .bubble', { hasText: text }).waitFor(SIMULATOR_WAIT);
  }

  it('answers 「金浦の近くのこども園」 and 「新川こども園の電話番号」 with facility cards: tel: links, a maps link, dated sources', async () => {
    const page = await sim.open(800, 1400);

    await ask(page, '金浦の近くのこども園');
    await page.locator('.row.bot .bubble-text', { hasText: '金浦の認定こども園は2件あります' }).waitFor(SIMULATOR_WAIT);
    const cards = page.locator('.row.bot .flex-bubble');
    await cards.nth(1).waitFor(SIMULATOR_WAIT);
    const headers = await cards.locator('.flex-header').allInnerTexts();
    expect(headers.map((h) => h.split('\n')[0]!.trim())).toEqual(['金浦認定こども園', '新川こども園']);

    // 金浦認定こども園: the sheet gives no address or phone; the card says so and offers 子育て支援課.
    const kanaura = cards.nth(0);
    expect(await kanaura.innerText()).toContain('確認できていません');
    expect(await kanaura.locator('a[href="tel:0865692132"]').count()).toBe(1);
    expect(await kanaura.innerText()).toContain('2024年2月時点');

    const shinkawa = cards.nth(1);
    expect(await shinkawa.locator('a[href="tel:0865661668"]').count()).toBe(1);
    const map = shinkawa.locator('a[href^="https://www.google.com/maps/search/?api=1&query="]');
    expect(await map.count()).toBe(1);
    expect(decodeURIComponent((await map.getAttribute('href'))!.split('query=')[1]!)).toBe('岡山県笠岡市金浦737-1');

    await ask(page, '新川こども園の電話番号');
    await page.locator('.row.bot .bubble-text', { hasText: '新川こども園のご案内です' }).waitFor(SIMULATOR_WAIT);
    await expect(page.locator('.row.bot .flex-bubble').count()).resolves.toBe(3);

    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'facilities-kanaura-shinkawa.png'), fullPage: true });
  });
});
