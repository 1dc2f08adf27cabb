import { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import { MemoryStateStore } from './memory-store.js';
import { RedisStateStore } from './redis-store.js';
import type { StateStore } from './state-store.js';

export type { StateStore } from './state-store.js';
export { MemoryStateStore } from './memory-store.js';
export { RedisStateStore, redisStateKey, redisEventKey } from './redis-store.js';

export interface CreateStateStoreOptions {
  /** redis:// or rediss:// URL; without it state is kept in memory. */
  redisUrl?: string;
  ttlSeconds: number;
  logger: Logger;
  /** Key prefix for Redis (default 'kc:'). */
  prefix?: string;
}

/**
 * Where a Redis URL points, safe to log: host, port and database only — never the username or password.
 * Throws (without echoing the URL) when it cannot be parsed.
 */
export function describeRedisUrl(redisUrl: string): { host: string; port: number; db: number; tls: boolean } {
  let url: URL;
  try {
    url = new URL(redisUrl);
  } catch {
    throw new Error('REDIS_URL is not a valid URL (expected redis://[user:password@]host:port/db)');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new Error(`REDIS_URL must start with redis:// or rediss:// (got ${url.protocol}//)`);
  }
  const db = Number.parseInt(url.pathname.replace(/^\//, '') || '0', 10);
  return { host: url.hostname, port: url.port ? Number(url.port) : 6379, db: Number.isNaN(db) ? 0 : db, tls: url.protocol === 'rediss:' };
}

/**
 * The conversation state store for this process: Redis when a URL is given, otherwise memory (with a log line
 * saying what that means). Returns at once; the Redis client connects in the background and queues commands
 * until it is connected.
 */
export function createStateStore({ redisUrl, ttlSeconds, logger, prefix }: CreateStateStoreOptions): StateStore {
  if (!redisUrl) {
    logger.info({ store: 'memory' }, 'REDIS_URL is not set: conversation state is kept in memory (lost on restart, not shared between instances)');
    return new MemoryStateStore({ ttlSeconds });
  }
  const redis = createRedisClient(redisUrl, logger);
  return new RedisStateStore({ redis, ttlSeconds, prefix, logger });
}

/**
 * One ioredis client for a Redis URL, logging connection changes once each (never the URL's password). It connects
 * in the background and queues commands until connected.
 */
export function createRedisClient(redisUrl: string, logger: Logger): Redis {
  const where = describeRedisUrl(redisUrl);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false, commandTimeout: 2000 });
  // Commands wait for the first connection at start-up; after that, while Redis is away they fail at once (or after
  // 2 s on a hung connection) so callers answer without context instead of queueing behind reconnects.
  redis.once('ready', () => {
    redis.options.enableOfflineQueue = false;
  });
  let lastError: string | undefined;
  let connectedBefore = false;
  redis.on('ready', () => {
    lastError = undefined;
    logger.info({ store: 'redis', host: where.host, port: where.port, db: where.db }, connectedBefore ? 'redis reconnected' : 'redis connected');
    connectedBefore = true;
  });
  // Without a listener ioredis prints every reconnect failure itself; log each distinct problem once instead.
  redis.on('error', (err: Error) => {
    if (err.message === lastError) return;
    lastError = err.message;
    logger.warn({ store: 'redis', host: where.host, port: where.port, err: err.message }, 'redis error');
  });
  return redis;
}

/** Readiness probe for any store (e.g. GET /readyz): Redis answers PING, memory is always ready. Never throws. */
export async function storeReady(store: StateStore): Promise<boolean> {
  try {
    return await store.ready();
  } catch {
    return false;
  }
}
