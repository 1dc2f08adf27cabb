import { afterAll, describe, expect, it } from 'vitest';
import { MemorySeenStore, RedisSeenStore, type SeenStore } from '../../../src/adapters/console/seen.js';
import { connectTestRedis, deleteKeysWithPrefix, elapseKeys, uniquePrefix } from '../../support/redis.js';

const redis = connectTestRedis();
const prefix = uniquePrefix();
afterAll(async () => {
  await deleteKeysWithPrefix(redis, prefix);
  redis.disconnect();
});

let clock = 1_700_000_000_000;
const kinds: [string, (ttlSeconds: number) => SeenStore, (ms: number) => Promise<void>][] = [
  ['memory', (ttlSeconds) => new MemorySeenStore({ ttlSeconds, now: () => clock }), async (ms) => void (clock += ms)],
  // Time passes in Redis by shortening the keys' TTLs; Redis expires them itself.
  ['redis', (ttlSeconds) => new RedisSeenStore({ redis, ttlSeconds, prefix }), (ms) => elapseKeys(redis, prefix, ms / 1000)],
];

describe.each(kinds)('%s store of when staff last saw a conversation', (_name, make, elapse) => {
  it('keeps the last mark per staff member and handoff, apart for each staff member', async () => {
    const seen = make(3600);
    await seen.mark('tanaka', 'h1', 100);
    await seen.mark('tanaka', 'h1', 250);
    await seen.mark('sato', 'h2', 300);
    expect(await seen.lastSeen('tanaka', ['h1', 'h2', 'h3'])).toEqual(new Map([['h1', 250]]));
    expect(await seen.lastSeen('sato', ['h1', 'h2'])).toEqual(new Map([['h2', 300]]));
    expect(await seen.lastSeen('sato', [])).toEqual(new Map());
  });

  it('forgets a mark after its time to live, so the store stays bounded', async () => {
    const seen = make(60);
    await seen.mark('suzuki', 'h9', 1);
    await elapse(61_000);
    expect(await seen.lastSeen('suzuki', ['h9'])).toEqual(new Map());
  });
});

describe('seen marks in Redis', () => {
  it('are one key per staff member and handoff under the staff member hash tag, each with its expiry', async () => {
    const own = uniquePrefix();
    const seen = new RedisSeenStore({ redis, ttlSeconds: 3600, prefix: own });
    await seen.mark('tanaka', 'h1', 5);
    const keys = await redis.keys(`${own}*`);
    expect(keys).toEqual([`${own}console:seen:{tanaka}:h1`]);
    expect(await redis.ttl(keys[0]!)).toBeGreaterThan(3500);
    await deleteKeysWithPrefix(redis, own);
  });
});
