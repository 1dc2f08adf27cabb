import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../support/app.js';
import { REPLY, startLineStub, type LineStub } from '../support/line-stub.js';
import { connectTestRedis, deleteKeysWithPrefix, uniquePrefix } from '../support/redis.js';
import { newUserId, postbackEvent, sendEvents, textEvent, type WebhookEvent } from '../support/webhook-client.js';

const SECRET = 'e2e-guide-secret';
const prefix = uniquePrefix();
const cleaner = connectTestRedis();
let stub: LineStub;
let app: RunningApp;
let url: string;

beforeAll(async () => {
  stub = await startLineStub();
  app = await startApp({ secret: SECRET, lineApiBaseUrl: stub.baseURL, redis: connectTestRedis(), prefix });
  url = app.url;
});
afterAll(async () => {
  await app.close();
  await stub.close();
  await deleteKeysWithPrefix(cleaner, prefix);
  cleaner.disconnect();
});

type Sent = {
  type: string;
  text?: string;
  altText?: string;
  contents?: { type: string; contents?: unknown[] };
  quickReply?: { items: { action: { label: string } }[] };
};

async function exchange(event: WebhookEvent): Promise<Sent[]> {
  const before = stub.callsTo(REPLY).length;
  expect((await sendEvents(url, [event], SECRET)).status).toBe(200);
  const calls = await stub.waitForCalls(before + 1, { path: REPLY });
  return (calls.at(-1)!.body as { messages: Sent[] }).messages;
}

describe('the guided consultation through signed webhooks, real Redis and the LINE API stub', () => {
  it('rich-menu start → three questions answered by buttons and text → a carousel of services with reasons', async () => {
    const userId = newUserId();
    const q1 = await exchange(postbackEvent('a=guide&s=start', { userId }));
    expect(q1.at(-1)!.text).toContain('どなたのことですか');
    expect(q1.at(-1)!.quickReply!.items.map((i) => i.action.label)).toContain('小学生');

    const q2 = await exchange(postbackEvent('a=guide&s=who&v=elem', { userId }));
    expect(q2.at(-1)!.text).toContain('どんなことでお困りですか');
    const q3 = await exchange(textEvent('仕事の間に預けたい', { userId }));
    // 「仕事」 answered the third question already: straight to the results.
    const carousel = q3.find((m) => m.type === 'flex' && m.contents?.type === 'carousel')!;
    expect(carousel).toBeDefined();
    expect(carousel.altText).toContain('放課後児童クラブ');
    expect(JSON.stringify(carousel.contents)).toContain('小学生で、保護者が就労中のため対象です');
    expect(stub.invalid).toEqual([]);

    // What the family said stays for the conversation: an answer about a service that does not fit says so.
    const answer = await exchange(textEvent('保育園の入園について教えて', { userId }));
    expect(JSON.stringify(answer)).toContain('小学生のお子さんは対象になりません');
  });
});
