import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET, startStaffedInstance, submitSignIn, type Instance } from '../../support/console.js';
import { PUSH, type LineStub } from '../../support/line-stub.js';
import { connectTestRedis, deleteKeysWithPrefix, uniquePrefix } from '../../support/redis.js';
import { newUserId, sendEvents, textEvent } from '../../support/webhook-client.js';
import { CHROMIUM, chromiumAvailable, launchChromium } from '../../support/chromium.js';

// A real headless Chromium against a real app instance. Set CONSOLE_SCREENSHOTS=<dir> to keep screenshots.
const available = chromiumAvailable;
if (!available) console.warn(`browser test skipped: ${CHROMIUM} is missing (install chromium to run it)`);
const shots = process.env.CONSOLE_SCREENSHOTS;

const redis = connectTestRedis();
const prefix = uniquePrefix();
let stub: LineStub;
let app: Instance;
let browser: Browser;

beforeAll(async () => {
  if (!available) return;
  let world: Awaited<ReturnType<typeof startStaffedInstance>>;
  [world, browser] = await Promise.all([startStaffedInstance({ redis: redis.duplicate(), prefix }), launchChromium()]);
  ({ stub, app } = world);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await stub?.close();
  await deleteKeysWithPrefix(redis, prefix);
  redis.disconnect();
});

async function parentSays(userId: string, text: string) {
  expect((await sendEvents(app.url, [textEvent(text, { userId })], SECRET)).status).toBe(200);
  await app.parts.app.drain();
}

async function shot(page: Page, name: string) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

describe.skipIf(!available)('the console in headless Chromium', () => {
  it('signs in, sees a waiting handoff, claims it, replies, gets live updates and closes it', async () => {
    const parent = newUserId();
    await parentSays(parent, '2歳の子がいます。保育園の申し込みは？');
    await parentSays(parent, '担当者と話したい');
    await parentSays(parent, '来月から仕事に戻るので相談したいです');
    const handoff = (await app.parts.handoff.openFor(parent))!;

    const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1024, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));

    // Not signed in: the console sends us to the sign-in form.
    await page.goto(`${app.url}/console/`);
    await expect.poll(() => page.url()).toBe(`${app.url}/console/login`);
    await shot(page, '1-login');
    await submitSignIn(page);
    await page.waitForURL(`${app.url}/console/`);

    // The queue: the waiting conversation with its waiting time and reason.
    const item = page.locator('.item', { has: page.locator(`a[href="/console/handoffs/${handoff.id}"]`) }).first();
    await expect.poll(() => item.innerText()).toMatch(/待機中[\s\S]*ご本人の希望：保育園・認定こども園の入園[\s\S]*(1分未満|\d+分)待ち/);

    // A new, urgent conversation arrives while the queue is open: it appears on top without a reload.
    await page.evaluate(() => document.body.setAttribute('data-not-reloaded', 'yes'));
    const urgentParent = newUserId();
    await parentSays(urgentParent, '子どもが息してない！！');
    const urgent = (await app.parts.handoff.openFor(urgentParent))!;
    await page.locator(`.item--urgent .item__link[href="/console/handoffs/${urgent.id}"]`, { hasText: '緊急：急病・けが' }).waitFor();
    expect(await page.locator('.queue > li').first().getAttribute('class')).toContain('item--urgent');
    expect(await page.evaluate(() => document.body.getAttribute('data-not-reloaded'))).toBe('yes');
    await expect.poll(() => page.title()).toMatch(/^\(2\) 受付一覧/);
    await shot(page, '2-queue');

    // Open the conversation: summary card first, then the transcript.
    await item.getByRole('link', { name: '開く' }).click();
    await page.waitForURL(`${app.url}/console/handoffs/${handoff.id}`);
    const summary = page.locator('#summary');
    expect(await summary.innerText()).toMatch(/引き継ぎの理由\s*ご本人の希望/);
    expect(await summary.innerText()).toMatch(/お子さんの年齢\s*2歳/);
    expect(await page.locator('.msg--parent').last().innerText()).toContain('来月から仕事に戻るので相談したいです');

    await page.getByRole('button', { name: 'この相談の対応を始める' }).click();
    await page.getByText('対応を始めました。').waitFor();
    expect(await summary.innerText()).toMatch(/対応中（田中 さん）/);

    // Reply: it reaches the parent as a LINE push and shows in the transcript.
    await page.getByLabel('保護者への返信').fill('田中です。入園の申し込みは、来月1日から受け付けます。');
    await page.getByRole('button', { name: '送信する' }).click();
    await page.getByText('保護者に送信しました。').waitFor();
    const mine = page.locator('.msg--staff').last();
    expect(await mine.innerText()).toContain('田中です。入園の申し込みは、来月1日から受け付けます。');
    expect(await mine.innerText()).toContain('担当者（田中）');
    const push = stub
      .callsTo(PUSH)
      .filter((c) => (c.body as { to: string }).to === parent)
      .at(-1)!;
    expect(JSON.stringify(push.body)).toContain('来月1日から受け付けます');

    // The parent answers: the transcript updates live while a half-written reply stays in the box.
    await page.getByLabel('保護者への返信').fill('書きかけの返信');
    await page.evaluate(() => document.body.setAttribute('data-not-reloaded', 'yes'));
    await parentSays(parent, 'ありがとうございます。必要な書類は何ですか？');
    await page.locator('.msg--parent', { hasText: '必要な書類は何ですか' }).waitFor();
    expect(await page.getByLabel('保護者への返信').inputValue()).toBe('書きかけの返信');
    expect(await page.evaluate(() => document.body.getAttribute('data-not-reloaded'))).toBe('yes');
    await shot(page, '3-conversation');

    // Close (after confirming): the parent is told the bot is back.
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: '対応を終了して自動応答に戻す' }).click();
    await page.waitForURL(/\/console\/(\?m=closed)?$/);
    await page.getByText('対応を終了しました。').waitFor();
    // The one-off message is not in the address any more, so a reload does not repeat it.
    expect(page.url()).toBe(`${app.url}/console/`);
    expect(await page.locator(`.queue a[href="/console/handoffs/${handoff.id}"]`).count()).toBe(0);
    expect((await app.parts.handoff.get(handoff.id))?.status).toBe('closed');
    if (shots) {
      await page.setViewportSize({ width: 768, height: 1024 }); // a tablet held upright
      await shot(page, '4-queue-tablet');
    }

    // The page's own script and styles run under the strict CSP, and nothing was refused or failed.
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(246, 247, 249)');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows a handoff that arrived after the queue was rendered but before its live updates were connected', async () => {
    const context = await browser.newContext({ locale: 'ja-JP' });
    const page = await context.newPage();
    await page.goto(`${app.url}/console/login`);
    await submitSignIn(page);
    await page.waitForURL(`${app.url}/console/`);
    await page.close();

    // The queue page is rendered, then its event stream is held back until a new conversation has been handed over.
    let arrived: { id: string } | undefined;
    const late = newUserId();
    await context.route('**/console/events', async (route) => {
      await parentSays(late, '担当者と話したい');
      arrived = await app.parts.handoff.openFor(late);
      await route.continue();
    });
    const queue = await context.newPage();
    await queue.goto(`${app.url}/console/`);
    await expect.poll(() => arrived?.id, { timeout: 10_000 }).toBeDefined();
    await queue.locator(`.queue a[href="/console/handoffs/${arrived!.id}"]`).first().waitFor({ timeout: 10_000 });
    await context.close();
  });
});
