import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceWatch } from '../../../src/app/sources/watch.js';
import { MemoryJobLock, MemoryWatchStore, needsLook } from '../../../src/app/sources/watch-store.js';

// A real HTTP server standing in for the city's pages: one that changes, ones that answer 304 (ETag and
// Last-Modified), one that redirects, one that fails with 500, one that resets the connection, and one too slow.
let server: http.Server;
let base = '';
let changing = 'version 1';
let tokensText = '病児保育の料金は1日2,000円';
const seen: { path: string; headers: http.IncomingHttpHeaders }[] = [];
let inFlight = 0;
let maxInFlight = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ path: req.url!, headers: req.headers });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    const later = (ms: number, fn: () => void) => setTimeout(fn, ms);
    switch (req.url) {
      case '/changing':
        return later(20, () => res.end(`<html>${changing}</html>`));
      case '/etag':
        if (req.headers['if-none-match'] === '"v1"') return later(20, () => res.writeHead(304).end());
        return later(20, () => res.writeHead(200, { etag: '"v1"' }).end('<html>etag page</html>'));
      case '/lastmod':
        if (req.headers['if-modified-since'] === 'Tue, 01 Dec 2026 00:00:00 GMT') return later(20, () => res.writeHead(304).end());
        return later(20, () => res.writeHead(200, { 'last-modified': 'Tue, 01 Dec 2026 00:00:00 GMT' }).end('<html>dated page</html>'));
      case '/moved':
        return later(20, () => res.writeHead(301, { location: '/kosodate/new-place.html' }).end());
      case '/fail':
        return later(20, () => res.writeHead(500).end('oops'));
      case '/reset':
        return req.socket.destroy();
      case '/tokens': {
        // A CMS page: a new nonce, CSRF token and layout on every load, the same words.
        const n = Math.random().toString(36).slice(2);
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(
          `<html><head><meta name="csrf-token" content="${n}"><script nonce="${n}">var t="${n}"</script></head><body>${' '.repeat(n.length % 3)}<form><input type="hidden" name="t" value="${n}"></form><!-- ${n} --><p>${tokensText}</p></body></html>`,
        );
      }
      case '/slow':
        return later(4000, () => res.end('<html>too late</html>'));
      default:
        return res.writeHead(404).end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
});

const PAGES = ['/changing', '/etag', '/lastmod', '/moved', '/fail', '/reset', '/slow'];

describe('the source watch, against a local HTTP server', () => {
  it('records unchanged (304 or same hash), changed, moved, failing and slow pages, politely and with validators', async () => {
    let clock = Date.parse('2026-12-07T00:00:00Z');
    const store = new MemoryWatchStore(30 * 86_400_000, () => clock);
    const watch = new SourceWatch({
      store,
      lock: new MemoryJobLock(),
      urls: () => PAGES.map((p) => base + p),
      // Well under /slow's 4 s and well over what a loaded machine takes to answer the others.
      timeoutMs: 2000,
      concurrency: 2,
      userAgent: 'test-watch/1.0',
      now: () => clock,
    });

    // First look: every readable page is recorded as it is (nothing to compare with yet).
    const first = await watch.runOnce();
    expect(first.ran).toBe(true);
    expect(first.counts).toEqual({ unchanged: 3, changed: 0, moved: 1, unreachable: 3 });
    let all = await store.all();
    expect(all.get(`${base}/moved`)).toMatchObject({ status: 'moved', httpStatus: 301, location: `${base}/kosodate/new-place.html` });
    expect(all.get(`${base}/fail`)).toMatchObject({ status: 'unreachable', httpStatus: 500, error: 'HTTP 500' });
    expect(all.get(`${base}/reset`)).toMatchObject({ status: 'unreachable' });
    expect(all.get(`${base}/reset`)!.error).toMatch(/ECONNRESET|socket|other side closed/i);
    expect(all.get(`${base}/slow`)).toMatchObject({ status: 'unreachable', error: 'timeout' });
    expect(all.get(`${base}/etag`)).toMatchObject({ status: 'unchanged', etag: '"v1"' });
    expect(maxInFlight).toBeLessThanOrEqual(2);
    expect(seen.every((s) => s.headers['user-agent'] === 'test-watch/1.0')).toBe(true);
    // The redirect was recorded, not followed.
    expect(seen.some((s) => s.path === '/kosodate/new-place.html')).toBe(false);

    // The page changes; the others answer 304 to the conditional requests.
    changing = 'version 2';
    clock += 86_400_000;
    seen.length = 0;
    const second = await watch.runOnce();
    expect(second.counts).toEqual({ unchanged: 2, changed: 1, moved: 1, unreachable: 3 });
    expect(seen.find((s) => s.path === '/etag')!.headers['if-none-match']).toBe('"v1"');
    expect(seen.find((s) => s.path === '/lastmod')!.headers['if-modified-since']).toBe('Tue, 01 Dec 2026 00:00:00 GMT');
    all = await store.all();
    expect(all.get(`${base}/etag`)).toMatchObject({ status: 'unchanged', httpStatus: 304 });
    expect(all.get(`${base}/lastmod`)).toMatchObject({ status: 'unchanged', httpStatus: 304 });
    const changedAt = clock;
    expect(all.get(`${base}/changing`)).toMatchObject({ status: 'changed', changedAt });

    // The next day the page is as it was yesterday (same hash): unchanged, but the change waits for a person.
    clock += 86_400_000;
    await watch.runOnce();
    all = await store.all();
    expect(all.get(`${base}/changing`)).toMatchObject({ status: 'unchanged', changedAt });
    expect(needsLook(all.get(`${base}/changing`)!)).toBe(true);
    expect(needsLook(all.get(`${base}/etag`)!)).toBe(false);

    // Someone compared it: confirmed, no longer listed, until it changes again.
    await store.confirm(`${base}/changing`, 'tanaka', clock);
    all = await store.all();
    expect(all.get(`${base}/changing`)).toMatchObject({ confirmedBy: 'tanaka', confirmedAt: clock });
    expect(needsLook(all.get(`${base}/changing`)!)).toBe(false);
  }, 20_000);

  it('runs at most once per interval, drops pages no longer cited, and forgets records past retention', async () => {
    let clock = Date.parse('2026-12-07T00:00:00Z');
    const store = new MemoryWatchStore(7 * 86_400_000, () => clock);
    let urls = [`${base}/etag`, `${base}/changing`];
    const watch = new SourceWatch({ store, lock: new MemoryJobLock(), urls: () => urls, timeoutMs: 2000, now: () => clock });
    expect((await watch.runOnce({ minGapMs: 86_400_000 })).ran).toBe(true);
    clock += 3_600_000;
    expect((await watch.runOnce({ minGapMs: 86_400_000 })).ran).toBe(false);
    clock += 86_400_000;
    urls = [`${base}/etag`];
    expect((await watch.runOnce({ minGapMs: 86_400_000 })).ran).toBe(true);
    expect([...(await store.all()).keys()]).toEqual([`${base}/etag`]);
    clock += 8 * 86_400_000;
    expect((await store.all()).size).toBe(0);
  });

  it('one run at a time: a second run while the first is going is skipped', async () => {
    const store = new MemoryWatchStore(86_400_000);
    const lock = new MemoryJobLock();
    const make = () => new SourceWatch({ store, lock, urls: () => [`${base}/slow`], timeoutMs: 400 });
    const [a, b] = await Promise.all([make().runOnce(), make().runOnce()]);
    expect([a.ran, b.ran].sort()).toEqual([false, true]);
  });

  it('compares what an HTML page says, not the nonces, tokens and layout that differ on every load', async () => {
    const store = new MemoryWatchStore(86_400_000);
    // A generous timeout: this test is about what counts as a change, not about slow pages (a loaded machine took > 1 s).
    const watch = new SourceWatch({ store, lock: new MemoryJobLock(), urls: () => [`${base}/tokens`], timeoutMs: 10_000 });
    await watch.runOnce();
    expect((await watch.runOnce()).counts.unchanged).toBe(1);
    expect((await watch.runOnce()).counts.unchanged).toBe(1);
    tokensText = '病児保育の料金は1日2,500円';
    expect((await watch.runOnce()).counts.changed).toBe(1);
  });

  it('started, it ticks and runs once per interval; stopped, it runs no more', async () => {
    const store = new MemoryWatchStore(86_400_000);
    let runs = 0;
    const watch = new SourceWatch({ store, lock: new MemoryJobLock(), urls: () => (runs++, [`${base}/etag`]), timeoutMs: 1000 });
    watch.start(60_000, { tickMs: 20, firstAfterMs: 10 });
    await expect.poll(() => store.lastRunAt(), { timeout: 3000 }).toBeDefined();
    await new Promise((r) => setTimeout(r, 200));
    expect(runs).toBe(1);
    await watch.stop();
    await store.setLastRunAt(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(runs).toBe(1);
  });
});
