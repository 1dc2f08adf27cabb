import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET, ensureStaff, startInstance, submitSignIn, type Instance } from '../../support/console.js';
import { PUSH, startLineStub, type LineStub } from '../../support/line-stub.js';
import { connectTestRedis, deleteKeysWithPrefix, uniquePrefix } from '../../support/redis.js';
import { newUserId, sendEvents, textEvent } from '../../support/webhook-client.js';
import { CHROMIUM, chromiumAvailable, launchChromium, submitAndArrive } from '../../support/chromium.js';

// The console as an inbox staff work in all day: actions answer in place, the keyboard does the common moves, the
// reply box stays in view. Real Chromium, a real instance on Redis. CONSOLE_SCREENSHOTS=<dir> keeps screenshots.
const available = chromiumAvailable;
if (!available) console.warn(`inbox browser test skipped: ${CHROMIUM} is missing (install chromium to run it)`);
const shots = process.env.CONSOLE_SCREENSHOTS;

const redis = connectTestRedis();
const prefix = uniquePrefix();
let stub: LineStub;
let app: Instance;
let browser: Browser;
/** How the LINE stand-in answers pushes: at once, late (a slow LINE), or with errors. */
let pushes: 'ok' | 'slow' | 'failing' = 'ok';

beforeAll(async () => {
  if (!available) return;
  stub = await startLineStub((call) => {
    if (call.path !== PUSH || pushes === 'ok') return undefined;
    return pushes === 'slow'
      ? { status: 200, body: { sentMessages: [{ id: '1', quoteToken: 'q' }] }, delayMs: 2000 }
      : { status: 500, body: { message: 'stub failure' } };
  });
  [app, browser] = await Promise.all([startInstance({ lineApiBaseUrl: stub.baseURL, redis: redis.duplicate(), prefix }), launchChromium()]);
  await ensureStaff(app.stores);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await stub?.close();
  await deleteKeysWithPrefix(redis, prefix);
  redis.disconnect();
});

async function parentSays(userId: string, ...texts: string[]) {
  expect(
    (
      await sendEvents(
        app.url,
        texts.map((t) => textEvent(t, { userId })),
        SECRET,
      )
    ).status,
  ).toBe(200);
  await app.parts.app.drain();
}

/** A parent who asked for a person, after `before` messages; returns the handoff id. */
async function handedOver(before: string[] = []): Promise<{ parent: string; id: string }> {
  const parent = newUserId();
  await parentSays(parent, ...before, '担当者と話したい');
  return { parent, id: (await app.parts.handoff.openFor(parent))!.id };
}

async function signedInPage(
  viewport = { width: 1280, height: 800 },
  javaScriptEnabled = true,
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ locale: 'ja-JP', viewport, javaScriptEnabled });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${app.url}/console/login`);
  await submitSignIn(page);
  await page.waitForURL(`${app.url}/console/`);
  return { context, page, problems };
}

async function shot(page: Page, name: string) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
}

/** Marks the document; a full page load would lose the mark. */
const markDocument = (page: Page) => page.evaluate(() => document.body.setAttribute('data-same-document', 'yes'));
const sameDocument = async (page: Page) => (await page.evaluate(() => document.body.getAttribute('data-same-document'))) === 'yes';
const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');
/** The time console.js measured from the submit to the updated page. */
const actionMs = async (page: Page) => Number(await page.evaluate(() => document.body.getAttribute('data-action-ms')));

/** Whether the element is wholly inside the viewport as it is now (no scrolling). */
async function inView(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth && r.height > 0;
  });
}

describe.skipIf(!available)('the console as an inbox in headless Chromium', () => {
  it('claims, replies, sends a card, leaves a note and closes without reloading the page, focus following the work', async () => {
    const { parent, id } = await handedOver(['保育園の申し込みはいつから？']);
    const { context, page, problems } = await signedInPage();
    await markDocument(page);
    const timings: Record<string, number> = {};

    // Claim from the queue: the conversation comes in place of the queue, the reply box has the focus.
    await page.locator(`.queue > li:has(a[href="/console/handoffs/${id}"]) button`, { hasText: '対応を始める' }).click();
    await page.getByText('対応を始めました。').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/console/handoffs/${id}`);
    expect(await focusedId(page)).toBe('reply-text');
    timings.claim = await actionMs(page);
    await shot(page, 'inbox-conversation-after-claim-desktop');

    // Reply: the transcript shows it, the box is empty again and keeps the focus.
    await page.keyboard.type('田中です。申し込みは来月1日からです。');
    await page.getByRole('button', { name: '送信する' }).click();
    await page.locator('#transcript .msg--staff', { hasText: '申し込みは来月1日からです' }).waitFor();
    timings.reply = await actionMs(page);
    expect(await page.getByLabel('保護者への返信').inputValue()).toBe('');
    expect(await focusedId(page)).toBe('reply-text');
    expect(
      JSON.stringify(
        stub
          .callsTo(PUSH)
          .filter((c) => (c.body as { to: string }).to === parent)
          .at(-1)!.body,
      ),
    ).toContain('来月1日からです');

    // A card, while a half-written note waits in its box.
    await page.getByLabel('内部メモ').fill('書きかけのメモ');
    await page.getByLabel('項目').selectOption({ label: '保育園・認定こども園の入園' });
    await page.getByLabel('内容').selectOption({ label: '申込方法' });
    await page.getByRole('button', { name: '回答カードを送る' }).click();
    await page.getByText('回答カードを保護者に送信しました。').waitFor();
    timings.card = await actionMs(page);
    expect(await page.locator('#transcript .msg--staff').last().innerText()).toContain('［保育園・認定こども園の入園・申込方法］');
    expect(await page.getByLabel('内部メモ').inputValue()).toBe('書きかけのメモ');

    // The note itself.
    await page.getByLabel('内部メモ').fill('来月また連絡が来るかもしれない');
    await page.getByRole('button', { name: 'メモを残す' }).click();
    await page.getByText('内部メモを残しました。').waitFor();
    timings.note = await actionMs(page);
    expect(await page.locator('.msg--note').last().innerText()).toContain('来月また連絡が来るかもしれない');
    expect(await page.getByLabel('内部メモ').inputValue()).toBe('');

    // An empty reply is refused by the server too (the browser's own check is bypassed): the error shows in place.
    await page.locator('#reply-text').evaluate((el) => el.removeAttribute('required'));
    await page.getByRole('button', { name: '送信する' }).click();
    await page.getByText('返信は1〜5000文字で入力してください。').waitFor();
    expect(await focusedId(page)).toBe('reply-text');
    expect(problems.splice(0)).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);

    // Close: back on the queue, in the same document, with the outcome.
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: '対応を終了して自動応答に戻す' }).click();
    await page.getByText('対応を終了しました。').waitFor();
    timings.close = await actionMs(page);
    expect(new URL(page.url()).pathname).toBe('/console/');
    expect(await page.locator(`.queue a[href="/console/handoffs/${id}"]`).count()).toBe(0);
    expect((await app.parts.handoff.get(id))?.status).toBe('closed');
    expect(await sameDocument(page)).toBe(true);
    await shot(page, 'inbox-queue-after-close-desktop');

    console.log(
      `[inbox] action → updated page in Chromium (ms): ${Object.entries(timings)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('does the common moves from the keyboard, with the keys listed behind ?', async () => {
    const first = await handedOver();
    const second = await handedOver();
    const { context, page, problems } = await signedInPage();
    const row = (id: string) => `.queue > li:has(a[href="/console/handoffs/${id}"])`;
    const order = await page.locator('.queue > li .item__link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    const a = order.indexOf(`/console/handoffs/${first.id}`);
    const b = order.indexOf(`/console/handoffs/${second.id}`);
    expect(b).toBe(a + 1);

    // The help: a button (shown only with the script) and the ? key.
    await page.getByRole('button', { name: /キー操作/ }).waitFor();
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'キー操作' });
    await help.waitFor();
    expect(await help.innerText()).toMatch(/Ctrl\s*\+\s*Enter[\s\S]*返信・メモを送る/);
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });

    // j / k move through the queue, Enter opens.
    for (let i = 0; i <= b; i++) await page.keyboard.press('j');
    expect(await page.locator(row(second.id)).getAttribute('class')).toContain('item--selected');
    await page.keyboard.press('k');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe(`/console/handoffs/${first.id}`);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${app.url}/console/handoffs/${first.id}`);

    // c claims, the focus lands in the reply box; Ctrl+Enter sends.
    await page.locator('#composer button').waitFor();
    await page.keyboard.press('c');
    await page.getByText('対応を始めました。').waitFor();
    expect(await focusedId(page)).toBe('reply-text');
    await page.keyboard.type('キーボードから送ります');
    await page.keyboard.press('Control+Enter');
    await page.locator('#transcript .msg--staff', { hasText: 'キーボードから送ります' }).waitFor();
    expect(await page.getByLabel('保護者への返信').inputValue()).toBe('');

    // Esc leaves the box; n goes to the note, r back to the reply; Esc twice goes back to the queue.
    await page.keyboard.press('Escape');
    expect(await focusedId(page)).not.toBe('reply-text');
    await page.keyboard.press('n');
    expect(await focusedId(page)).toBe('note-text');
    await page.keyboard.press('Escape');
    await page.keyboard.press('r');
    expect(await focusedId(page)).toBe('reply-text');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.waitForURL(`${app.url}/console/`);

    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('keeps the reply box in view beside a long transcript at 1280 × 800, on an 820 px tablet and a 390 × 844 phone', async () => {
    const long = Array.from({ length: 24 }, (_, i) => `質問その${i + 1}です。保育園のことで相談があります。`);
    const { id } = await handedOver(long);
    await app.parts.handoff.claim(id, { id: 'tanaka', name: '田中' });
    for (const [name, viewport] of [
      ['desktop', { width: 1280, height: 800 }],
      ['tablet', { width: 820, height: 1180 }],
      ['phone', { width: 390, height: 844 }],
    ] as const) {
      const { context, page, problems } = await signedInPage(viewport);
      await page.goto(`${app.url}/console/handoffs/${id}`);
      expect(await page.locator('.msg--parent').count()).toBeGreaterThanOrEqual(24);
      // Nothing wider than the screen, and the box to write in is on it without scrolling.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      expect(await inView(page, '#reply-text')).toBe(true);
      await shot(page, `inbox-conversation-${name}`);
      // The newest message is on screen above it, not hidden behind it.
      const newest = await page.locator('.msg').last().boundingBox();
      const box = await page.locator('#composer').boundingBox();
      expect(newest!.y + newest!.height).toBeLessThanOrEqual(box!.y + 1);
      // Still there after scrolling the page to its end (the phone's one column).
      await page.mouse.wheel(0, 5000);
      expect(await inView(page, '#reply-text')).toBe(true);
      await page.goto(`${app.url}/console/`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      await shot(page, `inbox-queue-${name}`);
      expect(problems).toEqual([]);
      await context.close();
    }
  }, 60_000);

  it('claims from the queue on a 390 × 844 phone: the conversation comes in place, the reply box in view', async () => {
    const long = Array.from({ length: 12 }, (_, i) => `スマホからの質問その${i + 1}です。`);
    const { id } = await handedOver(long);
    const { context, page, problems } = await signedInPage({ width: 390, height: 844 });
    await markDocument(page);
    await page.locator(`.queue > li:has(a[href="/console/handoffs/${id}"]) button`, { hasText: '対応を始める' }).click();
    await page.getByText('対応を始めました。').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/console/handoffs/${id}`);
    expect(await sameDocument(page)).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await inView(page, '#reply-text')).toBe(true);
    expect(await focusedId(page)).toBe('reply-text');
    await shot(page, 'inbox-conversation-after-claim-phone');
    // The browser's back button returns to the queue, loaded afresh (it shows who has the conversation now).
    await page.goBack();
    await page.waitForURL(`${app.url}/console/`);
    await page.locator(`.queue > li:has(a[href="/console/handoffs/${id}"])`, { hasText: '対応: 田中 さん' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('says why in place when an action is refused for a stale form token', async () => {
    const { id } = await handedOver();
    const { context, page, problems } = await signedInPage();
    await page.goto(`${app.url}/console/handoffs/${id}`);
    await markDocument(page);
    // As if the session's token had changed since the page was loaded (htmx sends the header, the form the field).
    await page.evaluate(() => {
      document.body.setAttribute('hx-headers', JSON.stringify({ 'X-CSRF-Token': 'stale' }));
      document.querySelectorAll<HTMLInputElement>('input[name=_csrf]').forEach((i) => (i.value = 'stale'));
    });
    await page.getByLabel('内部メモ').fill('届かないメモ');
    await page.getByRole('button', { name: 'メモを残す' }).click();
    await page.getByText('ページを開いてから時間がたったか、正しくない送信です。').waitFor();
    expect(await sameDocument(page)).toBe(true);
    expect(await page.title()).toMatch(/^送信できませんでした/);
    expect((await app.parts.transcript.list((await app.parts.handoff.get(id))!.userId)).some((e) => e.from === 'note')).toBe(false);
    expect(problems).toEqual(['Failed to load resource: the server responded with a status of 403 (Forbidden)']);
    await context.close();
  }, 60_000);

  it('shows on each row the last message (masked), unread marks per staff member, the count in the title, and alerts when asked', async () => {
    const { context, page, problems } = await signedInPage();
    // Notifications and sounds are recorded where the page makes them (the browser's own objects do the work).
    await context.grantPermissions(['notifications'], { origin: app.url });
    await context.addInitScript(() => {
      const w = window as unknown as { shown: { title: string; body?: string; tag?: string }[]; tones: number };
      w.shown = [];
      w.tones = 0;
      const RealNotification = window.Notification;
      class Recorded extends RealNotification {
        constructor(title: string, options?: NotificationOptions) {
          w.shown.push({ title, body: options?.body, tag: options?.tag });
          super(title, options);
        }
      }
      Object.defineProperty(window, 'Notification', { value: Recorded, configurable: true, writable: true });
      const RealAudio = window.AudioContext;
      class Counted extends RealAudio {
        override createOscillator() {
          w.tones++;
          return super.createOscillator();
        }
      }
      Object.defineProperty(window, 'AudioContext', { value: Counted, configurable: true, writable: true });
    });
    await page.reload();
    const shown = () => page.evaluate(() => (window as unknown as { shown: { title: string; body?: string; tag?: string }[] }).shown);
    const tones = () => page.evaluate(() => (window as unknown as { tones: number }).tones);

    // Nothing is asked for or shown until the staff member turns it on.
    const first = await handedOver(['保育園の見学をしたいです。電話は090-1234-5678です']);
    const row = (id: string) => page.locator(`.queue > li:has(a[href="/console/handoffs/${id}"])`);
    await row(first.id).waitFor();
    expect(await shown()).toEqual([]);
    const toggle = page.getByRole('button', { name: '通知をオンにする' });
    await toggle.click();
    await page.getByRole('button', { name: '通知: オン' }).waitFor();

    // The row: the parent's newest message, masked and on one line, how long ago, and unread for this staff member.
    expect(await row(first.id).locator('.item__text').innerText()).toBe('「担当者と話したい」');
    expect(await row(first.id).locator('.badge--unread').innerText()).toBe('未読');
    expect(await page.title()).toMatch(/^\(\d+\) 受付一覧/);

    // A new handoff, then an urgent one: a notification each (no message text), a tone, three for the urgent one.
    const before = await tones();
    const second = await handedOver();
    await expect.poll(async () => (await shown()).map((n) => n.tag)).toContain(`kc-${second.id}`);
    const urgentParent = newUserId();
    await parentSays(urgentParent, '子どもが息してない！！');
    const urgent = (await app.parts.handoff.openFor(urgentParent))!;
    await expect.poll(async () => (await shown()).find((n) => n.tag === `kc-${urgent.id}`)?.title).toBe('至急の相談が届きました');
    expect((await shown()).find((n) => n.tag === `kc-${second.id}`)?.title).toBe('新しい相談が届きました');
    expect(JSON.stringify(await shown())).not.toMatch(/息|担当者と話したい/);
    expect((await tones()) - before).toBeGreaterThanOrEqual(4);

    // A masked preview: what the parent wrote next, with the phone number hidden.
    await parentSays(first.parent, '折り返しは090-1234-5678にお願いします');
    await expect.poll(() => row(first.id).locator('.item__text').innerText()).toBe('「折り返しは［電話番号］にお願いします」');

    // Opened by this staff member: read for them, unread again when the parent writes, and still unread for another.
    await row(first.id).locator('.item__link').click();
    await page.waitForURL(`${app.url}/console/handoffs/${first.id}`);
    await page.goto(`${app.url}/console/`);
    expect(await row(first.id).locator('.badge--unread').count()).toBe(0);
    expect(await row(second.id).locator('.badge--unread').count()).toBe(1);
    await parentSays(first.parent, 'もう一つ質問があります');
    await row(first.id).locator('.badge--unread').waitFor();
    const other = { username: 'sato', name: '佐藤', password: 'kasaoka-test-pass-2' };
    await ensureStaff(app.stores, other);
    const sato = await browser.newContext({ locale: 'ja-JP' });
    const satoPage = await sato.newPage();
    await satoPage.goto(`${app.url}/console/login`);
    await submitSignIn(satoPage, other);
    await satoPage.waitForURL(`${app.url}/console/`);
    await page.goto(`${app.url}/console/handoffs/${first.id}`);
    await satoPage.reload();
    expect(await satoPage.locator(`.queue > li:has(a[href="/console/handoffs/${first.id}"]) .badge--unread`).count()).toBe(1);
    await sato.close();

    // Turned off, nothing more.
    await page.goto(`${app.url}/console/`);
    await page.getByRole('button', { name: '通知: オン' }).click();
    await page.getByRole('button', { name: '通知をオンにする' }).waitFor();
    const count = (await shown()).length;
    const third = await handedOver();
    await row(third.id).waitFor();
    expect((await shown()).length).toBe(count);
    await shot(page, 'inbox-queue-rows');
    expect(problems).toEqual([]);
    await context.close();
  }, 90_000);

  it('keeps canned replies staff write, and puts one, filled in, into the reply box next to the knowledge-base cards', async () => {
    const { context, page, problems } = await signedInPage();
    await page.getByRole('navigation').getByRole('link', { name: '定型文' }).click();
    await page.waitForURL(`${app.url}/console/templates`);

    // A typo in a placeholder is refused, with what was written kept.
    await page.locator('#new-title').fill('受付時間外のお返事');
    await page.locator('#new-text').fill('{担当者名}です。続きは{次の受付日}にお返事します。');
    await page.getByRole('button', { name: '追加する' }).click();
    await page.getByText('{次の受付日} は使えない差し込みです。').waitFor();
    expect(await page.locator('#new-text').inputValue()).toContain('{次の受付日}');
    await page.locator('#new-text').fill('{担当者名}です。続きは{次の受付時間}以降にお返事します。');
    await page.getByRole('button', { name: '追加する' }).click();
    await page.getByText('定型文を追加しました。').waitFor();
    const saved = (await app.stores.templates.list()).find((t) => t.title === '受付時間外のお返事')!;
    expect(saved.text).toBe('{担当者名}です。続きは{次の受付時間}以降にお返事します。');

    // In a conversation: chosen, inserted where the cursor is, edited and sent.
    const { parent, id } = await handedOver();
    await app.parts.handoff.claim(id, { id: 'tanaka', name: '田中' });
    await page.goto(`${app.url}/console/handoffs/${id}`);
    const side = page.locator('.convo__side');
    expect(await side.locator('form').evaluateAll((forms) => forms.map((f) => f.getAttribute('action')!.split('/').pop()))).toEqual([
      'template',
      'answer',
      'note',
      'close',
    ]);
    await page.getByLabel('保護者への返信').fill('ご連絡ありがとうございます。');
    await page.getByLabel('返信の入力欄に入れる文').selectOption({ label: '受付時間外のお返事' });
    await page.getByRole('button', { name: '返信欄に入れる' }).click();
    const value = await page.getByLabel('保護者への返信').inputValue();
    expect(value).toMatch(/^ご連絡ありがとうございます。田中です。続きは\d+月\d+日\([日月火水木金土]\) \d+:\d{2}以降にお返事します。$/);
    expect(await focusedId(page)).toBe('reply-text');
    await page.keyboard.press('Control+Enter');
    await page.locator('#transcript .msg--staff', { hasText: '以降にお返事します' }).waitFor();
    expect(
      JSON.stringify(
        stub
          .callsTo(PUSH)
          .filter((c) => (c.body as { to: string }).to === parent)
          .at(-1)!.body,
      ),
    ).toContain('田中です。続きは');

    // Changed on the templates page, then removed (after confirming).
    await page.goto(`${app.url}/console/templates`);
    await page.locator(`#t-${saved.id}-title`).fill('時間外のお返事');
    await page.getByRole('button', { name: '保存する' }).click();
    await page.getByText('定型文を保存しました。').waitFor();
    expect((await app.stores.templates.get(saved.id))?.title).toBe('時間外のお返事');
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: '削除する' }).click();
    await page.getByText('定型文を削除しました。').waitFor();
    expect(await app.stores.templates.get(saved.id)).toBeUndefined();
    expect(problems.filter((p) => !p.includes('status of 400'))).toEqual([]);
    await context.close();
  }, 60_000);

  it('sends replies in the background, in order, showing sending and failed with retry', async () => {
    const { parent, id } = await handedOver();
    await app.parts.handoff.claim(id, { id: 'tanaka', name: '田中' });
    const { context, page, problems } = await signedInPage();
    await page.goto(`${app.url}/console/handoffs/${id}`);
    const outbox = page.locator('#outbox > li');
    const pushedTexts = () =>
      stub
        .callsTo(PUSH)
        .filter((c) => (c.body as { to: string }).to === parent)
        .map((c) => JSON.stringify(c.body));

    // LINE is slow: the first reply waits as 送信中, and the box is free for the second at once.
    pushes = 'slow';
    await page.getByLabel('保護者への返信').fill('ひとつめの返信です');
    await page.keyboard.press('Control+Enter');
    await outbox.filter({ hasText: 'ひとつめの返信です' }).filter({ hasText: '送信中' }).waitFor();
    expect(await page.getByLabel('保護者への返信').inputValue()).toBe('');
    expect(await focusedId(page)).toBe('reply-text');
    await page.keyboard.type('ふたつめの返信です');
    await page.keyboard.press('Control+Enter');
    expect(await outbox.count()).toBe(2);
    expect(await outbox.nth(1).getAttribute('data-state')).toBe('sending');
    // Closing now would strand them: refused with the reason, the conversation stays with staff.
    await page.getByRole('button', { name: '対応を終了して自動応答に戻す' }).click();
    await page.getByText('送信中か、送信できなかった返信があります。').waitFor();
    expect((await app.parts.handoff.get(id))?.status).toBe('active');
    // Both reach the transcript as sent, in the order written, and the parent got them in that order.
    await page.locator('#transcript .msg--staff', { hasText: 'ふたつめの返信です' }).waitFor({ timeout: 15_000 });
    expect(await outbox.count()).toBe(0);
    const staffTexts = await page.locator('.msg--staff .msg__text').allInnerTexts();
    expect(staffTexts.slice(-2)).toEqual(['ひとつめの返信です', 'ふたつめの返信です']);
    expect(await page.locator('#transcript .msg--staff').last().innerText()).toContain('送信済み');
    const pushed = pushedTexts();
    expect(pushed.findIndex((b) => b.includes('ひとつめ'))).toBeLessThan(pushed.findIndex((b) => b.includes('ふたつめ')));

    // LINE fails: the reply stays with the reason and a retry; once LINE is back, the retry sends it.
    pushes = 'failing';
    await page.getByLabel('保護者への返信').fill('みっつめの返信です');
    await page.keyboard.press('Control+Enter');
    const failed = outbox.filter({ hasText: 'みっつめの返信です' });
    await failed.filter({ hasText: '送信できませんでした' }).waitFor();
    expect(await failed.getAttribute('data-state')).toBe('failed');
    pushes = 'ok';
    await failed.getByRole('button', { name: '再送する' }).click();
    await page.locator('#transcript .msg--staff', { hasText: 'みっつめの返信です' }).waitFor();
    expect(await outbox.count()).toBe(0);

    // Or it goes back into the box, after what is being written there.
    pushes = 'failing';
    await page.getByLabel('保護者への返信').fill('よっつめの返信です');
    await page.keyboard.press('Control+Enter');
    await outbox.filter({ hasText: '送信できませんでした' }).waitFor();
    await page.getByLabel('保護者への返信').fill('書きかけ');
    await outbox.getByRole('button', { name: '入力欄に戻す' }).click();
    expect(await page.getByLabel('保護者への返信').inputValue()).toBe('よっつめの返信です\n書きかけ');
    expect(await outbox.count()).toBe(0);
    pushes = 'ok';
    expect(problems.filter((p) => !p.includes('status of 502'))).toEqual([]);
    await context.close();
  }, 60_000);

  it('works without the script: every action is an ordinary form post and page', async () => {
    const { parent, id } = await handedOver();
    const { context, page } = await signedInPage({ width: 1024, height: 800 }, false);
    await page.goto(`${app.url}/console/handoffs/${id}`);
    expect(await page.getByRole('button', { name: /キー操作/ }).isVisible()).toBe(false);
    await page.getByRole('button', { name: 'この相談の対応を始める' }).click();
    await page.getByText('対応を始めました。').waitFor();
    expect(page.url()).toBe(`${app.url}/console/handoffs/${id}?m=claimed`);
    // A canned reply comes back in the reply box with the page (nothing is sent).
    await app.stores.templates.create({ title: 'あいさつ', text: '{担当者名}がお返事します。' }, 'tanaka', Date.now());
    await page.reload();
    await page.getByLabel('返信の入力欄に入れる文').selectOption({ label: 'あいさつ' });
    await page.getByRole('button', { name: '返信欄に入れる' }).click();
    await page.waitForURL(`${app.url}/console/handoffs/${id}/template`);
    expect(await page.getByLabel('保護者への返信').inputValue()).toBe('田中がお返事します。');
    await page.getByLabel('保護者への返信').fill('スクリプトなしで送ります');
    await page.getByRole('button', { name: '送信する' }).click();
    await page.getByText('保護者に送信しました。').waitFor();
    expect(
      JSON.stringify(
        stub
          .callsTo(PUSH)
          .filter((c) => (c.body as { to: string }).to === parent)
          .at(-1)!.body,
      ),
    ).toContain('スクリプトなしで送ります');
    await submitAndArrive(page, page.getByRole('button', { name: '対応を終了して自動応答に戻す' }), `${app.url}/console/?m=closed`);
    await context.close();
  });
});
