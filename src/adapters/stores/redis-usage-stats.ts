import { claimFields, fieldsOf, monthOf, type MonthlyCounts, type UsageStats } from '../../app/insights/usage-stats.js';
import type { Decision } from '../../core/conversation/types.js';
import { luaScript } from './lua-script.js';
import type { RedisClient } from './redis-client.js';

// Aggregates hold no personal data; they are kept long enough for several yearly reviews.
const STATS_TTL_SECONDS = 3 * 366 * 86_400;

/** ARGV: TTL, then field, increment, field, increment… */
const ADD = luaScript<number>(
  `for i = 2, #ARGV, 2 do redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1`,
  1,
);

export class RedisUsageStats implements UsageStats {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix = 'kc:',
  ) {}

  private key = (month: string) => `${this.prefix}stats:${month}`;

  async record(decision: Decision, at: number): Promise<void> {
    await this.add(
      at,
      fieldsOf(decision).map((f) => [f, 1]),
    );
  }

  async recordClaim(waitMs: number, at: number): Promise<void> {
    await this.add(at, claimFields(waitMs));
  }

  private async add(at: number, fields: [string, number][]) {
    // One script call per message (atomic like the MULTI it replaces, but one command instead of five or six).
    await ADD(this.redis, [this.key(monthOf(at))], [STATS_TTL_SECONDS, ...fields.flat()]);
  }

  async month(month: string): Promise<MonthlyCounts> {
    const raw = await this.redis.hgetall(this.key(month));
    return { month, counts: Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)])) };
  }
}
