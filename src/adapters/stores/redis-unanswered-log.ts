import { UNANSWERED_PER_PERSON_PER_DAY, UnansweredItem, quotaDay, type UnansweredLog } from '../../app/insights/unanswered.js';
import { luaScript } from './lua-script.js';
import type { RedisClient } from './redis-client.js';
import { parseStored } from './stored-json.js';
import { appendToStream } from './streams.js';

/** KEYS: the person's quota key. ARGV: day, TTL. Counts one more for that day; returns the count. */
const COUNT = luaScript<number>(
  `local day = redis.call('HGET', KEYS[1], 'day')
if day ~= ARGV[1] then redis.call('HSET', KEYS[1], 'day', ARGV[1], 'n', 0) end
local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
redis.call('EXPIRE', KEYS[1], ARGV[2])
return n`,
  1,
);
/** A quota outlives its day by a little (Japan's day, whatever the server's clock zone), then goes by itself. */
const QUOTA_TTL_SECONDS = 2 * 86_400;

/** The unanswered log in a Redis stream, trimmed to its retention period; per-person quotas beside each person's keys. */
export class RedisUnansweredLog implements UnansweredLog {
  private readonly key: string;
  constructor(
    private readonly redis: RedisClient,
    private readonly retentionSeconds: number,
    private readonly prefix = 'kc:',
    private readonly perPerson = UNANSWERED_PER_PERSON_PER_DAY,
  ) {
    this.key = `${prefix}unanswered`;
  }

  /** The person's quota key, in their hash slot like their other keys (erase finds it there). */
  quotaKey(from: string): string {
    return `${this.prefix}{${from}}:unanswered-quota`;
  }

  async record(item: UnansweredItem, from?: string): Promise<boolean> {
    if (from !== undefined && (await COUNT(this.redis, [this.quotaKey(from)], [quotaDay(item.at), QUOTA_TTL_SECONDS])) > this.perPerson) return false;
    await appendToStream(this.redis, this.key, 'i', JSON.stringify(item), this.retentionSeconds);
    return true;
  }

  async list(limit = 1000): Promise<UnansweredItem[]> {
    const rows = await this.redis.xrevrange(this.key, '+', '-', 'COUNT', limit);
    const cutoff = Date.now() - this.retentionSeconds * 1000;
    return rows.flatMap(([, fields]) => {
      const item = parseStored(UnansweredItem, fields[1]);
      return item && item.at > cutoff ? [item] : [];
    });
  }

  async forget(from: string): Promise<void> {
    await this.redis.del(this.quotaKey(from));
  }
}
