import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET, startStaffedInstance, submitSignIn, type Instance } from '../../support/console.js';
import { REPLY, type LineStub } from '../../support/line-stub.js';
import { newUserId, sendEvents, textEvent } from '../../support/webhook-client.js';
import { CHROMIUM, chromiumAvailable, launchChromium } from '../../support/chromium.js';

// A real headless Chromium: a staff member edits an answer, previews it as the LINE card, publishes it, and the next
// parent asking gets the new text. Set CONSOLE_SCREENSHOTS=<dir> to keep screenshots.
const available = chromiumAvailable;
if (!available) console.warn(`browser test skipped: ${CHROMIUM} is missing (install chromium to run it)`);
const shots = process.env.CONSOLE_SCREENSHOTS;

let stub: LineStub;
let app: Instance;
let browser: Browser;

beforeAll(async () => {
  if (!available) return;
  let world: Awaited<ReturnType<typeof startStaffedInstance>>;
  [world, browser] = await Promise.all([startStaffedInstance(), launchChromium()]);
  ({ stub, app } = world);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await stub?.close();
});

async function shot(page: Page, name: string) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `kb-${name}.png`), fullPage: true });
}

const NEW_TEXT = '料金は1日2,000円です（ブラウザテスト）。減免については子育て支援課（TEL 0865-69-2132）にお問い合わせください。';

describe.skipIf(!available)('editing the knowledge base in headless Chromium', () => {
  it('edits an answer, previews the LINE card, publishes, and the bot answers with the new text', async () => {
    const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1024, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));

    await page.goto(`${app.url}/console/login?next=/console/kb`);
    await submitSignIn(page);
    await page.waitForURL(`${app.url}/console/kb`);

    await page.getByLabel('項目をさがす').fill('病児');
    await page.getByRole('button', { name: 'さがす' }).click();
    await page.getByRole('link', { name: '病児・病後児保育' }).click();
    await page.waitForURL(`${app.url}/console/kb/entries/sick-child-care`);

    await page.getByLabel('料金の回答').fill(NEW_TEXT);
    await page.getByRole('button', { name: '確認とプレビュー' }).click();
    await page.waitForLoadState('load');
    await expect.poll(() => page.getByRole('status').first().innerText()).toContain('問題は見つかりませんでした');
    // The preview is drawn by the simulator's Flex renderer, in the page, as the parent will see it.
    const card = page.locator('.preview__item', { hasText: '料金を聞かれたとき' }).locator('.flex-bubble');
    await expect.poll(() => card.innerText()).toContain('1日2,000円');
    await expect.poll(() => card.innerText()).toContain('病児・病後児保育');
    await shot(page, '1-preview');

    await page.getByLabel('何を変えたか').fill('料金の案内を更新');
    await page.getByRole('button', { name: '公開する' }).click();
    await page.waitForURL(`${app.url}/console/kb/versions/2`);
    await expect.poll(() => page.locator('main').innerText()).toContain('公開しました');
    await expect.poll(() => page.locator('.diff').innerText()).toContain('料金 › 本文');
    await shot(page, '2-published');
    await expect.poll(() => app.knowledge.live.version()).toBe(2);

    const userId = newUserId();
    expect((await sendEvents(app.url, [textEvent('病児保育 1日いくら？', { userId })], SECRET)).status).toBe(200);
    await app.parts.app.drain();
    const reply = stub.callsTo(REPLY).findLast((c) => JSON.stringify(c.body).includes('病児'));
    expect(JSON.stringify(reply?.body)).toContain('1日2,000円です（ブラウザテスト）');

    expect(problems).toEqual([]);
    await context.close();
  }, 60_000); // a preview and a publish each build and check a whole core (models, conflicts, the dev-set floor)
});
