import { once } from 'node:events';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisHandoffEvents } from '../../../src/adapters/stores/redis-handoff-store.js';
import type { HandoffEvent } from '../../../src/app/handoff/types.js';
import { createLogger } from '../../../src/app/log.js';
import { ChannelSubscription } from '../../../src/adapters/stores/channel-subscription.js';
import { createRedisClient } from '../../../src/adapters/stores/index.js';
import { connectTestRedis, testRedisUrl, uniquePrefix } from '../../support/redis.js';

const admin = connectTestRedis();
const silent = createLogger({ level: 'silent' });
afterAll(() => admin.disconnect());

/** The shared client exactly as the server makes it: once connected, its offline queue is off. */
async function productionClient(): Promise<Redis> {
  const redis = createRedisClient(testRedisUrl(), silent);
  await once(redis, 'ready');
  expect(redis.options.enableOfflineQueue).toBe(false);
  return redis;
}

/** Cuts the subscriber's connection the way a Redis restart or a network drop would, and only that one. */
async function killSubscriber(channel: string) {
  const list = (await admin.client('LIST')) as string;
  const ids = list
    .split('\n')
    .filter((line) => line.includes(` name=sub:${channel} `))
    .map((line) => /\bid=(\d+)/.exec(line)![1]!);
  expect(ids).toHaveLength(1);
  await admin.client('KILL', 'ID', ids[0]!);
}

const numsub = async (channel: string) => Number(((await admin.pubsub('NUMSUB', channel)) as [string, number])[1]);

function inbox() {
  const got: string[] = [];
  return {
    got,
    onMessage: (m: string) => void got.push(m),
    waitFor: (m: string) => expect.poll(() => got, { timeout: 5000 }).toContain(m),
  };
}

describe('ChannelSubscription', () => {
  it('subscribes from a production client whose offline queue is already off, and is ready only when live', async () => {
    const redis = await productionClient();
    const channel = `${uniquePrefix()}events`;
    const box = inbox();
    const sub = new ChannelSubscription({ redis, channel, what: 'test', onMessage: box.onMessage, logger: silent });
    try {
      await sub.ready();
      expect(sub.isLive).toBe(true);
      expect(await numsub(channel)).toBe(1);
      await redis.publish(channel, 'one');
      await box.waitFor('one');
    } finally {
      await sub.close();
      redis.disconnect();
    }
    expect(await numsub(channel)).toBe(0);
  });

  it('subscribes again after its connection is cut, tells the owner, and receives what is published after', async () => {
    const redis = await productionClient();
    const channel = `${uniquePrefix()}events`;
    const box = inbox();
    let resubscribed = 0;
    const sub = new ChannelSubscription({ redis, channel, what: 'test', onMessage: box.onMessage, onResubscribed: () => resubscribed++, logger: silent });
    try {
      await sub.ready();
      await killSubscriber(channel);
      await expect.poll(() => resubscribed, { timeout: 10_000 }).toBe(1);
      expect(sub.isLive).toBe(true);
      expect(await numsub(channel)).toBe(1);
      await redis.publish(channel, 'after');
      await box.waitFor('after');
    } finally {
      await sub.close();
      redis.disconnect();
    }
  });
});

describe('RedisHandoffEvents on the production client', () => {
  it('delivers events published on another instance to a listener that subscribed after start-up', async () => {
    const prefix = uniquePrefix();
    const [a, b] = [await productionClient(), await productionClient()];
    const onA = new RedisHandoffEvents({ redis: a, prefix, retentionSeconds: 60, logger: silent });
    const onB = new RedisHandoffEvents({ redis: b, prefix, retentionSeconds: 60, logger: silent });
    const seen: HandoffEvent[] = [];
    let resynced = 0;
    try {
      onB.subscribe((e) => seen.push(e));
      onB.onResubscribed(() => resynced++);
      await onB.ready();
      const event: HandoffEvent = { type: 'opened', handoffId: 'h1', at: 1 };
      await onA.publish(event);
      await expect.poll(() => seen).toEqual([event]);

      await killSubscriber(`${prefix}ho:events`);
      await expect.poll(() => resynced, { timeout: 10_000 }).toBe(1);
      await onA.publish({ ...event, type: 'message', at: 2 });
      await expect.poll(() => seen.map((e) => e.type)).toEqual(['opened', 'message']);
    } finally {
      await Promise.all([onA.close(), onB.close()]);
      a.disconnect();
      b.disconnect();
    }
  });
});
