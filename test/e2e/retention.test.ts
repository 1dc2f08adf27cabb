import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Assembled } from '../../src/assemble.js';
import { startApp, type RunningApp } from '../support/app.js';
import { REPLY, startLineStub, type LineStub } from '../support/line-stub.js';
import { connectTestRedis, deleteKeysWithPrefix, uniquePrefix } from '../support/redis.js';
import { newUserId, postbackEvent, sendEvents, textEvent, type WebhookEvent } from '../support/webhook-client.js';

// Everything a conversation leaves in Redis expires; a parent can have it all erased.
const SECRET = 'retention-secret';
const prefix = uniquePrefix();
const redis = connectTestRedis();
let stub: LineStub;
let app: RunningApp;
let service: Assembled;
let url: string;

const STATE_TTL = 1800;
const RETENTION_DAYS = 30;

beforeAll(async () => {
  stub = await startLineStub();
  app = await startApp({
    secret: SECRET,
    lineApiBaseUrl: stub.baseURL,
    redis: connectTestRedis(),
    prefix,
    env: { STATE_TTL_SECONDS: String(STATE_TTL), TRANSCRIPT_RETENTION_DAYS: String(RETENTION_DAYS) },
  });
  ({ service, url } = app);
});
afterAll(async () => {
  await app.close();
  await stub.close();
  await deleteKeysWithPrefix(redis, prefix);
  redis.disconnect();
});

async function say(event: WebhookEvent) {
  expect((await sendEvents(url, [event], SECRET)).status).toBe(200);
  await service.app.drain();
}

async function keysWithTtl(): Promise<[string, number][]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return Promise.all(keys.map(async (k) => [k, await redis.ttl(k)] as [string, number]));
}

describe('retention', () => {
  it('every key a conversation leaves — state, transcript, handoff, statistics, unanswered log — has a TTL', async () => {
    const userId = newUserId();
    await say(textEvent('2歳の子の病児保育について教えて', { userId }));
    await say(postbackEvent('a=fb&i=sick-child-care&v=down', { userId }));
    await say(textEvent('ほげほげふがふが', { userId }));
    await say(textEvent('担当者と話したい', { userId }));
    const open = await service.handoff.openFor(userId);
    await service.handoff.claim(open!.id, { id: 'sato', name: '佐藤' });
    await service.handoff.reply(open!.id, { id: 'sato', name: '佐藤' }, 'お返事します');
    await service.handoff.close(open!.id, { id: 'sato', name: '佐藤' });

    const keys = await keysWithTtl();
    expect(keys.length).toBeGreaterThanOrEqual(5);
    for (const [key, ttl] of keys) {
      expect(ttl, `${key} must expire`).toBeGreaterThan(0);
      // Conversation data within the configured retention; only the anonymous monthly counters live longer.
      if (!key.includes(':stats:')) expect(ttl, key).toBeLessThanOrEqual(RETENTION_DAYS * 86_400);
    }
  });

  it('a parent can ask for everything to be erased, and confirm it', async () => {
    const userId = newUserId();
    await say(textEvent('病児保育について教えて', { userId }));
    await say(textEvent('担当者と話したい', { userId }));
    expect(await redis.exists(`${prefix}{${userId}}:state`, `${prefix}{${userId}}:log`)).toBe(2);

    await say(textEvent('私のデータを消してください', { userId }));
    expect(JSON.stringify(stub.callsTo(REPLY).at(-1)!.body)).toContain('削除する');
    await say(postbackEvent('a=erase', { userId }));
    expect(JSON.stringify(stub.callsTo(REPLY).at(-1)!.body)).toContain('削除しました');
    expect(await redis.exists(`${prefix}{${userId}}:state`, `${prefix}{${userId}}:log`)).toBe(0);
    expect(await service.handoff.openFor(userId)).toBeUndefined();
    // Nothing named after the person is left either (queue, lock, the ids of their recent events).
    await service.app.drain();
    expect((await keysWithTtl()).map(([k]) => k).filter((k) => k.includes(userId))).toEqual([]);
  });
});
