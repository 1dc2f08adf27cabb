import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/adapters/config/env.js';
import { ConversationService } from '../../src/app/conversation/service.js';
import { createLogger } from '../../src/app/log.js';
import { RedisStateStore } from '../../src/adapters/stores/redis-store.js';
import { createApp } from '../../src/adapters/http/app.js';
import { getCore } from '../support/core.js';
import { REPLY, startLineStub, type LineStub } from '../support/line-stub.js';
import { connectTestRedis, deleteKeysWithPrefix, uniquePrefix } from '../support/redis.js';
import { newUserId, postbackEvent, sendEvents, textEvent } from '../support/webhook-client.js';

const SECRET = 'e2e-channel-secret';
const redis = connectTestRedis();
const prefix = uniquePrefix();
let stub: LineStub;
let server: Server;
let url: string;

beforeAll(async () => {
  const core = await getCore();
  stub = await startLineStub();
  const store = new RedisStateStore({ redis, ttlSeconds: 600, prefix });
  const config = loadConfig({ LINE_CHANNEL_SECRET: SECRET, LINE_CHANNEL_ACCESS_TOKEN: 'e2e-token', LINE_API_BASE_URL: stub.baseURL });
  const app = createApp({
    handler: new ConversationService({ concierge: () => core.concierge, store }),
    store,
    config,
    logger: createLogger({ level: 'silent' }),
  });
  server = await new Promise<Server>((ok) => {
    const s = app.listen(0, '127.0.0.1', () => ok(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((ok) => server.close(ok));
  await stub.close();
  await deleteKeysWithPrefix(redis, prefix);
  redis.disconnect();
});

/** Sends one signed event and returns the messages of the reply it caused. */
async function exchange(event: ReturnType<typeof textEvent>) {
  const before = stub.callsTo(REPLY).length;
  expect((await sendEvents(url, [event], SECRET)).status).toBe(200);
  const calls = await stub.waitForCalls(before + 1, { path: REPLY });
  return (calls.at(-1)!.body as { messages: { type: string; altText?: string; contents?: unknown }[] }).messages;
}

describe('a conversation through the signed webhook, the real core, real Redis and the LINE API stub', () => {
  it('answers a question with a card, keeps the topic in Redis for a follow-up, and answers a tapped facet', async () => {
    const userId = newUserId();
    const first = await exchange(textEvent('びょうじほいくって笠岡にある？', { userId }));
    expect(first[0]?.type).toBe('flex');
    expect(first[0]?.altText).toContain('病児');

    const followUp = await exchange(textEvent('料金は？', { userId }));
    expect(JSON.stringify(followUp)).toContain('料金');
    await expect.poll(() => redis.get(`${prefix}{${userId}}:state`)).toContain('"intent":"sick-child-care"');

    const tapped = await exchange(postbackEvent('a=facet&i=sick-child-care&f=contact', { userId }));
    expect(JSON.stringify(tapped)).toContain('tel:0865670211');
    expect(stub.invalid).toEqual([]);
  });

  it('puts emergency numbers first', async () => {
    const [card] = await exchange(textEvent('子どもが息してない！！', { userId: newUserId() }));
    expect(card?.altText).toContain('119');
  });
});
