import type { Cluster, Redis } from 'ioredis';

/**
 * The Redis connection every store takes: one server (REDIS_URL) or a Redis Cluster (REDIS_CLUSTER_NODES). Under
 * a cluster a command, transaction or script may only touch keys of one hash slot, so keys used together share a
 * hash tag: `{userId}` for one person's keys, `{ho}` for the handoff index.
 */
export type RedisClient = Redis | Cluster;
