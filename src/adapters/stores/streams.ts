import { luaScript } from './lua-script.js';
import type { RedisClient } from './redis-client.js';

// XADD trimming entries older than the retention (MINID), and the key's TTL, as one command.
const APPEND = luaScript<string>(
  `local id = redis.call('XADD', KEYS[1], 'MINID', '~', ARGV[1], '*', ARGV[2], ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[4])
return id`,
  1,
);

/**
 * Appends one entry (`field` = `value`) to a Redis stream kept for `retentionSeconds`: older entries are trimmed on
 * every write and the key expires when nothing is written. Returns the entry's id.
 */
export function appendToStream(redis: RedisClient, key: string, field: string, value: string, retentionSeconds: number): Promise<string> {
  const minId = String(Math.max(0, Date.now() - retentionSeconds * 1000));
  return APPEND(redis, [key], [minId, field, value, retentionSeconds]);
}
