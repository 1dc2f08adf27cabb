import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JA } from '../../src/core/conversation/copy/ja.js';
import { SECRET, STAFF, ensureStaff, startStaffedInstance, submitSignIn, type Instance } from '../support/console.js';
import { PUSH, type LineStub } from '../support/line-stub.js';
import { connectTestRedis, deleteKeysWithPrefix, uniquePrefix } from '../support/redis.js';
import { newUserId, sendEvents, textEvent } from '../support/webhook-client.js';
import { CHROMIUM, chromiumAvailable, launchChromium } from '../support/chromium.js';

// A day at the concierge's inbox: two staff members in Chromium, three parents on LINE (through the webhook), on
// Redis. Prints how long each console action took from the click to the updated page.
const available = chromiumAvailable;
if (!available) console.warn(`inbox day test skipped: ${CHROMIUM} is missing (install chromium to run it)`);

const redis = connectTestRedis();
const prefix = uniquePrefix();
const SATO = { username: 'sato', name: '佐藤', password: 'kasaoka-test-pass-2' };
let stub: LineStub;
let app: Instance;
let browser: Browser;

beforeAll(async () => {
  if (!available) return;
  let world: Awaited<ReturnType<typeof startStaffedInstance>>;
  [world, browser] = await Promise.all([startStaffedInstance({ redis: redis.duplicate(), prefix }), launchChromium()]);
  ({ stub, app } = world);
  await ensureStaff(app.stores, SATO);
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

async function staffPage(staff: typeof STAFF): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  await page.goto(`${app.url}/console/login`);
  await submitSignIn(page, staff);
  await page.waitForURL(`${app.url}/console/`);
  return { page, problems };
}

const row = (page: Page, id: string) => page.locator(`.queue > li:has(a[href="/console/handoffs/${id}"])`);
const pushedTo = (userId: string) =>
  stub
    .callsTo(PUSH)
    .filter((c) => (c.body as { to: string }).to === userId)
    .map((c) => JSON.stringify(c.body));

describe.skipIf(!available)('a day at the inbox', () => {
  it('two staff, three parents, an urgent handoff: live queue and conversation, template, card, note, close, in order for the parent', async () => {
    const timings: string[] = [];
    const timed = async (page: Page, name: string, act: () => Promise<void>) => {
      await page.evaluate(() => document.body.removeAttribute('data-action-ms'));
      await act();
      await expect.poll(() => page.evaluate(() => document.body.getAttribute('data-action-ms'))).not.toBeNull();
      timings.push(`${name} ${await page.evaluate(() => document.body.getAttribute('data-action-ms'))}`);
    };

    await app.stores.templates.create({ title: '受付時間外', text: '{担当者名}です。続きは{次の受付時間}以降にお返事します。' }, 'tanaka', Date.now());
    const tanaka = await staffPage(STAFF);
    const sato = await staffPage(SATO);

    // Three parents ask for a person; one of them is an emergency. Both queues show them live, the urgent one first.
    const a = newUserId();
    const b = newUserId();
    const c = newUserId();
    await parentSays(a, '保育園の入園について相談したいです。担当者と話したい');
    await parentSays(b, '担当者と話したい');
    await parentSays(c, '子どもが息してない！！');
    const open = async (u: string) => (await app.parts.handoff.openFor(u))!.id;
    const ha = await open(a);
    const hb = await open(b);
    const hc = await open(c);
    for (const { page } of [tanaka, sato]) {
      for (const id of [ha, hb, hc]) await row(page, id).waitFor();
      expect(await page.locator('.queue > li').first().getAttribute('class')).toContain('item--urgent');
      await expect.poll(() => page.title()).toMatch(/^\(3\) 受付一覧/);
    }

    // 佐藤 takes the urgent one from the queue; 田中's queue shows who has it.
    await timed(sato.page, 'claim (queue)', () => row(sato.page, hc).getByRole('button', { name: '対応を始める' }).click());
    await sato.page.waitForURL(`${app.url}/console/handoffs/${hc}`);
    await expect.poll(() => row(tanaka.page, hc).innerText()).toContain('対応: 佐藤 さん');

    // 田中 opens the first parent's conversation and works it.
    await row(tanaka.page, ha).locator('.item__link').click();
    await tanaka.page.waitForURL(`${app.url}/console/handoffs/${ha}`);
    const t = tanaka.page;
    await timed(t, 'claim', () => t.getByRole('button', { name: 'この相談の対応を始める' }).click());
    await t.getByLabel('返信の入力欄に入れる文').selectOption({ label: '受付時間外' });
    await t.getByRole('button', { name: '返信欄に入れる' }).click();
    await timed(t, 'reply (template)', () => t.keyboard.press('Control+Enter'));
    await t.locator('#transcript .msg--staff', { hasText: '田中です。続きは' }).waitFor();
    await t.getByLabel('項目').selectOption({ label: '保育園・認定こども園の入園' });
    await t.getByLabel('内容').selectOption({ label: '申込方法' });
    await timed(t, 'card', () => t.getByRole('button', { name: '回答カードを送る' }).click());
    await t.getByText('回答カードを保護者に送信しました。').waitFor();
    await t.getByLabel('内部メモ').fill('4月入園を希望。書類を郵送予定');
    await timed(t, 'note', () => t.getByRole('button', { name: 'メモを残す' }).click());
    await t.locator('#transcript .msg--note', { hasText: '4月入園を希望' }).waitFor();

    // The parent answers: it appears in 田中's conversation live; 田中 replies and closes.
    await parentSays(a, 'ありがとうございます。書類は郵送でいいですか？');
    await t.locator('#transcript .msg--parent', { hasText: '書類は郵送でいいですか' }).waitFor();
    await t.getByLabel('保護者への返信').fill('はい、郵送で大丈夫です。');
    await timed(t, 'reply', () => t.keyboard.press('Control+Enter'));
    await t.locator('#transcript .msg--staff', { hasText: '郵送で大丈夫です' }).waitFor();
    t.once('dialog', (d) => void d.accept());
    await timed(t, 'close', () => t.getByRole('button', { name: '対応を終了して自動応答に戻す' }).click());
    await t.getByText('対応を終了しました。').waitFor();
    expect(new URL(t.url()).pathname).toBe('/console/');

    // The second parent withdraws; it leaves both queues without a reload. 佐藤 answers the urgent one and closes it.
    await parentSays(b, 'キャンセル');
    await expect.poll(() => row(t, hb).count()).toBe(0);
    await sato.page.getByLabel('保護者への返信').fill('佐藤です。すぐに119番へ電話してください。');
    await timed(sato.page, 'reply (urgent)', () => sato.page.keyboard.press('Control+Enter'));
    await sato.page.locator('#transcript .msg--staff', { hasText: '119番' }).waitFor();
    sato.page.once('dialog', (d) => void d.accept());
    await timed(sato.page, 'close (urgent)', () => sato.page.getByRole('button', { name: '対応を終了して自動応答に戻す' }).click());
    for (const page of [t, sato.page]) await expect.poll(() => page.locator('.queue > li').count()).toBe(0);
    expect(await Promise.all([ha, hb, hc].map(async (id) => (await app.parts.handoff.get(id))?.closeReason))).toEqual(['staff', 'cancelled', 'staff']);

    // The first parent saw everything, in order: who took over, the template, the card, the answer, the goodbye.
    const seen = pushedTo(a);
    const at = (needle: string) => seen.findIndex((p) => p.includes(needle));
    const order = [JA.handoff.staffGreeting('田中'), '田中です。続きは', '申込方法', 'はい、郵送で大丈夫です。', JA.handoff.closed.staff].map(at);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    expect(pushedTo(c).some((p) => p.includes('119番へ電話してください'))).toBe(true);

    console.log(`[inbox day] action → updated page in Chromium (ms): ${timings.join(', ')}`);
    expect([...tanaka.problems, ...sato.problems]).toEqual([]);
  }, 120_000);
});
