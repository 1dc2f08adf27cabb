import { UnansweredItem, type UnansweredLog } from '../../app/insights/unanswered.js';
import type { RedisClient } from './redis-client.js';
import { parseStored } from './stored-json.js';
import { appendToStream } from './streams.js';

/** The unanswered log in a Redis stream, trimmed to its retention period. */
export class RedisUnansweredLog implements UnansweredLog {
  private readonly key: string;
  constructor(
    private readonly redis: RedisClient,
    private readonly retentionSeconds: number,
    prefix = 'kc:',
  ) {
    this.key = `${prefix}unanswered`;
  }

  async record(item: UnansweredItem): Promise<void> {
    await appendToStream(this.redis, this.key, 'i', JSON.stringify(item), this.retentionSeconds);
  }

  async list(limit = 1000): Promise<UnansweredItem[]> {
    const rows = await this.redis.xrevrange(this.key, '+', '-', 'COUNT', limit);
    const cutoff = Date.now() - this.retentionSeconds * 1000;
    return rows.flatMap(([, fields]) => {
      const item = parseStored(UnansweredItem, fields[1]);
      return item && item.at > cutoff ? [item] : [];
    });
  }
}
