import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { copyLookupFor } from '../../../src/core/conversation/voice.js';
import { CHROMIUM, chromiumAvailable } from '../../support/chromium.js';
import { SIMULATOR_WAIT, simulatorRig } from '../../support/simulator-rig.js';

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

describe.skipIf(!chromiumAvailable)(title, () => {
  const sim = simulatorRig({
    screenshots: SCREENSHOTS,
    app: (core) => ({ menuLanguages: () => ['ja-easy', 'en', 'vi', 'zh'].map((code) => ({ code, t: copyLookupFor(core.kb, code) })) }),
  });
  let page: Page;
  const openSimulator = async (width = 800, height = 1200) => (page = await sim.open(width, height));

  const botText = (text: string) => page.locator('.row.bot .bubble-text', { hasText: text });
  const chips = () => page.getByRole('group', { name: '返信の候補' });

  it('vi: a follow from a LINE profile in Vietnamese is greeted in Vietnamese, and a menu topic answers in Vietnamese', async () => {
    await openSimulator();
    await page.getByLabel('LINEの言語').selectOption('vi');
    await page.getByRole('button', { name: '＋ 友だち追加' }).click();
    await botText('Cảm ơn bạn đã kết bạn với chúng tôi.').waitFor(SIMULATOR_WAIT);
    await botText('Những gì tôi có thể làm').waitFor(SIMULATOR_WAIT);
    await chips().getByRole('button', { name: 'Language / 言語' }).waitFor(SIMULATOR_WAIT);
    // The rich menu LINE would show this parent: the Vietnamese one, linked by the webhook.
    const menu = page.getByRole('navigation', { name: 'リッチメニュー' });
    await menu.getByRole('button', { name: 'Tìm dịch vụ phù hợp' }).waitFor(SIMULATOR_WAIT);
    await menu.getByRole('button', { name: 'Muốn tư vấn' }).waitFor(SIMULATOR_WAIT);

    await chips().getByRole('button', { name: 'Gửi trẻ' }).click();
    await botText('Hãy chọn điều bạn muốn biết.').waitFor(SIMULATOR_WAIT);
    const viTitle = sim.core.kb.languages.get('vi')!.entries.get('sick-child-care')!.title;
    await chips().getByRole('button', { name: viTitle }).click();
    const card = page.locator('.row.bot .flex-bubble').first();
    await card.waitFor(SIMULATOR_WAIT);
    expect((await card.locator('.flex-header').innerText()).trim()).toBe(viTitle);
    const shown = await card.innerText();
    expect(shown).toContain('Thông tin tính đến: ');
    expect(shown).toContain('Nguồn');
    await chips().getByRole('button', { name: 'Hữu ích', exact: true }).waitFor(SIMULATOR_WAIT);
  });

  it('en: switching to English from the language list keeps the topic, and an emergency in English gets the English card', async () => {
    await openSimulator();
    await page.getByRole('button', { name: '＋ 友だち追加' }).click();
    await botText('友だち追加ありがとうございます。').waitFor(SIMULATOR_WAIT);

    const box = page.getByRole('textbox', { name: 'メッセージ' });
    await box.fill('病児保育の料金は？');
    await box.press('Enter');
    await page.locator('.row.bot .flex-bubble').first().waitFor(SIMULATOR_WAIT);

    // 「Language / 言語」 typed (the answer's chips are about the answer): the list of languages, each in its own name.
    await box.fill('Language');
    await box.press('Enter');
    await chips().getByRole('button', { name: 'English', exact: true }).click();
    await botText('I will answer in English.').waitFor(SIMULATOR_WAIT);
    await page.getByRole('navigation', { name: 'リッチメニュー' }).getByRole('button', { name: 'Check-ups & vaccines' }).waitFor(SIMULATOR_WAIT);
    const card = page.locator('.row.bot .flex-bubble').nth(1);
    await card.waitFor(SIMULATOR_WAIT);
    expect((await card.locator('.flex-header').innerText()).trim()).toBe('Sick child care');
    const shown = await card.innerText();
    expect(shown).toContain('Cost');
    expect(shown).toContain('0865-67-0211');
    expect(await card.locator('a[href^="tel:"]').count()).toBeGreaterThan(0);

    await box.fill('my baby is not breathing');
    await box.press('Enter');
    const emergency = page.locator('.row.bot .flex-bubble').nth(2);
    await emergency.waitFor(SIMULATOR_WAIT);
    expect((await emergency.locator('.flex-header').innerText()).trim()).toBe('Call 119 now');
    expect(await emergency.innerText()).toContain('interpretation');
  });
});
