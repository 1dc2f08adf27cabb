import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceWatch } from '../../../src/app/sources/watch.js';
import { japanDate } from '../../../src/core/knowledge/freshness.js';
import { citedSources } from '../../../src/core/knowledge/source-urls.js';
import { STAFF, ConsoleClient, startStaffedInstance, type Instance } from '../../support/console.js';

// The freshness page with the source watch, end to end over HTTP: a local server plays the city's pages (each cited
// URL is fetched from it), the watch records a changed, a moved and a failing page, staff see them with what relies
// on each, and 「確認した」 publishes the new 確認日 through the publish pipeline.
let app: Instance;
let staff: ConsoleClient;
let close: () => Promise<void>;
let server: http.Server;
let local = '';
const pages = new Map<string, { status: number; body?: string; location?: string }>();

beforeAll(async () => {
  ({ app, close } = await startStaffedInstance());
  staff = new ConsoleClient(app.url);
  expect((await staff.signIn(STAFF.username, STAFF.password)).status).toBe(303);
  server = http.createServer((req, res) => {
    const page = pages.get(decodeURIComponent(req.url!.slice(1)));
    if (!page) return res.writeHead(404).end();
    res.writeHead(page.status, page.location ? { location: page.location } : {}).end(page.body ?? '');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  local = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
  await close();
});

const kb = () => app.knowledge.live.core().kb;

describe('sources watched, on the freshness page', () => {
  it('lists changed, moved and unreachable pages oldest 確認日 first, with what relies on each; 確認した publishes the date', async () => {
    const cited = citedSources(kb());
    // A page several answers rely on, one used by a contact, and one more: the three the server will upset.
    const changed = [...cited].sort((a, b) => b.uses.length - a.uses.length)[0]!;
    const moved = cited.find((s) => s.uses.some((u) => u.kind === 'contact') && s !== changed)!;
    const failing = cited.find((s) => s !== changed && s !== moved)!;
    for (const s of [changed, moved, failing]) pages.set(s.url, { status: 200, body: `<html>${s.title}</html>` });
    const watch = new SourceWatch({
      ...app.watch,
      urls: () => [changed.url, moved.url, failing.url],
      // Every cited URL is asked of the local server instead of the city's.
      fetch: (url, init) => fetch(local + encodeURIComponent(String(url)), init),
      timeoutMs: 2000,
    });
    expect((await watch.runOnce()).counts).toEqual({ unchanged: 3, changed: 0, moved: 0, unreachable: 0 });
    let page = await staff.get('/console/kb/freshness');
    expect(page.text).toContain('変わった・移動した・開けない出典はありません。');

    pages.set(changed.url, { status: 200, body: '<html>料金が変わりました</html>' });
    pages.set(moved.url, { status: 301, location: 'https://www.city.kasaoka.okayama.jp/moved-here.html' });
    pages.set(failing.url, { status: 500 });
    expect((await watch.runOnce()).counts).toEqual({ unchanged: 0, changed: 1, moved: 1, unreachable: 1 });

    page = await staff.get('/console/kb/freshness');
    expect(page.res.status).toBe(200);
    const section = page.text.slice(page.text.indexOf('出典のページの変化'), page.text.indexOf('出典と回答の期限'));
    expect(section).toContain('内容が変わりました');
    expect(section).toContain('移動しました');
    expect(section).toContain('https://www.city.kasaoka.okayama.jp/moved-here.html');
    expect(section).toMatch(/開けません<\/strong>（HTTP 500）/);
    for (const u of changed.uses) expect(section).toContain(`href="${u.href}"`);
    expect(section).toContain(moved.uses.find((u) => u.kind === 'contact')!.label);
    // Oldest 確認日 first.
    const order = [changed, moved, failing].sort((a, b) => a.checked.localeCompare(b.checked)).map((s) => section.indexOf(`value="${s.url}"`));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]!))).toBe(true);

    // Without the form token the confirmation is refused, like every console form.
    expect((await staff.post('/console/kb/freshness/sources', { _csrf: null, url: changed.url })).res.status).toBe(403);
    expect((await staff.post('/console/kb/freshness/sources', { url: 'https://example.com/not-cited' })).res.status).toBe(404);

    const before = await app.knowledge.store.current();
    const done = await staff.post('/console/kb/freshness/sources', { url: changed.url });
    expect(done.res.status).toBe(303);
    expect(done.res.headers.get('location')).toBe('/console/kb/freshness?m=confirmed');
    const today = japanDate(Date.now());
    // Published as a new version by the staff member: every source with that URL now says it was checked today.
    const after = await app.knowledge.store.current();
    expect(after).toBe((before ?? 0) + 1);
    expect((await app.knowledge.store.get(after!))!.author).toBe(STAFF.username);
    await expect.poll(() => citedSources(kb()).find((s) => s.url === changed.url)!.checked).toBe(today);
    for (const e of kb().entries.values()) for (const s of e.sources) if (s.url === changed.url) expect(s.checked).toBe(today);
    expect((await app.watch.store.all()).get(changed.url)).toMatchObject({ confirmedBy: STAFF.username });
    expect((await app.watch.store.all()).get(changed.url)!.changedAt).toBeUndefined();

    page = await staff.get('/console/kb/freshness?m=confirmed');
    expect(page.text).toContain('確認した日を記録し');
    const rest = page.text.slice(page.text.indexOf('出典のページの変化'), page.text.indexOf('出典と回答の期限'));
    expect(rest).not.toContain(`value="${changed.url}"`);
    expect(rest).toContain(`value="${moved.url}"`);
  }, 120_000); // the confirmation publishes a version (the whole check)
});
