import { mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET, startStaffedInstance, submitSignIn, type Instance } from '../../support/console.js';
import { REPLY, type LineStub } from '../../support/line-stub.js';
import { newUserId, postbackEvent, sendEvents, textEvent } from '../../support/webhook-client.js';
import { SourceWatch } from '../../../src/app/sources/watch.js';
import { citedSources } from '../../../src/core/knowledge/source-urls.js';
import { WRONG_INFO_LABEL } from '../../../src/adapters/line/render.js';
import { CHROMIUM, chromiumAvailable, launchChromium, submitAndArrive } from '../../support/chromium.js';

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
    await submitAndArrive(page, page.getByRole('button', { name: '公開する' }), /\/console\/kb\/versions\/\d+\?m=published/);
    await shot(page, 'contact-2-published');

    const userId = newUserId();
    await sendEvents(app.url, [textEvent('子育てひろばってどこでやってる？', { userId })], SECRET);
    await app.parts.app.drain();
    const reply = JSON.stringify(stub.callsTo(REPLY).at(-1)?.body);
    expect(reply).toContain('番号の時点: 2026年12月時点');
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000); // two publishes, each building and checking a whole core

  it('the freshness page shows a source page that changed, with what relies on it; 確認した records it and publishes the date', async () => {
    // A local server plays the city's page: the watch sees it once, then changed.
    let body = '<html>v1</html>';
    const server = http.createServer((_req, res) => res.end(body));
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const local = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const source = citedSources(app.knowledge.live.core().kb).find((s) => s.uses.filter((u) => u.kind === 'answer').length >= 2)!;
    const watch = new SourceWatch({ ...app.watch, urls: () => [source.url], fetch: (url, init) => fetch(local + encodeURIComponent(String(url)), init) });
    await watch.runOnce();
    body = '<html>v2: 料金が変わりました</html>';
    expect((await watch.runOnce()).counts.changed).toBe(1);
    server.closeAllConnections();
    server.close();

    const page = await context.newPage();
    await page.goto(`${app.url}/console/kb/freshness`);
    const item = page.locator('ol.watched > li').filter({ hasText: source.title });
    await expect.poll(() => item.count()).toBe(1);
    await expect.poll(() => item.innerText()).toContain('内容が変わりました');
    for (const u of source.uses) await expect.poll(() => item.getByRole('link', { name: u.label, exact: true }).count()).toBeGreaterThan(0);
    await shot(page, 'sources-1-changed');
    await submitAndArrive(page, item.getByRole('button', { name: '確認した（内容は今も正しい）' }), `${app.url}/console/kb/freshness?m=confirmed`);
    await expect.poll(() => page.locator('main').innerText()).toContain('確認した日を記録し');
    await expect.poll(() => page.locator('ol.watched > li').filter({ hasText: source.title }).count()).toBe(0);
    await shot(page, 'sources-2-confirmed');
    expect((await app.watch.store.all()).get(source.url)).toMatchObject({ confirmedBy: 'tanaka' });
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('a parent’s 「この情報はまちがっている」 is listed for staff, with the card and a link to the entry, and closes when handled', async () => {
    const userId = newUserId();
    await sendEvents(app.url, [textEvent('病児保育の料金はいくら？', { userId })], SECRET);
    await app.parts.app.drain();
    let data = '';
    JSON.stringify(stub.callsTo(REPLY).at(-1)?.body, (_k, v: { type?: string; label?: string; data?: string }) => {
      if (v?.type === 'postback' && v.label === WRONG_INFO_LABEL) data = v.data!;
      return v;
    });
    expect(data).toBe('a=wrong&i=sick-child-care&f=cost');
    await sendEvents(app.url, [postbackEvent(data, { userId })], SECRET);
    await app.parts.app.drain();
    await sendEvents(app.url, [textEvent('料金が去年から変わっているようです（ブラウザテスト）', { userId })], SECRET);
    await app.parts.app.drain();

    const page = await context.newPage();
    await page.goto(`${app.url}/console/kb`);
    await page.getByRole('link', { name: 'まちがいの報告' }).click();
    await page.waitForURL(`${app.url}/console/kb/reports`);
    const item = page.locator('ol.reports > li').filter({ hasText: 'ブラウザテスト' });
    await expect.poll(() => item.count()).toBe(1);
    await expect.poll(() => item.innerText()).toContain('病児・病後児保育（料金）');
    await expect.poll(() => item.innerText()).toContain(`版${app.knowledge.live.version()} の回答`);
    expect(await item.getByRole('link', { name: 'この項目を編集する' }).getAttribute('href')).toBe('/console/kb/entries/sick-child-care');
    await shot(page, 'reports-1-open');
    await submitAndArrive(page, item.getByRole('button', { name: '対応済みにする' }), `${app.url}/console/kb/reports?m=handled`);
    await expect.poll(() => page.locator('main').innerText()).toContain('対応済みにしました');
    await expect.poll(() => page.locator('ol.reports > li').filter({ hasText: 'ブラウザテスト' }).count()).toBe(0);
    await shot(page, 'reports-2-handled');
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
