import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { messagingApi } from '@line/bot-sdk';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/build-core.js';
import { loadConfig } from '../../../src/adapters/config/env.js';
import { ConversationService } from '../../../src/app/conversation/service.js';
import { createLogger } from '../../../src/app/log.js';
import { RedisStateStore } from '../../../src/adapters/stores/redis-store.js';
import { createApp, type ConciergeApp } from '../../../src/adapters/http/app.js';
import { getCore } from '../../support/core.js';
import { connectTestRedis, deleteKeysWithPrefix, uniquePrefix } from '../../support/redis.js';
import { CHROMIUM, chromiumAvailable, launchChromium } from '../../support/chromium.js';

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
const WAIT = { timeout: 8000 };

describe.skipIf(!hasChromium)(title, () => {
  let core: Core;
  let app: ConciergeApp;
  let server: Server;
  let url: string;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  const redis = connectTestRedis();
  const prefix = uniquePrefix();

  beforeAll(async () => {
    [core, browser] = await Promise.all([getCore(), launchChromium()]);
    const store = new RedisStateStore({ redis, ttlSeconds: 600, prefix });
    app = createApp({
      handler: new ConversationService({ concierge: () => core.concierge, store }),
      store,
      config: loadConfig({}),
      logger: createLogger({ level: 'silent' }),
    });
    server = await new Promise<Server>((ok) => {
      const s = app.listen(0, '127.0.0.1', () => ok(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await browser?.close();
    if (server) {
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
    }
    await app?.drain();
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
  });

  /** A fresh browser context: empty localStorage, so a new LINE user ID. */
  async function openSimulator(width = 800, height = 1000): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height }, locale: 'ja-JP' });
    page = await context.newPage();
    problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    await page.goto(`${url}/simulator`);
    await page.locator('#connection[data-state="open"]').waitFor(WAIT);
    return page;
  }

  afterEach(async (ctx) => {
    if (SCREENSHOTS && page) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOTS, `${ctx.task.name.replace(/[^\w]+/g, '-').slice(0, 60)}.png`), fullPage: true });
    }
    await page?.context().close();
    expect(problems).toEqual([]);
  });

  const userBubble = (text: string) => page.locator('.row.user .bubble', { hasText: text });
  const botText = (text: string) => page.locator('.row.bot .bubble-text', { hasText: text });

  it('answers a typed question with a Flex card, and a tapped facet button with the cost card', async () => {
    await openSimulator();
    const entry = core.kb.entries.get('sick-child-care')!;
    await expect(page.getAttribute('#chat', 'aria-live')).resolves.toBe('polite');

    const box = page.getByRole('textbox', { name: 'メッセージ' });
    await box.fill('病児保育について教えて');
    // Enter that confirms an IME conversion must not send.
    await box.dispatchEvent('keydown', { key: 'Enter', isComposing: true, bubbles: true });
    expect(await box.inputValue()).toBe('病児保育について教えて');
    await box.press('Enter');
    expect(await box.inputValue()).toBe('');
    await userBubble('病児保育について教えて').waitFor(WAIT);

    const card = page.locator('.row.bot .flex-bubble').first();
    await card.waitFor(WAIT);
    const cardTitle = (await card.locator('.flex-header').innerText()).trim();
    expect(cardTitle).toBe(entry.title);
    expect(cardTitle).toMatch(/病児.*保育/);
    await page.getByRole('button', { name: '役に立った' }).waitFor(WAIT);

    await card.getByRole('button', { name: '料金', exact: true }).click();
    await userBubble('料金').waitFor(WAIT);
    const costCard = page.locator('.row.bot .flex-bubble').nth(1);
    await costCard.waitFor(WAIT);
    const shown = await costCard.innerText();
    expect(shown).toContain('料金');
    expect(shown).toContain(entry.facets.cost!.text.slice(0, 30));
    // Phone numbers are tel: links, as on a phone.
    expect(await costCard.locator('a[href^="tel:"]').count()).toBeGreaterThan(0);
  });

  it('shows quick-reply choices for a rich-menu topic, and a friendly reply to a sticker', async () => {
    await openSimulator(1024, 768);
    const menu = page.getByRole('navigation', { name: 'リッチメニュー' });
    expect(await menu.getByRole('button').count()).toBe(8); // the toggle, the guide banner and six entries

    await menu.getByRole('button', { name: '預けたい' }).click();
    await userBubble('預けたい').waitFor(WAIT);
    const choices = page.getByRole('group', { name: '返信の候補' });
    const sickCare = choices.getByRole('button', { name: core.kb.entries.get('sick-child-care')!.title });
    await sickCare.waitFor(WAIT);
    const labels = await choices.getByRole('button').allInnerTexts();
    const azuketai = [...core.kb.entries.values()].filter((e) => e.topic === 'azuketai').map((e) => e.title);
    expect(labels).toEqual(expect.arrayContaining(azuketai));

    // A postback chip shows its displayText as the person's message, and the chips go away.
    await sickCare.click();
    await userBubble(core.kb.entries.get('sick-child-care')!.title).waitFor(WAIT);
    await page.locator('.row.bot .flex-bubble').first().waitFor(WAIT);

    await page.getByRole('button', { name: 'スタンプ' }).click();
    await page.locator('.row.user img.bubble-sticker').waitFor(WAIT);
    await botText('スタンプありがとう').waitFor(WAIT);
    // The sticker reply offers the menu topics as chips again.
    await choices.getByRole('button', { name: 'お金・手当' }).waitFor(WAIT);
  });

  it('starts the guided consultation from the full-width banner at the top of the menu (phone size)', async () => {
    await openSimulator(390, 844);
    const menu = page.getByRole('navigation', { name: 'リッチメニュー' });
    const banner = menu.getByRole('button', { name: 'あなたに合うサービスをさがす' });
    await banner.waitFor(WAIT);
    const [bannerBox, itemsBox, tileBox] = await Promise.all([
      banner.boundingBox(),
      page.locator('#richmenu-items').boundingBox(),
      menu.getByRole('button', { name: '預けたい' }).boundingBox(),
    ]);
    expect(bannerBox!.width).toBeCloseTo(itemsBox!.width, 0);
    expect(bannerBox!.y).toBeLessThan(tileBox!.y);
    expect(await banner.innerText()).toContain('3つの質問でご案内します');

    await banner.click();
    await userBubble('自分に合うサービスを知りたい').waitFor(WAIT);
    await botText('どなたのことですか').waitFor(WAIT);
    await page.getByRole('group', { name: '返信の候補' }).getByRole('button', { name: '0〜2歳' }).waitFor(WAIT);
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
    await app.localLineApi!.pushMessage({
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
    await carousel.waitFor(WAIT);
    expect(await carousel.locator('.flex-bubble').count()).toBe(2);
    expect(await carousel.locator('.flex-unknown').innerText()).toContain('sparkle');
    const link = carousel.getByRole('link', { name: 'ウェブで見る' }).first();
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toContain('noopener');
    expect(await page.locator('.template-card').innerText()).toContain('予約しますか？');

    await carousel.getByRole('button', { name: '送る' }).first().click();
    await userBubble('カードから送信').waitFor(WAIT);
    await page.locator('.template-card').getByRole('button', { name: 'いいえ' }).click();
    await userBubble('いいえ').waitFor(WAIT);
  });
});
