import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET, startStaffedInstance, submitSignIn, type Instance } from '../../support/console.js';
import { REPLY, type LineStub } from '../../support/line-stub.js';
import { newUserId, sendEvents, textEvent } from '../../support/webhook-client.js';
import { CHROMIUM, chromiumAvailable, launchChromium } from '../../support/chromium.js';

// A real headless Chromium on the console pages that keep answers true: the phone ledger, the sources watched, and
// the parents' 「この情報はまちがっている」 reports. Set CONSOLE_SCREENSHOTS=<dir> to keep screenshots.
const available = chromiumAvailable;
if (!available) console.warn(`browser test skipped: ${CHROMIUM} is missing (install chromium to run it)`);
const shots = process.env.CONSOLE_SCREENSHOTS;

let stub: LineStub;
let app: Instance;
let browser: Browser;
let context: BrowserContext;
const problems: string[] = [];

beforeAll(async () => {
  if (!available) return;
  let world: Awaited<ReturnType<typeof startStaffedInstance>>;
  [world, browser] = await Promise.all([startStaffedInstance(), launchChromium()]);
  ({ stub, app } = world);
  context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1024, height: 900 } });
  context.on('page', (p) => {
    p.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    p.on('pageerror', (e) => problems.push(e.message));
  });
  const page = await context.newPage();
  await page.goto(`${app.url}/console/login?next=/console/kb`);
  await submitSignIn(page);
  await page.waitForURL(`${app.url}/console/kb`);
  await page.close();
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await app?.close();
  await stub?.close();
});

async function shot(page: Page, name: string) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `trust-${name}.png`), fullPage: true });
}

// A number made up for the test (no real office has it).
const TEL = '0865-69-9998';

describe.skipIf(!available)('keeping answers true, in headless Chromium', () => {
  it('a new number written in an answer: refused, added to the ledger in a new tab with its source, then published', async () => {
    const page = await context.newPage();
    await page.goto(`${app.url}/console/kb/entries/support-hub`);
    const text = `子育てひろばの予約は ${TEL} へ（ブラウザテスト）。`;
    await page.getByLabel('場所・日時の回答').fill(text);
    await page.getByRole('button', { name: '確認とプレビュー' }).click();
    await page.waitForLoadState('load');
    await expect.poll(() => page.getByRole('alert').first().innerText()).toContain(`${TEL} は連絡先の台帳にない番号です`);

    // The link opens the ledger's form in a new tab with the number filled in; the draft in this tab stays.
    const [ledger] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: /この番号を連絡先の台帳に追加する/ }).click()]);
    await ledger.waitForLoadState('load');
    await expect.poll(() => ledger.getByLabel(/^電話番号/).inputValue()).toBe(TEL);
    await ledger.getByLabel(/^名前/).fill('ブラウザテスト用ひろば予約');
    await ledger.getByLabel(/^番号の時点/).fill('2026年12月時点');
    await ledger.getByLabel('出典のURL').fill('https://www.city.kasaoka.okayama.jp/browser-test');
    await ledger.getByLabel('何を変えたか').fill('ひろばの予約番号を追加');
    await shot(ledger, 'contact-1-new');
    await ledger.getByRole('button', { name: '公開する' }).click();
    await ledger.waitForURL(/\/console\/kb\/versions\/\d+/);
    await expect.poll(() => ledger.locator('main').innerText()).toContain('公開しました');
    await ledger.close();
    // Staff never named it: the new contact is numbered.
    await expect.poll(() => [...app.knowledge.live.core().kb.contacts.values()].find((c) => c.tel === TEL)?.id).toMatch(/^contact-\d+$/);

    // Back in the entry's tab: the same draft now checks, and the new contact can be ticked to show as a button.
    await expect.poll(() => page.getByLabel('場所・日時の回答').inputValue()).toBe(text);
    await page.getByRole('button', { name: '確認とプレビュー' }).click();
    await page.waitForLoadState('load');
    await expect.poll(() => page.getByRole('status').first().innerText()).toContain('問題は見つかりませんでした');
    await page
      .locator('#facet-where details.choices-wrap')
      .first()
      .evaluate((d) => ((d as HTMLDetailsElement).open = true));
    await page
      .locator('#facet-where')
      .getByLabel(/ブラウザテスト用ひろば予約/)
      .check();
    await page.getByLabel('何を変えたか').fill('ひろばの予約番号');
    await page.getByRole('button', { name: '公開する' }).click();
    await page.waitForURL(/\/console\/kb\/versions\/\d+\?m=published/);
    await shot(page, 'contact-2-published');

    const userId = newUserId();
    await sendEvents(app.url, [textEvent('子育てひろばってどこでやってる？', { userId })], SECRET);
    await app.parts.app.drain();
    const reply = JSON.stringify(stub.callsTo(REPLY).at(-1)?.body);
    expect(reply).toContain('番号の時点: 2026年12月時点');
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000); // two publishes, each building and checking a whole core
});
