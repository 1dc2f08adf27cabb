import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Assembled } from '../../src/assemble.js';
import { startApp, type RunningApp } from '../support/app.js';
import { PUSH, REPLY, startLineStub, type Call, type LineStub, type StubRoute } from '../support/line-stub.js';
import { connectTestRedis, deleteKeysWithPrefix, uniquePrefix } from '../support/redis.js';
import {
  callbackBody,
  followEvent,
  groupTextEvent,
  hex32,
  imageEvent,
  newEventId,
  newGroupId,
  newUserId,
  postWebhook,
  postbackEvent,
  sendEvents,
  standbyEvent,
  stickerEvent,
  textEvent,
  unfollowEvent,
  type WebhookEvent,
} from '../support/webhook-client.js';

// Every kind of webhook event through the whole product: signature check → Express → the real core → real Redis →
// the LINE API stub, which checks each message against LINE's OpenAPI spec.
const SECRET = 'e2e-events-secret';
const prefix = uniquePrefix();
const redis = connectTestRedis();
let stub: LineStub;
let script: StubRoute | undefined;
let app: RunningApp;
let service: Assembled;
let url: string;

beforeAll(async () => {
  stub = await startLineStub((call, all) => script?.(call, all));
  app = await startApp({ secret: SECRET, lineApiBaseUrl: stub.baseURL, redis: connectTestRedis(), prefix, webhook: { pushRetryDelaysMs: [20, 40] } });
  ({ service, url } = app);
});
afterEach(async () => {
  await service.app.drain();
  expect(stub.invalid).toEqual([]);
  script = undefined;
  stub.calls.length = 0;
});
afterAll(async () => {
  await app.close();
  await stub.close();
  await deleteKeysWithPrefix(redis, prefix);
  redis.disconnect();
});

const messagesOf = (c: Call) => (c.body as { messages: { type: string; text?: string; altText?: string }[] }).messages;
const textOf = (c: Call) => JSON.stringify(messagesOf(c));
const base = (type: string, source: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type,
  mode: 'active',
  timestamp: Date.now(),
  webhookEventId: newEventId(),
  deliveryContext: { isRedelivery: false },
  source,
  ...extra,
});

async function deliver(events: WebhookEvent[] | Record<string, unknown>[]) {
  const res = await sendEvents(url, events as WebhookEvent[], SECRET);
  expect(res.status).toBe(200);
  await service.app.drain();
}

describe('every event type, end to end', () => {
  it('text: an answer card by reply, and the topic kept in Redis', async () => {
    const userId = newUserId();
    await deliver([textEvent('一時預かりの料金は？', { userId })]);
    expect(stub.callsTo(REPLY)).toHaveLength(1);
    expect(messagesOf(stub.callsTo(REPLY)[0]!)[0]!.type).toBe('flex');
    expect(await redis.get(`${prefix}{${userId}}:state`)).toContain('temporary-care');
  });

  it('sticker, image, video, audio, file and location: a polite text with the menu', async () => {
    const user = () => ({ type: 'user', userId: newUserId() });
    const media = (type: string, extra: Record<string, unknown> = {}) =>
      base('message', user(), { replyToken: hex32(), message: { type, id: String(Date.now()), quoteToken: `q-${hex32()}`, ...extra } });
    await deliver([
      stickerEvent(),
      imageEvent(),
      media('video', { duration: 1000, contentProvider: { type: 'line' } }),
      media('audio', { duration: 1000, contentProvider: { type: 'line' } }),
      media('file', { fileName: 'a.pdf', fileSize: 10 }),
      media('location', { latitude: 34.5, longitude: 133.5, address: '笠岡市' }),
    ]);
    // Six different people: answered in parallel, so in any order.
    const texts = stub.callsTo(REPLY).map(textOf);
    expect(texts).toHaveLength(6);
    const count = (needle: string) => texts.filter((t) => t.includes(needle)).length;
    expect(count('スタンプありがとうございます')).toBe(1);
    expect(count('読み取れません')).toBe(4);
    expect(count('位置情報を受け取りました')).toBe(1);
  });

  it('follow: a greeting that says what the bot can do; unfollow: everything about the person deleted', async () => {
    const userId = newUserId();
    await deliver([followEvent({ userId })]);
    expect(textOf(stub.callsTo(REPLY)[0]!)).toContain('子育て');
    await deliver([textEvent('病児保育について', { userId })]);
    expect(await redis.exists(`${prefix}{${userId}}:state`)).toBe(1);
    await deliver([unfollowEvent({ userId })]);
    expect(await redis.exists(`${prefix}{${userId}}:state`, `${prefix}{${userId}}:log`)).toBe(0);
  });

  it('postback: a facet, feedback, and a handoff request', async () => {
    const userId = newUserId();
    await deliver([postbackEvent('a=facet&i=sick-child-care&f=contact', { userId })]);
    expect(textOf(stub.callsTo(REPLY)[0]!)).toContain('tel:');
    await deliver([postbackEvent('a=fb&i=sick-child-care&v=up', { userId })]);
    expect(textOf(stub.callsTo(REPLY)[1]!)).toContain('ありがとうございます');
    await deliver([postbackEvent('a=handoff', { userId })]);
    expect(textOf(stub.callsTo(REPLY)[2]!)).toContain('おつなぎします');
    expect(await service.handoff.openFor(userId)).toMatchObject({ status: 'waiting' });
  });

  it('unsend: the message leaves the transcript; nothing is sent', async () => {
    const userId = newUserId();
    const said = textEvent('担当者と話したい', { userId });
    await deliver([said]);
    const messageId = (said.message as { id: string }).id;
    const before = stub.calls.length;
    await deliver([base('unsend', { type: 'user', userId }, { unsend: { messageId } })]);
    expect(stub.calls.length).toBe(before);
    expect((await service.transcript.list(userId)).some((e) => e.messageId === messageId)).toBe(false);
  });

  it('groups: a greeting on join, answers only when addressed, silence for members coming and going', async () => {
    const groupId = newGroupId();
    await deliver([base('join', { type: 'group', groupId }, { replyToken: hex32() })]);
    expect(textOf(stub.callsTo(REPLY)[0]!)).toContain('「コンシェルジュ」');
    await deliver([
      groupTextEvent('今日は暑いね', { groupId }),
      base('memberJoined', { type: 'group', groupId }, { replyToken: hex32(), joined: { members: [{ type: 'user', userId: newUserId() }] } }),
      base('memberLeft', { type: 'group', groupId }, { left: { members: [{ type: 'user', userId: newUserId() }] } }),
      base('leave', { type: 'group', groupId }),
    ]);
    expect(stub.callsTo(REPLY)).toHaveLength(1);
    await deliver([groupTextEvent('病児保育の場所は？', { groupId, mentionBot: true })]);
    expect(stub.callsTo(REPLY)).toHaveLength(2);
    expect(textOf(stub.callsTo(REPLY)[1]!)).toContain('病児');
  });

  it('standby events and the console’s verify request (no events) are not answered', async () => {
    await deliver([standbyEvent('保育園')]);
    const verify = await postWebhook(url, JSON.stringify({ destination: 'U' + 'f'.repeat(32), events: [] }), { secret: SECRET });
    expect(verify.status).toBe(200);
    expect(stub.calls).toEqual([]);
  });

  it('a duplicate delivery (same webhookEventId, redelivered) is answered once', async () => {
    const event = textEvent('児童手当はいつ振り込まれる？');
    await deliver([event]);
    await deliver([{ ...event, deliveryContext: { isRedelivery: true } }]);
    expect(stub.callsTo(REPLY)).toHaveLength(1);
  });
});

describe('delivery failures, end to end', () => {
  const invalidToken: StubRoute = (c) => (c.path === REPLY ? { status: 400, body: { message: 'Invalid reply token' } } : undefined);

  it('an expired reply token falls back to a push with a retry key', async () => {
    script = invalidToken;
    const userId = newUserId();
    await deliver([textEvent('病児保育について', { userId })]);
    const [push] = stub.callsTo(PUSH);
    expect(push!.headers['x-line-retry-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect((push!.body as { to: string }).to).toBe(userId);
  });

  it('429 and 5xx on push are retried with the same key; 409 counts as sent', async () => {
    let n = 0;
    script = (c, all) => invalidToken(c, all) ?? (c.path === PUSH ? [{ status: 429 }, { status: 503 }, { status: 409 }][n++] : undefined);
    await deliver([textEvent('病児保育について')]);
    const pushes = stub.callsTo(PUSH);
    expect(pushes).toHaveLength(3);
    expect(new Set(pushes.map((p) => p.headers['x-line-retry-key'])).size).toBe(1);
  });
});

describe('bad requests, end to end', () => {
  it('bad or missing signature → 401 and nothing processed; malformed JSON → 400; oversized → 413', async () => {
    const body = callbackBody([textEvent('保育園')]);
    expect((await postWebhook(url, body, { secret: 'wrong-secret' })).status).toBe(401);
    expect((await postWebhook(url, body, { secret: SECRET, signature: null })).status).toBe(401);
    expect((await postWebhook(url, '{"events": [', { secret: SECRET })).status).toBe(400);
    expect((await postWebhook(url, `{"events":[],"pad":"${'x'.repeat(1024 * 1024)}"}`, { secret: SECRET })).status).toBe(413);
    await service.app.drain();
    expect(stub.calls).toEqual([]);
  });
});
