import { randomUUID } from 'node:crypto';
import { MemoryJobLock, MemoryWatchStore, WatchRecord, type JobLock, type WatchStore } from '../../app/sources/watch-store.js';
import { luaScript } from './lua-script.js';
import type { RedisClient } from './redis-client.js';
import { parseStored } from './stored-json.js';

/** KEYS: the lock. ARGV: this holder's token. Deletes the lock only if it is still ours (it may have expired and moved). */
const RELEASE = luaScript<number>(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`, 1);
/** KEYS: the lock. ARGV: token, TTL ms. Extends the lock only if it is still ours. */
const EXTEND = luaScript<number>(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`, 1);

/**
 * A job lock in Redis shared by every instance: SET NX with an expiry (an instance that dies mid-run frees it by
 * itself), renewed while the job runs, released only by its holder.
 */
export class RedisJobLock implements JobLock {
  constructor(
    private readonly redis: RedisClient,
    private readonly key: string,
    private readonly ttlMs = 5 * 60_000,
  ) {}

  async run<T>(fn: () => Promise<T>): Promise<T | undefined> {
    const token = randomUUID();
    if ((await this.redis.set(this.key, token, 'PX', this.ttlMs, 'NX')) !== 'OK') return undefined;
    const renew = setInterval(() => void EXTEND(this.redis, [this.key], [token, this.ttlMs]).catch(() => undefined), Math.max(100, this.ttlMs / 3));
    renew.unref();
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      await RELEASE(this.redis, [this.key], [token]).catch(() => undefined);
    }
  }
}

/**
 * The source watch's records in one Redis hash (field = URL, value = JSON), shared by every instance. The hash as a
 * whole expires `retentionSeconds` after the last run wrote it, and records older than that are dropped when read:
 * nothing is kept about a page for longer than the retention period after it was last looked at.
 */
export class RedisWatchStore implements WatchStore {
  private readonly key: string;
  private readonly lastKey: string;
  constructor(
    private readonly redis: RedisClient,
    private readonly retentionSeconds: number,
    prefix = 'kc:',
    private readonly now: () => number = Date.now,
  ) {
    // One hash slot for both keys, so a cluster can write them together.
    this.key = `${prefix}{sources}:watch`;
    this.lastKey = `${prefix}{sources}:watch-last-run`;
  }

  async all(): Promise<Map<string, WatchRecord>> {
    const raw = await this.redis.hgetall(this.key);
    const cutoff = this.now() - this.retentionSeconds * 1000;
    const out = new Map<string, WatchRecord>();
    const old: string[] = [];
    for (const [url, json] of Object.entries(raw)) {
      const r = parseStored(WatchRecord, json);
      if (r && r.at >= cutoff) out.set(url, r);
      else old.push(url);
    }
    if (old.length) await this.redis.hdel(this.key, ...old);
    return out;
  }

  async put(records: WatchRecord[]): Promise<void> {
    if (!records.length) return;
    await this.redis
      .multi()
      .hset(this.key, Object.fromEntries(records.map((r) => [r.url, JSON.stringify(r)])))
      .expire(this.key, this.retentionSeconds)
      .exec();
  }

  async keepOnly(urls: ReadonlySet<string>): Promise<void> {
    const gone = (await this.redis.hkeys(this.key)).filter((u) => !urls.has(u));
    if (gone.length) await this.redis.hdel(this.key, ...gone);
  }

  async lastRunAt(): Promise<number | undefined> {
    const v = await this.redis.get(this.lastKey);
    return v ? Number(v) : undefined;
  }

  async setLastRunAt(at: number): Promise<void> {
    await this.redis.set(this.lastKey, String(at), 'EX', this.retentionSeconds);
  }

  async confirm(url: string, by: string, at: number): Promise<void> {
    const r = parseStored(WatchRecord, await this.redis.hget(this.key, url));
    if (!r) return;
    const { changedAt: _cleared, ...rest } = r;
    await this.redis.hset(this.key, url, JSON.stringify({ ...rest, confirmedAt: at, confirmedBy: by }));
  }
}

/** The watch's store and lock: Redis when there is one (shared by every instance), memory otherwise. */
export function sourceWatchParts(opts: { redis?: RedisClient; prefix?: string; retentionSeconds: number; lockTtlMs?: number }): {
  store: WatchStore;
  lock: JobLock;
} {
  const prefix = opts.prefix ?? 'kc:';
  return opts.redis
    ? {
        store: new RedisWatchStore(opts.redis, opts.retentionSeconds, prefix),
        lock: new RedisJobLock(opts.redis, `${prefix}{sources}:watch-lock`, opts.lockTtlMs),
      }
    : { store: new MemoryWatchStore(opts.retentionSeconds * 1000), lock: new MemoryJobLock() };
}
