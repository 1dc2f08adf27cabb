import { REPORT_DETAIL_WINDOW_MS, REPORTS_PER_PERSON_PER_DAY, WrongReport, newReportId, type WrongReportStore } from '../../app/insights/wrong-reports.js';
import type { Facet } from '../../core/knowledge/schema.js';
import type { RedisClient } from './redis-client.js';
import { parseStored } from './stored-json.js';

/**
 * 「この情報はまちがっている」 reports in Redis: each report a key of its own that expires after the retention period,
 * the open ones indexed by time (both under the `{wrong}` hash tag, written together), and beside each person's other
 * keys (their hash tag) the ids of their reports, so the per-user erase finds and deletes them. The report itself does
 * not name the person.
 */
export class RedisWrongReportStore implements WrongReportStore {
  private readonly openKey: string;
  constructor(
    private readonly redis: RedisClient,
    private readonly retentionSeconds: number,
    private readonly prefix = 'kc:',
    private readonly now: () => number = Date.now,
  ) {
    this.openKey = `${prefix}{wrong}:open`;
  }

  private reportKey(id: string) {
    return `${this.prefix}{wrong}:r:${id}`;
  }

  /** The person's report ids, newest first, in their hash slot (erase finds it there). */
  userKey(userId: string) {
    return `${this.prefix}{${userId}}:wrong-reports`;
  }

  async open(userId: string, r: { at: number; intent: string; facet: Facet; version?: number }): Promise<string | undefined> {
    const mine = await this.redis.lrange(this.userKey(userId), 0, REPORTS_PER_PERSON_PER_DAY - 1);
    if (mine.length >= REPORTS_PER_PERSON_PER_DAY) {
      const oldest = parseStored(WrongReport, await this.redis.get(this.reportKey(mine.at(-1)!)));
      if (oldest && r.at - oldest.at < 86_400_000) return undefined;
    }
    const id = newReportId();
    const report: WrongReport = { id, ...r, status: 'open' };
    await this.redis.multi().set(this.reportKey(id), JSON.stringify(report), 'EX', this.retentionSeconds).zadd(this.openKey, r.at, id).exec();
    await this.redis.multi().lpush(this.userKey(userId), id).ltrim(this.userKey(userId), 0, 199).expire(this.userKey(userId), this.retentionSeconds).exec();
    return id;
  }

  async addDetail(userId: string, text: string, at: number): Promise<boolean> {
    const id = await this.redis.lindex(this.userKey(userId), 0);
    if (!id) return false;
    const key = this.reportKey(id);
    const r = parseStored(WrongReport, await this.redis.get(key));
    if (!r || r.text !== undefined || at - r.at > REPORT_DETAIL_WINDOW_MS) return false;
    await this.redis.set(key, JSON.stringify({ ...r, text }), 'KEEPTTL');
    return true;
  }

  async listOpen(limit = 500): Promise<WrongReport[]> {
    const cutoff = this.now() - this.retentionSeconds * 1000;
    await this.redis.zremrangebyscore(this.openKey, '-inf', `(${cutoff}`);
    const ids = await this.redis.zrevrange(this.openKey, 0, limit - 1);
    if (!ids.length) return [];
    const raw = await this.redis.mget(...ids.map((id) => this.reportKey(id)));
    const gone = ids.filter((_, i) => !raw[i]);
    if (gone.length) await this.redis.zrem(this.openKey, ...gone);
    return raw.flatMap((json) => {
      const r = parseStored(WrongReport, json);
      return r && r.status === 'open' ? [r] : [];
    });
  }

  async handle(id: string, by: string, at: number): Promise<boolean> {
    const key = this.reportKey(id);
    const r = parseStored(WrongReport, await this.redis.get(key));
    if (!r || r.status !== 'open') return false;
    // Kept (closed) until the retention period ends: who handled what, and when.
    await this.redis
      .multi()
      .set(key, JSON.stringify({ ...r, status: 'handled', handledAt: at, handledBy: by }), 'KEEPTTL')
      .zrem(this.openKey, id)
      .exec();
    return true;
  }

  async forget(userId: string): Promise<void> {
    const ids = await this.redis.lrange(this.userKey(userId), 0, -1);
    if (ids.length)
      await this.redis
        .multi()
        .del(...ids.map((id) => this.reportKey(id)))
        .zrem(this.openKey, ...ids)
        .exec();
    await this.redis.del(this.userKey(userId));
  }
}
