import { rmSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../scripts/build.mjs';
import { consoleStores } from '../../src/adapters/console/setup.js';
import { handoffUserKey } from '../../src/adapters/stores/redis-handoff-store.js';
import { CHROMIUM, chromiumAvailable, launchChromium } from '../support/chromium.js';
import { STAFF, ensureStaff, submitSignIn } from '../support/console.js';
import { PUSH, REPLY, startLineStub, type LineStub } from '../support/line-stub.js';
import { findOnPath, startOwnRedis, startServerProcess, type OwnRedis, type ServerProcess } from '../support/processes.js';
import { newUserId, sendEvents, textEvent } from '../support/webhook-client.js';

// The staff console as it runs in production: the compiled server (`node <flags> dist/src/main.js`, as the Docker
// image starts it) with LINE credentials, two instances on one Redis (the default key prefix, so a Redis of the
// test's own), the parent's webhooks reaching A and the staff member's Chromium reaching B. Nothing here shares the
// test process's modules: what the page sees crossed Redis pub/sub between two processes.
const redisServer = findOnPath('redis-server');
const why = !chromiumAvailable ? `${CHROMIUM} is missing (install chromium)` : !redisServer ? 'redis-server is not on PATH' : undefined;
if (why) console.warn(`production console test skipped: ${why}`);

const SECRET = 'production-test-channel-secret';
const PREFIX = 'kc:'; // the server's default
let outdir: string | undefined;
let redis: OwnRedis;
let client: Redis;
let stub: LineStub;
let a: ServerProcess;
let b: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  if (why) return;
  [{ outdir }, redis, stub, browser] = await Promise.all([
    buildApp({ outdir: `dist/test-production-${process.pid}` }),
    startOwnRedis(redisServer!),
    startLineStub(),
    launchChromium(),
  ]);
  client = new Redis(redis.url, { maxRetriesPerRequest: 2 });
  const env = {
    REDIS_URL: redis.url,
    LINE_CHANNEL_SECRET: SECRET,
    LINE_CHANNEL_ACCESS_TOKEN: 'production-test-token',
    LINE_API_BASE_URL: stub.baseURL,
    KB_EVAL_FILE: '/nonexistent/dev.jsonl',
  };
  const entry = path.join(outdir, 'src/main.js');
  // One after the other: the first seeds the knowledge base, as a rolling deploy would.
  // Generous: on a busy machine the first start may train the models (once; the second loads them).
  a = await startServerProcess(entry, env, 90_000);
  b = await startServerProcess(entry, env, 90_000);
  await ensureStaff(consoleStores({ redis: client, config: { consoleSessionHours: 12 } }));
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([a?.stop(), b?.stop()]);
  client?.disconnect();
  await Promise.all([redis?.stop(), stub?.close()]);
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

/** A parent's message through A's webhook, signed as LINE signs it. */
async function parentSays(userId: string, text: string) {
  expect((await sendEvents(a.url, [textEvent(text, { userId })], SECRET)).status).toBe(200);
}

/** The handoff id of this parent's open conversation, once A has opened it. */
async function handoffOf(userId: string): Promise<string> {
  let id: string | null = null;
  await expect.poll(async () => (id = await client.get(handoffUserKey(PREFIX, userId))), { timeout: 10_000 }).toBeTruthy();
  return id!;
}

const notReloaded = (page: Page) => page.evaluate(() => document.body.getAttribute('data-not-reloaded'));
const markPage = (page: Page) => page.evaluate(() => document.body.setAttribute('data-not-reloaded', 'yes'));

describe.skipIf(why)('the console of two compiled production instances on one Redis', () => {
  it('shows a new handoff, an urgent one and a new parent message live, without a reload', async () => {
    const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${b.url}/console/login`);
    await submitSignIn(page, STAFF);
    await page.waitForURL(`${b.url}/console/`);

    // The page's event stream on B is subscribed in Redis before anything happens.
    await expect.poll(async () => Number(((await client.pubsub('NUMSUB', `${PREFIX}ho:events`)) as [string, number])[1])).toBeGreaterThanOrEqual(1);
    await markPage(page);

    // A parent asks for a person through A: the queue on B shows it.
    const parent = newUserId();
    await parentSays(parent, '担当者と話したい');
    const id = await handoffOf(parent);
    await page.locator(`.queue a[href="/console/handoffs/${id}"]`).first().waitFor({ timeout: 10_000 });

    // An emergency through A: it appears on top, marked urgent.
    const other = newUserId();
    await parentSays(other, '子どもが息してない！！');
    const urgent = await handoffOf(other);
    await page.locator(`.item--urgent a[href="/console/handoffs/${urgent}"]`).first().waitFor({ timeout: 10_000 });
    expect(await notReloaded(page)).toBe('yes');

    // The conversation page on B: the parent's next message through A appears in the transcript live.
    await page.goto(`${b.url}/console/handoffs/${id}`);
    await markPage(page);
    await parentSays(parent, '保育園の申し込みについて相談したいです');
    await page.locator('.msg--parent', { hasText: '保育園の申し込みについて相談したいです' }).waitFor({ timeout: 10_000 });
    expect(await notReloaded(page)).toBe('yes');

    // The bot told both parents something (no silence), and neither process logged a failed subscription.
    const toParents = stub.callsTo(REPLY).length + stub.callsTo(PUSH).length;
    expect(toParents).toBeGreaterThanOrEqual(2);
    for (const server of [a, b]) expect(server.logs.filter((l) => /subscription failed/.test(String(l.msg)))).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
