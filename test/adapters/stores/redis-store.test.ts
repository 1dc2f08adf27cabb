import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/app/log.js';
import { createStateStore, describeRedisUrl, storeReady } from '../../../src/adapters/stores/index.js';
import { RedisStateStore, redisEventKey, redisStateKey } from '../../../src/adapters/stores/redis-store.js';
import type { StateStore } from '../../../src/adapters/stores/state-store.js';
import { connectTestRedis, deleteKeysWithPrefix, elapseKeys, testRedisUrl, uniquePrefix } from '../../support/redis.js';
import { describeStateStoreContract, sampleState } from '../../app/conversation/state-store-contract.js';

function captureLogs() {
  const raw: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void raw.push(line) } });
  return { logger, raw, lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(25);
  }
}

/** A localhost port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describeStateStoreContract('RedisStateStore', async ({ ttlSeconds, eventTtlSeconds }) => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix();
  const store = new RedisStateStore({ redis, ttlSeconds, eventTtlSeconds, prefix });
  return {
    store,
    // Time passes for the store's keys by shortening their TTLs: Redis itself then expires them.
    elapse: (seconds) => elapseKeys(redis, prefix, seconds),
    dispose: async () => {
      if (redis.status === 'ready') await deleteKeysWithPrefix(redis, prefix);
      await store.close();
    },
  };
});

describe('RedisStateStore', () => {
  let admin: Redis;
  let prefix: string;
  const opened: StateStore[] = [];

  beforeAll(() => {
    admin = connectTestRedis();
  });
  afterAll(async () => {
    await admin.quit();
  });

  const open = (options: { ttlSeconds?: number; eventTtlSeconds?: number; logger?: ReturnType<typeof createLogger> } = {}) => {
    const store = new RedisStateStore({ redis: connectTestRedis(), ttlSeconds: 3600, prefix, ...options });
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    prefix = uniquePrefix();
  });
  afterEach(async () => {
    await deleteKeysWithPrefix(admin, prefix);
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  describe('keys', () => {
    it('puts the user id in a hash tag so one user’s keys share a Redis Cluster slot', () => {
      expect(redisStateKey('kc:', 'U4af4980629')).toBe('kc:{U4af4980629}:state');
      expect(redisEventKey('kc:', '01HXYZ')).toBe('kc:evt:01HXYZ');
    });

    it('stores a conversation as JSON under the hash-tagged key', async () => {
      const store = open();
      await store.set('U-alice', sampleState());
      const raw = await admin.get(`${prefix}{U-alice}:state`);
      expect(raw).not.toBeNull();
      expect(JSON.parse(raw ?? '')).toEqual(sampleState());
    });

    it('writes only under its prefix', async () => {
      const store = open();
      await store.set('U-alice', sampleState());
      await store.markEvent('evt-1');
      const [, keys] = await admin.scan('0', 'MATCH', `${prefix}*`, 'COUNT', 1000);
      expect(keys.sort()).toEqual([`${prefix}evt:evt-1`, `${prefix}{U-alice}:state`]);
    });
  });

  describe('retention', () => {
    it('sets the conversation TTL on the key at every write', async () => {
      const store = open({ ttlSeconds: 3600 });
      await store.set('U-alice', sampleState());
      const key = `${prefix}{U-alice}:state`;
      const ttl = await admin.ttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(3600);

      await admin.expire(key, 10);
      await store.set('U-alice', sampleState());
      expect(await admin.ttl(key)).toBeGreaterThan(10);
    });

    it('remembers event ids for 24 hours by default', async () => {
      const store = open();
      await store.markEvent('evt-1');
      const ttl = await admin.ttl(`${prefix}evt:evt-1`);
      expect(ttl).toBeGreaterThan(86_400 - 60);
      expect(ttl).toBeLessThanOrEqual(86_400);
    });

    it('does not extend an event id’s TTL when a duplicate arrives', async () => {
      const store = open({ eventTtlSeconds: 100 });
      await store.markEvent('evt-1');
      await admin.expire(`${prefix}evt:evt-1`, 5);
      expect(await store.markEvent('evt-1')).toBe(false);
      expect(await admin.ttl(`${prefix}evt:evt-1`)).toBeLessThanOrEqual(5);
    });

    it('lets Redis itself delete the key when the TTL runs out', async () => {
      const store = open({ ttlSeconds: 1 });
      await store.set('U-alice', sampleState());
      const ttl = await admin.pttl(`${prefix}{U-alice}:state`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(1000);
      // The key carries the TTL itself: aged past it, Redis removes the key and the store reads nothing.
      await elapseKeys(admin, prefix, 1);
      expect(await admin.exists(`${prefix}{U-alice}:state`)).toBe(0);
      expect(await store.get('U-alice')).toBeUndefined();
    });
  });

  describe('unreadable stored values', () => {
    const secret = '息子が昨夜から39度の熱';

    it('returns undefined for corrupt JSON and never logs the value', async () => {
      const logs = captureLogs();
      const store = open({ logger: logs.logger });
      await admin.set(`${prefix}{U-alice}:state`, `{"topic": ${secret}`, 'EX', 60);
      expect(await store.get('U-alice')).toBeUndefined();
      expect(logs.lines()).toContainEqual(expect.objectContaining({ store: 'redis', problem: 'invalid_json' }));
      expect(logs.raw.join('')).not.toContain(secret);
      expect(logs.raw.join('')).not.toContain('U-alice');
    });

    it('returns undefined for JSON that is not a conversation state and never logs the value', async () => {
      const logs = captureLogs();
      const store = open({ logger: logs.logger });
      await admin.set(`${prefix}{U-alice}:state`, JSON.stringify({ misses: -1, note: secret }), 'EX', 60);
      await admin.set(`${prefix}{U-bob}:state`, JSON.stringify({ topic: { intent: secret, facet: 'nonsense', at: 1 } }), 'EX', 60);
      await admin.set(`${prefix}{U-carol}:state`, JSON.stringify(secret), 'EX', 60);
      expect(await store.get('U-alice')).toBeUndefined();
      expect(await store.get('U-bob')).toBeUndefined();
      expect(await store.get('U-carol')).toBeUndefined();
      expect(logs.lines().filter((l) => l.problem === 'invalid_state')).toHaveLength(3);
      expect(logs.raw.join('')).not.toContain(secret);
    });

    it('fills in defaults for a state written without optional counters', async () => {
      const store = open();
      await admin.set(`${prefix}{U-alice}:state`, '{}', 'EX', 60);
      expect(await store.get('U-alice')).toEqual({ misses: 0, updatedAt: 0 });
    });

    it('recovers on the next write', async () => {
      const store = open();
      await admin.set(`${prefix}{U-alice}:state`, 'garbage', 'EX', 60);
      await store.set('U-alice', sampleState());
      expect(await store.get('U-alice')).toEqual(sampleState());
    });
  });

  describe('readiness and shutdown', () => {
    it('is ready when Redis answers PING', async () => {
      const store = open();
      expect(await store.ready()).toBe(true);
      expect(await storeReady(store)).toBe(true);
    });

    it('is not ready after close, and close can be called twice', async () => {
      const store = open();
      await store.set('U-alice', sampleState());
      await store.close();
      expect(await store.ready()).toBe(false);
      await expect(store.get('U-alice')).rejects.toThrow(/closed/);
      await expect(store.close()).resolves.toBeUndefined();
    });

    it('is not ready when Redis cannot be reached, and still closes promptly', async () => {
      const redis = new Redis({ host: '127.0.0.1', port: await closedPort(), maxRetriesPerRequest: 2, retryStrategy: () => 50 });
      redis.on('error', () => {});
      const unreachable = new RedisStateStore({ redis, ttlSeconds: 60, prefix, readyTimeoutMs: 500 });
      const started = Date.now();
      expect(await unreachable.ready()).toBe(false);
      expect(Date.now() - started).toBeLessThan(2000);
      const closing = Date.now();
      await unreachable.close();
      expect(Date.now() - closing).toBeLessThan(1000);
      expect(await unreachable.ready()).toBe(false);
    });
  });
});

describe('createStateStore with REDIS_URL', () => {
  const stores: StateStore[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  it('connects to Redis and logs where (host and port only) once connected', async () => {
    const logs = captureLogs();
    const store = createStateStore({ redisUrl: testRedisUrl(), ttlSeconds: 60, logger: logs.logger, prefix: uniquePrefix() });
    stores.push(store);
    expect(store.kind).toBe('redis');
    expect(store).toBeInstanceOf(RedisStateStore);
    await waitFor(() => logs.lines().some((l) => l.store === 'redis'));
    const { host, port } = describeRedisUrl(testRedisUrl());
    expect(logs.lines()).toContainEqual(expect.objectContaining({ level: 30, store: 'redis', host, port }));
    expect(await storeReady(store)).toBe(true);
  });

  it('never logs the password from REDIS_URL, even when authentication fails', async () => {
    const logs = captureLogs();
    const { host, port } = describeRedisUrl(testRedisUrl());
    const password = 'hunter2-do-not-log';
    const store = createStateStore({ redisUrl: `redis://kc-nobody:${password}@${host}:${port}/0`, ttlSeconds: 60, logger: logs.logger });
    stores.push(store);
    await waitFor(() => logs.lines().some((l) => l.level === 40));
    expect(await storeReady(store)).toBe(false);
    expect(logs.raw.join('')).not.toContain(password);
    expect(logs.raw.join('')).not.toContain('kc-nobody');
  });

  it('describes a URL without its credentials', () => {
    const described = describeRedisUrl('redis://app:s3cret@cache.internal:6380/2');
    expect(described).toEqual({ host: 'cache.internal', port: 6380, db: 2, tls: false });
    expect(JSON.stringify(described)).not.toContain('s3cret');
    expect(describeRedisUrl('rediss://cache.internal')).toEqual({ host: 'cache.internal', port: 6379, db: 0, tls: true });
  });

  it('rejects a malformed REDIS_URL without echoing it', () => {
    expect(() => describeRedisUrl('not a url :s3cret')).toThrow(/REDIS_URL is not a valid URL/);
    expect(() => describeRedisUrl('not a url :s3cret')).not.toThrow(/s3cret/);
    expect(() => describeRedisUrl('http://app:s3cret@cache:6379')).toThrow(/redis:\/\//);
  });
});
