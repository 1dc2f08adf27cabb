import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/build-core.js';
import { loadConfig } from '../../../src/adapters/config/env.js';
import { ConversationService } from '../../../src/app/conversation/service.js';
import { createLogger } from '../../../src/app/log.js';
import { RedisStateStore } from '../../../src/adapters/stores/redis-store.js';
import { createApp, type ConciergeApp } from '../../../src/adapters/http/app.js';
import { getCore } from '../../support/core.js';
import { copyLookupFor } from '../../../src/core/conversation/voice.js';
import { connectTestRedis, deleteKeysWithPrefix, uniquePrefix } from '../../support/redis.js';
import { CHROMIUM, chromiumAvailable, launchChromium } from '../../support/chromium.js';

/**
 * The simulator in English and in Vietnamese, in a real headless Chromium against the real app (local mode, real core,
 * real Redis): the page plays a LINE profile's language at 友だち追加, and the parent switches with 「Language / 言語」.
 * SIMULATOR_SCREENSHOTS=<dir> keeps a screenshot of each scenario.
 */

const title = chromiumAvailable
  ? 'the simulator in English and Vietnamese, in headless Chromium'
  : `the simulator in English and Vietnamese, in headless Chromium — SKIPPED: ${CHROMIUM} does not exist (apt-get install chromium)`;
if (!chromiumAvailable) console.warn(title);

const SCREENSHOTS = process.env.SIMULATOR_SCREENSHOTS;
const WAIT = { timeout: 8000 };

describe.skipIf(!chromiumAvailable)(title, () => {
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
      menuLanguages: () => ['ja-easy', 'en', 'vi', 'zh'].map((code) => ({ code, t: copyLookupFor(core.kb, code) })),
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

  async function openSimulator(width = 800, height = 1200): Promise<Page> {
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

  const botText = (text: string) => page.locator('.row.bot .bubble-text', { hasText: text });
  const chips = () => page.getByRole('group', { name: '返信の候補' });

  it('vi: a follow from a LINE profile in Vietnamese is greeted in Vietnamese, and a menu topic answers in Vietnamese', async () => {
    await openSimulator();
    await page.getByLabel('LINEの言語').selectOption('vi');
    await page.getByRole('button', { name: '＋ 友だち追加' }).click();
    await botText('Cảm ơn bạn đã kết bạn với chúng tôi.').waitFor(WAIT);
    await botText('Những gì tôi có thể làm').waitFor(WAIT);
    await chips().getByRole('button', { name: 'Language / 言語' }).waitFor(WAIT);
    // The rich menu LINE would show this parent: the Vietnamese one, linked by the webhook.
    const menu = page.getByRole('navigation', { name: 'リッチメニュー' });
    await menu.getByRole('button', { name: 'Tìm dịch vụ phù hợp' }).waitFor(WAIT);
    await menu.getByRole('button', { name: 'Muốn tư vấn' }).waitFor(WAIT);

    await chips().getByRole('button', { name: 'Gửi trẻ' }).click();
    await botText('Hãy chọn điều bạn muốn biết.').waitFor(WAIT);
    const viTitle = core.kb.languages.get('vi')!.entries.get('sick-child-care')!.title;
    await chips().getByRole('button', { name: viTitle }).click();
    const card = page.locator('.row.bot .flex-bubble').first();
    await card.waitFor(WAIT);
    expect((await card.locator('.flex-header').innerText()).trim()).toBe(viTitle);
    const shown = await card.innerText();
    expect(shown).toContain('Thông tin tính đến: ');
    expect(shown).toContain('Nguồn');
    await chips().getByRole('button', { name: 'Hữu ích', exact: true }).waitFor(WAIT);
  });

  it('en: switching to English from the language list keeps the topic, and an emergency in English gets the English card', async () => {
    await openSimulator();
    await page.getByRole('button', { name: '＋ 友だち追加' }).click();
    await botText('友だち追加ありがとうございます。').waitFor(WAIT);

    const box = page.getByRole('textbox', { name: 'メッセージ' });
    await box.fill('病児保育の料金は？');
    await box.press('Enter');
    await page.locator('.row.bot .flex-bubble').first().waitFor(WAIT);

    // 「Language / 言語」 typed (the answer's chips are about the answer): the list of languages, each in its own name.
    await box.fill('Language');
    await box.press('Enter');
    await chips().getByRole('button', { name: 'English', exact: true }).click();
    await botText('I will answer in English.').waitFor(WAIT);
    await page.getByRole('navigation', { name: 'リッチメニュー' }).getByRole('button', { name: 'Check-ups & vaccines' }).waitFor(WAIT);
    const card = page.locator('.row.bot .flex-bubble').nth(1);
    await card.waitFor(WAIT);
    expect((await card.locator('.flex-header').innerText()).trim()).toBe('Sick child care');
    const shown = await card.innerText();
    expect(shown).toContain('Cost');
    expect(shown).toContain('0865-67-0211');
    expect(await card.locator('a[href^="tel:"]').count()).toBeGreaterThan(0);

    await box.fill('my baby is not breathing');
    await box.press('Enter');
    const emergency = page.locator('.row.bot .flex-bubble').nth(2);
    await emergency.waitFor(WAIT);
    expect((await emergency.locator('.flex-header').innerText()).trim()).toBe('Call 119 now');
    expect(await emergency.innerText()).toContain('interpretation');
  });
});
