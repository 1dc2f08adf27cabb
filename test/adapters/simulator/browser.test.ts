import type { messagingApi } from '@line/bot-sdk';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, chromiumAvailable } from '../../support/chromium.js';
import { SIMULATOR_WAIT, simulatorRig } from '../../support/simulator-rig.js';

/**
 * The simulator page in a real headless Chromium against the real app (local mode, real core, real Redis): what a
 * member of staff does, end to end — page → /simulator/api/send → signed webhook → core → LocalLineApi → SSE →
 * rendered Flex. Uses Debian's chromium through playwright-core (no browser download). Set
 * SIMULATOR_SCREENSHOTS=<dir> to keep screenshots of each scenario for a look.
 */

const hasChromium = chromiumAvailable;
const title = hasChromium
  ? 'the simulator page in headless Chromium'
  : `the simulator page in headless Chromium — SKIPPED: ${CHROMIUM} does not exist (CI installs it; locally: apt-get install chromium)`;

// The default reporter hides skipped tests' names; say it out loud.
if (!hasChromium) console.warn(title);

const SCREENSHOTS = process.env.SIMULATOR_SCREENSHOTS;

describe.skipIf(!hasChromium)(title, () => {
  const sim = simulatorRig({ screenshots: SCREENSHOTS });
  let page: Page;
  const openSimulator = async (width = 800, height = 1000) => (page = await sim.open(width, height));

  const userBubble = (text: string) => page.locator('.row.user .bubble', { hasText: text });
  const botText = (text: string) => page.locator('.row.bot .bubble-text', { hasText: text });

  it('answers a typed question with a Flex card, and a tapped facet button with the cost card', async () => {
    await openSimulator();
    const entry = sim.core.kb.entries.get('sick-child-care')!;
    await expect(page.getAttribute('#chat', 'aria-live')).resolves.toBe('polite');

    const box = page.getByRole('textbox', { name: 'メッセージ' });
    await box.fill('病児保育について教えて');
    // Enter that confirms an IME conversion must not send.
    await box.dispatchEvent('keydown', { key: 'Enter', isComposing: true, bubbles: true });
    expect(await box.inputValue()).toBe('病児保育について教えて');
    await box.press('Enter');
    expect(await box.inputValue()).toBe('');
    await userBubble('病児保育について教えて').waitFor(SIMULATOR_WAIT);

    const card = page.locator('.row.bot .flex-bubble').first();
    await card.waitFor(SIMULATOR_WAIT);
    const cardTitle = (await card.locator('.flex-header').innerText()).trim();
    expect(cardTitle).toBe(entry.title);
    expect(cardTitle).toMatch(/病児.*保育/);
    await page.getByRole('button', { name: '役に立った' }).waitFor(SIMULATOR_WAIT);

    await card.getByRole('button', { name: '料金', exact: true }).click();
    await userBubble('料金').waitFor(SIMULATOR_WAIT);
    const costCard = page.locator('.row.bot .flex-bubble').nth(1);
    await costCard.waitFor(SIMULATOR_WAIT);
    const shown = await costCard.innerText();
    expect(shown).toContain('料金');
    expect(shown).toContain(entry.facets.cost!.text.slice(0, 30));
    // Phone numbers are tel: links, as on a phone.
    expect(await costCard.locator('a[href^="tel:"]').count()).toBeGreaterThan(0);
  });

  it('shows quick-reply choices for a rich-menu topic, and a friendly reply to a sticker', async () => {
    await openSimulator(1024, 768);
    const menu = page.getByRole('navigation', { name: 'リッチメニュー' });
    expect(await menu.getByRole('button').count()).toBe(9); // the toggle, the guide banner, six entries and 「Language / 言語」

    await menu.getByRole('button', { name: '預けたい' }).click();
    await userBubble('預けたい').waitFor(SIMULATOR_WAIT);
    const choices = page.getByRole('group', { name: '返信の候補' });
    const sickCare = choices.getByRole('button', { name: sim.core.kb.entries.get('sick-child-care')!.title });
    await sickCare.waitFor(SIMULATOR_WAIT);
    const labels = await choices.getByRole('button').allInnerTexts();
    const azuketai = [...sim.core.kb.entries.values()].filter((e) => e.topic === 'azuketai').map((e) => e.title);
    expect(labels).toEqual(expect.arrayContaining(azuketai));

    // A postback chip shows its displayText as the person's message, and the chips go away.
    await sickCare.click();
    await userBubble(sim.core.kb.entries.get('sick-child-care')!.title).waitFor(SIMULATOR_WAIT);
    await page.locator('.row.bot .flex-bubble').first().waitFor(SIMULATOR_WAIT);

    await page.getByRole('button', { name: 'スタンプ' }).click();
    await page.locator('.row.user img.bubble-sticker').waitFor(SIMULATOR_WAIT);
    await botText('スタンプありがとう').waitFor(SIMULATOR_WAIT);
    // The sticker reply offers the menu topics as chips again.
    await choices.getByRole('button', { name: 'お金・手当' }).waitFor(SIMULATOR_WAIT);
  });

  it('starts the guided consultation from the banner at the top of the menu, 「Language / 言語」 beside it (phone size)', async () => {
    await openSimulator(390, 844);
    const menu = page.getByRole('navigation', { name: 'リッチメニュー' });
    const banner = menu.getByRole('button', { name: 'あなたに合うサービスをさがす' });
    await banner.waitFor(SIMULATOR_WAIT);
    const [bannerBox, itemsBox, tileBox, languageBox] = await Promise.all([
      banner.boundingBox(),
      page.locator('#richmenu-items').boundingBox(),
      menu.getByRole('button', { name: '預けたい' }).boundingBox(),
      menu.getByRole('button', { name: 'Language / 言語' }).boundingBox(),
    ]);
    // As on the rich menu: the banner across two columns of the top row, the language cell at its right end.
    expect(bannerBox!.width).toBeCloseTo((itemsBox!.width * 2) / 3, 0);
    expect(languageBox!.y).toBeCloseTo(bannerBox!.y, 0);
    expect(languageBox!.x).toBeCloseTo(bannerBox!.x + bannerBox!.width, 0);
    expect(bannerBox!.y).toBeLessThan(tileBox!.y);
    expect(await banner.innerText()).toContain('3つの質問でご案内します');

    await banner.click();
    await userBubble('自分に合うサービスを知りたい').waitFor(SIMULATOR_WAIT);
    await botText('どなたのことですか').waitFor(SIMULATOR_WAIT);
    await page.getByRole('group', { name: '返信の候補' }).getByRole('button', { name: '0〜2歳' }).waitFor(SIMULATOR_WAIT);
  });

  it('renders any Flex JSON generically — carousels, links, unknown components — and templates minimally', async () => {
    await openSimulator(768, 1024);
    const userId = await page.evaluate(() => localStorage.getItem('kosodate-simulator:userId'));
    expect(userId).toMatch(/^U[0-9a-f]{32}$/);
    const bubble = (title: string, extra: messagingApi.FlexComponent[]): messagingApi.FlexBubble => ({
      type: 'bubble',
      size: 'kilo',
      hero: { type: 'image', url: 'data:image/gif;base64,R0lGODlhAQABAAAAACw=', size: 'full', aspectRatio: '20:13', aspectMode: 'cover' },
      body: {
        type: 'box',
        layout: 'vertical',
        spacing: 'md',
        contents: [
          { type: 'text', text: title, weight: 'bold', size: 'xl' },
          {
            type: 'box',
            layout: 'baseline',
            contents: [
              { type: 'icon', url: 'data:image/gif;base64,R0lGODlhAQABAAAAACw=' },
              {
                type: 'text',
                contents: [
                  { type: 'span', text: '星' },
                  { type: 'span', text: '4.0', weight: 'bold' },
                ],
              },
              { type: 'filler' },
            ],
          },
          { type: 'separator' },
          ...extra,
        ],
      },
      footer: {
        type: 'box',
        layout: 'horizontal',
        contents: [
          { type: 'button', style: 'primary', action: { type: 'uri', label: 'ウェブで見る', uri: 'https://www.city.kasaoka.okayama.jp/' } },
          { type: 'button', action: { type: 'message', label: '送る', text: 'カードから送信' } },
        ],
      },
      styles: { footer: { separator: true } },
    });
    await sim.app.localLineApi!.pushMessage({
      to: userId!,
      messages: [
        {
          type: 'flex',
          altText: 'カルーセル',
          contents: { type: 'carousel', contents: [bubble('一枚目', [{ type: 'sparkle' } as unknown as messagingApi.FlexComponent]), bubble('二枚目', [])] },
        },
        {
          type: 'template',
          altText: '確認テンプレート',
          template: {
            type: 'confirm',
            text: '予約しますか？',
            actions: [
              { type: 'message', label: 'はい', text: 'はい' },
              { type: 'postback', label: 'いいえ', data: 'a=no', displayText: 'いいえ' },
            ],
          },
        },
      ],
    });
    const carousel = page.getByRole('group', { name: /カルーセル/ });
    await carousel.waitFor(SIMULATOR_WAIT);
    expect(await carousel.locator('.flex-bubble').count()).toBe(2);
    expect(await carousel.locator('.flex-unknown').innerText()).toContain('sparkle');
    const link = carousel.getByRole('link', { name: 'ウェブで見る' }).first();
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toContain('noopener');
    expect(await page.locator('.template-card').innerText()).toContain('予約しますか？');

    await carousel.getByRole('button', { name: '送る' }).first().click();
    await userBubble('カードから送信').waitFor(SIMULATOR_WAIT);
    await page.locator('.template-card').getByRole('button', { name: 'いいえ' }).click();
    await userBubble('いいえ').waitFor(SIMULATOR_WAIT);
  });
});
