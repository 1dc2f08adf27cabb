import { Cluster, Redis } from 'ioredis';
import type { Config, RedisClusterNode } from '../config/env.js';
import type { Logger } from '../../app/log.js';
import type { RedisClient } from './redis-client.js';
import { MemoryStateStore } from '../../app/conversation/memory-state-store.js';
import { RedisStateStore } from './redis-store.js';
import type { StateStore } from './state-store.js';

export type { StateStore } from './state-store.js';
export type { RedisClient } from './redis-client.js';
export { MemoryStateStore } from '../../app/conversation/memory-state-store.js';
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
  // Auto-pipelining sends the commands issued in one event-loop turn as one write: under load, one system call and
  // one Redis read for many conversations' commands instead of one each (the webhook's largest CPU cost before).
  const redis = new Redis(redisUrl, {
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    lazyConnect: false,
    commandTimeout: 2000,
    enableAutoPipelining: true,
  });
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

/**
 * One ioredis Cluster client for these seed nodes (it discovers the others), logging connection changes once each.
 * Like createRedisClient it connects in the background and queues commands until the cluster is ready.
 */
export function createClusterClient(nodes: readonly RedisClusterNode[], logger: Logger): Cluster {
  const where = nodes.map((n) => (n.host.includes(':') ? `[${n.host}]:${n.port}` : `${n.host}:${n.port}`)).join(',');
  const cluster = new Cluster(
    nodes.map((n) => ({ host: n.host, port: n.port })),
    { enableOfflineQueue: true, lazyConnect: false, enableAutoPipelining: true, redisOptions: { maxRetriesPerRequest: 2 } },
  );
  let lastError: string | undefined;
  let connectedBefore = false;
  cluster.on('ready', () => {
    lastError = undefined;
    logger.info({ store: 'redis-cluster', nodes: where }, connectedBefore ? 'redis cluster reconnected' : 'redis cluster connected');
    connectedBefore = true;
  });
  cluster.on('error', (err: Error) => {
    if (err.message === lastError) return;
    lastError = err.message;
    logger.warn({ store: 'redis-cluster', nodes: where, err: err.message }, 'redis cluster error');
  });
  return cluster;
}

/**
 * The process's Redis connection from its configuration: a cluster client when REDIS_CLUSTER_NODES is set (REDIS_URL
 * is then ignored, with a warning), a single-server client for REDIS_URL, or undefined (keep everything in memory).
 */
export function redisFromConfig(config: Pick<Config, 'redisUrl' | 'redisClusterNodes'>, logger: Logger): RedisClient | undefined {
  if (config.redisClusterNodes) {
    if (config.redisUrl) logger.warn({ store: 'redis-cluster' }, 'REDIS_URL is ignored because REDIS_CLUSTER_NODES is set');
    return createClusterClient(config.redisClusterNodes, logger);
  }
  return config.redisUrl ? createRedisClient(config.redisUrl, logger) : undefined;
}

/** Readiness probe for any store (e.g. GET /readyz): Redis answers PING, memory is always ready. Never throws. */
export async function storeReady(store: StateStore): Promise<boolean> {
  try {
    return await store.ready();
  } catch {
    return false;
  }
}
