import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_TEXT } from '../../../src/app/handoff/service.js';
import { ConsoleClient, SECRET, STAFF, ensureStaff, readEvents, startInstance, type Instance } from '../../support/console.js';
import { PUSH, REPLY, startLineStub, type Call, type LineStub } from '../../support/line-stub.js';
import { connectTestRedis, deleteKeysWithPrefix, uniquePrefix } from '../../support/redis.js';
import { newUserId, sendEvents, textEvent } from '../../support/webhook-client.js';

// Two app instances on one Redis (same prefix), as behind a load balancer: the parent's webhook reaches A, the staff
// member's browser reaches B.
const redis = connectTestRedis();
const prefix = uniquePrefix();
let stub: LineStub;
let a: Instance;
let b: Instance;

beforeAll(async () => {
  stub = await startLineStub();
  [a, b] = await Promise.all([
    startInstance({ lineApiBaseUrl: stub.baseURL, redis: redis.duplicate(), prefix }),
    startInstance({ lineApiBaseUrl: stub.baseURL, redis: redis.duplicate(), prefix }),
  ]);
  await ensureStaff(a.stores);
});
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
  await stub.close();
  await deleteKeysWithPrefix(redis, prefix);
  redis.disconnect();
});

/** One parent message through instance A's webhook; resolves when A has handled it. */
async function parentSays(userId: string, text: string) {
  expect((await sendEvents(a.url, [textEvent(text, { userId })], SECRET)).status).toBe(200);
  await a.parts.app.drain();
}

const texts = (c: Call) => (c.body as { messages: { type: string; text?: string; altText?: string }[] }).messages.map((m) => m.text ?? m.altText ?? '');
const pushesTo = (userId: string) => stub.callsTo(PUSH).filter((c) => (c.body as { to: string }).to === userId);

describe('two instances sharing one Redis', () => {
  it("delivers the 'opened' event to an event stream on B when the handoff is opened through A's webhook", async () => {
    const staff = new ConsoleClient(b.url);
    await staff.signIn(STAFF.username, STAFF.password);
    const res = await fetch(`${b.url}/console/events`, { headers: { cookie: staff.cookieHeader(), accept: 'text/event-stream' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const stream = readEvents(res);
    try {
      await stream.waitFor((e) => e.event === 'ready');
      expect(b.console.stream.size).toBe(1);
      const userId = newUserId();
      await parentSays(userId, '担当者と話したい');
      const handoff = await b.parts.handoff.openFor(userId);
      const opened = await stream.waitFor((e) => e.event === 'handoff' && JSON.parse(e.data).type === 'opened');
      expect(JSON.parse(opened.data)).toEqual({ type: 'opened', handoffId: handoff!.id, at: expect.any(Number) });
      // Ids only: nothing the parent wrote travels in the stream.
      expect(stream.events.map((e) => e.data).join()).not.toContain('担当者と話したい');
      // Heartbeats every 200 ms in tests (25 s in production): one arrives while the stream is idle.
      await expect.poll(() => stream.comments, { timeout: 3000, interval: 20 }).toBeGreaterThanOrEqual(1);
    } finally {
      await stream.cancel();
    }
    // The server notices the disconnect and unsubscribes.
    for (let i = 0; i < 100 && b.console.stream.size > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(b.console.stream.size).toBe(0);
  });

  it('ends an event stream when its session is signed out', async () => {
    const staff = new ConsoleClient(b.url);
    await staff.signIn(STAFF.username, STAFF.password);
    const stream = readEvents(await fetch(`${b.url}/console/events`, { headers: { cookie: staff.cookieHeader() } }));
    await stream.waitFor((e) => e.event === 'ready');
    // Signed out through the other instance.
    const onA = new ConsoleClient(a.url);
    onA.cookies.set('kc_console', staff.cookies.get('kc_console')!);
    await onA.get('/console/');
    expect((await onA.post('/console/logout')).res.status).toBe(303);
    await stream.ended;
  });

  it('a handoff opened through A is claimed, answered and closed through B; then the bot answers through A again', async () => {
    const userId = newUserId();
    await parentSays(userId, '2歳の子がいます。保育園の申し込みは？');
    await parentSays(userId, '担当者と話したい');
    await parentSays(userId, '来月から仕事に戻るので相談したいです');

    const staff = new ConsoleClient(b.url);
    await staff.signIn(STAFF.username, STAFF.password);
    const handoff = (await b.parts.handoff.openFor(userId))!;
    const queue = await staff.get('/console/');
    expect(queue.text).toContain(`href="/console/handoffs/${handoff.id}"`);
    expect(queue.text).toMatch(/(1分未満|\d+分)待ち/);
    expect(queue.text).toContain('ご本人の希望');

    const page = await staff.get(`/console/handoffs/${handoff.id}`);
    expect(page.text).toContain('来月から仕事に戻るので相談したいです');
    expect(page.text).toContain('この相談の対応を始める');
    // The summary card: the topic the bot was on (by its title) and what the parent said about the child.
    expect(page.text).toMatch(/<dt>ボットが考えた話題<\/dt><dd><ul class="plain"><li>保育園・認定こども園の入園<\/li><\/ul><\/dd>/);
    expect(page.text).toMatch(/<dt>お子さんの年齢<\/dt><dd>2歳<\/dd>/);

    const claimed = await staff.post(`/console/handoffs/${handoff.id}/claim`);
    expect(claimed.res.headers.get('location')).toBe(`/console/handoffs/${handoff.id}?m=claimed`);
    await stub.waitForCalls(1, { path: PUSH });
    expect(pushesTo(userId).map(texts)).toEqual([['子育てコンシェルジュの田中です。ここからは担当者がお返事します。']]);

    const replied = await staff.post(`/console/handoffs/${handoff.id}/reply`, { text: '田中です。\r\n入園の申し込みは来月からです。' });
    expect(replied.res.status).toBe(303);
    const reply = pushesTo(userId).at(-1)!;
    expect(texts(reply)).toEqual(['田中です。\n入園の申し込みは来月からです。']);
    expect(reply.headers['x-line-retry-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(reply.headers.authorization).toBe('Bearer console-test-token');
    // Pushes with different retry keys: a retry of one message can never be taken for another.
    expect(new Set(pushesTo(userId).map((c) => c.headers['x-line-retry-key'])).size).toBe(2);

    const transcript = await staff.get(`/console/handoffs/${handoff.id}`);
    expect(transcript.text).toMatch(/<li class="msg msg--staff">\s*<p class="msg__meta"><span class="msg__who">担当者（田中）<\/span>/);

    const closed = await staff.post(`/console/handoffs/${handoff.id}/close`);
    expect(closed.res.headers.get('location')).toBe('/console/?m=closed');
    expect(texts(pushesTo(userId).at(-1)!)).toEqual([CLOSE_TEXT.staff]);
    expect(await a.parts.handoff.get(handoff.id)).toMatchObject({ status: 'closed', closedBy: STAFF.username, closeReason: 'staff' });
    expect((await staff.get('/console/?m=closed')).text).toContain('対応を終了しました。');

    // The parent's next message, through A, is the bot's again.
    const before = stub.callsTo(REPLY).length;
    await parentSays(userId, '病児保育の料金は？');
    const [answer] = await stub.waitForCalls(before + 1, { path: REPLY }).then((calls) => calls.slice(-1));
    expect(texts(answer!).join()).toContain('病児');
    expect(await a.parts.handoff.openFor(userId)).toBeUndefined();
    expect(stub.invalid).toEqual([]);
  });

  it('lets only one of two staff members on different instances claim a conversation', async () => {
    const userId = newUserId();
    await parentSays(userId, '担当者と話したい');
    const handoff = (await a.parts.handoff.openFor(userId))!;
    const [onA, onB] = [new ConsoleClient(a.url), new ConsoleClient(b.url)];
    await Promise.all([onA.signIn(STAFF.username, STAFF.password), onB.signIn(STAFF.username, STAFF.password)]);
    const results = await Promise.all([onA.post(`/console/handoffs/${handoff.id}/claim`), onB.post(`/console/handoffs/${handoff.id}/claim`)]);
    expect(results.map((r) => r.res.headers.get('location')!.split('?m=')[1]).sort()).toEqual(['claimed', 'taken']);
  });
});
