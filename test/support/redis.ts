import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** The Redis the tests use. `npm test` sets REDIS_URL (starting a throwaway redis-server when needed). */
export function testRedisUrl(): string {
  const url = process.env.REDIS_URL;
  if (!url) {
    throw new Error('REDIS_URL is not set: run tests with npm test, which starts a throwaway redis-server (or set REDIS_URL=redis://host:port/db yourself)');
  }
  return url;
}

/** A key prefix unique to one test run/file, e.g. `kc-test-3f9a1c2b7d4e:`, so parallel test files never share keys. */
export function uniquePrefix(): string {
  return `kc-test-${randomBytes(6).toString('hex')}:`;
}

/** A new client for the test Redis. Close it with `quit()` (or pass it to a store whose close() does). */
export function connectTestRedis(): Redis {
  return new Redis(testRedisUrl(), { maxRetriesPerRequest: 2 });
}

/** Escapes Redis glob metacharacters so a prefix matches only itself in SCAN MATCH. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/** Deletes every key starting with `prefix` (SCAN + DEL; never KEYS or FLUSHDB, which would hit other test files). */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  if (!prefix) throw new Error('refusing to delete keys with an empty prefix');
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}

/**
 * Lets `seconds` pass for every key under `prefix` without waiting: each key's remaining TTL is shortened by that
 * much (PEXPIRE), and a key whose TTL would run out is deleted, as Redis would have done by then. Keys without a
 * TTL are left alone (they never expire). Tests of expiry then prove that the store set the TTL it should, in
 * milliseconds instead of real seconds, and never race a clock. Accepts a cluster's masters one by one.
 */
export async function elapseKeys(redis: Pick<Redis, 'scan' | 'pttl' | 'pexpire' | 'del'>, prefix: string, seconds: number): Promise<void> {
  if (!prefix) throw new Error('refusing to age keys with an empty prefix');
  const ms = Math.round(seconds * 1000);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      const left = await redis.pttl(key);
      if (left < 0) continue; // -1: no TTL; -2: already gone
      if (left <= ms) await redis.del(key);
      else await redis.pexpire(key, left - ms);
    }
  } while (cursor !== '0');
}
